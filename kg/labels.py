"""Which name a resource goes by: the one place that decides it, for the analysis, the command line
and every page alike, so an actor is never named two ways.

The preference: a label in the language asked for, then English, then untagged, then any other;
within one language skos:prefLabel before rdfs:label before schema:name, foaf:name and
dcterms:title; among labels still equal, the first in alphabetical order. Labels are plain text:
whoever shows one escapes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import pyoxigraph as ox

from .namespaces import PREFIXES
from .stores import Store

LABEL_PROPERTIES: tuple[str, ...] = (
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["rdfs"] + "label",
    PREFIXES["schema"] + "name",
    PREFIXES["foaf"] + "name",
    PREFIXES["dcterms"] + "title",
)
DEFAULT_LANGUAGE = "en"
_ORDER = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
_VALUES = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
_CHUNK = 1000  # IRIs asked for in one query


def _rank(language: str, wanted: str) -> int:
    primary = language.lower().split("-")[0]
    if primary == wanted:
        return 0
    if primary == DEFAULT_LANGUAGE:
        return 1
    return 2 if not language else 3


def best_label(candidates: Iterable[tuple[str, str]], lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The best of (text, language tag) pairs given in order of property preference; None if none.

    Within one language the earlier candidate wins, so callers decide by the order they give.
    """
    ranked = sorted((_rank(language, lang), order, text) for order, (text, language) in enumerate(candidates))
    return ranked[0][2] if ranked else None


def choose(found: dict[str, list[tuple[int, str, str]]], lang: str) -> dict[str, str]:
    """The best label of each resource from its (property order, text, language) candidates."""
    return {
        iri: chosen
        for iri, options in found.items()
        if (chosen := best_label(((text, tag) for _, text, tag in sorted(options)), lang)) is not None
    }


def _collect(rows: Iterable[tuple[object, ...]], found: dict[str, list[tuple[int, str, str]]]) -> None:
    for s, p, label in rows:
        if isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(label, ox.Literal):
            found[s.value].append((_ORDER[p.value], label.value, label.language or ""))


def all_labels(store: Store, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every labelled resource's label, in one scan (faster than asking by IRI for a whole graph)."""
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    _collect(store.select_rows(f"SELECT ?s ?p ?l WHERE {{ VALUES ?p {{ {_VALUES} }} ?s ?p ?l }}")[1], found)
    return choose(found, lang)


def labels_for(store: Store, iris: Iterable[str], lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The label of each of these IRIs that has one, in one query per thousand IRIs."""
    wanted = sorted({iri for iri in iris if _valid(iri)})
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for start in range(0, len(wanted), _CHUNK):
        values = " ".join(f"<{iri}>" for iri in wanted[start : start + _CHUNK])
        query = f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {_VALUES} }} ?x ?p ?l }}"
        _collect(store.select_rows(query)[1], found)
    return choose(found, lang)


def best_texts(rows: Iterable[tuple[object, ...]], lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """One text per resource from (resource, literal) rows (comments, definitions), by the same preference."""
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for s, text in rows:
        if isinstance(s, ox.NamedNode | ox.BlankNode) and isinstance(text, ox.Literal):
            found[s.value].append((0, text.value, text.language or ""))
    return choose(found, lang)


def _valid(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def namer(labels: Mapping[str, str]) -> Callable[[str | None], str]:
    """A function naming IRIs from `labels`, falling back to the IRI's last segment, "–" for none."""

    def name(iri: str | None) -> str:
        if not iri:
            return "–"
        return labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    return name
