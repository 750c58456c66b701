"""A named graph read, replaced, merged or dropped as a whole: the operations of the SPARQL 1.1
Graph Store HTTP Protocol, with every write checked and made atomic exactly as a load is (parsed
strictly, validated against the ontology and the shapes with what the store already holds, its
shortcuts derived into its own inferred graph, all written in one step).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .derive import derive_into
from .errors import InputError
from .ingest import check, first_error, read_dataset
from .namespaces import GRAPH, INFERRED, inferred_graph
from .stores import Store

# The syntaxes a graph may be sent in, by media type, as the file suffix the parser knows them by.
SUFFIXES: dict[str, str] = {
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/n-triples": ".nt",
    "text/plain": ".nt",
    "application/rdf+xml": ".rdf",
    "application/ld+json": ".jsonld",
}
BODY = "request body"


def dataset_name(iri: str) -> str:
    """A bundled or loaded dataset's own name for its graph (so its shortcuts stay where a load puts
    them); any other graph gets a stable name of its own."""
    if iri.startswith(str(GRAPH)) and not iri.startswith(INFERRED):
        return iri[len(str(GRAPH)) :]
    return "graph-store/" + hashlib.sha256(iri.encode()).hexdigest()[:16]


def exists(store: Store, iri: str) -> bool:
    return bool(store.select_rows(f"SELECT ?s WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 1")[1])


def write(store: Store, iri: str, raw: bytes, media_type: str, *, merge: bool = False) -> int:
    """Replace (PUT) or add to (POST, `merge`) one named graph; InputError, and nothing written, on
    bad input. Returns the triples the graph then holds."""
    suffix = SUFFIXES.get(media_type)
    if suffix is None:
        raise InputError(BODY, f"unsupported media type {media_type or '(none)'}; send one of {', '.join(SUFFIXES)}")
    name = dataset_name(iri)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("body" + suffix)
        path.write_bytes(raw)
        try:
            dataset = read_dataset(path, name, graph=iri)
            if merge:
                dataset.scratch.extend(
                    ox.Quad(t.subject, t.predicate, t.object, dataset.node) for t in store.graph_triples(iri)
                )
            check(store, [dataset])
            error = first_error(dataset)
        except InputError as failure:
            raise InputError(BODY, failure.cause, failure.line) from None
        if error is not None:
            raise InputError(BODY, error.cause, error.line)
    derived = ox.NamedNode(inferred_graph(name))
    derive_into(dataset.scratch, dataset.node, derived)
    # the derived graph is named in `last` too, so that a write deriving nothing still empties it
    store.write_graphs(dataset.scratch, {derived.value: _triples(dataset.scratch, derived)})
    return len(store.graph_triples(iri))


def drop(store: Store, iri: str) -> bool:
    """Remove a named graph and what was derived from it; False when there was no such graph."""
    if not exists(store, iri):
        return False
    store.drop_graphs([iri, inferred_graph(dataset_name(iri))])
    return True


def _triples(scratch: ox.Store, graph: ox.NamedNode) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in scratch.quads_for_pattern(None, None, None, graph)]
