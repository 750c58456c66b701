"""Competency boundaries: who leads and who contributes to each competency, when; where two leads
meet (an overlap to clarify), where a required competency has no lead (a gap), and when a
competency changed hands.

Qualified assignments carry the periods; a direct `avc:responsibleFor` / `avc:contributesTo` that
no assignment of the same actor, competency and role stands behind is an undated assignment,
which meets every period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Any

from ..kept import code_key, kept
from ..namespaces import AVC
from ..stores import Store
from .periods import FIRST, Period, common_span, meeting, year_of
from .projection import Network, by_label, complete_rows, text
from .results import AssignmentRow, Change, ClusterGaps, Competencies, CompetencyRow, Overlap

LEAD, CONTRIBUTOR = str(AVC.LeadRole), str(AVC.ContributorRole)

_ASSIGNMENTS = """SELECT ?x ?actor ?competency ?role ?start ?end WHERE {
  ?x avc:assignedTo ?actor ; avc:competency ?competency ; avc:role ?role .
  OPTIONAL { ?x avc:startDate ?start } OPTIONAL { ?x avc:endDate ?end }
}"""
_ASSIGNMENT_SOURCES = "SELECT DISTINCT ?x ?s WHERE { ?x avc:assignedTo ?a ; dcterms:source ?s }"
_SHORTCUTS = (
    "SELECT DISTINCT ?actor ?role ?competency WHERE { "
    f"VALUES (?p ?role) {{ (avc:responsibleFor <{LEAD}>) (avc:contributesTo <{CONTRIBUTOR}>) }} "
    "?actor ?p ?competency }"
)
_COMPETENCIES = "SELECT DISTINCT ?c WHERE { ?c a avc:Competency }"


@dataclass(frozen=True)
class Assignment:
    iri: str | None  # None: stated only by the direct property
    actor: str
    competency: str
    role: str
    period: Period
    sources: tuple[str, ...] = ()

    def row(self) -> AssignmentRow:
        return {
            "actor": self.actor,
            "start": self.period.start,
            "end": self.period.end,
            "assignment": self.iri,
            "sources": list(self.sources),
        }


def read_assignments(store: Store, actors: set[str]) -> list[Assignment]:
    """Every assignment to an actor in scope, qualified or direct, each once (all of them read once
    per state of an on-disk store and kept beside it, as the network is: kg.kept)."""
    kept_rows = kept(store, ".assignments.json", _CODE, lambda: [_to_json(a) for a in _read_all(store)])
    return [a for a in map(_from_json, kept_rows) if a.actor in actors]


def _read_all(store: Store) -> list[Assignment]:
    sources: dict[str, list[str]] = defaultdict(list)
    for assignment, source in complete_rows(store, _ASSIGNMENT_SOURCES):
        sources[assignment].append(source)
    found: dict[str, Assignment] = {}
    _, rows = store.select_rows(_ASSIGNMENTS)
    for row in sorted(rows, key=lambda r: tuple("" if t is None else str(t) for t in r)):
        iri, actor, competency, role, start, end = (text(t) for t in row)
        if iri is None or actor is None or competency is None or role not in (LEAD, CONTRIBUTOR) or iri in found:
            continue
        found[iri] = Assignment(iri, actor, competency, role, Period(start, end), tuple(sorted(sources.get(iri, ()))))
    assignments = list(found.values())
    # a direct statement counts where no assignment of the same actor, competency and role stands behind it
    stated = {(a.actor, a.competency, a.role) for a in assignments}
    for actor, role, competency in sorted(complete_rows(store, _SHORTCUTS)):
        if (actor, competency, role) not in stated:
            stated.add((actor, competency, role))
            assignments.append(Assignment(None, actor, competency, role, Period()))
    return assignments


_CODE = code_key([__file__])


def _to_json(a: Assignment) -> list[Any]:
    return [a.iri, a.actor, a.competency, a.role, a.period.start, a.period.end, list(a.sources)]


def _from_json(row: list[Any]) -> Assignment:
    iri, actor, competency, role, start, end, sources = row
    return Assignment(iri, actor, competency, role, Period(start, end), tuple(sources))


def _in_force(assignment: Assignment, at: int | None, today: date) -> bool:
    return assignment.period.contains_year(at) if at is not None else assignment.period.contains_day(today)


def overlaps(leads: list[Assignment], cluster: str | None) -> list[Overlap]:
    """Pairs of leads of one competency by two actors whose periods meet."""
    found: list[Overlap] = []
    for a, b in combinations(sorted(leads, key=lambda x: (x.actor, x.period.widest, x.iri or "")), 2):
        if a.actor == b.actor:
            continue
        possible, certain = meeting(a.period, b.period)
        if possible:
            span = common_span(a.period, b.period)
            found.append(
                {
                    "competency": a.competency,
                    "actors": sorted({a.actor, b.actor}),
                    "periods": [a.row(), b.row()],
                    "from": span.start,
                    "to": span.end,
                    "certain": certain,
                    "cluster": cluster,
                }
            )
    return found


def changes(leads: list[Assignment], cluster: str | None) -> list[Change]:
    """A lead that ended, followed by the next lead to start (of another actor): the hand-over."""
    found: list[Change] = []
    dated = sorted((x for x in leads if x.period.start), key=lambda x: (x.period.widest[0], x.actor))
    for before in leads:
        if not before.period.end:
            continue
        start = before.period.widest[0] if before.period.start else FIRST
        after = next((x for x in dated if x.period.widest[0] > start and x is not before), None)
        if after is not None and after.actor != before.actor:
            found.append(
                {
                    "competency": before.competency,
                    "from": before.actor,
                    "to": after.actor,
                    "ended": before.period.end,
                    "started": after.period.start,
                    "year": year_of(after.period.start),
                    "cluster": cluster,
                }
            )
    return sorted(found, key=lambda c: (c["year"] or 0, c["from"], c["to"]))


def competencies_section(store: Store, network: Network, at: int | None, today: date | None = None) -> Competencies:
    """Leads and contributors per competency; overlaps, hand-overs and gaps within each cluster.

    Two film commissions of two regions both leading location services is no overlap, and one
    region's lead is no successor to another's: boundaries are judged among the actors a cluster
    counts on (its members and the actors in its territory), or among all actors when the graph
    has no cluster. `at` keeps the assignments in force that year; gaps are judged then, or today.
    """
    today = today or date.today()
    everything = read_assignments(store, set(network.actors))
    known = {c for (c,) in complete_rows(store, _COMPETENCIES)}
    clusters = sorted(network.clusters.values(), key=lambda c: c.iri)
    required_by: dict[str, list[str]] = defaultdict(list)
    for cluster in clusters:
        for competency in cluster.required:
            required_by[competency].append(cluster.iri)
    by_competency: dict[str, list[Assignment]] = defaultdict(list)
    for a in everything:
        by_competency[a.competency].append(a)
    for group in by_competency.values():
        group.sort(key=lambda x: (x.period.widest, x.actor, x.iri or ""))
    scopes: list[tuple[str | None, set[str]]] = [(c.iri, network.cluster_actors(c)) for c in clusters]
    # each leading actor's clusters, so that each competency's leads are split among them in one
    # pass; found from the leaders' side (a few thousand) rather than the clusters' (every actor of
    # every cluster: tens of millions at national scale)
    homes: list[tuple[str | None, set[str]]] = scopes or [(None, set(network.actors))]
    leaders = {a.actor for a in everything if a.role == LEAD}
    homes_of: dict[str, list[int]] = defaultdict(list)
    for position, (_, scope) in enumerate(homes):
        for actor in leaders & scope:
            homes_of[actor].append(position)

    rows: list[CompetencyRow] = []
    overlap_rows: list[Overlap] = []
    change_rows: list[Change] = []
    for competency in sorted(known | set(required_by) | set(by_competency), key=by_label(network.labels)):
        group = by_competency.get(competency, [])
        shown = [a for a in group if at is None or a.period.contains_year(at)]
        rows.append(
            {
                "competency": competency,
                "required_by": required_by.get(competency, []),
                "leads": [a.row() for a in shown if a.role == LEAD],
                "contributors": [a.row() for a in shown if a.role == CONTRIBUTOR],
            }
        )
        leads_at: list[list[Assignment]] = [[] for _ in homes]
        for a in group:
            if a.role == LEAD:
                for position in homes_of.get(a.actor, ()):
                    leads_at[position].append(a)
        for (home, _), leads in zip(homes, leads_at, strict=True):
            overlap_rows += overlaps([a for a in leads if at is None or a.period.contains_year(at)], home)
            change_rows += [c for c in changes(leads, home) if at is None or (c["year"] or 0) <= at]

    leading: dict[str, set[str]] = defaultdict(set)  # competency -> actors leading it now (or at `at`)
    for a in everything:
        if a.role == LEAD and _in_force(a, at, today):
            leading[a.competency].add(a.actor)
    by_cluster: list[ClusterGaps] = [
        {"cluster": home, "gaps": sorted(c for c in network.clusters[home].required if not leading[c] & scope)}
        for home, scope in scopes
        if home is not None
    ]
    return {
        "competencies": rows,
        "overlaps": overlap_rows,
        "gaps": sorted({c for entry in by_cluster for c in entry["gaps"]}),
        "gaps_by_cluster": by_cluster,
        "changes": sorted(change_rows, key=lambda c: (c["year"] or 0, c["competency"], c["from"], c["to"])),
    }
