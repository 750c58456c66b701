"""Run one long computation in a forked child while the parent goes on with the rest.

Louvain in networkx is pure Python and takes as long as every other part of a 50,000-actor analysis
together; on a two-core machine running it beside the rest halves the wait. The child inherits the
data copy-on-write, so nothing is sent to it; only its (small) result comes back, pickled.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`fn()` computing in a child process from construction; `result()` waits for it."""

    def __init__(self, fn: Callable[[], T]) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child; its result is checked through the parent
            os.close(read_fd)
            try:
                try:
                    payload = pickle.dumps((True, fn()))
                except BaseException as error:  # whatever it is, the parent re-raises it
                    payload = pickle.dumps((False, error))
                with os.fdopen(write_fd, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd
        self._done = False

    def result(self) -> T:
        with os.fdopen(self._fd, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(self._pid, 0)
        self._done = True
        if not payload:
            raise RuntimeError("the background computation died without a result")
        ok, value = pickle.loads(payload)  # our own child's bytes
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop a child whose result nobody will read (the caller failed on the way)."""
        if not self._done:
            self._done = True
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._fd)


class Inline(Generic[T]):
    """The same interface, computed on the spot: for small inputs, where a fork costs more than it saves."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._value = fn()

    def result(self) -> T:
        return self._value

    def close(self) -> None:
        """Nothing to stop."""
