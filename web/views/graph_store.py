"""The SPARQL 1.1 Graph Store HTTP Protocol beside the endpoint: `/sparql?graph=<iri>` is one named
graph, `/sparql?default` the default graph (the union of the named graphs, as queries see it).

Anyone may read (GET, HEAD) a graph in any RDF syntax by Accept; writes (PUT replaces, POST adds,
DELETE removes) need the update token, and are checked and atomic as a load is. The default graph
is a view of the others here, so it is read-only.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, MethodNotAllowed, NotAcceptable, NotFound, RequestEntityTooLarge

from avcluster.kg import graph_store
from avcluster.kg.namespaces import PREFIXES
from avcluster.kg.stores import GRAPH_FORMATS

from ..auth import require_update_token
from ..cache import forget_version
from ..render import no_content
from ..store import get_store
from . import GRAPH_MEDIA, content_type, negotiate, run_limited

READS = ("GET", "HEAD")
WRITES = ("PUT", "POST", "DELETE")
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def addressed() -> bool:
    """Whether a request is for the Graph Store (it names a graph, or the default graph)."""
    return "graph" in request.args or "default" in request.args


def handle() -> Response:
    graph = _graph()
    if request.method in READS:
        return _read(graph)
    if request.method not in WRITES:
        raise MethodNotAllowed(valid_methods=[*READS, *WRITES, "OPTIONS"])
    require_update_token("a Graph Store write")
    if graph is None:
        raise MethodNotAllowed(
            valid_methods=list(READS),
            description="the default graph here is the union of the named graphs: write a named graph (?graph=…)",
        )
    store = get_store()
    if request.method == "DELETE":
        if not graph_store.drop(store, graph):
            raise NotFound(f"there is no graph <{graph}>")
        forget_version()
        return no_content()
    existed = graph_store.exists(store, graph)
    limit = int(current_app.config["MAX_GRAPH_BYTES"])
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(
            f"a graph sent over HTTP may be at most {limit:,} bytes: load larger ones with avcluster load"
        )
    graph_store.write(store, graph, request.get_data(cache=False), request.mimetype, merge=request.method == "POST")
    forget_version()
    return Response(status=204 if existed else 201, headers={} if existed else {"Location": request.url})


def _graph() -> str | None:
    """The graph a request names (None: the default graph)."""
    if "default" in request.args and "graph" in request.args:
        raise BadRequest("name either ?graph=… or ?default, not both")
    if "default" in request.args:
        return None
    iri = request.args.get("graph", "").strip()
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise BadRequest(f"graph={iri!r} is not an absolute IRI") from None
    return iri


def _read(graph: str | None) -> Response:
    media = negotiate(GRAPH_MEDIA)
    if media is None:
        raise NotAcceptable(f"nothing acceptable: a graph is written as {', '.join(sorted(set(GRAPH_MEDIA.values())))}")
    if graph is None:
        answer = run_limited(ALL_TRIPLES, accept=media)
        return Response(answer.body, content_type=content_type(answer.media_type))
    triples = get_store().graph_triples(graph)
    if not triples:
        raise NotFound(f"there is no graph <{graph}>")
    body = ox.serialize(sorted(triples, key=str), format=GRAPH_FORMATS[media], prefixes=PREFIXES) or b""
    return Response(body, content_type=content_type(media))
