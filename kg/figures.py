"""The bundled data's figures, counted from a store: how many actors, ties, dated ties, projects,
flows… each dataset holds. The data's README prints them from here (`python -m
avcluster.kg.figures` rewrites its block, and a test fails while the two disagree), so no count in
the prose can drift from the data.

A dataset group is a folder of data/ (`navarre`) or one file of it (`regions/kaliningrad`): what
its named graphs state. These are the actors the files describe (Navarre's files also describe
Spanish and European bodies outside Navarre), not the cluster's actors: those are counted by
kg.analysis.counts, as every page counts them, and the READMEs print both. An actor is any resource typed with a class under avc:Actor; a tie is a
qualified relationship (avc:Relationship), dated when it has a start or an end; an actor is
isolated when no relationship or flow anywhere in the store has it at either end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from .analysis.counts import ClusterCounts, cluster_counts
from .analysis.projection import read_network
from .namespaces import DATA_DIR, GRAPH, ID, shorten
from .setup import initialise
from .stores import Store, open_store

START, END = "<!-- figures: start (python -m avcluster.kg.figures) -->\n", "<!-- figures: end -->\n"


@dataclass(frozen=True)
class Figures:
    actors: int
    untyped_actors: int  # typed only avc:Actor, avc:PublicActor or avc:PrivateActor
    isolated_actors: int
    actors_with_founding_date: int
    ties: int
    dated_ties: int
    flows: int
    financial_flows: int
    information_flows: int
    material_flows: int
    projects: int
    measures: int
    observations: int
    competency_assignments: int
    people: int
    posts: int
    clusters: int
    sources: int
    undated_sources: int  # the page states no date

    @property
    def dated_share(self) -> float | None:
        return self.dated_ties / self.ties if self.ties else None

    @property
    def isolated_share(self) -> float | None:
        return self.isolated_actors / self.actors if self.actors else None


def _count(store: Store, graphs: str, inside: str, outside: str = "") -> int:
    """Distinct ?x matching `inside` in the group's graphs and `outside` over the whole store (where
    the ontology's class tree is)."""
    query = (
        f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ {inside} }} "
        f'FILTER(STRSTARTS(STR(?g), "{GRAPH}{graphs}")) {outside} }}'
    )
    (row,) = store.select_rows(query)[1]
    return int(row[0].value) if row[0] is not None else 0  # type: ignore[union-attr]


_TYPED = "?x a ?k ."
_ACTOR = "avc:Actor ^rdfs:subClassOf* ?k ."


def _actor_count(store: Store, graphs: str, extra: str) -> int:
    """Actors of a group that also match `extra` (read over the whole store: a tie or a type may be
    stated in another dataset)."""
    query = (
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { "
        f'{{ SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ {_TYPED} }} FILTER(STRSTARTS(STR(?g), "{GRAPH}{graphs}")) {_ACTOR} }} }} '
        f"{extra} }}"
    )
    (row,) = store.select_rows(query)[1]
    return int(row[0].value) if row[0] is not None else 0  # type: ignore[union-attr]


def figures(store: Store, graphs: str) -> Figures:
    """The figures of the datasets whose graph names start with `graphs` (`navarre/`, `regions/galicia`)."""

    def kind(root: str, dated: bool = False) -> int:
        inside = _TYPED + (" { ?x avc:startDate ?d } UNION { ?x avc:endDate ?d }" if dated else "")
        return _count(store, graphs, inside, f"{root} ^rdfs:subClassOf* ?k .")

    tied = "?x ^(avc:fromActor|avc:toActor) ?r ."
    kinds_only = (
        "FILTER NOT EXISTS { ?x a ?k . avc:Actor ^rdfs:subClassOf+ ?k "
        "FILTER(?k NOT IN (avc:PublicActor, avc:PrivateActor)) }"
    )
    return Figures(
        actors=_count(store, graphs, _TYPED, _ACTOR),
        untyped_actors=_actor_count(store, graphs, kinds_only),
        isolated_actors=_actor_count(store, graphs, f"FILTER NOT EXISTS {{ {tied} }}"),
        actors_with_founding_date=_actor_count(store, graphs, "FILTER EXISTS { ?x dcterms:created ?c }"),
        ties=kind("avc:Relationship"),
        dated_ties=kind("avc:Relationship", dated=True),
        flows=kind("avc:Flow"),
        financial_flows=kind("avc:FinancialFlow"),
        information_flows=kind("avc:InformationFlow"),
        material_flows=kind("avc:MaterialFlow"),
        projects=kind("avc:AudiovisualProject"),
        measures=kind("avc:PolicyMeasure"),
        observations=kind("avc:Observation"),
        competency_assignments=kind("avc:CompetencyAssignment"),
        people=kind("avc:Person"),
        posts=kind("avc:Post"),
        clusters=kind("avc:Cluster"),
        sources=kind("avc:Source"),
        undated_sources=_count(
            store, graphs, _TYPED, "avc:Source ^rdfs:subClassOf* ?k . FILTER NOT EXISTS { ?x dcterms:date ?d }"
        ),
    )


def groups() -> list[str]:
    """Navarre as one group, each comparison region as its own."""
    regions = sorted(p.stem for p in (DATA_DIR / "regions").glob("*.ttl"))
    return ["navarre/", *(f"regions/{r}" for r in regions)]


_COLUMNS = (
    ("actors", "actors"),
    ("isolated_actors", "with no tie"),
    ("untyped_actors", "of no specific kind"),
    ("actors_with_founding_date", "with a founding date"),
    ("ties", "ties"),
    ("dated_ties", "dated ties"),
    ("projects", "projects"),
    ("flows", "flows"),
    ("measures", "policy measures"),
    ("observations", "observations"),
    ("competency_assignments", "competency assignments"),
    ("people", "people"),
    ("posts", "posts"),
    ("clusters", "clusters"),
    ("sources", "sources"),
    ("undated_sources", "of them undated"),
)


MODEL_REGION = str(ID) + "navarre"


def model_cluster_counts(store: Store) -> ClusterCounts | None:
    """The counts (kg.analysis.counts) of the cluster located in Navarre, the founding case."""
    network = read_network(store)
    found = sorted(c for c, cluster in network.clusters.items() if MODEL_REGION in cluster.regions)
    return cluster_counts(network, found[0]) if found else None


def cluster_sentence(counts: ClusterCounts | None) -> str:
    """The Navarre cluster's counts in the words the pages use."""
    if counts is None:
        return "No cluster is located in Navarre."
    return (
        f"The Navarre cluster (as every page counts it, kg.analysis.counts): {counts.members} members, "
        f"{counts.located} actors located in Navarre, {counts.actors} actors (members and actors located in Navarre) "
        f"and {counts.ties} ties (relationships and flows) between two of them; {counts.ties_touching} ties touch them."
    )


def summary(store: Store, found: dict[str, Figures] | None = None) -> str:
    """Two sentences for the project's README: Navarre, and the comparison regions."""
    found = found or {group: figures(store, group) for group in groups()}
    navarre = found["navarre/"]
    regions = {g: f for g, f in found.items() if g != "navarre/"}
    deep = sum(1 for f in regions.values() if f.actors >= 15 and f.dated_ties >= 20)
    share = f"{navarre.dated_share:.0%}" if navarre.dated_share is not None else "–"
    return (
        f"Bundled: Navarre's files describe {navarre.actors} actors, {navarre.ties} ties ({navarre.dated_ties} dated, {share}), "
        f"{navarre.projects} productions, {navarre.flows} flows, {navarre.measures} policy measures, "
        f"{navarre.observations} observations, {navarre.people} people and {navarre.sources} sources; "
        f"{len(regions)} comparison regions with {sum(f.actors for f in regions.values())} actors and "
        f"{sum(f.ties for f in regions.values())} ties, {deep} of them with at least 15 actors and 20 dated ties. "
        + cluster_sentence(model_cluster_counts(store))
        + "\n"
    )


def markdown(store: Store) -> str:
    """The figures of every group as a Markdown table (a row per group), with Navarre's flows by kind."""
    found = {group: figures(store, group) for group in groups()}
    head = "| dataset | " + " | ".join(title for _, title in _COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(_COLUMNS)
    rows = [
        f"| `{group.rstrip('/')}` | " + " | ".join(str(getattr(f, name)) for name, _ in _COLUMNS) + " |"
        for group, f in found.items()
    ]
    total = {name: sum(getattr(f, name) for f in found.values()) for name in (field.name for field in fields(Figures))}
    rows.append(
        "| all (a resource restated in two files counts twice) | "
        + " | ".join(str(total[n]) for n, _ in _COLUMNS)
        + " |"
    )
    navarre = found["navarre/"]
    share = f"{navarre.dated_share:.0%}" if navarre.dated_share is not None else "–"
    lonely = f"{navarre.isolated_share:.0%}" if navarre.isolated_share is not None else "–"
    summary = (
        f"Navarre's files: {navarre.actors} actors, {navarre.ties} ties of which {navarre.dated_ties} dated ({share}), "
        f"{navarre.isolated_actors} actors with no tie ({lonely}); flows: {navarre.financial_flows} financial, "
        f"{navarre.information_flows} information, {navarre.material_flows} material."
    )
    kindless = ", ".join(f"`{shorten(iri)}` ({group})" for iri, group in untyped(store)) or "none"
    listed = f"Actors no source gives a specific kind (typed only avc:Actor, avc:PublicActor or avc:PrivateActor): {kindless}."
    return "\n".join(
        [head, rule, *rows, "", summary, "", cluster_sentence(model_cluster_counts(store)), "", listed, ""]
    )


_UNTYPED = (
    'SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x a ?k } FILTER(STRSTARTS(STR(?g), "%s")) '
    "avc:Actor ^rdfs:subClassOf* ?k . "
    "FILTER NOT EXISTS { ?x a ?s . avc:Actor ^rdfs:subClassOf+ ?s FILTER(?s NOT IN (avc:PublicActor, avc:PrivateActor)) } }"
)


def untyped(store: Store) -> list[tuple[str, str]]:
    """(actor IRI, dataset) of the actors no source gives a specific kind, for the data's README."""
    rows = store.select_rows(_UNTYPED % GRAPH)[1]
    found = {(x.value, g.value.removeprefix(str(GRAPH))) for x, g in rows if x is not None and g is not None}  # type: ignore[union-attr]
    return sorted(found)


def rewrite(text: str, block: str) -> str:
    """`text` with the part between the figure markers replaced by `block`."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError("no figures block (between the figure markers) to rewrite")
    return pattern.sub(lambda _: START + block + END, text)


def main() -> None:
    """Load the bundled data into a store in memory and rewrite the figures of data/README.md and
    of the project's README (in a checkout: an installed package has no README to rewrite)."""
    store = open_store("memory:")
    initialise(store)
    for readme, block in ((DATA_DIR / "README.md", markdown(store)), (DATA_DIR.parent / "README.md", summary(store))):
        if readme.is_file():
            readme.write_text(rewrite(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
            print(f"rewrote the figures of {readme}")


if __name__ == "__main__":
    main()
