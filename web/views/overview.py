"""`/`: the overview of what the store holds, and `/index.json` (or `/?format=json`), its twin.

Clusters with their region and life-cycle stage (stated, and what the evidence suggests), actors
by type, ties by kind, key figures, and the datasets the facts come from (one named graph each,
with its size and the sources it cites), with links to every view.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyoxigraph as ox
from flask import Response

from avcluster.kg.analysis.counts import cluster_counts
from avcluster.kg.analysis.results import Lifecycle
from avcluster.kg.namespaces import AVC, GRAPH, INFERRED
from avcluster.kg.stores import Store

from .. import charts
from ..cache import cached
from ..graph import KIND_COLOURS, TYPE_COLOURS, actor_network, colour
from ..i18n import current_language
from ..render import page, twin, wants_twin
from ..store import get_store
from . import page_blueprint, resource_url, words
from .cluster import Names, analysis, count_words

bp = page_blueprint("overview", __name__)
bp.record_once(lambda state: words.register())

CATALOG = str(GRAPH) + "catalog/"
# Resources counted for the key figures, by class (and its subclasses).
COUNTED = ("Cluster", "Region", "Source", "PolicyMeasure", "Observation", "AudiovisualProject", "CompetencyAssignment")
_COUNTS = (
    "SELECT ?t (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES ?t { "
    + " ".join(f"avc:{c}" for c in COUNTED)
    + " } ?c rdfs:subClassOf* ?t . ?x a ?c } GROUP BY ?t"
)
_SOURCES_BY_GRAPH = "SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a avc:Source } } GROUP BY ?g"
_CATALOG = (
    "SELECT ?g ?file ?when WHERE { GRAPH ?c { ?g prov:wasDerivedFrom ?file . OPTIONAL { ?g prov:generatedAtTime ?when } } "
    f'FILTER(STRSTARTS(STR(?c), "{CATALOG}")) }}'
)


def _counts() -> dict[str, Any]:
    store = get_store()

    def compute() -> dict[str, Any]:
        by_class = {iri[len(str(AVC)) :]: int(n) for iri, n in _texts(store, _COUNTS) if iri and n}
        sources = {g: int(n) for g, n in _texts(store, _SOURCES_BY_GRAPH) if g and n}
        files = {g: (f, when) for g, f, when in _texts(store, _CATALOG) if g and f}
        return {"classes": {c: by_class.get(c, 0) for c in COUNTED}, "sources": sources, "files": files}

    return cached("overview-counts", compute=compute)


def _texts(store: Store, sparql: str) -> list[tuple[str | None, ...]]:
    _, rows = store.select_rows(sparql)
    return [tuple(t.value if isinstance(t, ox.NamedNode | ox.Literal) else None for t in row) for row in rows]


def _dataset_kind(iri: str) -> str:
    if iri.startswith(CATALOG):
        return "catalog"
    if iri.startswith(INFERRED):
        return "inferred"
    return "asserted"


def overview_data(names: Names) -> dict[str, Any]:
    network = actor_network()
    result = analysis(["lifecycle", "competencies"])
    counts = _counts()
    stages = {c["cluster"]: c for c in result["lifecycle"]}
    clusters = []
    for cluster in sorted(network.clusters.values(), key=lambda c: names(c.iri).lower()):
        cycle: Lifecycle | dict[str, Any] = stages.get(cluster.iri, {})
        counted = cluster_counts(network, cluster)
        clusters.append(
            {
                "iri": cluster.iri,
                "label": names(cluster.iri),
                "regions": [{"iri": r, "label": names(r)} for r in sorted(cluster.places)],
                "created": cluster.created,
                "stage": cluster.stage,
                "suggested_stage": cycle.get("suggested_stage"),
                # kg.analysis.counts defines each count; "members" held the cluster's actors until
                # the counts were named (issue 14): it now holds the members, "actors" the actors.
                "members": counted.members,
                "located": counted.located,
                "actors": counted.actors,
                "ties": counted.ties,
                "ties_touching": counted.ties_touching,
                "counts": counted.as_dict(),
                "required": len(cluster.required),
            }
        )
        for iri in (cluster.stage, cycle.get("suggested_stage")):
            names(iri)
    types = Counter(a.type or "Actor" for a in network.actors.values())
    kinds = Counter(t.kind for t in network.ties)
    graphs = [g for g in get_store().graphs() if _dataset_kind(g.iri) != "catalog"]
    datasets = [
        {
            "graph": g.iri,
            "name": g.iri[len(str(GRAPH)) :] if g.iri.startswith(str(GRAPH)) else g.iri,
            "triples": g.triples,
            "kind": _dataset_kind(g.iri),
            "sources": counts["sources"].get(g.iri, 0),
            "file": counts["files"].get(g.iri, (None, None))[0],
            "loaded": counts["files"].get(g.iri, (None, None))[1],
        }
        for g in sorted(graphs, key=lambda g: (_dataset_kind(g.iri) != "asserted", g.iri))
    ]
    competencies = result["competencies"]
    return {
        "clusters": clusters,
        "figures": {
            "actors": len(network.actors),
            "ties": len(network.ties),
            "relationships": sum(1 for t in network.ties if t.category == "relationship"),
            "flows": sum(1 for t in network.ties if t.category == "flow"),
            "clusters": counts["classes"]["Cluster"],
            "regions": counts["classes"]["Region"],
            "sources": counts["classes"]["Source"],
            "policy_measures": counts["classes"]["PolicyMeasure"],
            "observations": counts["classes"]["Observation"],
            "projects": counts["classes"]["AudiovisualProject"],
            "competency_assignments": counts["classes"]["CompetencyAssignment"],
            "competency_gaps": len(competencies["gaps"]),
            "competency_overlaps": len(competencies["overlaps"]),
            "triples": sum(g.triples for g in graphs),
        },
        "actor_types": [{"type": t, "label": names(str(AVC) + t), "count": n} for t, n in types.most_common()],
        "tie_kinds": [{"kind": k, "label": names(str(AVC) + k), "count": n} for k, n in kinds.most_common()],
        "datasets": datasets,
    }


@bp.route("/")
@bp.route("/index.json", endpoint="index_json")
def index() -> Response:
    names = Names(current_language())
    data = overview_data(names)
    if wants_twin():
        return twin({**data, "labels": dict(sorted(names.used.items()))})
    charts_ = {
        "type_chart": charts.bars(
            [(t["label"], t["count"]) for t in data["actor_types"]],
            colours=[colour(t["type"], TYPE_COLOURS) for t in data["actor_types"]],
            width=520,
        ),
        "kind_chart": charts.bars(
            [(k["label"], k["count"]) for k in data["tie_kinds"]],
            colours=[colour(k["kind"], KIND_COLOURS) for k in data["tie_kinds"]],
            width=520,
        ),
    }
    return page(
        "overview/index.html",
        {"data": data, "name": names, "link": resource_url, "counts_words": count_words(), **charts_},
    )
