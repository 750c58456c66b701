"""`/sparql`: the SPARQL 1.1 Protocol (query and update operations) and a service description.

Reads are open to everyone, from any origin (CORS), under the app's timeout and result cap;
`SERVICE` and `LOAD` are refused so the server never fetches from a URL a client names. Updates
are off unless a token is configured, and then need `Authorization: Bearer <token>`.

A query reads the union of the named graphs, unless it names its own graphs (FROM, FROM NAMED) or
the client does (the Protocol's `default-graph-uri` and `named-graph-uri`, which then take
precedence; an empty value counts as absent). An update's `using-graph-uri` and
`using-named-graph-uri` become USING / USING NAMED clauses of its DELETE/INSERT … WHERE operations.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, current_app, redirect, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotAcceptable, RequestEntityTooLarge, UnsupportedMediaType

from avcluster.kg.namespaces import PREFIXES
from avcluster.kg.sparql import QUERY_FORMS, operation, with_using
from avcluster.kg.stores import GRAPH_FORMATS, QueryDataset

from ..auth import require_update_token
from ..cache import cached, forget_version
from ..render import no_content
from ..store import get_store
from . import (
    GRAPH_MEDIA,
    HTML,
    RESULT_MEDIA,
    QueryTooLong,
    check_query_text,
    content_type,
    graph_store,
    negotiate,
    page_blueprint,
    run_read,
)

bp = page_blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_MEDIA = "application/sparql-query"
UPDATE_MEDIA = "application/sparql-update"
QUERY_DATASET = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET = ("using-graph-uri", "using-named-graph-uri")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Max-Age": "86400",
}
SD = "http://www.w3.org/ns/sparql-service-description#"
STANDARDS = ("https://www.w3.org/TR/sparql11-protocol/", "https://www.w3.org/TR/sparql11-http-rdf-update/")
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
# The W3C's names (http://www.w3.org/ns/formats/) of what the endpoint writes.
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N-Quads",
    "application/trig": "TriG",
}
DESCRIPTION_MEDIA = {
    m: m for m in ("text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples")
}


@dataclass(frozen=True)
class Operation:
    kind: str  # "query" or "update"
    text: str
    dataset: QueryDataset | None = None


@bp.route("/sparql", methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    if graph_store.addressed():
        return graph_store.handle()
    if request.method not in ("GET", "HEAD", "POST"):
        raise MethodNotAllowed(valid_methods=["GET", "HEAD", "POST", "OPTIONS"])
    operation_ = read_operation()
    if operation_ is None:
        return service_description()
    if operation_.kind == "update":
        return run_update(operation_.text)
    return run_query(operation_.text, operation_.dataset)


@bp.after_request
def shared_headers(response: Response) -> Response:
    """Every answer of the endpoint, errors included, can be read from another origin (reads are
    open; an update is authorised by its token, never by an ambient credential) and varies by Accept."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept")
    return response


def read_operation() -> Operation | None:
    """The one query or update a request carries, as the Protocol places it; None for none (GET)."""
    _strict_utf8(request.query_string, "the query string")
    if request.method in ("GET", "HEAD"):
        if "update" in request.args:
            raise BadRequest("an update must be sent with POST, not GET")
        return _with_dataset(_one(request.args.getlist("query"), "query"), request.args)
    _limit_body()
    mimetype = request.mimetype
    try:
        if mimetype == FORM:
            _strict_utf8(request.get_data(cache=True), "the form")
            queries, updates = request.form.getlist("query"), request.form.getlist("update")
            if queries and updates:
                raise BadRequest("send either query= or update=, not both")
            found = _one(queries, "query") or _one(updates, "update")
            if found is None:
                raise BadRequest("a POST form must carry query= or update=")
            return _with_dataset(found, request.form)
        if mimetype in (QUERY_MEDIA, UPDATE_MEDIA):
            text = _body_text()
            return _with_dataset(Operation("query" if mimetype == QUERY_MEDIA else "update", text), request.args)
    except RequestEntityTooLarge:
        raise QueryTooLong(
            f"the request is larger than the {current_app.config['MAX_QUERY_BYTES']:,} byte query limit"
        ) from None
    raise UnsupportedMediaType(
        f"unsupported Content-Type {mimetype or '(none)'}: send {FORM}, {QUERY_MEDIA} or {UPDATE_MEDIA}"
    )


def _strict_utf8(raw: bytes, where: str) -> None:
    """Refuse percent-encoded text that is not UTF-8 (werkzeug would quietly replace its bytes)."""
    try:
        urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise BadRequest(f"{where} is not UTF-8 text ({error.reason} at byte {error.start})") from None


def _one(values: list[str], kind: str) -> Operation | None:
    if len(values) > 1:
        raise BadRequest(f"one {kind} per request: this request carries {len(values)}")
    return Operation(kind, values[0]) if values else None


def _with_dataset(found: Operation | None, params: MultiDict[str, str]) -> Operation | None:
    """The operation with the graphs its client names; empty values count as absent."""

    def iris(name: str) -> tuple[str, ...]:
        values = tuple(v.strip() for v in params.getlist(name) if v.strip())
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise BadRequest(f"{name}: {value!r} is not an absolute IRI") from None
        return values

    if found is None:
        if any(iris(name) for name in (*QUERY_DATASET, *UPDATE_DATASET)):
            raise BadRequest("graphs are named but no query= or update= is given")
        return None
    if found.kind == "update":
        if any(iris(name) for name in QUERY_DATASET):
            raise BadRequest("an update names its graphs with using-graph-uri and using-named-graph-uri")
        using, using_named = iris("using-graph-uri"), iris("using-named-graph-uri")
        if not using and not using_named:
            return found
        try:
            return Operation(found.kind, with_using(found.text, using, using_named))
        except ValueError as error:
            raise BadRequest(str(error)) from None
    default, named = iris("default-graph-uri"), iris("named-graph-uri")
    if not default and not named:
        return found
    return Operation(found.kind, found.text, QueryDataset(default, named))


def _limit_body() -> None:
    """Stop reading a body far beyond any query the app accepts (URL-encoding can triple a text)."""
    request.max_content_length = 3 * int(current_app.config["MAX_QUERY_BYTES"]) + 16_384
    if request.content_length is not None and request.content_length > request.max_content_length:
        raise QueryTooLong(f"the request is larger than the {current_app.config['MAX_QUERY_BYTES']:,} byte query limit")


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return request.get_data(cache=False).decode(charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise BadRequest(f"the request body is not valid {charset} text: {error}") from error


def run_query(text: str, dataset: QueryDataset | None = None) -> Response:
    form = operation(text)
    offers = GRAPH_MEDIA if form in ("CONSTRUCT", "DESCRIBE") else RESULT_MEDIA
    media = negotiate(offers, html=True)
    if media is None:
        # A SPARQL client that asks for results in its usual way for a CONSTRUCT (rdflib does) gets the
        # graph in the default syntax; a client that accepts nothing this endpoint writes gets 406.
        other = RESULT_MEDIA if offers is GRAPH_MEDIA else GRAPH_MEDIA
        if negotiate(other) is None:
            raise NotAcceptable(
                f"nothing acceptable: this {form or 'query'} is answered as {', '.join(sorted(set(offers.values())))}"
            )
        media = next(iter(offers.values()))
    if media == HTML:
        return redirect(url_for("query.page", query=text), code=303)  # type: ignore[return-value]
    answer = run_read(text, accept=media, dataset=dataset)
    return Response(answer.body, content_type=content_type(answer.media_type))


def run_update(text: str) -> Response:
    """An update, only with the configured token."""
    require_update_token()
    if operation(text) in QUERY_FORMS:
        raise BadRequest(
            "this is a query, not an update: send it as query= (GET or POST), or as application/sparql-query"
        )
    check_query_text(text)
    get_store().update(text)
    forget_version()
    return no_content()


def service_description() -> Response:
    media = negotiate(DESCRIPTION_MEDIA, html=True)
    if media is None:
        raise NotAcceptable(f"nothing acceptable: the service description is {', '.join(DESCRIPTION_MEDIA)}")
    if media == HTML:
        return redirect(url_for("query.page"), code=303)  # type: ignore[return-value]
    triples = description_triples(request.base_url, bool(current_app.config.get("UPDATE_TOKEN")))
    body = ox.serialize(
        triples, format=GRAPH_FORMATS[media], prefixes={"sd": SD, "formats": FORMATS, "void": VOID, **PREFIXES}
    )
    return Response(body, content_type=content_type(media))


def description_triples(endpoint_url: str, updates: bool) -> list[ox.Triple]:
    """What a client can learn before asking: languages, formats, the union default graph, the named graphs."""
    sd = lambda local: ox.NamedNode(SD + local)  # noqa: E731
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    limits = (
        f"Prefixes predeclared: {', '.join(PREFIXES)}. Queries stop after {current_app.config['QUERY_TIMEOUT']:g} s; "
        f"answers up to {int(current_app.config['MAX_RESULT_BYTES']):,} bytes; SERVICE and LOAD are refused. "
        "The Graph Store HTTP Protocol answers at this address: ?graph=<iri> for a named graph, ?default for the "
        "union (read-only); writes need the update token."
    )
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint_url)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(PREFIXES["dcterms"] + "title"), ox.Literal("avcluster SPARQL endpoint")),
        ox.Triple(service, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(limits, language="en")),
        # the Graph Store HTTP Protocol answers at the same address (?graph=<iri> or ?default)
        *(
            ox.Triple(service, ox.NamedNode(PREFIXES["dcterms"] + "conformsTo"), ox.NamedNode(spec))
            for spec in STANDARDS
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in FORMAT_IRIS.values()]
    # counting every graph's quads reads the whole store (31 s a request at a million actors): once per version
    for info in cached("graph-sizes", compute=get_store().graphs):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, rdf_type, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(info.iri)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, rdf_type, sd("Graph")),
            ox.Triple(
                graph,
                ox.NamedNode(VOID + "triples"),
                ox.Literal(str(info.triples), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")),
            ),
        ]
    return triples
