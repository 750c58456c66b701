"""The one small interface every backend implements, and the result types it hands back.

Results travel as serialized bytes (SPARQL results JSON/XML/CSV/TSV, or an RDF syntax for graphs):
that is what the endpoint sends on, what a worker process can hand to its parent, and what a remote
server answers, so one code path serves all three. Parsing into terms happens only where needed.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import pyoxigraph as ox

from ..terms import Term
from .staging import StagedFile, Staging

ResultKind = Literal["bindings", "boolean", "graph"]

# Media types the engine serializes directly: query results, and RDF for CONSTRUCT/DESCRIBE.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Answer:
    """A query's answer as the engine serialized it."""

    kind: ResultKind
    body: bytes
    media_type: str


@dataclass(frozen=True)
class QueryDataset:
    """The graphs a query reads when its client names them (the Protocol's default-graph-uri and
    named-graph-uri): the default graph is the merge of `default`, GRAPH ?g ranges over `named`.
    Without one, a query reads the union of the named graphs, or its own FROM / FROM NAMED."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class GraphInfo:
    iri: str
    triples: int


class Store(ABC):
    """A quad store that queries the union of its named graphs by default."""

    #: a human-readable description for messages (path, "memory", URL)
    location: str = ""
    #: writes are refused (a store opened beside its writer, a copy in memory); `location` says which
    read_only: bool = False

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        timeout: float | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
        dataset: QueryDataset | None = None,
    ) -> Answer:
        """Run a read query; `accept` picks the serialization (default: SPARQL JSON / N-Triples).

        Raises QueryError with the parser's message, QueryTimeout past `timeout` seconds,
        ResultTooLarge when the serialized answer exceeds `max_bytes`.
        """

    @abstractmethod
    def select_rows(
        self, sparql: str, *, bindings: Mapping[str, Term] | None = None
    ) -> tuple[list[str], list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]]]:
        """Run a SELECT in-process with no time limit, as engine terms: the fast path for analysis."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update as one transaction."""

    @abstractmethod
    def replace_graphs(self, contents: Mapping[str, Iterable[ox.Triple]]) -> None:
        """Make each named graph hold exactly the given triples, all graphs in one transaction."""

    def stage(self, files: Sequence[StagedFile], replaced: Sequence[str]) -> Staging | None:
        """Start writing a large load's files (each whole, into its graph) somewhere private, before its
        checks are done; `replaced` names every graph the load will write. None where a backend has no
        such place (then write_graphs writes everything); the caller discards what it gets on failure."""
        return None

    def write_graphs(
        self, scratch: ox.Store, last: Mapping[str, Iterable[ox.Triple]], staging: Staging | None = None
    ) -> None:
        """One load's write: each named graph of `scratch`, then each graph of `last`, holds exactly those triples.

        By default one replace_graphs. A backend with a bulk loader may write large new graphs through
        it where it writes them in one atomic step. A backend that cannot write atomically at all
        (a remote server) writes `last` (a load's catalog record) after the rest, so a load cut short
        leaves no record saying it finished, and the next load of that file replaces it. `staging`
        is what stage() returned: the graphs it holds are written already.
        """
        contents: dict[str, Iterable[ox.Triple]] = {
            graph.value: [
                ox.Triple(q.subject, q.predicate, q.object) for q in scratch.quads_for_pattern(None, None, None, graph)
            ]
            for graph in scratch.named_graphs()
            if isinstance(graph, ox.NamedNode)
        }
        self.replace_graphs({**contents, **last})

    @abstractmethod
    def graph_triples(self, graph: str) -> set[ox.Triple]:
        """Every triple of one named graph."""

    @abstractmethod
    def graphs(self) -> list[GraphInfo]:
        """The named graphs with their sizes."""

    @abstractmethod
    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove named graphs (those missing are ignored), in one transaction."""

    def is_empty(self) -> bool:
        """No named graph holds anything."""
        return not self.graphs()

    @abstractmethod
    def dump_to(self, media_type: str, output: BinaryIO) -> None:
        """Write every quad (quad formats: as they are read, so a store larger than memory can be
        exported) or the union of all graphs (triple formats: deduplicated and sorted in memory)."""

    def dump(self, media_type: str) -> bytes:
        """dump_to, into memory."""
        buffer = io.BytesIO()
        self.dump_to(media_type, buffer)
        return buffer.getvalue()

    def contents_key(self) -> str | None:
        """A fingerprint of the contents this object reads now, which any write changes; None where
        the backend cannot tell cheaply (then nothing computed from the contents is kept for later)."""
        return None

    def beside(self, suffix: str) -> Path | None:
        """A file of the store's own beside it (results kept for a later process), or None."""
        return None

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release the backend's resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
