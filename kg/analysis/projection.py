"""The one projection of the graph onto actors and the ties between them.

Everything the network measures need is read once, in a few SELECTs on the engine's fast path
(select_rows), before any year is chosen; a value stated twice is settled in Python, the same way
whatever the row order. Ties are the qualified relationships and flows; a direct
shortcut (`avc:funds` …) becomes a tie only when no qualified relationship of its kind links the
same two actors, so data that states both forms, or a loader that derives one from the other,
never counts one tie twice. Membership is never a tie and a cluster is never an actor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

import networkx as nx
import pyoxigraph as ox

from .. import derive
from .. import labels as labels_module
from ..derive import SHARED_LEADERS, SHORTCUTS
from ..errors import AvclusterError
from ..kept import code_key, kept
from ..labels import all_labels
from ..namespaces import AVC, ID
from ..stores import Store
from .columns import NetworkColumns
from .periods import Period

AVC_NS = str(AVC)
PUBLIC, PRIVATE = AVC_NS + "PublicActor", AVC_NS + "PrivateActor"
# The stated kinds, then the one derived from people's posts (two organisations sharing a leader).
SHARED_LEADERSHIP = "SharedLeadership"
RELATIONSHIP_KINDS: tuple[str, ...] = (*SHORTCUTS, SHARED_LEADERSHIP)
FLOW_KINDS: tuple[str, ...] = ("InformationFlow", "FinancialFlow", "MaterialFlow")
# The kinds whose direct property is owl:SymmetricProperty in the ontology: A partners with B
# is B partners with A, so the pair is unordered when matching shortcuts and for reciprocity.
SYMMETRIC_KINDS = frozenset({"CoProduction", "Partnership", "PublicPrivateDialogue", SHARED_LEADERSHIP})

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def text(term: Term) -> str | None:
    """The lexical value of a term (IRI, blank node id or literal)."""
    return None if term is None else term.value  # type: ignore[union-attr]


def local_name(iri: str) -> str:
    """`FilmCommission` for avc:FilmCommission; other IRIs stay whole."""
    return iri[len(AVC_NS) :] if iri.startswith(AVC_NS) else iri


@dataclass
class Actor:
    iri: str
    label: str
    type: str | None
    sector: str | None  # "public" | "private" | None when the data does not say
    created: str | None = None
    dissolved: str | None = None
    regions: frozenset[str] = frozenset()

    def exists_in(self, year: int) -> bool:
        return Period(self.created, self.dissolved).contains_year(year)


@dataclass
class Tie:
    key: str
    iri: str | None  # None for a tie stated only as a direct shortcut
    category: str  # "relationship" | "flow"
    kind: str
    source: str
    target: str
    start: str | None = None
    end: str | None = None
    strength: float | None = None
    year: int | None = None
    amount: Decimal | None = None
    currency: str | None = None

    @property
    def period(self) -> Period:
        if self.category == "flow":
            return Period(str(self.year), str(self.year)) if self.year is not None else Period()
        return Period(self.start, self.end)

    @property
    def mutual(self) -> bool:
        return self.kind in SYMMETRIC_KINDS

    def attributes(self) -> dict[str, Any]:
        """Edge data for networkx: scalars only and no None."""
        data: dict[str, Any] = {
            "tie": self.iri,
            "category": self.category,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "strength": self.strength,
            "year": self.year,
            "amount": float(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "mutual": self.mutual,
            "shortcut": self.iri is None,
        }
        return {k: v for k, v in data.items() if v is not None}


@dataclass
class Cluster:
    iri: str
    label: str
    stage: str | None = None
    created: str | None = None
    places: frozenset[str] = frozenset()  # where it is located, directly
    regions: frozenset[str] = frozenset()  # those places and every place containing them
    required: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)


@dataclass
class Network:
    """What the store holds about actors and ties, read once, before any point in time is chosen."""

    actors: dict[str, Actor]
    ties: list[Tie]
    clusters: dict[str, Cluster]
    labels: dict[str, str]
    region: str | None = None

    def located_actors(self, cluster: Cluster) -> set[str]:
        """The actors located in the cluster's region (or a place inside it), members or not."""
        return set().union(*(self._located_in.get(place, ()) for place in cluster.places))

    def ties_touching(self, actors: Collection[str]) -> list[Tie]:
        """The ties with an end among `actors`, in the network's order: each cluster's own, found
        without going through every tie once per cluster (hundreds of clusters at national scale)."""
        return [self.ties[i] for i in sorted({i for a in actors for i in self._ties_at.get(a, ())})]

    # Indexes built on first use; a Network is not changed once read.
    @cached_property
    def columns(self) -> NetworkColumns:
        """The actors and ties as arrays, for the sections that count over every tie."""
        return NetworkColumns.of(self.actors, self.ties)

    @cached_property
    def _located_in(self) -> dict[str, set[str]]:
        """Every place, with the actors located in it or in a place inside it."""
        index: dict[str, set[str]] = defaultdict(set)
        for actor in self.actors.values():
            for place in actor.regions:
                index[place].add(actor.iri)
        return index

    @cached_property
    def _ties_at(self) -> dict[str, list[int]]:
        """Every actor, with the positions in `ties` of the ties it is an end of."""
        index: dict[str, list[int]] = defaultdict(list)
        for i, tie in enumerate(self.ties):
            index[tie.source].append(i)
            if tie.target != tie.source:
                index[tie.target].append(i)
        return index

    def cluster_actors(self, cluster: Cluster) -> set[str]:
        """The actors a cluster counts on: its members and the actors located in its territory
        (kg.analysis.counts names and counts them)."""
        return (cluster.members | self.located_actors(cluster)) & self.actors.keys()


# ---------------------------------------------------------------- queries

# Transitive paths start from the end that is given (avc:Actor ^rdfs:subClassOf* ?t rather than
# ?t rdfs:subClassOf* avc:Actor): the same answers, and Virtuoso refuses a path with no start.
_ACTOR_TYPES = "SELECT DISTINCT ?a ?t WHERE { avc:Actor ^rdfs:subClassOf* ?t . ?a a ?t }"
_ACTOR_CLASS_ANCESTORS = "SELECT DISTINCT ?c ?d WHERE { avc:Actor ^rdfs:subClassOf* ?d . ?d ^rdfs:subClassOf+ ?c }"
_DATES = "SELECT ?s ?p ?v WHERE { VALUES ?p { dcterms:created schema:dissolutionDate } ?s ?p ?v }"
# Where each resource is located, and separately every place a place lies within: the closure is
# taken once per place (a few dozen) rather than once per located actor (2.2 s -> 0.4 s at 50,000).
_LOCATED_IN = "SELECT ?s ?place WHERE { ?s avc:locatedIn ?place }"
_PLACES_WITHIN = (
    "SELECT DISTINCT ?place ?r WHERE { ?place schema:containedInPlace ?up . ?up schema:containedInPlace* ?r }"
)
# FILTER rather than VALUES for the properties: with VALUES the engine read each property for every
# subject before keeping the clusters (3 s at 50,000 actors, against under 10 ms).
_CLUSTERS = (
    "SELECT ?c ?p ?v WHERE { ?c a avc:Cluster ; ?p ?v "
    "FILTER(?p IN (avc:lifeCycleStage, avc:locatedIn, avc:requiresCompetency)) }"
)
_CLUSTER_IRIS = "SELECT ?c WHERE { ?c a avc:Cluster }"
_MEMBERS = "SELECT DISTINCT ?a ?c WHERE { ?a avc:memberOf ?c }"
# Each field of the ties is read by a query of its own, one row per value, and joined in Python: a
# single query with an OPTIONAL per field made the engine join them and decode the tie's IRI once
# per combination (26 s at 50,000 actors against 7 s). The kind is matched against the specific
# classes only, so a reasoner's inferred avc:Relationship adds no rows.
_TIE_FIELDS = ("fromActor", "toActor", "startDate", "endDate", "strength", "year", "amount", "currency")
_KINDS = " ".join(f"avc:{k}" for k in (*RELATIONSHIP_KINDS, *FLOW_KINDS, "Flow"))
_TIE_KINDS = f"SELECT ?r ?kind WHERE {{ VALUES ?kind {{ {_KINDS} }} ?r a ?kind }}"
# The direct properties; those with a qualified relationship of their kind behind them (either
# direction for symmetric kinds) are left out in Python, from the ties already read.
_DIRECT = (
    "SELECT ?from ?p ?to WHERE { VALUES ?p { " + " ".join(f"avc:{p}" for p in SHORTCUTS.values()) + " } ?from ?p ?to }"
)
_KIND_OF_SHORTCUT = {AVC_NS + p: k for k, p in SHORTCUTS.items()}
_SHARED_LEADERS = (
    "SELECT DISTINCT ?person ?from ?to ?start1 ?end1 ?start2 ?end2 WHERE {\n    "
    + SHARED_LEADERS
    + "    FILTER(STR(?from) < STR(?to))\n}"
)
_REGION_BY_LABEL = (
    "SELECT DISTINCT ?r WHERE { { ?r a avc:Region } UNION { ?x avc:locatedIn|avc:region ?r } "
    "?r rdfs:label ?l FILTER(LCASE(STR(?l)) = LCASE(STR(?name))) }"
)
_REGION_KNOWN = (
    "SELECT ?r WHERE { { ?r a avc:Region } UNION { ?x avc:locatedIn|avc:region|schema:containedInPlace ?r } "
    "FILTER(?r = ?region) } LIMIT 1"
)


def complete_rows(store: Store, sparql: str) -> list[tuple[str, ...]]:
    """The rows of a SELECT as lexical values, leaving out rows with an unbound cell."""
    _, rows = store.select_rows(sparql)
    return [tuple(t.value for t in row) for row in rows if None not in row]  # type: ignore[union-attr]


def by_label(labels: dict[str, str]) -> Callable[[str], tuple[str, str]]:
    """A sort key for IRIs: their label, case aside, then the IRI itself."""
    return lambda iri: (labels.get(iri, iri).lower(), iri)


def resolve_region(store: Store, region: str) -> str:
    """A region named by IRI, by slug under the id namespace, or by its label in any language."""
    iri = region if region.startswith(("http://", "https://")) else str(ID) + region
    if store.select_rows(_REGION_KNOWN, bindings={"region": ox.NamedNode(iri)})[1]:
        return iri
    _, rows = store.select_rows(_REGION_BY_LABEL, bindings={"name": ox.Literal(region)})
    found = sorted(r.value for (r,) in rows if r is not None)  # type: ignore[union-attr]
    if not found:
        raise AvclusterError(f"no region {region!r} in the store (give its IRI, its id slug or its label)")
    return found[0]


def _actor_kinds(store: Store) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each actor's actor classes, and each actor class's ancestors up to avc:Actor."""
    types: dict[str, set[str]] = defaultdict(set)
    for actor, cls in complete_rows(store, _ACTOR_TYPES):
        types[actor].add(cls)
    ancestors: dict[str, set[str]] = defaultdict(set)
    for cls, parent in complete_rows(store, _ACTOR_CLASS_ANCESTORS):
        ancestors[cls].add(parent)
    return types, ancestors


def _classify(classes: frozenset[str], ancestors: dict[str, set[str]]) -> tuple[str | None, str | None]:
    """(most specific class as a local name, public/private) of one set of actor classes."""
    everything = set(classes).union(*(ancestors.get(c, set()) for c in classes))
    public, private = PUBLIC in everything, PRIVATE in everything
    sector = "public" if public and not private else "private" if private and not public else None
    specific = [c for c in classes if not any(c in ancestors.get(other, ()) for other in classes if other != c)]
    # avc:FilmCommission says more than avc:PublicActor, which the sector already carries.
    preferred = [c for c in specific if c not in (PUBLIC, PRIVATE)] or specific
    return (local_name(min(preferred)) if preferred else None), sector


def _number(value: str | None, kind: type) -> Any:
    if value is None:
        return None
    try:
        return kind(value)
    except (ValueError, InvalidOperation):
        return None


def _field_values(store: Store, field: str) -> dict[str, list[str]]:
    """Every value of one avc: property, by subject, smallest lexical value first."""
    values: dict[str, list[str]] = defaultdict(list)
    for subject, value in complete_rows(store, f"SELECT ?r ?v WHERE {{ ?r avc:{field} ?v }}"):
        values[subject].append(value)
    for found in values.values():
        found.sort()
    return values


def _read_ties(store: Store, clusters: set[str]) -> tuple[list[Tie], set[tuple[str, str, str]]]:
    """The qualified ties, and every (kind, from, to) they state: a direct shortcut that repeats one
    of those is not a tie of its own.

    A resource stating a value twice (two datasets disagreeing) keeps the smallest lexical value of
    each field, so the choice does not depend on the order a store answers in."""
    fields = {name: _field_values(store, name) for name in _TIE_FIELDS}
    kinds: dict[str, set[str]] = defaultdict(set)
    for resource, kind in complete_rows(store, _TIE_KINDS):
        kinds[resource].add(local_name(kind))
    sources, targets = fields["fromActor"], fields["toActor"]
    stated = {
        (kind, source, target)
        for resource, classes in kinds.items()
        for kind in classes
        for source in sources.get(resource, ())
        for target in targets.get(resource, ())
    }

    def first(name: str, resource: str) -> str | None:
        found = fields[name].get(resource)
        return found[0] if found else None

    ties: list[Tie] = []
    for resource in sources.keys() & targets.keys():
        source, target = sources[resource][0], targets[resource][0]
        if source in clusters or target in clusters:
            continue
        classes = kinds.get(resource, set())
        flow_kind = next((k for k in (*FLOW_KINDS, "Flow") if k in classes), None)
        kind = flow_kind or next((k for k in RELATIONSHIP_KINDS if k in classes), "Relationship")
        ties.append(
            Tie(
                key=resource,
                iri=resource,
                category="flow" if flow_kind else "relationship",
                kind=kind,
                source=source,
                target=target,
                start=first("startDate", resource),
                end=first("endDate", resource),
                strength=_number(first("strength", resource), float),
                year=_number(first("year", resource), int),
                amount=_number(first("amount", resource), Decimal),
                currency=first("currency", resource),
            )
        )
    return ties, stated


def _shortcut_ties(store: Store, clusters: set[str], stated: set[tuple[str, str, str]]) -> list[Tie]:
    """Ties stated only as a direct property, one per kind and pair (unordered for symmetric kinds),
    where no qualified relationship of that kind (`stated`) links the pair."""
    seen: set[tuple[str, str, str]] = set()
    ties: list[Tie] = []
    for source, prop, target in sorted(complete_rows(store, _DIRECT)):
        kind = _KIND_OF_SHORTCUT[prop]
        key = _pair_key(kind, source, target)
        if source in clusters or target in clusters or key in seen:
            continue
        if (kind, source, target) in stated or (kind in SYMMETRIC_KINDS and (kind, target, source) in stated):
            continue
        seen.add(key)
        ties.append(
            Tie(
                key=f"{kind}:{source}>{target}",
                iri=None,
                category="relationship",
                kind=kind,
                source=source,
                target=target,
            )
        )
    return ties


def _shared_leader_ties(store: Store, clusters: set[str]) -> list[Tie]:
    """One tie per person leading two organisations at once, over the years both posts were held."""
    ties: list[Tie] = []
    for person, source_term, target_term, *dates in store.select_rows(_SHARED_LEADERS)[1]:
        source, target = text(source_term), text(target_term)
        if source is None or target is None or source in clusters or target in clusters:
            continue
        start1, end1, start2, end2 = (text(d) for d in dates)
        starts = [s for s in (start1, start2) if s]
        ends = [e for e in (end1, end2) if e]
        ties.append(
            Tie(
                key=f"{SHARED_LEADERSHIP}:{source}>{target}:{text(person)}",
                iri=None,
                category="relationship",
                kind=SHARED_LEADERSHIP,
                source=source,
                target=target,
                start=max(starts, key=lambda d: d[:4]) if starts else None,
                end=min(ends, key=lambda d: d[:4]) if ends else None,
            )
        )
    return ties


def _pair_key(kind: str, source: str, target: str) -> tuple[str, str, str]:
    if kind in SYMMETRIC_KINDS and target < source:
        source, target = target, source
    return kind, source, target


def read_network(store: Store, region: str | None = None, whole: Network | None = None) -> Network:
    """Actors, ties and clusters as the store states them; `region` keeps those located in it.

    The whole network is read once per state of an on-disk store and kept beside it (kg.kept);
    `whole` is that reading where the caller already holds it (the viewer keeps one per version of
    the store: decoding the kept file again took 50 s of a page at a million actors)."""
    region_iri = resolve_region(store, region) if region else None
    network = whole or kept(
        store, ".network.json", _CODE, lambda: _read_whole(store), network_to_json, network_from_json
    )
    return network if region_iri is None else _in_region(network, region_iri)


def _read_whole(store: Store) -> Network:
    labels = all_labels(store)
    cluster_iris = {c for (c,) in complete_rows(store, _CLUSTER_IRIS)}
    dates: dict[str, dict[str, str]] = defaultdict(dict)
    for subject, prop, value in complete_rows(store, _DATES):
        if prop not in dates[subject] or value < dates[subject][prop]:
            dates[subject][prop] = value
    created_p, dissolved_p = "http://purl.org/dc/terms/created", "https://schema.org/dissolutionDate"
    within: dict[str, set[str]] = defaultdict(set)
    for place, region in complete_rows(store, _PLACES_WITHIN):
        within[place].add(region)
    located: dict[str, set[str]] = defaultdict(set)
    for subject, place in complete_rows(store, _LOCATED_IN):
        located[subject] |= within.get(place, set()) | {place}

    types, ancestors = _actor_kinds(store)
    ties, stated = _read_ties(store, cluster_iris)
    ties += _shortcut_ties(store, cluster_iris, stated)
    ties += _shared_leader_ties(store, cluster_iris)
    ties.sort(key=lambda t: t.key)  # the same network, in the same order, whatever order a store answers in
    for tie in ties:  # an untyped resource at the end of a tie is an actor by the range of fromActor/toActor
        for end in (tie.source, tie.target):
            types.setdefault(end, set())
    classified: dict[frozenset[str], tuple[str | None, str | None]] = {}
    actors: dict[str, Actor] = {}
    for iri, classes in types.items():
        if iri in cluster_iris:
            continue
        key = frozenset(classes)
        if key not in classified:
            classified[key] = _classify(key, ancestors)
        kind, sector = classified[key]
        actors[iri] = Actor(
            iri,
            labels.get(iri, iri),
            kind,
            sector,
            dates[iri].get(created_p),
            dates[iri].get(dissolved_p),
            frozenset(located.get(iri, ())),
        )

    clusters: dict[str, Cluster] = {
        c: Cluster(c, labels.get(c, c), created=dates[c].get(created_p), regions=frozenset(located.get(c, ())))
        for c in cluster_iris
    }
    for c, prop, value in complete_rows(store, _CLUSTERS):
        cluster = clusters[c]
        if prop == str(AVC.lifeCycleStage):
            cluster.stage = min(value, cluster.stage or value)
        elif prop == str(AVC.locatedIn):
            cluster.places = cluster.places | {value}
        else:
            cluster.required.add(value)
    for actor, c in complete_rows(store, _MEMBERS):
        if actor in actors and c in clusters:
            clusters[c].members.add(actor)

    return Network(actors, ties, clusters, labels)


def _in_region(network: Network, region: str) -> Network:
    """The clusters located in the region, the actors located in it or members of those clusters,
    and the ties between them."""
    clusters = {c: cl for c, cl in network.clusters.items() if region in cl.regions}
    member_of_scope = set().union(*(cl.members for cl in clusters.values()))
    actors = {a: actor for a, actor in network.actors.items() if region in actor.regions or a in member_of_scope}
    ties = [t for t in network.ties if t.source in actors and t.target in actors]
    return Network(actors, ties, clusters, network.labels, region)


# ---------------------------------------------------------------- kept beside the store

# The reading depends on this module, the shortcuts it knows (kg.derive) and the labels it picks.
_CODE = code_key([__file__, derive.__file__, labels_module.__file__])


def network_to_json(network: Network) -> dict[str, Any]:
    """The whole network as JSON values (sets as sorted lists, amounts as their decimal text)."""
    return {
        "actors": [
            [a.iri, a.label, a.type, a.sector, a.created, a.dissolved, sorted(a.regions)]
            for a in network.actors.values()
        ],
        "ties": [
            [
                t.key,
                t.iri,
                t.category,
                t.kind,
                t.source,
                t.target,
                t.start,
                t.end,
                t.strength,
                t.year,
                None if t.amount is None else str(t.amount),
                t.currency,
            ]
            for t in network.ties
        ],
        "clusters": [
            [
                c.iri,
                c.label,
                c.stage,
                c.created,
                sorted(c.places),
                sorted(c.regions),
                sorted(c.required),
                sorted(c.members),
            ]
            for c in network.clusters.values()
        ],
        "labels": network.labels,
    }


def network_from_json(value: dict[str, Any]) -> Network:
    actors = {
        iri: Actor(iri, label, kind, sector, created, dissolved, frozenset(regions))
        for iri, label, kind, sector, created, dissolved, regions in value["actors"]
    }
    ties = [
        Tie(
            key,
            iri,
            category,
            kind,
            source,
            target,
            start,
            end,
            strength,
            year,
            None if amount is None else Decimal(amount),
            currency,
        )
        for key, iri, category, kind, source, target, start, end, strength, year, amount, currency in value["ties"]
    ]
    clusters = {
        iri: Cluster(iri, label, stage, created, frozenset(places), frozenset(regions), set(required), set(members))
        for iri, label, stage, created, places, regions, required, members in value["clusters"]
    }
    return Network(actors, ties, clusters, value["labels"])


@dataclass
class Snapshot:
    """The network as it stood in one year (`at`; all of it when None)."""

    at: int | None
    region: str | None
    actors: list[Actor]  # sorted by IRI: the node order of every matrix and graph
    ties: list[Tie]


def snapshot(network: Network, at: int | None = None) -> Snapshot:
    """The one place that decides what the network held in a year.

    An actor is present from the year it was created to the year it was dissolved; a relationship
    from its start year to its end year; a flow in its year. Whatever carries no date counts in
    every year, as an undated competency assignment does.
    """
    actors = sorted((a for a in network.actors.values() if at is None or a.exists_in(at)), key=lambda a: a.iri)
    present = {a.iri for a in actors}
    ties = [
        t
        for t in network.ties
        if t.source in present and t.target in present and (at is None or t.period.contains_year(at))
    ]
    return Snapshot(at, network.region, actors, ties)


def to_networkx(snap: Snapshot) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(at=snap.at, region=snap.region)
    graph.add_nodes_from(
        (
            a.iri,
            {
                k: v
                for k, v in (
                    ("label", a.label),
                    ("type", a.type),
                    ("sector", a.sector),
                    ("created", a.created),
                    ("dissolved", a.dissolved),
                )
                if v is not None
            },
        )
        for a in snap.actors
    )
    graph.add_edges_from((t.source, t.target, t.key, t.attributes()) for t in snap.ties)
    return graph


def project(store: Store, *, at: int | None = None, region: str | None = None) -> nx.MultiDiGraph:
    """The actors and their ties as a networkx multi-digraph: nodes are actor IRIs, one edge per tie.

    Node data: label, type (local name of the most specific actor class), sector (public/private),
    created, dissolved. Edge data (key: the tie's IRI): category (relationship/flow), kind, start,
    end, strength, year, amount, currency, mutual (symmetric kind), shortcut (stated only as a
    direct property). Absent values are left out, so the graph writes to GraphML/GEXF as it is.
    """
    return to_networkx(snapshot(read_network(store, region), at))


__all__ = ["Actor", "Cluster", "Network", "Snapshot", "Tie", "project", "read_network", "snapshot", "to_networkx"]
