"""A target region beside a model region: what it lacks, who could fill each gap, where it stands.

The study behind the project asks what a region should take from Navarre's experience. This puts
the two regions' analyses side by side: the success factors (with each region's rank among all
regions measuring the same indicator), the kinds of actor present and missing, the competencies
the model has a lead for and the target has not (with the actors that lead them elsewhere, most
recent first), the policy instruments, the network's shape, and the model's dated milestones with
the target placed on them. A figure a region lacks is None, never zero; every figure names the
sources behind it, and `sources` gathers them all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TypedDict

import pyoxigraph as ox

from ..labels import labels_for
from ..namespaces import AVC
from ..stores import Store
from .competencies import competencies_section
from .periods import year_of
from .projection import Network, complete_rows, read_network, resolve_region, text
from .regions import FACTORS, literal_number, regions_section
from .report import analyze, mentioned_iris
from .results import Analysis, BrokerRow, Figure, RegionRow

TOP_BROKERS = 5
UNSPECIFIC = frozenset({"Actor", "PublicActor", "PrivateActor"})


class FactorValue(TypedDict):
    value: float | None
    indicator: str
    unit: str | None
    year: int | None
    source: list[str]
    rank: int | None  # 1 is the highest value among the regions measuring this indicator
    of: int  # how many regions measure it


class FactorRow(TypedDict):
    factor: str
    model: FactorValue | None
    target: FactorValue | None
    comparable: bool


class CompetencyLeads(TypedDict):
    competency: str
    model_leads: list[str]
    target_leads: list[str]
    sources: list[str]  # behind the leads of either region


class Instrument(TypedDict):
    measure: str
    kind: str
    rate: float | None
    amount: float | None
    cap: float | None
    currency: str | None
    start: str | None
    end: str | None
    year: int | None
    sources: list[str]


class NetworkSummary(TypedDict):
    actors: int
    ties: int
    density: float | None
    public_private_share: float | None
    median_tie_years: float | None
    top_brokers: list[BrokerRow]


class Milestone(TypedDict):
    date: str
    label: str
    iri: str
    kind: str  # the class whose first dated instance this is: what makes milestones comparable


class Position(TypedDict):
    first_year: int | None  # the target's first milestone comparable with one of the model's
    years_since_first: int | None
    reached: list[str]  # kinds of the model's milestones the target has too (dated or not)
    not_reached: list[str]
    milestones: list[Milestone]  # the target's own, for those kinds


class Comparison(TypedDict):
    model: str
    target: str
    at: int | None
    factors: list[FactorRow]
    roles: dict[str, list[str]]  # "model" / "target" -> class IRIs
    role_examples: dict[str, list[str]]  # a missing class -> the model's actors of that class
    missing_roles: list[str]
    competencies: list[CompetencyLeads]
    competency_gaps: list[str]
    suggestions: dict[str, list[str]]
    instruments: dict[str, dict[str, list[Instrument]]]  # region role -> measure class -> measures
    network: dict[str, NetworkSummary]
    timeline: list[Milestone]
    target_position: Position
    sources: list[str]
    labels: dict[str, str]


_MEASURES = """SELECT ?m ?kind ?rate ?amount ?cap ?currency ?start ?end WHERE {
  ?m a ?kind . ?kind rdfs:subClassOf* avc:PolicyMeasure .
  MINUS { ?m a ?narrower . ?narrower rdfs:subClassOf+ ?kind . FILTER(?narrower != ?kind) }
  { ?m avc:region ?region } UNION { ?m avc:issuedBy/avc:locatedIn ?region }
  OPTIONAL { ?m avc:rate ?rate } OPTIONAL { ?m avc:amount ?amount } OPTIONAL { ?m avc:cap ?cap }
  OPTIONAL { ?m avc:currency ?currency } OPTIONAL { ?m avc:startDate ?start } OPTIONAL { ?m avc:endDate ?end }
}"""
_SOURCES_OF = "SELECT DISTINCT ?x ?s WHERE { ?x dcterms:source ?s }"


def compare(store: Store, model: str, target: str, *, at: int | None = None) -> Comparison:
    """The target region beside the model (each an IRI, an id slug or a label), in year `at`
    (None: all the data, measured against today)."""
    model_iri, target_iri = resolve_region(store, model), resolve_region(store, target)
    sections = ["actors", "network", "brokers", "ties", "competencies"]
    parts = {
        role: analyze(store, at=at, sections=sections, region=iri)
        for role, iri in (("model", model_iri), ("target", target_iri))
    }
    everyone = read_network(store)
    regions = {row["region"]: row for row in regions_section(store, everyone.labels, at)["regions"]}
    factors = [_factor(f, regions, model_iri, target_iri) for f in FACTORS]

    kinds = {role: _kinds(part) for role, part in parts.items()}
    roles = {role: sorted(found) for role, found in kinds.items()}
    missing_roles = [r for r in roles["model"] if r not in kinds["target"]]
    role_examples = {r: kinds["model"][r] for r in missing_roles}

    leads = {role: _leads(part) for role, part in parts.items()}
    competencies: list[CompetencyLeads] = [
        {
            "competency": c,
            "model_leads": leads["model"].get(c, ([], []))[0],
            "target_leads": leads["target"].get(c, ([], []))[0],
            "sources": sorted(set(leads["model"].get(c, ([], []))[1]) | set(leads["target"].get(c, ([], []))[1])),
        }
        for c in sorted(set(leads["model"]) | set(leads["target"]))
    ]
    gaps = [row["competency"] for row in competencies if row["model_leads"] and not row["target_leads"]]
    suggestions = _suggestions(store, everyone, gaps, target_iri, at)

    sources_of: dict[str, set[str]] = defaultdict(set)
    for x, s in complete_rows(store, _SOURCES_OF):
        sources_of[x].add(s)
    instruments = {
        role: _instruments(store, iri, at, sources_of) for role, iri in (("model", model_iri), ("target", target_iri))
    }
    timeline, _ = _milestones(everyone, model_iri, instruments["model"], at)
    own, present = _milestones(everyone, target_iri, instruments["target"], at)
    position = _position(timeline, own, present, at)

    sources = _sources(factors, parts, instruments)
    comparison: Comparison = {
        "model": model_iri,
        "target": target_iri,
        "at": at,
        "factors": factors,
        "roles": roles,
        "role_examples": role_examples,
        "missing_roles": missing_roles,
        "competencies": competencies,
        "competency_gaps": gaps,
        "suggestions": suggestions,
        "instruments": instruments,
        "network": {role: _network(part) for role, part in parts.items()},
        "timeline": timeline,
        "target_position": position,
        "sources": sources,
        "labels": {},
    }
    comparison["labels"] = labels_for(store, mentioned_iris(comparison))
    return comparison


def _factor(factor: str, regions: dict[str, RegionRow], model: str, target: str) -> FactorRow:
    """Each region's newest figure for the factor, on an indicator both share when there is one."""

    def candidates(region: str) -> dict[str, Figure]:
        row = regions.get(region)
        found = [f for f in (row["latest"] if row else []) if factor in f["factors"] and f["value"] is not None]
        # the factor measured as such first, then its indicators in a stable order
        found.sort(key=lambda f: (f["indicator"] != factor, f["indicator"], f["observation"]))
        chosen: dict[str, Figure] = {}
        for f in found:
            chosen.setdefault(f["indicator"], f)
        return chosen

    mine, theirs = candidates(model), candidates(target)
    shared = [i for i in mine if i in theirs and mine[i]["unit"] == theirs[i]["unit"]]
    pick_model: Figure | None
    pick_target: Figure | None
    if shared:
        pick_model, pick_target = mine[shared[0]], theirs[shared[0]]
    else:
        pick_model = next(iter(mine.values()), None)
        pick_target = next(iter(theirs.values()), None)
    return {
        "factor": factor,
        "model": _value(pick_model, regions, model),
        "target": _value(pick_target, regions, target),
        "comparable": bool(shared),
    }


def _value(figure: Figure | None, regions: dict[str, RegionRow], region: str) -> FactorValue | None:
    if figure is None:
        return None
    same = {  # every region's newest value of this indicator, in this unit
        place: f["value"]
        for place, row in regions.items()
        for f in row["latest"]
        if f["indicator"] == figure["indicator"] and f["unit"] == figure["unit"] and f["value"] is not None
    }
    higher = sum(1 for v in same.values() if v is not None and figure["value"] is not None and v > figure["value"])
    return {
        "value": figure["value"],
        "indicator": figure["indicator"],
        "unit": figure["unit"],
        "year": figure["year"],
        "source": figure["sources"],
        "rank": higher + 1 if region in same else None,
        "of": len(same),
    }


def _kinds(part: Analysis) -> dict[str, list[str]]:
    """The region's actors by most specific kind; an actor known only as an actor, public or
    private, has no kind to compare."""
    found: dict[str, list[str]] = defaultdict(list)
    for actor in part.get("actors", []):
        if actor["type"] and actor["type"] not in UNSPECIFIC:
            found[str(AVC[actor["type"]])].append(actor["iri"])
    return {kind: sorted(actors) for kind, actors in found.items()}


def _leads(part: Analysis) -> dict[str, tuple[list[str], list[str]]]:
    """Each competency with a lead: the leading actors and the sources behind their assignments."""
    rows = part.get("competencies", {}).get("competencies", [])
    return {
        r["competency"]: (
            sorted({a["actor"] for a in r["leads"]}),
            sorted({s for a in r["leads"] for s in a["sources"]}),
        )
        for r in rows
        if r["leads"]
    }


def _suggestions(store: Store, everyone: Network, gaps: list[str], target: str, at: int | None) -> dict[str, list[str]]:
    """For each gap, the actors outside the target region that lead the competency, most recent first."""
    if not gaps:
        return {}
    rows = {r["competency"]: r for r in competencies_section(store, everyone, at)["competencies"]}
    found: dict[str, list[str]] = {}
    for gap in gaps:
        periods: dict[str, str] = {}
        for lead in rows[gap]["leads"] if gap in rows else []:
            actor = everyone.actors.get(lead["actor"])
            if actor is None or target in actor.regions:
                continue
            periods[lead["actor"]] = max(periods.get(lead["actor"], ""), lead["start"] or "")
        # ISO dates sort as text; undated ("") last; the sort is stable, so ties stay by IRI
        found[gap] = sorted(sorted(periods), key=lambda a: periods[a], reverse=True)
    return found


def _instruments(
    store: Store, region: str, at: int | None, sources_of: dict[str, set[str]]
) -> dict[str, list[Instrument]]:
    by_kind: dict[str, dict[str, Instrument]] = defaultdict(dict)
    for row in store.select_rows(_MEASURES, bindings={"region": ox.NamedNode(region)})[1]:
        measure, kind = text(row[0]), text(row[1])
        rate, amount, cap, currency, start, end = row[2:]
        if measure is None or kind is None:
            continue
        begun = text(start)
        year = year_of(begun)
        if at is not None and year is not None and year > at:
            continue
        by_kind[kind][measure] = {
            "measure": measure,
            "kind": kind,
            "rate": literal_number(rate),
            "amount": literal_number(amount),
            "cap": literal_number(cap),
            "currency": text(currency),
            "start": begun,
            "end": text(end),
            "year": year,
            "sources": sorted(sources_of.get(measure, ())),
        }
    return {
        kind: sorted(found.values(), key=lambda i: (i["year"] is None, i["year"] or 0, i["measure"]))
        for kind, found in sorted(by_kind.items())
    }


def _milestones(
    everyone: Network, region: str, instruments: dict[str, list[Instrument]], at: int | None
) -> tuple[list[Milestone], set[str]]:
    """The first dated actor of each kind located in the region, its first cluster, and the first
    measure of each kind: the steps of a cluster's path that another region's can be set against.
    Also every kind the region has, dated or not, so an undated step still counts as reached."""
    first: dict[str, Milestone] = {}
    present: set[str] = set()

    def consider(kind: str, when: str | None, iri: str, label: str) -> None:
        year = year_of(when)
        if at is not None and year is not None and year > at:
            return
        present.add(kind)
        known = first.get(kind)
        if when is not None and year is not None and (known is None or (when, iri) < (known["date"], known["iri"])):
            first[kind] = {"date": when, "label": label, "iri": iri, "kind": kind}

    for actor in everyone.actors.values():
        if region in actor.regions and actor.type and actor.type not in UNSPECIFIC:
            consider(str(AVC[actor.type]), actor.created, actor.iri, actor.label)
    for cluster in everyone.clusters.values():
        if region in cluster.regions:
            consider(str(AVC.Cluster), cluster.created, cluster.iri, cluster.label)
    for kind, measures in instruments.items():
        for measure in measures:
            label = everyone.labels.get(measure["measure"], measure["measure"])
            consider(kind, measure["start"], measure["measure"], label)
    return sorted(first.values(), key=lambda m: (m["date"], m["kind"])), present


def _position(model: list[Milestone], target: list[Milestone], present: set[str], at: int | None) -> Position:
    matched = [m for m in target if m["kind"] in {step["kind"] for step in model}]
    years = [y for y in (year_of(m["date"]) for m in matched) if y is not None]
    first = min(years) if years else None
    return {
        "first_year": first,
        "years_since_first": ((at or date.today().year) - first) if first is not None else None,
        "reached": [m["kind"] for m in model if m["kind"] in present],
        "not_reached": [m["kind"] for m in model if m["kind"] not in present],
        "milestones": matched,
    }


def _network(part: Analysis) -> NetworkSummary:
    figures = part.get("network", {})
    ties = part.get("ties", {})
    return {
        "actors": figures.get("actors", 0),
        "ties": figures.get("ties", 0),
        "density": figures.get("density"),
        "public_private_share": ties.get("public_private", {}).get("share"),
        "median_tie_years": ties.get("median_years"),
        "top_brokers": part.get("brokers", {}).get("top", [])[:TOP_BROKERS],
    }


def _sources(
    factors: list[FactorRow],
    parts: dict[str, Analysis],
    instruments: dict[str, dict[str, list[Instrument]]],
) -> list[str]:
    found: set[str] = set()
    for row in factors:
        for side in (row["model"], row["target"]):
            found.update(side["source"] if side else [])
    for part in parts.values():
        for competency in part.get("competencies", {}).get("competencies", []):
            for lead in competency["leads"]:
                found.update(lead["sources"])
        for tie in part.get("ties", {}).get("long_term_strong", {}).get("ties", []):
            found.update(tie["sources"])
    for kinds in instruments.values():
        for measures in kinds.values():
            for measure in measures:
                found.update(measure["sources"])
    return sorted(found)
