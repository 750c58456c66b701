"""The five success factors and the sector's figures, side by side for every region with data.

A factor is covered by an observation of the factor itself or of an indicator whose skos:broader
names it (concepts.ttl). Every figure keeps its year, unit and sources; what a region lacks is
listed as missing: factors with no figure, and indicators other regions have. The section is a
comparison, so it shows every region whatever region the rest of the analysis is narrowed to;
`at` keeps the figures of that year and before.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from ..labels import best_texts
from ..namespaces import AVC
from ..stores import Store
from .projection import by_label, complete_rows, text
from .results import ClusterStage, Figure, RegionRow, Regions

FACTORS: tuple[str, ...] = tuple(
    str(AVC[f])
    for f in (
        "HistoricalCulturalHeritage",
        "CreativeIndustrySize",
        "TerritorySize",
        "BusinessDiversity",
        "HumanCapital",
    )
)

_OBSERVATIONS = """SELECT ?o ?region ?indicator ?value ?unit ?year WHERE {
  ?o a avc:Observation ; avc:region ?region ; avc:indicator ?indicator .
  OPTIONAL { ?o avc:value ?value } OPTIONAL { ?o avc:unit ?unit } OPTIONAL { ?o avc:year ?year }
}"""
_OBSERVATION_SOURCES = "SELECT DISTINCT ?o ?s WHERE { ?o a avc:Observation ; dcterms:source ?s }"
_OBSERVATION_COMMENTS = "SELECT ?o ?c WHERE { ?o a avc:Observation ; rdfs:comment ?c }"
# The direct links only: their closure is taken here (a transitive path from a VALUES list has no
# start for Virtuoso, and the concept scheme is small).
_BROADER = "SELECT DISTINCT ?i ?b WHERE { ?i skos:broader ?b }"
_CLUSTERS = """SELECT ?c ?region ?stage WHERE {
  ?c a avc:Cluster ; avc:locatedIn ?region . OPTIONAL { ?c avc:lifeCycleStage ?stage }
}"""


def literal_number(term: Any) -> float | None:
    """A numeric literal as a float; anything else (no value, an IRI, a malformed number) as None."""
    try:
        return float(Decimal(term.value)) if isinstance(term, ox.Literal) else None
    except ArithmeticError:
        return None


def _factors_informed(links: list[tuple[str, ...]]) -> dict[str, set[str]]:
    """For each indicator, the success factors it informs through skos:broader, directly or not."""
    broader: dict[str, set[str]] = defaultdict(set)
    for narrow, broad in links:
        broader[narrow].add(broad)
    informs: dict[str, set[str]] = defaultdict(set)
    for start in list(broader):
        seen, todo = set(), [start]
        while todo:
            for up in broader.get(todo.pop(), ()):
                if up not in seen:
                    seen.add(up)
                    todo.append(up)
        informs[start] = seen & set(FACTORS)
    for factor in FACTORS:
        informs[factor].add(factor)
    return informs


def regions_section(store: Store, labels: dict[str, str], at: int | None) -> Regions:
    informs = _factors_informed(complete_rows(store, _BROADER))
    sources: dict[str, list[str]] = defaultdict(list)
    for o, s in complete_rows(store, _OBSERVATION_SOURCES):
        sources[o].append(s)
    comments = best_texts(store.select_rows(_OBSERVATION_COMMENTS)[1])

    figures: dict[str, list[Figure]] = defaultdict(list)
    for row in store.select_rows(_OBSERVATIONS)[1]:
        observation, place, measured = (text(t) for t in row[:3])
        value, unit, year = row[3:]
        year_value = int(year.value) if isinstance(year, ox.Literal) and year.value.lstrip("-").isdigit() else None
        if observation is None or place is None or measured is None or (at is not None and (year_value or 0) > at):
            continue
        figures[place].append(
            {
                "indicator": measured,
                "factors": sorted(informs.get(measured, ())),
                "value": literal_number(value),
                "unit": text(unit),
                "year": year_value,
                "sources": sorted(sources.get(observation, [])),
                "comment": comments.get(observation),
                "observation": observation,
            }
        )
    clusters: dict[str, list[ClusterStage]] = defaultdict(list)
    for c, region, stage in store.select_rows(_CLUSTERS)[1]:
        if c is not None and region is not None:
            clusters[region.value].append({"cluster": c.value, "stage": text(stage)})  # type: ignore[union-attr]

    observed = {f["indicator"] for rows in figures.values() for f in rows}
    rows: list[RegionRow] = []
    for place in sorted(set(figures) | set(clusters), key=by_label(labels)):
        found = sorted(figures.get(place, []), key=lambda f: (f["indicator"], -(f["year"] or 0), f["observation"]))
        newest: dict[str, int | None] = {}
        for f in found:
            newest.setdefault(f["indicator"], f["year"])
        latest = [f for f in found if f["year"] == newest[f["indicator"]]]
        covered = {factor for f in found for factor in f["factors"]}
        rows.append(
            {
                "region": place,
                "clusters": sorted(clusters.get(place, []), key=lambda c: c["cluster"]),
                "figures": found,
                "latest": latest,
                "missing_factors": [f for f in FACTORS if f not in covered],
                "missing_indicators": sorted(observed - set(newest)),
            }
        )
    return {
        "factors": list(FACTORS),
        "indicators": [
            {"indicator": i, "factors": sorted(informs.get(i, ()))} for i in sorted(observed, key=by_label(labels))
        ],
        "regions": rows,
    }
