"""The one term type inside avcluster (pyoxigraph's), and its conversions at the edges: rdflib terms come
in only where rdflib reads something for us (the SHACL shapes, the reasoners' input)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
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
