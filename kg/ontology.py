"""The ontology files as data: what the loader validates against and `init` loads into the store."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph

from .namespaces import AVC, ONTOLOGY_DIR

ONTOLOGY_FILES = ("avcluster.ttl", "concepts.ttl")
SHAPES_FILE = "shapes.ttl"


def ontology_triples() -> list[ox.Triple]:
    """The ontology and its concept schemes, as one dataset."""
    triples: list[ox.Triple] = []
    for name in ONTOLOGY_FILES:
        path = ONTOLOGY_DIR / name
        triples.extend(ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path)))
    return triples


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return graph


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / SHAPES_FILE, format="turtle")


@lru_cache(maxsize=1)
def declared_terms() -> frozenset[str]:
    """Every avc: IRI the ontology defines: anything else in that namespace is a typo."""
    prefix = str(AVC)
    return frozenset(str(s) for s in ontology_graph().subjects() if str(s).startswith(prefix))
