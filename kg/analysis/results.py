"""The shape of every analysis section, as types mypy checks wherever a section is read.

They are TypedDicts, so a result is still the plain JSON-ready dict that `avcluster analyze --format
json` prints and programs read: the types add checking, not a second representation. Keys that are
Python keywords (`from`) use the functional form. IRIs are strings; a measure that cannot be taken
(too few actors, no dated ties) is None, never zero.
"""

from __future__ import annotations

from typing import TypedDict

# ---------------------------------------------------------------- structure


class ActorRow(TypedDict):
    iri: str
    label: str
    type: str | None
    sector: str | None
    degree: int
    ties: int
    betweenness: float | None
    pagerank: float | None
    eigenvector: float | None
    constraint: float | None
    effective_size: float | None
    community: int | None
    core: int


class BrokerRow(TypedDict):
    iri: str
    label: str
    type: str | None
    sector: str | None
    degree: int
    betweenness: float | None
    constraint: float | None
    effective_size: float | None


class SpanningBrokerRow(BrokerRow):
    public_neighbours: int
    private_neighbours: int


class Brokers(TypedDict):
    top: list[BrokerRow]
    public_private: list[SpanningBrokerRow]


class CommunityRow(TypedDict):
    id: int
    size: int
    ties_inside: int
    density: float
    members: list[str]


class NetworkFigures(TypedDict, total=False):
    actors: int
    ties: int
    relationships: int
    flows: int
    tied_pairs: int
    density: float
    average_degree: float
    reciprocity: float | None
    components: int
    largest_component: int
    isolates: int
    max_core: int
    core_actors: int
    communities: int  # once Leiden has run
    modularity: float | None


# ---------------------------------------------------------------- ties

TieRow = TypedDict(
    "TieRow",
    {
        "tie": str | None,
        "kind": str,
        "from": str,
        "to": str,
        "start": str | None,
        "end": str | None,
        "strength": float | None,
        "years": int | None,
        "sources": list[str],
    },
)


class KindCount(TypedDict):
    kind: str
    current: int
    ended: int
    mean_years: float | None
    median_years: float | None
    mean_strength: float | None
    with_strength: int


class LongTermStrong(TypedDict):
    min_years: int
    min_strength: float
    count: int
    ties: list[TieRow]


class YearCount(TypedDict):
    year: int | None
    count: int


class EndedTies(TypedDict):
    count: int
    by_year: list[YearCount]
    ties: list[TieRow]


class PublicPrivateMix(TypedDict):
    public_private: int
    public_public: int
    private_private: int
    unknown: int
    share: float | None


class Ties(TypedDict):
    reference_year: int
    current: int
    ended: int
    dated: int
    mean_years: float | None
    median_years: float | None
    mean_strength: float | None
    with_strength: int
    by_kind: list[KindCount]
    long_term_strong: LongTermStrong
    ended_ties: EndedTies
    public_private: PublicPrivateMix


# ---------------------------------------------------------------- competencies


class AssignmentRow(TypedDict):
    actor: str
    start: str | None
    end: str | None
    assignment: str | None
    sources: list[str]


class CompetencyRow(TypedDict):
    competency: str
    required_by: list[str]
    leads: list[AssignmentRow]
    contributors: list[AssignmentRow]


Overlap = TypedDict(
    "Overlap",
    {
        "competency": str,
        "actors": list[str],
        "periods": list[AssignmentRow],
        "from": str | None,
        "to": str | None,
        "certain": bool,
        "cluster": str | None,
    },
)
Change = TypedDict(
    "Change",
    {
        "competency": str,
        "from": str,
        "to": str,
        "ended": str | None,
        "started": str | None,
        "year": int | None,
        "cluster": str | None,
    },
)


class ClusterGaps(TypedDict):
    cluster: str
    gaps: list[str]


class Competencies(TypedDict):
    competencies: list[CompetencyRow]
    overlaps: list[Overlap]
    gaps: list[str]
    gaps_by_cluster: list[ClusterGaps]
    changes: list[Change]


# ---------------------------------------------------------------- flows


class FlowTally(TypedDict, total=False):
    count: int
    amount: dict[str, float]  # currency -> total
    kind: str
    year: int | None
    from_type: str
    to_type: str
    from_sector: str | None
    to_sector: str | None


class InformationBroker(TypedDict):
    iri: str
    label: str
    betweenness: float
    inflows: int
    outflows: int


class Flows(TypedDict):
    count: int
    amount: dict[str, float]
    by_kind: list[FlowTally]
    by_year: list[FlowTally]
    by_actor_type: list[FlowTally]
    by_sector: list[FlowTally]
    information_brokers: list[InformationBroker]


# ---------------------------------------------------------------- life cycle


class Reason(TypedDict):
    text: str  # an English template ("{before} → {now} ties in {window} years"), the same every time
    args: dict[str, str | int]  # the figures that fill it


class Indicator(TypedDict):
    indicator: str
    value: float | None
    stage: str | None
    why: str  # the reasons filled in, in English
    reasons: list[Reason]  # the same, as templates a viewer can translate


class YearRow(TypedDict):
    year: int
    members: int
    ties: int
    new_ties: int
    ended_ties: int
    density: float | None


class Lifecycle(TypedDict):
    cluster: str
    created: str | None
    reference_year: int
    age: int | None
    members: int  # the cluster's actors existing in the reference year (kg.analysis.counts: actors, at=reference_year)
    ties: int  # the relationships among them in force that year (flows aside)
    density: float | None
    asserted_stage: str | None
    suggested_stage: str | None
    agrees: bool | None
    votes: dict[str, int]
    indicators: list[Indicator]
    series: list[YearRow]


# ---------------------------------------------------------------- regions


class Figure(TypedDict):
    indicator: str
    factors: list[str]
    value: float | None
    unit: str | None
    year: int | None
    sources: list[str]
    comment: str | None
    observation: str


class ClusterStage(TypedDict):
    cluster: str
    stage: str | None


class RegionRow(TypedDict):
    region: str
    clusters: list[ClusterStage]
    figures: list[Figure]
    latest: list[Figure]
    missing_factors: list[str]
    missing_indicators: list[str]


class IndicatorFactors(TypedDict):
    indicator: str
    factors: list[str]


class Regions(TypedDict):
    factors: list[str]
    indicators: list[IndicatorFactors]
    regions: list[RegionRow]


# ---------------------------------------------------------------- the whole


class Betweenness(TypedDict):
    exact: bool
    sources: int
    seed: int


class Meta(TypedDict, total=False):
    at: int | None
    region: str | None
    sections: list[str]
    actors: int
    ties: int
    betweenness: Betweenness
    seconds: dict[str, float]
    total_seconds: float


class Analysis(TypedDict, total=False):
    """The sections asked for (all by default), with `meta` and `labels` always present."""

    meta: Meta
    actors: list[ActorRow]
    network: NetworkFigures
    brokers: Brokers
    communities: list[CommunityRow]
    ties: Ties
    competencies: Competencies
    flows: Flows
    lifecycle: list[Lifecycle]
    regions: Regions
    labels: dict[str, str]
