"""A deterministic synthetic audiovisual cluster, for scale tests and benchmarks.

Real regional data is a few hundred triples; a national map of every company is millions. To measure
avcluster at that size without inventing data that could pass for real, this writes a graph that
says on every resource that it is synthetic: each fact cites one source whose title names the
command and seed, and each actor carries a comment saying it is not a real organisation.

The shape follows what real clusters look like, so that queries and metrics do representative work:
many small production and service firms and few public bodies; ties drawn in proportion to
Pareto-distributed actor weights (the Chung-Lu model), so degrees are heavy-tailed, with the film
commission, the cluster organisation and the administrations as hubs; each relationship kind runs
between the kinds of actors that have it in reality (administrations fund, schools train, suppliers
supply); flows follow the relationships they belong to; every cluster has at least one required
competency that nobody leads and usually several led twice at once.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, over lists only, with no
clock, so the same actors and seed give the same bytes on every run and machine.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, count
from typing import IO

from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from .namespaces import AVC, ID, SCHEMA

# The last year synthetic facts reach, and the earliest a tie or an assignment starts.
END_YEAR = 2025
FIRST_TIE_YEAR = 1985
# The day this generator's output last changed, stated as the source's date: the output must not
# depend on the day it runs.
GENERATOR_DATE = "2026-11-26"
ACTORS_PER_CLUSTER = 5000
TIES_PER_ACTOR = 2.5  # relationships per actor: each has two ends, so the mean degree is 5
CURRENCY = "EUR"

SOURCE_IRI = str(ID["source-synthetic"])
SYNTHETIC_URL = "https://w3id.org/avcluster/synthetic"
ACTOR_COMMENT = "Synthetic, generated; not a real organisation."

_COMPANIES = (
    "ProductionCompany",
    "ServiceProvider",
    "PostProductionCompany",
    "AnimationStudio",
    "DistributionCompany",
    "Broadcaster",
)
_PUBLIC = ("PublicAdministration", "PublicEnterprise", "FilmCommission")


@dataclass(frozen=True, slots=True)
class _ActorClass:
    name: str
    noun: str  # as it reads in a label: "Synthetic <noun> 12"
    share: float  # of all actors
    hub: float  # how much more often than a small firm it takes part in a tie
    since: int  # the earliest founding year
    public: float | None = None  # chance of being public, where the class leaves it open


# Shares after Spanish and Russian regional cluster inventories: a long tail of small production and
# service firms, a few dozen public bodies and schools, one film commission and one cluster body a region.
ACTOR_CLASSES: tuple[_ActorClass, ...] = (
    _ActorClass("ProductionCompany", "production company", 0.40, 1.0, 1960),
    _ActorClass("ServiceProvider", "service provider", 0.29, 1.0, 1960),
    _ActorClass("PostProductionCompany", "post-production company", 0.08, 1.5, 1970),
    _ActorClass("AnimationStudio", "animation studio", 0.06, 1.5, 1980),
    _ActorClass("DistributionCompany", "distribution company", 0.04, 2.0, 1960),
    _ActorClass("Broadcaster", "broadcaster", 0.006, 8.0, 1955),
    _ActorClass("PublicAdministration", "public administration", 0.03, 6.0, 1950),
    _ActorClass("PublicEnterprise", "public enterprise", 0.008, 5.0, 1970),
    _ActorClass("FilmCommission", "film commission", 0.0006, 15.0, 1995, public=1.0),
    _ActorClass("ClusterOrganization", "cluster organisation", 0.0004, 20.0, 2000, public=0.0),
    _ActorClass("EducationCentre", "education centre", 0.025, 4.0, 1960, public=0.6),
    _ActorClass("ResearchCentre", "research centre", 0.01, 3.0, 1970, public=0.7),
    _ActorClass("FinancialInstitution", "financial institution", 0.012, 5.0, 1950, public=0.2),
    _ActorClass("Festival", "festival", 0.015, 3.0, 1960, public=0.4),
    _ActorClass("ProfessionalAssociation", "professional association", 0.02, 4.0, 1975, public=0.0),
)
_CLASS = {c.name: c for c in ACTOR_CLASSES}
# One of each in every cluster, before the proportional draw: each relationship kind, competency and
# measure then has someone to hold it even in a small graph.
_CORE = (
    "ClusterOrganization",
    "PublicAdministration",
    "FilmCommission",
    "EducationCentre",
    "FinancialInstitution",
    "ResearchCentre",
    "PublicEnterprise",
    "Festival",
    "ProfessionalAssociation",
    "Broadcaster",
    "DistributionCompany",
    "PostProductionCompany",
    "AnimationStudio",
    "ServiceProvider",
    "ProductionCompany",
)


@dataclass(frozen=True, slots=True)
class _FlowSpec:
    kind: str
    against: bool  # runs from the tie's toActor to its fromActor (a payment for a service)
    median_amount: float  # EUR, for financial flows


@dataclass(frozen=True, slots=True)
class _TieKind:
    name: str
    share: float
    sources: tuple[str, ...]  # classes that can be the fromActor
    targets: tuple[str, ...]  # classes that can be the toActor
    flows: tuple[_FlowSpec, ...]


# Kinds of actor that enter partnerships with each other.
_PARTNERS = (
    "ClusterOrganization",
    "ProfessionalAssociation",
    "Festival",
    "EducationCentre",
    "ResearchCentre",
    "ProductionCompany",
    "DistributionCompany",
    "Broadcaster",
)


_INFO = _FlowSpec("InformationFlow", False, 0)
_INFO_BACK = _FlowSpec("InformationFlow", True, 0)
TIE_KINDS: tuple[_TieKind, ...] = (
    _TieKind(
        "ServiceSupply",
        0.30,
        ("ServiceProvider", "PostProductionCompany", "AnimationStudio", "FilmCommission"),
        ("ProductionCompany", "Broadcaster", "AnimationStudio", "DistributionCompany"),
        (_FlowSpec("MaterialFlow", False, 0), _FlowSpec("FinancialFlow", True, 20_000)),
    ),
    _TieKind(
        "CoProduction",
        0.18,
        ("ProductionCompany", "AnimationStudio", "Broadcaster"),
        ("ProductionCompany", "AnimationStudio", "Broadcaster"),
        (_FlowSpec("FinancialFlow", False, 150_000), _FlowSpec("MaterialFlow", True, 0), _INFO),
    ),
    _TieKind(
        "Partnership",
        0.15,
        _PARTNERS,
        _PARTNERS,
        (_INFO, _INFO_BACK),
    ),
    _TieKind(
        "Funding",
        0.12,
        ("PublicAdministration", "PublicEnterprise", "FinancialInstitution"),
        (
            *_COMPANIES,
            "Festival",
            "ProfessionalAssociation",
            "EducationCentre",
            "ResearchCentre",
            "ClusterOrganization",
        ),
        (_FlowSpec("FinancialFlow", False, 80_000),),
    ),
    _TieKind("Training", 0.08, ("EducationCentre", "ProfessionalAssociation"), _COMPANIES, (_INFO,)),
    _TieKind(
        "PublicPrivateDialogue",
        0.07,
        _PUBLIC,
        ("ClusterOrganization", "ProfessionalAssociation", *_COMPANIES),
        (_INFO, _INFO_BACK),
    ),
    _TieKind("KnowledgeTransfer", 0.06, ("ResearchCentre", "EducationCentre"), _COMPANIES, (_INFO,)),
    _TieKind(
        "Governance",
        0.04,
        ("PublicAdministration",),
        ("FilmCommission", "PublicEnterprise", "ClusterOrganization", "Festival", "EducationCentre"),
        (_INFO, _FlowSpec("FinancialFlow", False, 250_000)),
    ),
)
_TIE_CUM = list(accumulate(k.share for k in TIE_KINDS))


@dataclass(frozen=True, slots=True)
class _Competency:
    name: str
    leads: tuple[str, ...]  # classes that can be responsible for it
    contributors: tuple[str, ...]  # classes that can take part


COMPETENCIES: tuple[_Competency, ...] = (
    _Competency("LocationServices", ("FilmCommission",), ("PublicAdministration", "ServiceProvider")),
    _Competency("FilmingPermits", ("PublicAdministration", "FilmCommission"), ("PublicEnterprise",)),
    _Competency(
        "IncentiveAdministration",
        ("PublicAdministration", "PublicEnterprise"),
        ("FilmCommission", "FinancialInstitution"),
    ),
    _Competency(
        "ProductionFinancing",
        ("FinancialInstitution", "PublicEnterprise"),
        ("PublicAdministration", "Broadcaster", "DistributionCompany"),
    ),
    _Competency(
        "SpecialistTraining",
        ("EducationCentre",),
        ("ProfessionalAssociation", "ProductionCompany", "PostProductionCompany", "AnimationStudio"),
    ),
    _Competency(
        "ResearchInnovation", ("ResearchCentre",), ("EducationCentre", "PostProductionCompany", "AnimationStudio")
    ),
    _Competency(
        "ProductionServices",
        ("ServiceProvider", "ProductionCompany"),
        ("ServiceProvider", "ProductionCompany", "FilmCommission"),
    ),
    _Competency("PostProduction", ("PostProductionCompany",), ("AnimationStudio", "ServiceProvider")),
    _Competency(
        "DistributionPromotion", ("DistributionCompany", "Festival"), ("Broadcaster", "ProductionCompany", "Festival")
    ),
    _Competency(
        "InternationalPromotion",
        ("FilmCommission", "ClusterOrganization", "Festival"),
        ("PublicAdministration", "ProfessionalAssociation", "DistributionCompany"),
    ),
    _Competency("ClusterCoordination", ("ClusterOrganization",), ("ProfessionalAssociation", "PublicAdministration")),
    _Competency(
        "InformationManagement",
        ("ClusterOrganization", "PublicAdministration"),
        ("ResearchCentre", "ProfessionalAssociation"),
    ),
    _Competency("Infrastructure", ("PublicEnterprise", "ServiceProvider"), ("PublicAdministration", "ServiceProvider")),
)
_CONTRIBUTES: dict[str, tuple[_Competency, ...]] = {
    c.name: tuple(k for k in COMPETENCIES if c.name in k.contributors) for c in ACTOR_CLASSES
}

STAGES = ("Emergence", "Growth", "Maturity", "Decline", "Renewal")


@dataclass(frozen=True, slots=True)
class _Factor:
    name: str
    unit: str
    low: float  # range of the first year's value
    high: float
    drift: float  # largest relative change from one year to the next


FACTORS: tuple[_Factor, ...] = (
    _Factor("HistoricalCulturalHeritage", "protected heritage sites", 40, 900, 0.02),
    _Factor("CreativeIndustrySize", "percent of regional GDP", 1.0, 6.0, 0.08),
    _Factor("TerritorySize", "square kilometres", 2_000, 90_000, 0.0),
    _Factor("BusinessDiversity", "Shannon index of audiovisual business types", 1.0, 2.3, 0.05),
    _Factor("HumanCapital", "percent of workforce with tertiary education", 22, 52, 0.03),
)
OBSERVATION_YEARS = range(END_YEAR - 4, END_YEAR + 1)


@dataclass(frozen=True, slots=True)
class _MeasureKind:
    name: str
    noun: str
    share: float
    issuers: tuple[str, ...]
    median_amount: float  # EUR; a tax incentive states a rate and a cap instead


MEASURES: tuple[_MeasureKind, ...] = (
    _MeasureKind("Grant", "grant", 0.6, ("PublicAdministration", "PublicEnterprise"), 200_000),
    _MeasureKind("TaxIncentive", "tax incentive", 0.2, ("PublicAdministration",), 0),
    _MeasureKind("TrainingProgramme", "training programme", 0.2, ("PublicAdministration", "PublicEnterprise"), 50_000),
)
_MEASURE_CUM = list(accumulate(m.share for m in MEASURES))
_TAX_RATES = ("0.15", "0.20", "0.25", "0.30", "0.35", "0.40", "0.45")
_TAX_CAPS = ("500000", "1000000", "2500000", "5000000")


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _avc(name: str) -> str:
    return _iri(AVC[name])


def _node(slug: str) -> str:
    return _iri(ID["syn-" + slug])


def _text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


A = _iri(RDF.type)
LABEL = _iri(RDFS.label)
COMMENT = _iri(RDFS.comment)
CITES = _iri(DCTERMS.source)
SOURCE = _iri(SOURCE_IRI)
CREATED = _iri(DCTERMS.created)
DISSOLVED = _iri(SCHEMA.dissolutionDate)
LOCATED_IN, MEMBER_OF = _avc("locatedIn"), _avc("memberOf")
FROM, TO = _avc("fromActor"), _avc("toActor")
START, END, STRENGTH = _avc("startDate"), _avc("endDate"), _avc("strength")
YEAR, AMOUNT, CURRENCY_P = _avc("year"), _avc("amount"), _avc("currency")
EUR = _text(CURRENCY)
_CITATION = f" {CITES} {SOURCE} .\n"


def _t(subject: str, predicate: str, obj: str) -> str:
    return f"{subject} {predicate} {obj} .\n"


def _gyear(year: int) -> str:
    return _typed(str(year), "gYear")


def _day(ordinal: int) -> str:
    return _typed(date.fromordinal(ordinal).isoformat(), "date")


def _integer(value: int) -> str:
    return _typed(str(value), "integer")


def _decimal(value: float) -> str:
    return _typed(f"{value:.2f}", "decimal")


# A start day and, unless still ongoing, an end day (proleptic Gregorian ordinals).
_Period = tuple[int, int | None]
_ONGOING = date.max.toordinal()


@dataclass(slots=True)
class _Actor:
    iri: str
    kind: str
    cluster: int
    weight: float
    born: int
    dissolved: int | None
    sector: str | None  # avc:PublicActor or avc:PrivateActor, where the class does not entail it


@dataclass(frozen=True, slots=True)
class _Cluster:
    number: int
    iri: str
    region: str
    created: int
    stage: str
    required: tuple[_Competency, ...]


class _Pool:
    """Actors drawn in proportion to their weight: the many small firms rarely, the hubs often."""

    def __init__(self, actors: list[_Actor]) -> None:
        self.actors = actors
        self.cumulative = list(accumulate(a.weight for a in actors))

    def draw(self, rng: random.Random) -> _Actor:
        index = bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return self.actors[min(index, len(self.actors) - 1)]


class _World:
    """The actors and clusters, drawn first, and their pools by cluster and class."""

    def __init__(self, actors: int, rng: random.Random) -> None:
        clusters = max(1, round(actors / ACTORS_PER_CLUSTER))
        self.clusters = [self._cluster(n, rng) for n in range(1, clusters + 1)]
        kinds = [(cluster, name) for cluster in range(clusters) for name in _CORE][:actors]
        share_cum = list(accumulate(c.share for c in ACTOR_CLASSES))
        for _ in range(actors - len(kinds)):
            drawn = ACTOR_CLASSES[bisect(share_cum, rng.random() * share_cum[-1])].name
            kinds.append((rng.randrange(clusters), drawn))
        self.actors = [self._actor(n, cluster, name, rng) for n, (cluster, name) in enumerate(kinds, 1)]
        self._members: dict[tuple[int | None, str], list[_Actor]] = {}
        for actor in self.actors:
            for key in ((actor.cluster, actor.kind), (None, actor.kind)):
                self._members.setdefault(key, []).append(actor)
        self._pools: dict[tuple[int | None, tuple[str, ...]], _Pool | None] = {}

    @staticmethod
    def _cluster(number: int, rng: random.Random) -> _Cluster:
        required = rng.sample(COMPETENCIES, rng.randint(9, 12))
        return _Cluster(
            number,
            _node(f"cluster-{number}"),
            _node(f"region-{number}"),
            rng.randint(1990, 2015),
            rng.choice(STAGES),
            tuple(c for c in COMPETENCIES if c in required),
        )

    def _actor(self, number: int, cluster: int, kind: str, rng: random.Random) -> _Actor:
        actor_class = _CLASS[kind]
        born = max(actor_class.since, END_YEAR - int(rng.expovariate(1 / 14)))
        dissolved = None
        if kind in _COMPANIES and born < END_YEAR and rng.random() < 0.07:
            dissolved = rng.randint(born + 1, END_YEAR)
        weight = actor_class.hub * rng.paretovariate(2.2)
        sector = None
        if actor_class.public is not None:
            sector = "PublicActor" if rng.random() < actor_class.public else "PrivateActor"
        slug = f"{actor_class.noun.replace(' ', '-')}-{number}"
        return _Actor(_node(slug), kind, cluster, weight, born, dissolved, sector)

    def members(self, classes: tuple[str, ...], cluster: int | None = None) -> list[_Actor]:
        """The actors of these classes, in one cluster or (None) in all."""
        return [a for name in classes for a in self._members.get((cluster, name), [])]

    def pool(self, classes: tuple[str, ...], cluster: int | None = None) -> _Pool | None:
        """The actors of these classes to draw from; None when there are none."""
        key = (cluster, classes)
        if key not in self._pools:
            members = self.members(classes, cluster)
            self._pools[key] = _Pool(members) if members else None
        return self._pools[key]


def _period(rng: random.Random, actors: Sequence[_Actor], first_year: int, ended: float) -> _Period | None:
    """A start day and maybe an end day while all the actors existed; None if they never coexisted.

    A period ends (an end day is drawn) with probability ``ended``, and always when an actor was dissolved.
    """
    first = max(first_year, *(a.born for a in actors))
    last = min([END_YEAR, *(a.dissolved for a in actors if a.dissolved is not None)])
    if first > last:
        return None
    last_day = date(last, 12, 31).toordinal()
    must_end = any(a.dissolved is not None for a in actors)
    start = rng.randint(date(first, 1, 1).toordinal(), last_day - 1 if must_end else last_day)
    if start < last_day and (must_end or rng.random() < ended):
        return start, rng.randint(start + 1, last_day)
    return start, None


def _dated(subject: str, period: _Period | None) -> Iterator[str]:
    if period is None:
        return
    yield _t(subject, START, _day(period[0]))
    if period[1] is not None:
        yield _t(subject, END, _day(period[1]))


def generate(actors: int, seed: int) -> Iterator[str]:
    """N-Triples lines, one triple each, of a synthetic cluster of ``actors`` actors drawn from ``seed``.

    The source, regions and clusters come first, then actors, relationships with their flows, competency
    assignments, policy measures and observations; loaders can stream it.
    """
    if actors < 1:
        raise ValueError(f"a synthetic cluster needs at least one actor, not {actors}")
    return _lines(actors, seed)


def write(actors: int, seed: int, out: IO[str]) -> int:
    """Stream the synthetic cluster into ``out``, so 50,000 actors never sit in memory as one string."""
    written = 0
    for line in generate(actors, seed):
        out.write(line)
        written += 1
    return written


def _lines(actors: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    world = _World(actors, rng)
    yield from _source(actors, seed)
    yield from _settings(world)
    yield from _actors(world)
    yield from _ties(world, rng)
    yield from _competencies(world, rng)
    yield from _measures(world, rng)
    yield from _observations(world, rng)


def _source(actors: int, seed: int) -> Iterator[str]:
    title = (
        f"Synthetic data generated by `avcluster synth --actors {actors} --seed {seed}`: "
        "invented by a pseudo-random generator, not real organisations or facts"
    )
    yield _t(SOURCE, A, _avc("Source"))
    yield _t(SOURCE, _iri(DCTERMS.title), _text(title))
    yield _t(SOURCE, _iri(SCHEMA.url), _typed(SYNTHETIC_URL, "anyURI"))
    yield _t(SOURCE, _iri(DCTERMS.date), _typed(GENERATOR_DATE, "date"))
    yield _t(
        SOURCE,
        COMMENT,
        _text(
            "Every resource citing this source was drawn at random for scale tests and benchmarks. "
            "None of it describes a real organisation, relationship, measure or statistic."
        ),
    )


def _settings(world: _World) -> Iterator[str]:
    for cluster in world.clusters:
        region, iri, n = cluster.region, cluster.iri, cluster.number
        yield _t(region, A, _avc("Region"))
        yield _t(region, LABEL, _text(f"Synthetic region {n}"))
        yield _t(region, COMMENT, _text("Synthetic, generated; not a real region."))
        yield region + _CITATION
        yield _t(iri, A, _avc("Cluster"))
        yield _t(iri, LABEL, _text(f"Synthetic audiovisual cluster {n}"))
        yield _t(iri, COMMENT, _text("Synthetic, generated; not a real cluster."))
        yield _t(iri, LOCATED_IN, region)
        yield _t(iri, _avc("lifeCycleStage"), _avc(cluster.stage))
        yield _t(iri, CREATED, _gyear(cluster.created))
        for competency in cluster.required:
            yield _t(iri, _avc("requiresCompetency"), _avc(competency.name))
        yield iri + _CITATION


def _actors(world: _World) -> Iterator[str]:
    comment = _text(ACTOR_COMMENT)
    for number, actor in enumerate(world.actors, 1):
        iri, cluster = actor.iri, world.clusters[actor.cluster]
        yield _t(iri, A, _avc(actor.kind))
        if actor.sector is not None:
            yield _t(iri, A, _avc(actor.sector))
        yield _t(iri, LABEL, _text(f"Synthetic {_CLASS[actor.kind].noun} {number}"))
        yield _t(iri, COMMENT, comment)
        yield _t(iri, CREATED, _gyear(actor.born))
        if actor.dissolved is not None:
            yield _t(iri, DISSOLVED, _gyear(actor.dissolved))
        yield _t(iri, LOCATED_IN, cluster.region)
        yield _t(iri, MEMBER_OF, cluster.iri)
        yield iri + _CITATION


def _ties(world: _World, rng: random.Random) -> Iterator[str]:
    """Relationships of every kind and the flows that run along some of them."""
    flows = 0
    for number in range(1, round(TIES_PER_ACTOR * len(world.actors)) + 1):
        kind = TIE_KINDS[bisect(_TIE_CUM, rng.random() * _TIE_CUM[-1])]
        pair = _pair(world, kind, rng)
        if pair is None:
            continue
        source, target, period = pair
        tie = _node(f"rel-{number}")
        yield _t(tie, A, _avc(kind.name))
        yield _t(tie, FROM, source.iri)
        yield _t(tie, TO, target.iri)
        yield from _dated(tie, period)
        if rng.random() < 0.9:
            yield _t(tie, STRENGTH, _typed(f"{rng.betavariate(2, 3):.2f}", "decimal"))
        yield tie + _CITATION
        first_year = date.fromordinal(period[0]).year
        last_year = END_YEAR if period[1] is None else date.fromordinal(period[1]).year
        for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2))):
            flows += 1
            spec = rng.choice(kind.flows)
            ends = (target, source) if spec.against else (source, target)
            yield from _flow(_node(f"flow-{flows}"), spec, ends, rng.randint(first_year, last_year), rng)


def _pair(world: _World, kind: _TieKind, rng: random.Random) -> tuple[_Actor, _Actor, _Period] | None:
    """Two actors that can hold this tie, nine times in ten in one cluster, and a period when both existed."""
    sources = world.pool(kind.sources)
    if sources is None:
        return None
    for _ in range(20):
        source = sources.draw(rng)
        targets = world.pool(kind.targets, source.cluster) if rng.random() < 0.9 else None
        targets = targets or world.pool(kind.targets)
        if targets is None:
            return None
        target = targets.draw(rng)
        if target is source:
            continue
        period = _period(rng, (source, target), FIRST_TIE_YEAR, ended=0.3)
        if period is not None:
            return source, target, period
    return None


def _flow(iri: str, spec: _FlowSpec, ends: tuple[_Actor, _Actor], year: int, rng: random.Random) -> Iterator[str]:
    yield _t(iri, A, _avc(spec.kind))
    yield _t(iri, FROM, ends[0].iri)
    yield _t(iri, TO, ends[1].iri)
    yield _t(iri, YEAR, _integer(year))
    if spec.median_amount:
        yield _t(iri, AMOUNT, _decimal(rng.lognormvariate(math.log(spec.median_amount), 1.0)))
        yield _t(iri, CURRENCY_P, EUR)
    yield iri + _CITATION


def _competencies(world: _World, rng: random.Random) -> Iterator[str]:
    assignments = _Assignments(rng)
    for index, cluster in enumerate(world.clusters):
        yield from assignments.leads(world, index, cluster)
    for actor in world.actors:
        choices = _CONTRIBUTES[actor.kind]
        if choices and rng.random() < 0.25:
            first_year = world.clusters[actor.cluster].created
            yield from assignments.assign(
                actor, rng.choice(choices), "ContributorRole", assignments.when(actor, first_year, ended=0.3)
            )


class _Assignments:
    """Competency assignments, numbered in the order they are written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.numbers = count(1)

    def assign(self, actor: _Actor, competency: _Competency, role: str, period: _Period | None) -> Iterator[str]:
        iri = _node(f"assignment-{next(self.numbers)}")
        yield _t(iri, A, _avc("CompetencyAssignment"))
        yield _t(iri, _avc("assignedTo"), actor.iri)
        yield _t(iri, _avc("competency"), _avc(competency.name))
        yield _t(iri, _avc("role"), _avc(role))
        yield from _dated(iri, period)
        yield iri + _CITATION

    def when(self, actor: _Actor, first_year: int, ended: float) -> _Period | None:
        """No dates (it holds for every period) for a third of living actors, else a period of its life."""
        if actor.dissolved is None and self.rng.random() < 0.3:
            return None
        return _period(self.rng, (actor,), first_year, ended)

    def leads(self, world: _World, index: int, cluster: _Cluster) -> Iterator[str]:
        """One lead for most competencies; one required competency left without (a gap), one led by two
        actors at once (an overlap), and more overlaps and handovers at random."""
        rng = self.rng
        gap = rng.choice(cluster.required)
        shared = [c for c in cluster.required if c is not gap and len(world.members(c.leads, index)) > 1]
        contested = rng.choice(shared) if shared else None
        for competency in COMPETENCIES:
            leads = world.pool(competency.leads, index)
            unneeded = competency not in cluster.required and rng.random() < 0.5
            if competency is gap or leads is None or unneeded:
                continue
            first = leads.draw(rng)
            period = self.when(first, cluster.created, ended=0.2)
            yield from self.assign(first, competency, "LeadRole", period)
            chance = 0.0 if competency is contested else rng.random()
            if chance < 0.3:
                for _ in range(20):
                    second = leads.draw(rng)
                    overlap = self.when(second, cluster.created, ended=0.2)
                    if second is not first and _meet(period, overlap):
                        yield from self.assign(second, competency, "LeadRole", overlap)
                        break
            elif chance < 0.5 and period is not None and period[1] is not None:
                second = leads.draw(rng)
                after = date.fromordinal(period[1]).year + 1
                handover = _period(rng, (second,), after, ended=0.0) if after <= END_YEAR else None
                if second is not first and handover is not None:
                    yield from self.assign(second, competency, "LeadRole", handover)


def _meet(first: _Period | None, second: _Period | None) -> bool:
    """Whether two periods share a day; no period at all means every period."""
    if first is None or second is None:
        return True
    first_end = _ONGOING if first[1] is None else first[1]
    second_end = _ONGOING if second[1] is None else second[1]
    return first[0] <= second_end and second[0] <= first_end


def _measures(world: _World, rng: random.Random) -> Iterator[str]:
    """Grants, tax incentives and training programmes issued by public actors, benefiting companies."""
    number = 0
    sizes = [0] * len(world.clusters)
    for actor in world.actors:
        sizes[actor.cluster] += 1
    for index, cluster in enumerate(world.clusters):
        beneficiaries = world.pool(_COMPANIES, index)
        for _ in range(2 + sizes[index] // 250):
            kind = MEASURES[bisect(_MEASURE_CUM, rng.random() * _MEASURE_CUM[-1])]
            issuer_pool = world.pool(kind.issuers, index)
            if issuer_pool is None or beneficiaries is None:
                continue
            issuer = issuer_pool.draw(rng)
            period = _period(rng, (issuer,), 2000, ended=0.5)
            if period is None:
                continue
            number += 1
            iri = _node(f"measure-{number}")
            yield _t(iri, A, _avc(kind.name))
            yield _t(iri, LABEL, _text(f"Synthetic {kind.noun} {number}"))
            yield _t(iri, COMMENT, _text("Synthetic, generated; not a real policy measure."))
            yield _t(iri, _avc("issuedBy"), issuer.iri)
            reach = min(40, int(rng.paretovariate(1.1)))
            for beneficiary in dict.fromkeys(beneficiaries.draw(rng).iri for _ in range(reach)):
                yield _t(iri, _avc("benefits"), beneficiary)
            if not kind.median_amount:
                yield _t(iri, _avc("rate"), _typed(rng.choice(_TAX_RATES), "decimal"))
                yield _t(iri, _avc("cap"), _typed(rng.choice(_TAX_CAPS), "decimal"))
            else:
                yield _t(iri, AMOUNT, _decimal(rng.lognormvariate(math.log(kind.median_amount), 0.8)))
            yield _t(iri, CURRENCY_P, EUR)
            yield from _dated(iri, period)
            yield _t(iri, _avc("region"), cluster.region)
            yield iri + _CITATION


def _observations(world: _World, rng: random.Random) -> Iterator[str]:
    """The five success factors for every region over the last five years, as a bounded random walk."""
    number = 0
    comment = _text("Synthetic value, generated; not a real statistic.")
    for cluster in world.clusters:
        for factor in FACTORS:
            value = rng.uniform(factor.low, factor.high)
            for year in OBSERVATION_YEARS:
                number += 1
                iri = _node(f"observation-{number}")
                yield _t(iri, A, _avc("Observation"))
                yield _t(iri, _avc("indicator"), _avc(factor.name))
                yield _t(iri, _avc("region"), cluster.region)
                yield _t(iri, _avc("value"), _decimal(value))
                yield _t(iri, _avc("unit"), _text(factor.unit))
                yield _t(iri, YEAR, _integer(year))
                yield _t(iri, COMMENT, comment)
                yield iri + _CITATION
                value *= 1 + rng.uniform(-factor.drift, factor.drift)
