"""Labels in the reader's language, chosen as kg.labels chooses them (the one place that decides a
resource's name): from the store, or from an rdflib graph already in hand (the ontology)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef

from avcluster.kg import labels as kg_labels
from avcluster.kg.labels import LABEL_PROPERTIES, best_label
from avcluster.kg.namespaces import shorten
from avcluster.kg.stores import Store

from .i18n import current_language
from .store import get_store

__all__ = ["LABEL_PROPERTIES", "best_label", "graph_label", "labels_for"]


def labels_for(iris: Iterable[str], lang: str | None = None, store: Store | None = None) -> dict[str, str]:
    """The best label of each IRI that has one, in the reader's language unless told."""
    return kg_labels.labels_for(store or get_store(), iris, lang or current_language())


def graph_label(graph: Graph, node: URIRef, lang: str | None = None) -> str:
    """The same choice over an rdflib graph already in hand (the ontology)."""
    candidates = [
        (str(o), o.language or "")
        for p in LABEL_PROPERTIES
        for o in sorted(graph.objects(node, URIRef(p)), key=str)
        if isinstance(o, Literal)
    ]
    return best_label(candidates, lang or current_language()) or shorten(str(node))
