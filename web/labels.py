"""Labels in the reader's language: the chosen one, else English, else untagged, else any.

Every page shows resources by name; this is the one place that decides which name. Labels are
returned as plain text: templates escape them (autoescape), and nothing here produces markup.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from avcluster.kg.namespaces import PREFIXES
from avcluster.kg.stores import Store
from avcluster.kg.validation import shorten

from .i18n import current_language
from .store import get_store

# In order of preference among labels of the same language.
LABEL_PROPERTIES: tuple[str, ...] = (
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["rdfs"] + "label",
    PREFIXES["schema"] + "name",
    PREFIXES["foaf"] + "name",
    PREFIXES["dcterms"] + "title",
)
_CHUNK = 1000


def _rank(language: str, wanted: str) -> int:
    primary = language.lower().split("-")[0]
    if primary == wanted:
        return 0
    if primary == "en":
        return 1
    return 2 if not language else 3


def best_label(candidates: Iterable[tuple[str, str]], lang: str) -> str | None:
    """The best of (text, language tag) pairs given in order of property preference; None if none.

    Within one language the earlier candidate wins, so callers decide by the order they give.
    """
    ranked = sorted(
        ((_rank(language, lang), order, text) for order, (text, language) in enumerate(candidates)),
    )
    return ranked[0][2] if ranked else None


def labels_for(iris: Iterable[str], lang: str | None = None, store: Store | None = None) -> dict[str, str]:
    """The best label of each IRI that has one (in one query per thousand IRIs)."""
    lang = lang or current_language()
    store = store or get_store()
    wanted = sorted({iri for iri in iris if _valid(iri)})
    found: dict[str, list[tuple[int, str, str]]] = {}
    order = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
    properties = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for start in range(0, len(wanted), _CHUNK):
        values = " ".join(f"<{iri}>" for iri in wanted[start : start + _CHUNK])
        _, rows = store.select_rows(
            f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {properties} }} ?x ?p ?l FILTER(isLiteral(?l)) }}"
        )
        for x, p, label in rows:
            if isinstance(x, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(label, ox.Literal):
                found.setdefault(x.value, []).append((order[p.value], label.value, label.language or ""))
    return {
        iri: chosen
        for iri, options in found.items()
        if (chosen := best_label(((text, language) for _, text, language in sorted(options)), lang)) is not None
    }


def graph_label(graph: Graph, node: URIRef, lang: str | None = None) -> str:
    """The same choice over an rdflib graph already in hand (a resource's description, the ontology)."""
    lang = lang or current_language()
    candidates = [
        (str(o), o.language or "")
        for p in LABEL_PROPERTIES
        for o in graph.objects(node, URIRef(p))
        if isinstance(o, Literal)
    ]
    return best_label(candidates, lang) or shorten(str(node))


def _valid(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True
