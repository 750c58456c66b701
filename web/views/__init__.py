"""What the page families share: content negotiation, the limits every read query runs under, and
how a refused or failed query reaches the reader (a status and a sentence, never a traceback)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, current_app, request, url_for
from werkzeug.exceptions import BadRequest

from avcluster.kg.errors import QueryError
from avcluster.kg.namespaces import AVC, ID, PREFIXES, shorten
from avcluster.kg.sparql import forbidden, operation, undeclared_prefixes
from avcluster.kg.stores import GRAPH_FORMATS, RESULT_FORMATS, Answer, QueryDataset
from avcluster.kg.terms import Term

from .. import i18n
from ..render import QueryTooLong
from ..store import get_store

JSON_RESULTS = "application/sparql-results+json"
TURTLE = "text/turtle"
HTML = "text/html"

# Media types clients ask for, mapped to the one the engine writes. The engine's own come first, so
# a client that accepts anything gets the first (SPARQL JSON for solutions, Turtle for graphs).
RESULT_MEDIA: dict[str, str] = {
    JSON_RESULTS: JSON_RESULTS,
    **{m: m for m in RESULT_FORMATS},
    "application/json": JSON_RESULTS,
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
}
GRAPH_MEDIA: dict[str, str] = {
    TURTLE: TURTLE,
    **{m: m for m in GRAPH_FORMATS},
    "application/x-turtle": TURTLE,
    "text/plain": "application/n-triples",
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}
# `format=` names for links that cannot set Accept (downloads, a browser's address bar).
FORMAT_NAMES: dict[str, str] = {
    "json": JSON_RESULTS,
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": TURTLE,
    "ttl": TURTLE,
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}


def page_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint whose pages know the reader's language."""
    blueprint = Blueprint(name, import_name)
    blueprint.record_once(lambda state: i18n.init_app(state.app))
    return blueprint


def negotiate(offers: Mapping[str, str], *, html: bool = False) -> str | None:
    """The engine media type to answer with, from `format=` or Accept (q-values and wildcards);
    HTML when `html` is offered and preferred; the first offer when the client states nothing."""
    named = FORMAT_NAMES.get(request.args.get("format", "").lower())
    if named is not None and named in offers.values():
        return named
    candidates = [*offers, HTML] if html else list(offers)
    if not request.accept_mimetypes:
        return next(iter(offers.values()))
    chosen = request.accept_mimetypes.best_match(candidates)
    if chosen is None:
        return None
    return HTML if chosen == HTML and html else offers[chosen]


def content_type(media: str) -> str:
    textual = media.startswith("text/") or media.endswith(("json", "xml", "triples", "trig", "quads"))
    return f"{media}; charset=utf-8" if textual else media


def check_query_text(text: str) -> None:
    """Refuse, before the engine sees it, a query too long or one that would reach another server."""
    limit = int(current_app.config["MAX_QUERY_BYTES"])
    if len(text.encode("utf-8", errors="surrogatepass")) > limit:
        raise QueryTooLong(f"the query is longer than the {limit:,} byte limit")
    reason = forbidden(text)
    if reason:
        raise QueryError(reason)
    unknown = undeclared_prefixes(text, PREFIXES)
    if unknown:
        raise QueryError(
            f"undefined prefix {', '.join(p + ':' for p in unknown)}: declare it (PREFIX {unknown[0]}: <…>) "
            f"or use one of the predeclared ones ({', '.join(p + ':' for p in PREFIXES)})"
        )


def run_read(
    text: str,
    accept: str | None = None,
    bindings: Mapping[str, Term] | None = None,
    dataset: QueryDataset | None = None,
) -> Answer:
    """A reader's query, checked, under the app's timeout and result cap."""
    check_query_text(text)
    if operation(text) == "UPDATE":
        raise QueryError(
            "this is a SPARQL Update, not a query: send it to /sparql as update= (POST), with the update token"
        )
    return run_limited(text, accept, bindings, dataset)


def run_limited(
    text: str,
    accept: str | None = None,
    bindings: Mapping[str, Term] | None = None,
    dataset: QueryDataset | None = None,
) -> Answer:
    """A query the app wrote itself, under the same timeout and result cap."""
    return get_store().query(
        text,
        bindings=bindings,
        dataset=dataset,
        accept=accept,
        timeout=float(current_app.config["QUERY_TIMEOUT"]),
        max_bytes=int(current_app.config["MAX_RESULT_BYTES"]),
    )


# Datatypes whose values sort as numbers in a table.
NUMERIC = frozenset(
    PREFIXES["xsd"] + local
    for local in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "short",
        "nonNegativeInteger",
        "positiveInteger",
        "gYear",
    )
)


@dataclass(frozen=True)
class Cell:
    """One RDF term as a page shows it: text, and for an IRI its label and where it links."""

    text: str
    label: str | None = None
    href: str | None = None
    title: str = ""
    sort: str = ""


def resource_url(iri: str | None) -> str | None:
    """Where a reader goes for an IRI: its resource page, its ontology entry, or the IRI itself."""
    if iri is None:
        return None
    if iri.startswith(str(ID)) and len(iri) > len(str(ID)):
        return url_for("resource.page", slug=iri[len(str(ID)) :])
    if iri.startswith(str(AVC)):
        return url_for("ontology.page") + "#" + iri[len(str(AVC)) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, labels: Mapping[str, str]) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        return Cell(shorten(term.value), label, resource_url(term.value), term.value, label or shorten(term.value))
    if isinstance(term, ox.Literal):
        kind = f"@{term.language}" if term.language else shorten(term.datatype.value)
        numeric = term.datatype.value in NUMERIC
        return Cell(term.value, title=kind, sort=term.value if numeric else term.value.casefold())
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", sort=term.value)
    return Cell(str(term))


def year_argument() -> int | None:
    """`?at=` (or `?year=`, /graph's shareable name for it): the year a view is seen in, or None for all."""
    name = "at" if request.args.get("at") else "year"
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"{name}={value!r} is not a year") from None
