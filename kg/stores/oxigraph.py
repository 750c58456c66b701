"""Embedded Oxigraph, on disk (the default) or in memory.

pyoxigraph's own calls are used for loading, serialization and the analysis fast path: measured
here they are 7x faster than converting every result into rdflib terms.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial, wraps
from pathlib import Path
from typing import BinaryIO, Concatenate, ParamSpec, TypeVar

import pyoxigraph as ox

from ..errors import QueryError, ResultTooLarge, StoreError, StoreLocked
from ..namespaces import PREFIXES
from ..sparql import bind_values, names_its_dataset
from ..terms import Term, lexical
from ..workers import Spares, run_limited
from .base import (
    GRAPH_FORMATS,
    JSON_RESULTS,
    NTRIPLES,
    RESULT_FORMATS,
    Answer,
    GraphInfo,
    QueryDataset,
    ResultKind,
    Store,
)
from .staging import Guard, StagedFile, Staging, can_exchange, switch

# Below this many triples a load is one transactional extend(); above, the bulk loader (write_graphs):
# on disk into a copy of the store switched in whole (kg.stores.staging), in memory straight in.
BULK_TRIPLES = 20_000
BULK_BATCH = 1_000_000  # quads the bulk loader ingests at once (oxigraph's DEFAULT_BULK_LOAD_BATCH_SIZE)
# Quads up to which `in_memory_copy` copies a store (about 3.2 GB in memory; 1.77 million quads, a
# synthetic cluster of 50,000 actors, took 560 MiB).
MEMORY_COPY_QUADS = 10_000_000
# What a spare query process answers before it is handed queries: it reads the store, so a spare
# forked while one of the engine's locks was held never becomes ready and is replaced.
PROBE = ("ASK { ?s ?p ?o }", None, JSON_RESULTS, None)

Row = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]
# A query with a time limit as a spare process is handed it: text (parameters bound), dataset, accept, max_bytes.
LimitedQuery = tuple[str, QueryDataset | None, str | None, int | None]

P = ParamSpec("P")
V = TypeVar("V")


def _writes(method: Callable[Concatenate[OxigraphStore, P], V]) -> Callable[Concatenate[OxigraphStore, P], V]:
    """Marks a method that writes to the engine: the spare query processes forked before it are
    stale from its start, and none forked before its end answers a query after it."""

    @wraps(method)
    def write(self: OxigraphStore, *args: P.args, **kwargs: P.kwargs) -> V:
        with self._spares.writing() if self._spares is not None else contextlib.nullcontext():
            return method(self, *args, **kwargs)

    return write


def _limited_answer(store: weakref.ref[OxigraphStore], request: LimitedQuery) -> Answer:
    """What a spare process runs (on its copy of the store: the weak reference keeps the pool from
    holding the store alive)."""
    opened = store()
    if opened is None:
        raise StoreError("the store was closed")
    return opened._limited(request)


class OxigraphStore(Store):
    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        """`read_only` opens a store on disk that another process may hold and write: reads see it as
        it was when it was opened, and writes are refused."""
        self.read_only = read_only
        self._refusal = "opened read-only because another process holds it"  # why a write is refused
        self._opened_key: str | None = None
        # Queries with a time limit run in spare processes forked ahead of time (kg.workers.Spares);
        # every write below goes through self._spares.writing(), so none answers from before a write.
        self._spares: Spares[LimitedQuery, Answer] | None = Spares(partial(_limited_answer, weakref.ref(self)), PROBE)
        weakref.finalize(self, self._spares.close)
        self._path = Path(path).absolute() if path is not None else None
        # held while the store is open; a load's switch to a new copy of the store takes it alone
        self._guard = Guard(self._path, create=not read_only) if self._path is not None else None
        if path is None:
            self._store = ox.Store()
            self.location = "memory:"
            return
        try:
            if read_only:
                # a reader beside a writer sees the store as it was when opened: its fingerprint is
                # that moment's, if no write came between the two looks
                before = files_key(Path(path))
                self._store = _open_read_only(Path(path))
                self._opened_key = before if files_key(Path(path)) == before else None
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            if self._guard is not None:
                self._guard.close()
            if "lock" in str(error).lower():
                raise StoreLocked(f"{path}: {holder(Path(path))}") from error
            raise StoreError(f"{path}: cannot open the store: {error}") from error
        self.location = str(path) + (" (read-only)" if read_only else "")

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: {self._refusal}; nothing was written")

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself, for reading only (benchmarks that measure the engine's own limit).

        A write through it would not reach the spare query processes: use `shared_engine()` to write."""
        return self._store

    def shared_engine(self) -> ox.Store:
        """The pyoxigraph store for a caller that may write to it behind this object's back (an rdflib
        view): from now on every query with a time limit forks afresh, as no spare could see such a write."""
        if self._spares is not None:
            self._spares.close()
            self._spares = None
        return self._store

    def _run(self, sparql: str, bindings: Mapping[str, Term] | None, dataset: QueryDataset | None = None) -> object:
        # Oxigraph's own substitutions only reach projected variables, so parameters are bound the
        # way every engine understands, as a VALUES block: one behaviour on every backend.
        text = bind_values(sparql, bindings) if bindings else sparql
        options: dict[str, object] = {}
        if dataset is not None:  # the client's choice overrides the query's own FROM, as the Protocol says
            options = {
                "default_graph": [ox.NamedNode(g) for g in dataset.default],
                "named_graphs": [ox.NamedNode(g) for g in dataset.named],
            }
        elif not names_its_dataset(text):
            options = {"use_default_graph_as_union": True}
        try:
            return self._store.query(text, prefixes=PREFIXES, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise QueryError(str(error)) from error

    def _serialize(self, result: object, accept: str | None) -> Answer:
        if isinstance(result, ox.QueryTriples):
            media = accept if accept in GRAPH_FORMATS else NTRIPLES
            return Answer("graph", result.serialize(format=GRAPH_FORMATS[media]) or b"", media)
        media = accept if accept in RESULT_FORMATS else JSON_RESULTS
        kind: ResultKind = "boolean" if isinstance(result, ox.QueryBoolean) else "bindings"
        body = result.serialize(format=RESULT_FORMATS[media])  # type: ignore[attr-defined]
        return Answer(kind, body or b"", media)

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
        if timeout is None:
            return self._serialize(self._run(sparql, bindings, dataset), accept)
        request: LimitedQuery = (bind_values(sparql, bindings) if bindings else sparql, dataset, accept, max_bytes)
        if self._spares is None:
            return run_limited(partial(self._limited, request), timeout, max_bytes)
        return self._spares.run(request, timeout, max_bytes)

    def _limited(self, request: LimitedQuery) -> Answer:
        """A query with a time limit, in the process that runs it (a spare or a fresh fork)."""
        text, dataset, accept, max_bytes = request
        try:
            answer = self._serialize(self._run(text, None, dataset), accept)
        except ValueError as error:
            raise QueryError(str(error)) from error
        if max_bytes is not None and len(answer.body) > max_bytes:
            raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")
        return answer

    def select_rows(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> tuple[list[str], list[Row]]:
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in result.variables]
        return names, [tuple(solution) for solution in result]  # in the order of `names`

    @_writes
    def update(self, sparql: str) -> None:
        self._writable()
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as error:
            raise QueryError(str(error)) from error

    @_writes
    def replace_graphs(self, contents: Mapping[str, Iterable[ox.Triple]]) -> None:
        self._writable()
        # New graphs take one transactional extend(), the fast path; graphs that exist already
        # are dropped and refilled inside one SPARQL Update, which Oxigraph also runs as one
        # transaction. Either way a reader sees the old state or the new one, never half.
        fresh: list[ox.Quad] = []
        replaced: dict[str, Iterable[ox.Triple]] = {}
        for graph, triples in contents.items():
            name = ox.NamedNode(graph)
            if self._store.contains_named_graph(name):
                replaced[graph] = triples
            else:
                fresh.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
        if replaced:
            self._store.update(replace_update(replaced))
        if fresh:
            self._store.extend(fresh)

    def stage(self, files: Sequence[StagedFile], replaced: Sequence[str]) -> Staging | None:
        """On disk, a copy of the store for a large load, the files already loading into it in the
        background; None where the store cannot be switched whole (in memory, read-only, or a file
        system that cannot swap two folders atomically)."""
        if self.read_only or self._path is None or not self._closable() or not can_exchange(self._path):
            return None
        staging = Staging(self._store, self._path, replaced, files)
        if files:
            staging.start()
        return staging

    def _closable(self) -> bool:
        """Whether dropping this object's reference closes the engine (nobody else holds it)."""
        return sys.getrefcount(self._store) <= 2  # the attribute, and getrefcount's own argument

    @_writes
    def write_graphs(
        self, scratch: ox.Store, last: Mapping[str, Iterable[ox.Triple]], staging: Staging | None = None
    ) -> None:
        self._writable()
        # A large load given a copy of the store (stage(): a command's load, with this process's store to
        # itself) goes through the bulk loader into the copy, which then takes the store's place in one
        # step (kg.stores.staging): 5-10x faster than a transaction, and all or nothing however large.
        # The graphs the caller staged are in the copy already; the rest travels as documents the engine
        # parses itself (no Python object per quad). Small loads, and writes given no copy (a server's,
        # whose other threads read the store meanwhile), are written in place.
        graphs = [g for g in scratch.named_graphs() if isinstance(g, ox.NamedNode)]
        if staging is not None and not staging.graphs and _count(scratch) < BULK_TRIPLES:
            staging.discard()
            staging = None
        if staging is not None and staging.graphs and _has_blank_nodes(scratch, graphs, staging.graphs):
            # the rest would be parsed apart from the staged files: a blank node they share would split
            staging.discard()
            staging = self.stage([], [*(g.value for g in graphs), *last])
        if staging is None or self._path is None or self._guard is None:
            self._write_in_place(scratch, last, graphs)
            return
        rest = [g for g in graphs if g.value not in staging.graphs]

        def documents() -> list[tuple[str | None, bytes]]:
            made: list[tuple[str | None, bytes]]
            if staging is not None and staging.graphs:
                made = [(g.value, scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b"") for g in rest]
            else:  # one document keeps a blank node shared by two graphs one node
                made = [(None, scratch.dump(format=ox.RdfFormat.N_QUADS) or b"")]
            return [*made, (None, _quads_document(last))]

        path = self._path
        try:
            copy = staging.finish(documents)
            if not self._closable():  # something in this process took hold of the engine meanwhile
                self._write_in_place(scratch, last, graphs)
                return

            def close() -> None:
                del self._store

            def reopen() -> None:
                self._store = ox.Store(str(path))

            switch(copy, path, self._guard, close, reopen)
            staging.committed = True
        finally:
            staging.discard()

    def _write_in_place(
        self, scratch: ox.Store, last: Mapping[str, Iterable[ox.Triple]], graphs: list[ox.NamedNode]
    ) -> None:
        """A load written into the store itself: a transaction, or (new graphs in memory) the bulk loader."""
        size = _count(scratch)
        if size < BULK_TRIPLES or any(self._store.contains_named_graph(g) for g in [*graphs, *map(ox.NamedNode, last)]):
            super().write_graphs(scratch, last)
            return
        tail = _quads_document(last)
        document = (scratch.dump(format=ox.RdfFormat.N_QUADS) or b"") + tail
        if size + tail.count(b"\n") >= BULK_BATCH:
            self._store.load(document, format=ox.RdfFormat.N_QUADS)
            return
        try:
            # lenient: the document is the engine's own serialization of terms it has already parsed
            self._store.bulk_load(document, format=ox.RdfFormat.N_QUADS, lenient=True)
        except BaseException:
            self.drop_graphs([*(g.value for g in graphs), *last])
            raise

    def graph_triples(self, graph: str) -> set[ox.Triple]:
        return {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        }

    def graphs(self) -> list[GraphInfo]:
        _, rows = self.select_rows("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return [GraphInfo(lexical(g), int(lexical(n))) for g, n in rows if g is not None and n is not None]

    def is_empty(self) -> bool:
        """The first quad found answers: graphs() counts every quad (28 s at a million actors)."""
        return not self.select_rows("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")[1]

    @_writes
    def drop_graphs(self, graphs: Iterable[str]) -> None:
        self._writable()
        ops = [f"DROP SILENT GRAPH <{g}>" for g in graphs]
        if ops:
            self._store.update(" ;\n".join(ops))

    def dump_to(self, media_type: str, output: BinaryIO) -> None:
        fmt = GRAPH_FORMATS[media_type]
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            self._store.dump(output, format=fmt, prefixes=PREFIXES)
        else:
            triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self._store}
            ox.serialize(sorted(triples, key=str), output, format=fmt, prefixes=PREFIXES)

    def contents_key(self) -> str | None:
        if self._path is None:
            return None
        return self._opened_key if self.read_only else files_key(self._path)

    def beside(self, suffix: str) -> Path | None:
        return None if self._path is None else self._path.with_name(self._path.name + suffix)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        if self._spares is not None:
            self._spares.close()
        if not self.read_only:
            self._store.flush()
        del self._store
        if self._guard is not None:
            self._guard.close()


def in_memory_copy(source: OxigraphStore, limit: int = MEMORY_COPY_QUADS) -> OxigraphStore:
    """A read-only copy of a store in memory, for `avcluster serve --in-memory`.

    Oxigraph answers from memory several times faster than from its store on disk (2-12x on most canned
    questions at 1,000 and 50,000 actors, measured by `python -m bench`): a server whose data changes only by
    loads can answer from a copy and see a later load after a restart. Refused above `limit` quads,
    which the copy would not hold in memory."""
    counted = source._store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {limit + 1} }}"
    )
    assert isinstance(counted, ox.QuerySolutions)
    if int(next(iter(counted))[0].value) > limit:
        raise StoreError(f"{source.location}: over {limit:,} quads, too many to copy into memory; serve it from disk")
    copy = OxigraphStore()
    copy._store.bulk_extend(source._store)
    copy.read_only = True
    copy._refusal = "a read-only copy in memory (avcluster serve --in-memory)"
    copy.location = f"{source.location} (a copy in memory, read-only)"
    return copy


def files_key(path: Path) -> str | None:
    """A fingerprint of an on-disk store's contents: name, size and time of its table files and of its
    write-ahead logs that hold anything. Every write appends to a log or adds a table file (the bulk
    loader), whoever makes it, so a write always changes it; a flush or compaction changes it too
    (a result computed again needlessly, never a stale one). Opening a store that was closed (its
    logs flushed) leaves it as it was. None when the folder cannot be listed."""
    entries = []
    try:
        for entry in os.scandir(path):
            if entry.name.endswith((".sst", ".log", ".blob")):
                stat = entry.stat()
                if stat.st_size or not entry.name.endswith(".log"):  # an empty log is what an opening starts
                    entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
    except OSError:
        return None
    return hashlib.sha256(repr(sorted(entries)).encode()).hexdigest()


def _open_read_only(path: Path) -> ox.Store:
    """The engine opened read-only beside a writer. RocksDB reads the list of table files, then opens
    them; a compaction in the writer may delete one in between ("No such file or directory"). The
    next attempt reads the new list."""
    pause = 0.05
    while True:
        try:
            return ox.Store.read_only(str(path))
        except RuntimeError as error:
            if "No such file or directory" not in str(error) or pause > 1:
                raise StoreError(f"{path}: cannot open the store read-only: {error}") from error
        time.sleep(pause)
        pause *= 2


def replace_update(contents: Mapping[str, Iterable[ox.Triple]]) -> str:
    """One SPARQL Update that empties each graph and fills it with the given triples."""
    ops = [f"DROP SILENT GRAPH <{graph}>" for graph in contents]
    body = "\n".join(
        f"GRAPH <{graph}> {{\n" + "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples) + "\n}"
        for graph, triples in contents.items()
    )
    return " ;\n".join([*ops, "INSERT DATA {\n" + body + "\n}"])


def _quads_document(contents: Mapping[str, Iterable[ox.Triple]]) -> bytes:
    """Graphs of triples as one N-Quads document."""
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, triples in contents.items() for t in triples
    ]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _has_blank_nodes(scratch: ox.Store, graphs: Iterable[ox.NamedNode], staged: set[str]) -> bool:
    """Whether a graph of the scratch store other than the staged ones holds a blank node."""
    values = " ".join(str(g) for g in graphs if g.value not in staged)
    return bool(values) and bool(
        scratch.query(f"ASK {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}")
    )


def _count(store: ox.Store) -> int:
    solutions = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))[0].value)


def serving_file(path: Path) -> Path:
    """Where `avcluster serve` says which server holds a store on disk (beside the store's folder)."""
    return path.with_name(path.name + ".serving")


def holder(path: Path) -> str:
    """Who holds a locked store, in words: the server that said so, or another process."""
    note = serving_file(path)
    try:
        pid, url = note.read_text(encoding="utf-8").split(maxsplit=1)
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return "the store is in use by another process (a load, or `avcluster serve`): wait for it or stop it"
    return (
        f"the store is in use by `avcluster serve` (pid {pid}): stop it first, or send the change to "
        f"{url.strip()} as an update with the token"
    )
