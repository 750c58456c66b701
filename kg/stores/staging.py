"""A large load into a store on disk: written into a private copy of the store, then switched in whole.

pyoxigraph's bulk loader is the fastest way into a store on disk (5-10x a transaction), but it
commits a large load in several steps, so a load killed half-way would leave half of it. Here it
never writes into the store a user named: the store is copied first (a RocksDB checkpoint: hard links
to its immutable tables, milliseconds at any size), the load goes into the copy, and the copy takes
the store's place in one system call (Linux renameat2 RENAME_EXCHANGE, which swaps two directories
atomically). Killed at any moment, the store's folder holds the old store or the complete new one;
what is left of the other is a hidden folder beside it (`.NAME.load-PID-N`) that the next load
removes.

A load can start filling the copy before its checks have finished (`Staging.start`): the bulk loader
releases Python's lock, so it runs beside the checks on another core, and a refused load only throws
the copy away.

Who else may have the folder open: a writer cannot (the loader holds the store's lock until the
switch); readers that opened it read-only (commands run beside a server, or beside this load) hold a
shared lock on `NAME.lock` beside the store for as long as they have it open, and the switch waits up to
SWITCH_WAIT seconds for them before it gives up in one line, writing nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import itertools
import os
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..source_files import SourceFile

SWITCH_WAIT = 30.0  # seconds the switch waits for read-only readers to close the store
REMOVE_COST = 3.5  # removing a quad in a transaction against bulk-loading one, on disk (measured here)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_numbers = itertools.count()


@dataclass(frozen=True)
class StagedFile:
    """A file bound for one named graph, as the engine parses it."""

    graph: str
    source: SourceFile
    format: ox.RdfFormat
    base_iri: str


def lock_file(path: Path) -> Path:
    """Beside a store's folder: the lock its readers share and a switch takes alone."""
    return path.with_name(path.name + ".lock")


class Guard:
    """A shared lock on a store's lock file, held for as long as the store is open (released when the
    process ends, however it ends). Best effort: where the file cannot be made (a read-only disk), none."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self._fd: int | None = None
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(lock_file(path), os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._fd, fcntl.LOCK_SH)
        except OSError:
            self.close()

    def exclusive(self, wait: float) -> bool:
        """Take the lock alone, waiting up to `wait` seconds for readers; False (and shared again) if not."""
        if self._fd is None:
            return True
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fcntl.flock(self._fd, fcntl.LOCK_SH)
                    return False
                time.sleep(0.05)

    def shared(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


def exchange(first: Path, second: Path) -> None:
    """Swap two directories in one atomic step (Linux renameat2 with RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(None, use_errno=True)
    rename = getattr(libc, "renameat2", None)
    if rename is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first))
    _sync_folder(first.parent)


def can_exchange(path: Path) -> bool:
    """Whether a store's folder can be swapped with a sibling atomically: it is on its parent's file
    system (not a mount point of its own), and that file system swaps directories (tried on two empty ones)."""
    try:
        if path.exists() and path.stat().st_dev != path.parent.stat().st_dev:
            return False
    except OSError:
        return False
    probe = path.parent / f".exchange-probe-{os.getpid()}-{next(_numbers)}"
    a, b = probe.with_name(probe.name + "-a"), probe.with_name(probe.name + "-b")
    try:
        a.mkdir()
        b.mkdir()
        exchange(a, b)
        return True
    except OSError:
        return False
    finally:
        for leftover in (a, b):
            with contextlib.suppress(OSError):
                leftover.rmdir()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sweep(path: Path) -> None:
    """Remove copies that loads which no longer run left beside the store (killed, or refused)."""
    for leftover in path.parent.glob(f".{path.name}.load-*"):
        pid = leftover.name.removeprefix(f".{path.name}.load-").split("-")[0]
        with contextlib.suppress(ValueError):
            if int(pid) != os.getpid() and not _alive(int(pid)):
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)


def _size(engine: ox.Store, graph: ox.NamedNode) -> int:
    solutions = engine.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))[0].value)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class Staging:
    """A copy of a store on disk that a load fills (in the background when started early), then hands
    over for the switch.

    The copy is the store without the graphs the load replaces (see _copy_without), then the staged
    files are bulk-loaded into their graphs. `finish` adds the rest of the load (a document the
    engine parses) and returns the copy's folder, ready to take the store's place.
    """

    def __init__(self, engine: ox.Store, path: Path, replaced: Sequence[str], files: Sequence[StagedFile] = ()) -> None:
        self.path = path
        self.copy = path.with_name(f".{path.name}.load-{os.getpid()}-{next(_numbers)}")
        self.graphs = {f.graph for f in files}
        self._engine: ox.Store | None = engine
        self._replaced = list(replaced)
        self._files = list(files)
        self._error: BaseException | None = None
        self._abandoned = False
        self.committed = False
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        sweep(path)

    def start(self) -> None:
        """Fill the copy in a background thread."""
        self._thread = threading.Thread(target=self._fill, name="avcluster-staging", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        try:
            engine, self._engine = self._engine, None  # the store must close at the switch: no reference kept
            assert engine is not None
            engine.flush()
            self._copy_without(engine, [g for g in map(ox.NamedNode, self._replaced) if engine.contains_named_graph(g)])
            del engine
            copy = ox.Store(str(self.copy))
            try:
                for staged in self._files:
                    copy.bulk_load(
                        path=str(staged.source.path),
                        format=staged.format,
                        base_iri=staged.base_iri,
                        to_graph=ox.NamedNode(staged.graph),
                    )
                    staged.source.unchanged()
                copy.flush()
            finally:
                del copy
        except BaseException as error:  # handed to the thread that finishes or discards
            self._error = error
        finally:
            with self._lock:
                self._done.set()
                if self._abandoned:
                    shutil.rmtree(self.copy, ignore_errors=True)

    def _copy_without(self, engine: ox.Store, replaced: list[ox.NamedNode]) -> None:
        """The copy: the store without the graphs the load replaces.

        With nothing replaced, a checkpoint (hard links: milliseconds). Otherwise whichever is cheaper:
        a checkpoint with those graphs removed, one transaction whose cost grows with what it removes
        (about 3.5x the bulk loader's per quad, measured), or a fresh store bulk-loaded with every other
        graph, whose cost grows with what is kept."""
        removed = sum(_size(engine, g) for g in replaced)
        if not replaced or removed * REMOVE_COST < len(engine) - removed:
            engine.backup(str(self.copy))
            if replaced:
                copy = ox.Store(str(self.copy))
                try:
                    for graph in replaced:
                        copy.remove_graph(graph)
                    copy.flush()
                finally:
                    del copy
            return
        kept = self.copy.with_name(self.copy.name + "-kept.nq")
        try:
            # Graphs with blank nodes are copied term by term: the engine's parsers name every blank node
            # afresh, and a kept graph must stay exactly as it was. The others travel as one document of
            # their N-Triples lines (one a line: a literal's line breaks are escaped), each given its graph.
            blank: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph()]
            with kept.open("wb") as out:
                for name in engine.named_graphs():
                    if name in replaced:
                        continue
                    if isinstance(name, ox.BlankNode) or engine.query(
                        f"ASK {{ GRAPH {name} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"
                    ):
                        blank.append(name)
                    else:
                        lines = engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name) or b""
                        out.write(lines.replace(b" .\n", f" {name} .\n".encode()))
            copy = ox.Store(str(self.copy))
            try:
                copy.bulk_load(path=str(kept), format=ox.RdfFormat.N_QUADS, lenient=True)
                for held in blank:
                    copy.bulk_extend(engine.quads_for_pattern(None, None, None, held))
                copy.flush()
            finally:
                del copy
        finally:
            kept.unlink(missing_ok=True)

    def finish(self, documents: Callable[[], Sequence[tuple[str | None, bytes]]]) -> Path:
        """Wait for the background fill, bulk-load the rest of the load into the copy, and return the
        copy's folder, complete and closed. `documents` makes the rest: (None, N-Quads) or (graph, N-Triples)."""
        if self._thread is None:
            self._fill()
        self._done.wait()
        if self._error is not None:
            raise self._error
        copy = ox.Store(str(self.copy))
        try:
            for graph, data in documents():
                # lenient: each document is the engine's own serialization of terms it has already parsed
                if graph is None:
                    copy.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
                elif data:
                    copy.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True, to_graph=ox.NamedNode(graph))
            copy.flush()
        finally:
            del copy
        return self.copy

    def discard(self) -> None:
        """Throw the copy away (now, or when the background fill ends). Nothing of it reaches the store."""
        if self.committed:
            return
        with self._lock:
            self._abandoned = True
            if self._done.is_set() or self._thread is None:
                shutil.rmtree(self.copy, ignore_errors=True)


def switch(copy: Path, path: Path, guard: Guard, close: Callable[[], None], reopen: Callable[[], None]) -> None:
    """Put the complete copy in the store's place: `close` the store, swap the folders, `reopen` it,
    and remove the old store (now in the copy's folder). Refused in one line, changing nothing, while
    read-only readers keep the store open past SWITCH_WAIT seconds."""
    if not guard.exclusive(SWITCH_WAIT):
        shutil.rmtree(copy, ignore_errors=True)
        raise StoreError(
            f"{path}: other processes have the store open read-only (`avcluster query` and the like); "
            f"close them and load again; nothing was written"
        )
    try:
        close()
        try:
            exchange(copy, path)
        except OSError as error:
            reopen()
            shutil.rmtree(copy, ignore_errors=True)
            raise StoreError(f"{path}: could not switch to the loaded copy ({error}); nothing was written") from error
        reopen()
    finally:
        guard.shared()
    shutil.rmtree(copy, ignore_errors=True)


__all__ = ["SWITCH_WAIT", "Guard", "StagedFile", "Staging", "can_exchange", "exchange", "lock_file", "switch"]
