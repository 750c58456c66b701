"""Work done in a forked child process: the one mechanism behind queries with a time limit, Louvain
running beside the rest of an analysis, and shape checks shared among cores.

Why a child: neither rdflib nor pyoxigraph can cancel a running query (rdflib#836, oxigraph#1926),
so a thread with a timeout would leave the query burning CPU; a forked child shares the parent's
store pages copy-on-write, reads a consistent snapshot of them, and can be killed outright. Why
os.fork rather than multiprocessing: a load may run inside a daemonic process, which
multiprocessing forbids to have children, and nothing needs sending to a forked child.

One protocol: the child pickles `(True, value)` or `(False, exception)` into a pipe and exits; the
parent re-raises the exception (or, if it cannot be pickled, an AvclusterError naming it).

A fork copies the engine's locks as they are: when another thread (or one of RocksDB's background
threads) holds one at that instant, the child waits on it for ever. Such a child sleeps and uses no
CPU, which a working child never does for long, so a limited run watches a silent child and, when it
is stuck, kills it and forks a fresh one (by then the lock is free) within the same time budget.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from .errors import AvclusterError, QueryTimeout, ResultTooLarge

T = TypeVar("T")

_LOOK_EVERY = 0.05  # seconds between looks at a child that has sent nothing yet
_STUCK_AFTER = 4  # looks in a row that find it asleep with no CPU time used
_ENVELOPE = 4096  # bytes a pickled answer may take beyond its payload's own limit


class _Stuck(Exception):
    """The child sleeps on a lock it inherited held."""


class Worker(Generic[T]):
    """`fn()` computing in a child process from construction; `result()` waits for its value."""

    def __init__(self, fn: Callable[[], T]) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, checked through the parent
            os.close(read_fd)
            try:
                _answer(fn, write_fd)
            finally:
                os._exit(0)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd
        self._open = True

    def result(self, *, deadline: float | None = None, max_bytes: int | None = None) -> T:
        """The child's value, or its exception raised here.

        Past `deadline` (time.monotonic()) the child is killed and TimeoutError raised; an answer
        larger than `max_bytes` kills it with ResultTooLarge; a child stuck on an inherited lock
        raises _Stuck (only while a deadline is set: without one, nobody is waiting on it).
        """
        chunks: list[bytes] = []
        size = 0
        watch = _Watch(self._pid) if deadline is not None else None
        while True:
            wait = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.close()
                    raise TimeoutError
                wait = min(left, _LOOK_EVERY)
            ready, _, _ = select.select([self._fd], [], [], wait)
            if not ready:
                if not chunks and watch is not None and watch.stuck():
                    self.close()
                    raise _Stuck
                continue
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if max_bytes is not None and size > max_bytes + _ENVELOPE:
                self.close()
                raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")
        payload = b"".join(chunks)
        if not payload:
            self.close()
            raise AvclusterError("a worker process ended without an answer")
        ok, value = pickle.loads(payload)  # our own child's bytes
        if not ok:
            self.close()  # a failed child is gone before its error is raised: nothing is left running
            raise value
        self._finish()
        return value

    def close(self) -> None:
        """Stop a child whose answer nobody will read (a timeout, or the caller failed on the way)."""
        if self._open:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._release()

    def _finish(self) -> None:
        """Collect a child that has answered without waiting for the kernel to tear down its copy of
        the parent: for a process holding a large store that takes as long as a small query."""
        if os.waitpid(self._pid, os.WNOHANG)[0] == 0:
            threading.Thread(target=os.waitpid, args=(self._pid, 0), daemon=True).start()
        self._release()

    def _release(self) -> None:
        self._open = False
        os.close(self._fd)


class Inline(Generic[T]):
    """The Worker interface, computed on the spot: for small inputs, where a fork costs more than it saves."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._value = fn()

    def result(self) -> T:
        return self._value

    def close(self) -> None:
        """Nothing to stop."""


def run_limited(fn: Callable[[], T], timeout: float, max_bytes: int | None = None) -> T:
    """fn() in a child, stopped past `timeout` seconds (QueryTimeout) or `max_bytes` (ResultTooLarge)."""
    deadline = time.monotonic() + timeout
    while True:
        worker = Worker(fn)
        try:
            return worker.result(deadline=deadline, max_bytes=max_bytes)
        except _Stuck:
            continue
        except TimeoutError:
            raise QueryTimeout(timeout) from None
        finally:
            worker.close()


def run_shared(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Each job's value, in order: the first computed here, the others each in a child meanwhile.

    If any job fails, the children still running are stopped before its error is raised.
    """
    workers = [Worker(job) for job in jobs[1:]]
    try:
        values = [jobs[0]()] if jobs else []
        values += [worker.result() for worker in workers]
        return values
    finally:
        for worker in workers:
            worker.close()


def _answer(fn: Callable[[], T], fd: int) -> None:  # pragma: no cover - runs in the child
    try:
        payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # whatever it is, the parent raises it
        try:
            payload = pickle.dumps((False, error))
            pickle.loads(payload)
        except Exception:  # an error class that cannot be pickled or rebuilt (its own __init__ or
            # __reduce__ may raise anything): its name and message still reach the parent
            payload = pickle.dumps((False, AvclusterError(f"{type(error).__name__}: {error}")))
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]
    os.close(fd)  # the answer is complete now, before this copy of the process is torn down


class _Watch:
    """Tells a child stuck on a lock from a working one by its state and CPU time in /proc (Linux);
    elsewhere it never calls a child stuck, and a stuck one runs into the timeout as before."""

    def __init__(self, pid: int) -> None:
        self.path = f"/proc/{pid}/stat"
        self.cpu: int | None = None
        self.still = 0

    def stuck(self) -> bool:
        try:
            with open(self.path) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return False
        state, cpu = fields[0], int(fields[11]) + int(fields[12])  # state, utime + stime in clock ticks
        self.still = self.still + 1 if state == "S" and cpu == self.cpu else 0
        self.cpu = cpu
        return self.still >= _STUCK_AFTER
