"""Checks every load must pass: the avc: vocabulary exists, and the SHACL shapes hold.

Validation runs on the new data together with the types already in the store, so a file of
relationships can point at actors loaded from another file before it. The shapes run as SPARQL
inside a scratch Oxigraph store (kg.shacl_sparql): pyshacl, the reference they are tested against,
takes minutes where the engine takes seconds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from .namespaces import AVC, shorten
from .ontology import declared_terms, ontology_triples
from .shacl_sparql import project_checks, run
from .terms import lexical

# Where a scratch store holds what validation needs besides the data: the ontology, and the types of
# resources already in the store that the data points at.
CONTEXT_GRAPH = ox.NamedNode("urn:avcluster:validation-context")
_DATA_GRAPH = ox.NamedNode("urn:avcluster:validation-data")
PARALLEL_TRIPLES = 200_000


@dataclass(frozen=True)
class Problem:
    """One reason data is not valid, in words an analyst can act on."""

    focus: str
    message: str
    severity: str = "Violation"
    # the focus as the engine's term, so a caller can find which dataset it belongs to
    node: ox.NamedNode | ox.BlankNode | ox.Literal | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        return f"{shorten(self.focus)}: {self.message}"


def unknown_terms(triples: Iterable[ox.Triple]) -> list[Problem]:
    """avc: classes, properties and concepts that the ontology does not define."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, _DATA_GRAPH) for t in triples)
    return unknown_terms_in(scratch, [_DATA_GRAPH])


def named_terms(store: ox.Store, graphs: Sequence[ox.NamedNode]) -> tuple[list[ox.NamedNode], list[ox.NamedNode]]:
    """The distinct predicates and the distinct IRI objects of named graphs of a scratch store.

    Each graph is named outright (through VALUES ?g the engine took twice as long), and the IRIs are
    told from literals here: a FILTER(isIRI(?o)) in the query decodes the object of every triple
    before DISTINCT keeps one of each (2.6x the time at 200,000 actors, on disk)."""
    union = " UNION ".join(f"{{ GRAPH {g} {{ ?s ?p ?o }} }}" for g in graphs)
    found = []
    for term in ("?p", "?o"):
        solutions = store.query(f"SELECT DISTINCT {term} WHERE {{ {union} }}")
        assert isinstance(solutions, ox.QuerySolutions)
        found.append([value for (value,) in solutions if isinstance(value, ox.NamedNode)])
    return found[0], found[1]


def unknown_terms_in(
    store: ox.Store, graphs: Sequence[ox.NamedNode], terms: Iterable[ox.NamedNode] | None = None
) -> list[Problem]:
    """avc: terms the ontology does not define, in named graphs of a scratch store (one problem per term).

    `terms`: the graphs' predicates and IRI objects where the caller has them (named_terms)."""
    if not graphs:
        return []
    if terms is None:
        predicates, objects = named_terms(store, graphs)
        terms = [*predicates, *objects]
    known = declared_terms()
    prefix = str(AVC)
    values = " ".join(str(g) for g in graphs)
    problems = []
    for term in sorted({t for t in terms if t.value.startswith(prefix) and t.value not in known}, key=str):
        first = store.query(
            f"SELECT ?s WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ {{ ?s {term} ?o }} UNION {{ ?s ?p {term} }} }} }} "
            "ORDER BY STR(?s) LIMIT 1"
        )
        assert isinstance(first, ox.QuerySolutions)
        subject = next(iter(first))[0]
        problems.append(
            Problem(lexical(subject), f"{shorten(term.value)} is not a term of the avc ontology", node=subject)
        )
    return problems


def shape_problems(triples: Iterable[ox.Triple]) -> list[Problem]:
    """SHACL violations (and warnings) of the data against ontology/shapes.ttl, with the ontology mixed in."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    add_context(scratch, [])
    return store_problems(scratch)


def add_context(store: ox.Store, types: Iterable[ox.Triple]) -> None:
    """Put the ontology and the given rdf:type triples into the scratch store's context graph.

    Validation needs them (sh:class and sh:targetClass follow rdfs:subClassOf; a relationship may point
    at an actor loaded before), but they are not part of the data: remove_context() takes them out again.
    """
    store.extend(ox.Quad(t.subject, t.predicate, t.object, CONTEXT_GRAPH) for t in (*ontology_triples(), *types))


def remove_context(store: ox.Store) -> None:
    store.remove_graph(CONTEXT_GRAPH)


def store_problems(
    store: ox.Store, progress: Callable[[str], None] | None = None, *, triples: int = 0
) -> list[Problem]:
    """The shapes checked as SPARQL inside the engine, over the union of every graph of a scratch store.

    From PARALLEL_TRIPLES triples on (the caller says how many it holds), the checks are shared among
    one forked process per core."""
    workers = (os.cpu_count() or 1) if triples >= PARALLEL_TRIPLES else 1
    problems = []
    for result in run(store, project_checks(), progress, workers=workers):
        text = result.message
        if result.path is not None and shorten(result.path) not in text:
            text = f"{text} ({shorten(result.path)})"
        problems.append(Problem(lexical(result.focus), text, result.severity, node=result.focus))
    problems.sort(key=lambda p: (p.severity != "Violation", p.focus, p.message))
    return problems
