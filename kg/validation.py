"""Checks every load must pass: the avc: vocabulary exists, and the SHACL shapes hold.

Validation runs on the new data together with the types already in the store, so a file of
relationships can point at actors loaded from another file before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .namespaces import AVC, PREFIXES
from .stores.terms import lexical
from .ontology import declared_terms, ontology_graph, shapes_graph


@dataclass(frozen=True)
class Problem:
    """One reason data is not valid, in words an analyst can act on."""

    focus: str
    message: str
    severity: str = "Violation"

    def describe(self) -> str:
        return f"{shorten(self.focus)}: {self.message}"


def unknown_terms(triples: Iterable[ox.Triple]) -> list[Problem]:
    """avc: classes, properties and concepts that the ontology does not define."""
    known = declared_terms()
    prefix = str(AVC)
    problems: dict[str, Problem] = {}
    for t in triples:
        for term in (t.predicate, t.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(prefix) and term.value not in known:
                problems.setdefault(
                    term.value, Problem(lexical(t.subject), f"{shorten(term.value)} is not a term of the avc ontology")
                )
    return list(problems.values())


def shape_problems(triples: Iterable[ox.Triple]) -> list[Problem]:
    """SHACL violations (and warnings) of the data against ontology/shapes.ttl."""
    data = Graph()
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")
    _, report, _ = shacl_validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none", allow_warnings=True
    )
    assert isinstance(report, Graph)
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        text = str(message) if message else "does not satisfy a shape"
        if path is not None and isinstance(path, URIRef) and shorten(str(path)) not in text:
            text = f"{text} ({shorten(str(path))})"
        problems.append(Problem(str(focus), text, shorten(str(severity)).removeprefix("sh:")))
    problems.sort(key=lambda p: (p.severity != "Violation", p.focus, p.message))
    return problems


def shorten(iri: str) -> str:
    """A prefixed name where a known prefix fits: messages stay on one line and readable."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
