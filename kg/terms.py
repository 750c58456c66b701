"""The one term type inside avcluster (pyoxigraph's), and its conversions at the edges: rdflib terms come
in only where rdflib reads something for us (the SHACL shapes, the reasoners' input)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

Term = ox.NamedNode | ox.BlankNode | ox.Literal
OxTerm = Term | ox.Triple


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot use {term!r} as an RDF term")


def to_ntriples(term: Node) -> str:
    """The term as SPARQL/N-Triples text, escaped by the engine: safe to put into a query."""
    return str(to_oxigraph(term))


def lexical(term: OxTerm) -> str:
    """The IRI, blank-node id or literal value of a term (an RDF-star triple as its N-Triples text)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


def to_rdflib(term: OxTerm) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"cannot give {term!r} to rdflib")


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """Triples handed to a library that reads rdflib graphs (the reasoners): the edge, and the only crossing."""
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def engine_triples(graph: Graph) -> list[ox.Triple]:
    """What such a library answers, back as engine terms."""
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]  # type: ignore[arg-type]
