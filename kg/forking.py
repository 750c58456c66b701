"""Run a function in a forked child with a wall-clock budget, killing the child if it overruns.

Neither rdflib nor pyoxigraph can cancel a running query (rdflib#836, oxigraph#1926), so a thread
with a timeout would leave the query burning CPU. A forked child shares the parent's store
pages copy-on-write, reads a consistent snapshot of it, and can be killed outright: the parent
loses nothing and other requests are not held up.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Callable

from .errors import AvclusterError, QueryError, QueryTimeout, ResultTooLarge

_OK, _QUERY_ERROR, _OTHER_ERROR = b"0", b"1", b"2"


def run_forked(fn: Callable[[], bytes], timeout: float, max_bytes: int | None = None) -> bytes:
    """fn() in a child process; its bytes back, or QueryTimeout / ResultTooLarge / QueryError."""
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
        finally:
            os._exit(0)
    os.close(write_fd)
    try:
        return _collect(pid, read_fd, timeout, max_bytes)
    finally:
        os.close(read_fd)


def _collect(pid: int, fd: int, timeout: float, max_bytes: int | None) -> bytes:
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            raise QueryTimeout(timeout)
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes + 1:
            _kill(pid)
            raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")
    os.waitpid(pid, 0)
    payload = b"".join(chunks)
    status, body = payload[:1], payload[1:]
    if status == _OK:
        return body
    if status == _QUERY_ERROR:
        raise QueryError(body.decode(errors="replace"))
    raise AvclusterError(body.decode(errors="replace") or "query worker died without an answer")


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
