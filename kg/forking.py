"""Run a function in a forked child with a wall-clock budget, killing the child if it overruns.

Neither rdflib nor pyoxigraph can cancel a running query (rdflib#836, oxigraph#1926), so a thread
with a timeout would leave the query burning CPU. A forked child shares the parent's store
pages copy-on-write, reads a consistent snapshot of it, and can be killed outright: the parent
loses nothing and other requests are not held up.

A fork copies the engine's locks as they are: when another thread (or one of RocksDB's background
threads) holds one at that instant, the child waits on it for ever. Such a child sleeps and uses no
CPU, which a working query never does for long, so the parent watches a silent child and, when it
is stuck, kills it and forks a fresh one (by then the lock is free) within the same time budget.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable

from .errors import AvclusterError, QueryError, QueryTimeout, ResultTooLarge

_OK, _QUERY_ERROR, _OTHER_ERROR = b"0", b"1", b"2"


_LOOK_EVERY = 0.05  # seconds between looks at a child that has sent nothing yet
_STUCK_AFTER = 4  # looks in a row that find it asleep with no CPU time used


class _Stuck(Exception):
    """The child sleeps on a lock it inherited held."""


def run_forked(fn: Callable[[], bytes], timeout: float, max_bytes: int | None = None) -> bytes:
    """fn() in a child process; its bytes back, or QueryTimeout / ResultTooLarge / QueryError."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return _run_once(fn, deadline, timeout, max_bytes)
        except _Stuck:
            continue


def _run_once(fn: Callable[[], bytes], deadline: float, timeout: float, max_bytes: int | None) -> bytes:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, measured through the parent
        os.close(read_fd)
        try:
            try:
                payload = _OK + fn()
            except (SyntaxError, QueryError, ValueError) as error:
                payload = _QUERY_ERROR + str(error).encode()
            except BaseException as error:
                payload = _OTHER_ERROR + f"{type(error).__name__}: {error}".encode()
            view = memoryview(payload)
            while view:
                view = view[os.write(write_fd, view) :]
            os.close(write_fd)  # the answer is complete now, before this copy of the process is torn down
        finally:
            os._exit(0)
    os.close(write_fd)
    try:
        return _collect(pid, read_fd, deadline, timeout, max_bytes)
    finally:
        os.close(read_fd)


def _collect(pid: int, fd: int, deadline: float, timeout: float, max_bytes: int | None) -> bytes:
    chunks: list[bytes] = []
    size = 0
    watch = _Watch(pid)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            raise QueryTimeout(timeout)
        ready, _, _ = select.select([fd], [], [], min(left, _LOOK_EVERY))
        if not ready:
            if not chunks and watch.stuck():
                _kill(pid)
                raise _Stuck
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes + 1:
            _kill(pid)
            raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")
    _reap(pid)
    payload = b"".join(chunks)
    status, body = payload[:1], payload[1:]
    if status == _OK:
        return body
    if status == _QUERY_ERROR:
        raise QueryError(body.decode(errors="replace"))
    raise AvclusterError(body.decode(errors="replace") or "query worker died without an answer")


def _reap(pid: int) -> None:
    """Collect a child that has answered without waiting for the kernel to tear down its copy of the
    parent: for a process holding a large store that takes as long as a small query (10-15 ms)."""
    if os.waitpid(pid, os.WNOHANG)[0] == 0:
        threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


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
