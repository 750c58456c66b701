"""Store-level jobs the CLI and the web app share: first initialisation and OWL reasoning."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph

from .ingest import CATALOG, Progress, bundled_files, load, load_ontology
from .namespaces import INFERRED, ONTOLOGY_GRAPH, REASONER_GRAPH
from .reason import reason
from .stores import Store
from .terms import engine_triples, rdflib_graph


@dataclass
class InitReport:
    ontology_loaded: bool
    loaded: list[tuple[str, int]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = ["ontology loaded" if self.ontology_loaded else "ontology unchanged"]
        if self.loaded:
            parts.append(f"{len(self.loaded)} dataset(s) loaded ({sum(n for _, n in self.loaded):,} triples)")
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} dataset(s) unchanged")
        return "init: " + ", ".join(parts)


def initialise(store: Store, *, with_data: bool = True, progress: Progress | None = None) -> InitReport:
    """Ontology, then every bundled dataset in one atomic load; files already loaded unchanged are skipped."""
    report = InitReport(load_ontology(store))
    if with_data:
        outcome = load(store, bundled_files(), skip_unchanged=True, progress=progress)
        report.loaded, report.unchanged = outcome.loaded, outcome.unchanged
    return report


@dataclass
class ReasonerOutcome:
    engine: str
    inferred: Graph
    inconsistencies: list[str]
    seconds: float
    notice: str | None = None


def run_reasoner(store: Store) -> ReasonerOutcome:
    """Reason over ontology + asserted data; the inferences replace the reasoner's own graph."""
    ontology = rdflib_graph(store.graph_triples(str(ONTOLOGY_GRAPH)))
    data = rdflib_graph(_asserted_data(store))
    result = reason(data, ontology)
    store.replace_graphs({REASONER_GRAPH: engine_triples(result.inferred)})
    return ReasonerOutcome(result.engine, result.inferred, result.inconsistencies, result.seconds, result.notice)


def _asserted_data(store: Store) -> list[ox.Triple]:
    answer = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(!STRSTARTS(STR(?g), "{INFERRED}") && !STRSTARTS(STR(?g), "{CATALOG}") && ?g != <{ONTOLOGY_GRAPH}>) }}'
    )
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
