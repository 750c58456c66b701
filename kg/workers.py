"""Work done in a forked child process: the one mechanism behind queries with a time limit, and
shape checks and sampled betweenness shared among cores.

Why a child: neither rdflib nor pyoxigraph can cancel a running query (rdflib#836, oxigraph#1926),
so a thread with a timeout would leave the query burning CPU; a forked child shares the parent's
store pages copy-on-write, reads a consistent snapshot of them, and can be killed outright. Why
os.fork rather than multiprocessing: a load may run inside a daemonic process, which
multiprocessing forbids to have children, and nothing needs sending to a forked child.

One protocol: the child pickles `(True, value)` or `(False, exception)` into a pipe; the parent
re-raises the exception (or, if it cannot be pickled, an AvclusterError naming it).

A fork copies the engine's locks as they are: when another thread (or one of RocksDB's background
threads) holds one at that instant, the child waits on it for ever. Such a child sleeps and uses no
CPU, which a working child never does for long, so a limited run watches a silent child and, when it
is stuck, kills it and forks a fresh one (by then the lock is free) within the same time budget.

Forking a large process costs tens of milliseconds, more than a small query, so queries take the
fork off their path through `Spares`: children forked ahead of time by a keeper thread, each idle on
a pipe until it is handed a request, answering it from the snapshot it was forked with, and handed
the next one after it. A write makes every snapshot stale: the owner of the data wraps each write in
`Spares.writing()`, which kills the idle spares and bumps a version, and a spare forked before a write
is never handed out after it. A spare is killed at a timeout, like any worker, and replaced in the
background; when none is ready (right after a write, or all busy) a query forks as before.

What a spare costs: its page tables, and the pages it writes, which stop being shared with the
parent (its own engine caches, a query's working memory; gc.freeze keeps the collector from writing
to every inherited object): measured, a few MiB idle, 10-20 MiB after the heavy questions at 1,000
actors, 50-190 MiB at 50,000; a spare whose query ran long hands freed heap back (malloc_trim), and
one is replaced after _MAX_USES queries or _MAX_ANSWERED bytes of answers.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import signal
import stat
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from .errors import AvclusterError, QueryTimeout, ResultTooLarge

T = TypeVar("T")
R = TypeVar("R")

_LOOK_EVERY = 0.05  # seconds between looks at a child that has sent nothing yet
_STUCK_AFTER = 4  # looks in a row that find it asleep with no CPU time used
_ENVELOPE = 4096  # bytes a pickled answer may take beyond its payload's own limit

SPARES = 2  # spare query processes a store keeps ready (two cores: two queries at once without a fork)
SPARE_NAME = b"avcluster-spare"  # a spare's process name (/proc/PID/comm keeps 15 bytes: "avcluster-spare")
_READY_WAIT = 2.0  # seconds a new spare gets to answer its probe before it is taken for stuck
_QUIET = 0.02  # seconds without a write before the keeper forks: under a stream of writes each spare
# would be stale at once, and the queries fork afresh meanwhile as they did before spares
_RETRY_AFTER = 1.0  # seconds the keeper waits after three spares in a row never became ready
_MAX_USES = 1000  # queries a spare answers before it is replaced ...
_MAX_ANSWERED = 64 << 20  # ... or bytes of answers: its own heap grows with what it serializes
_PARENT_EVERY = 1.0  # seconds between an idle spare's checks that its parent is alive (besides PDEATHSIG)
_FRAME = struct.Struct("<Q")  # a spare's messages: length, then pickle

_PR_SET_PDEATHSIG, _PR_SET_NAME = 1, 15


def _libc(name: str) -> Callable[..., int] | None:
    """A function of Linux's C library, looked up in the parent: dlopen in a forked child could wait on
    a loader lock another thread held at the fork."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None


_PRCTL = _libc("prctl")
_MALLOC_TRIM = _libc("malloc_trim")  # glibc: hands freed heap back to the system
_TRIM_AFTER = 0.05  # seconds: a spare whose query took longer gives back what the query freed


class _Stuck(Exception):
    """The child sleeps on a lock it inherited held."""


class _Gone(AvclusterError):
    """The child ended without an answer (killed, or it crashed)."""


class Worker(Generic[T]):
    """`fn()` computing in a child process from construction; `result()` waits for its value."""

    def __init__(self, fn: Callable[[], T]) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, checked through the parent
            os.close(read_fd)
            try:
                _write_all(write_fd, _outcome(fn))
                os.close(write_fd)  # the answer is complete now, before this copy of the process is torn down
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
        try:
            payload = _receive(self._fd, self._pid, deadline, max_bytes, framed=False)
        except BaseException:
            self.close()
            raise
        if not payload:
            self.close()
            raise _Gone("a worker process ended without an answer")
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


def run_limited(
    fn: Callable[[], T], timeout: float, max_bytes: int | None = None, *, deadline: float | None = None
) -> T:
    """fn() in a child, stopped past `timeout` seconds (QueryTimeout) or `max_bytes` (ResultTooLarge).

    `deadline` (time.monotonic()) ends the run earlier when part of `timeout` is already spent."""
    deadline = time.monotonic() + timeout if deadline is None else deadline
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


@dataclass(eq=False)
class _Spare:
    pid: int
    requests: int  # the pipe it reads requests from (our end, non-blocking)
    answers: int  # the pipe it answers on (our end)
    version: int  # the data's version when it was forked
    uses: int = 0
    answered: int = 0  # bytes
    killed: bool = False
    fds_open: bool = True

    def ask(self, request: object, deadline: float, max_bytes: int | None) -> tuple[bool, Any]:
        """Send one request and wait for its answer: `(True, value)` or `(False, exception)`."""
        _send(self.requests, self.pid, pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL), deadline)
        payload = _receive(self.answers, self.pid, deadline, max_bytes, framed=True)
        self.answered += len(payload)
        return pickle.loads(payload)  # our own child's bytes

    def release(self) -> None:
        if self.fds_open:
            self.fds_open = False
            os.close(self.requests)
            os.close(self.answers)


class Spares(Generic[R, T]):
    """Processes forked ahead of time that answer `handler(request)` with a time limit.

    `handler` runs in the spare, on its copy of this process: it must reach the data through
    something the spare has (a weak reference held by the handler is enough). `probe` is a request
    a new spare answers before it counts as ready, so that one forked while a lock was held is
    caught before any query is handed to it. Every write to the data goes inside `writing()`.
    Spares die with this process (PR_SET_PDEATHSIG on Linux, and a look at their parent every
    second), and with `close()`.
    """

    def __init__(self, handler: Callable[[R], T], probe: R, size: int = SPARES) -> None:
        self._handler, self._probe, self._size = handler, probe, size
        self._owner = os.getpid()  # a forked copy of this object must leave its parent's spares alone
        self._lock = threading.RLock()  # reentrant: a finalizer may close the pool from inside it
        self._wake = threading.Condition(self._lock)
        self._idle: list[_Spare] = []
        self._live: dict[int, _Spare] = {}  # idle or answering
        self._doomed: list[int] = []  # killed, waiting to be reaped by the keeper
        self._version = 0
        self._writers = 0
        self._last_write = 0.0
        self._failures = 0
        self._retry_at = 0.0
        self._keeper: threading.Thread | None = None
        self._closed = False
        self.counts = {"forked": 0, "handed": 0, "fresh": 0, "stuck": 0}

    # --- the data's owner -----------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Around every write: no spare forked before the write answers a query after it."""
        with self._lock:
            self._writers += 1
            self._version += 1
            self._kill_idle()
        try:
            yield
        finally:
            with self._lock:
                self._writers -= 1
                self._version += 1
                self._last_write = time.monotonic()
                self._kill_idle()
                self._wake.notify_all()

    def run(self, request: R, timeout: float, max_bytes: int | None = None) -> T:
        """handler(request) in a spare (or a fresh fork when none is ready), killed past `timeout`
        seconds (QueryTimeout) or an answer past `max_bytes` (ResultTooLarge)."""
        deadline = time.monotonic() + timeout
        spare = self._take()
        if spare is not None:
            try:
                ok, value = spare.ask(request, deadline, max_bytes)
            except (_Stuck, _Gone):  # then a fresh fork, within what is left of the time
                self.counts["stuck"] += 1
                self._drop(spare, wait=False)
            except TimeoutError:
                self._drop(spare, wait=True)
                raise QueryTimeout(timeout) from None
            except BaseException:
                self._drop(spare, wait=True)
                raise
            else:
                self._give_back(spare)
                if not ok:
                    raise value
                return value
        self.counts["fresh"] += 1
        return run_limited(lambda: self._handler(request), timeout, max_bytes, deadline=deadline)

    def pids(self) -> list[int]:
        """The spares alive now (idle or answering)."""
        with self._lock:
            return sorted(self._live)

    def close(self) -> None:
        """Kill every spare and reap it; the pool forks no more."""
        if os.getpid() != self._owner:
            return
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for spare in list(self._live.values()):
                self._kill(spare)
            self._idle.clear()
            self._wake.notify_all()
            keeper = self._keeper
        if keeper is not None and keeper is not threading.current_thread():
            keeper.join(_READY_WAIT + 1)
        with self._lock:
            doomed, self._doomed = self._doomed, []
        _reap(doomed)

    # --- inside the pool ------------------------------------------------------------------------

    def _take(self) -> _Spare | None:
        with self._lock:
            if self._closed or os.getpid() != self._owner:
                return None
            if self._keeper is None:
                self._keeper = threading.Thread(target=self._keep, name="avcluster-spares", daemon=True)
                self._keeper.start()
            spare = None
            while self._idle and spare is None:
                candidate = self._idle.pop()
                if candidate.version == self._version and not self._writers:
                    spare = candidate
                    self.counts["handed"] += 1
                else:
                    self._kill(candidate)
            self._wake.notify_all()
            return spare

    def _give_back(self, spare: _Spare) -> None:
        with self._lock:
            spare.uses += 1
            if (
                self._closed
                or spare.killed
                or spare.version != self._version
                or spare.uses >= _MAX_USES
                or spare.answered >= _MAX_ANSWERED
            ):
                self._kill(spare)
                spare.release()
            else:
                self._idle.append(spare)
            self._wake.notify_all()

    def _drop(self, spare: _Spare, *, wait: bool) -> None:
        """Kill a spare that failed its request; `wait`: reap it before returning, as a timeout does."""
        with self._lock:
            self._kill(spare)
            spare.release()
            mine = wait and spare.pid in self._doomed
            if mine:
                self._doomed.remove(spare.pid)
            self._wake.notify_all()
        if mine:
            _reap([spare.pid])

    def _kill(self, spare: _Spare) -> None:
        """(With the lock.) Kill a spare and leave it to be reaped; an idle one's pipes are closed here,
        an answering one's by the thread waiting on it."""
        if spare.killed:
            return
        spare.killed = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(spare.pid, signal.SIGKILL)
        self._live.pop(spare.pid, None)
        self._doomed.append(spare.pid)
        if spare in self._idle:
            self._idle.remove(spare)
            spare.release()

    def _kill_idle(self) -> None:
        for spare in list(self._idle):
            self._kill(spare)

    def _wants(self) -> float | None:
        """(With the lock.) Seconds until the keeper should fork a spare (0: now), None: no need."""
        # one idle spare is enough; a second is forked while the first answers, so that a query
        # arriving meanwhile has one too (after a write that is one fork, not `size`)
        if self._closed or self._writers or self._idle or len(self._live) >= self._size:
            return None
        return max(self._last_write + _QUIET - time.monotonic(), self._retry_at - time.monotonic(), 0.0)

    def _keep(self) -> None:
        """The keeper thread: reaps killed spares and forks new ones while fewer than `size` live.

        Only this thread forks spares: PR_SET_PDEATHSIG fires when the thread that forked a child
        ends, and this one lives as long as the pool."""
        while True:
            with self._lock:
                while not self._closed and not self._doomed and self._wants() != 0:
                    self._wake.wait(self._wants())
                if self._closed:
                    return
                doomed, self._doomed = self._doomed, []
                version = self._version
                fork = self._wants() == 0
            _reap(doomed)
            if not fork:
                continue
            spare = self._fork(version)
            with self._lock:
                if spare is None:
                    self._failures += 1
                    if self._failures >= 3:  # the engine is busy (a load?): let it be for a while
                        self._failures, self._retry_at = 0, time.monotonic() + _RETRY_AFTER
                    continue
                self._failures = 0
                self._live[spare.pid] = spare
                if self._closed or spare.version != self._version or self._writers:
                    self._kill(spare)
                    spare.release()
                else:
                    self._idle.append(spare)

    def _fork(self, version: int) -> _Spare | None:
        """A new spare that has answered the probe, or None (it was stuck, and is killed)."""
        request_r, request_w = os.pipe()
        answer_r, answer_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, checked through the parent
            try:
                _close_inherited(keep=(request_r, answer_w))
                _serve(self._handler, self._probe, request_r, answer_w, parent)
            finally:
                os._exit(0)
        self.counts["forked"] += 1
        os.close(request_r)
        os.close(answer_w)
        os.set_blocking(request_w, False)
        spare = _Spare(pid, request_w, answer_r, version)
        try:
            _receive(answer_r, pid, time.monotonic() + _READY_WAIT, None, framed=True)
        except (_Stuck, TimeoutError, _Gone):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _reap([pid])
            spare.release()
            return None
        return spare


def _serve(handler: Callable[[Any], Any], probe: object, requests: int, answers: int, parent: int) -> None:
    """A spare's life (in the child): answer the probe, say ready, then answer request after request."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
        _PRCTL(_PR_SET_NAME, SPARE_NAME)
    if os.getppid() != parent:  # the parent died before PDEATHSIG was set
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which decides what stops
    gc.freeze()  # a collection would touch every inherited object and copy its page: keep them shared
    _outcome(lambda: handler(probe))
    _write_all(answers, _FRAME.pack(0))
    while True:
        ready, _, _ = select.select([requests], [], [], _PARENT_EVERY)
        if not ready:
            if os.getppid() != parent:
                return
            continue
        head = _read_exactly(requests, _FRAME.size)
        body = _read_exactly(requests, _FRAME.unpack(head)[0]) if head is not None else None
        if body is None:  # the parent closed the pipe
            return
        started = time.monotonic()
        answer = _outcome(partial(_unpickled, handler, body))
        _write_all(answers, _FRAME.pack(len(answer)) + answer)
        if _MALLOC_TRIM is not None and time.monotonic() - started > _TRIM_AFTER:
            # a long query built large intermediate results; the allocator would keep their pages,
            # private to this spare, until it ends: give them back now that the answer has gone
            _MALLOC_TRIM(0)


def _unpickled(handler: Callable[[Any], Any], body: bytes) -> Any:
    return handler(pickle.loads(body))


def _close_inherited(keep: tuple[int, ...]) -> None:
    """Close the pipes and sockets a spare inherited but its own: it lives long, and a copy of another
    worker's pipe would keep that worker's answer from ending, a copy of a client's socket would keep
    the connection open after the server closed it. Files stay open: they are the store's."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd < 3 or fd in keep:
            continue
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
            with contextlib.suppress(OSError):
                os.close(fd)


def _outcome(fn: Callable[[], Any]) -> bytes:
    """fn()'s value or its error, pickled for the parent."""
    try:
        return pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as error:  # whatever it is, the parent raises it
        try:
            payload = pickle.dumps((False, error))
            pickle.loads(payload)
        except Exception:  # an error class that cannot be pickled or rebuilt (its own __init__ or
            # __reduce__ may raise anything): its name and message still reach the parent
            payload = pickle.dumps((False, AvclusterError(f"{type(error).__name__}: {error}")))
        return payload


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _send(fd: int, pid: int, payload: bytes, deadline: float) -> None:
    """A request to a spare through its non-blocking pipe, watching it as `_receive` does."""
    view = memoryview(_FRAME.pack(len(payload)) + payload)
    watch = _Watch(pid)
    while view:
        try:
            view = view[os.write(fd, view) :]
            continue
        except BlockingIOError:
            pass
        except BrokenPipeError:
            raise _Gone("a spare query process ended before it was sent its query") from None
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        _, ready, _ = select.select([], [fd], [], min(left, _LOOK_EVERY))
        if not ready and watch.stuck():
            raise _Stuck


def _receive(fd: int, pid: int, deadline: float | None, max_bytes: int | None, *, framed: bool) -> bytes:
    """A child's answer: everything up to the end of the pipe, or (`framed`) one length-prefixed message.

    Raises TimeoutError past `deadline`, ResultTooLarge past `max_bytes`, _Stuck for a child that
    sleeps before sending anything (only with a deadline), _Gone for a framed child that ended."""
    limit = None if max_bytes is None else max_bytes + _ENVELOPE
    data = bytearray()
    want: int | None = None  # a framed message's length, once its head has arrived
    watch = _Watch(pid) if deadline is not None else None
    while True:
        if framed:
            if want is None and len(data) >= _FRAME.size:
                want = _FRAME.unpack_from(data)[0]
                if limit is not None and want > limit:
                    raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")
            if want is not None and len(data) >= _FRAME.size + want:
                return bytes(data[_FRAME.size : _FRAME.size + want])
        wait = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            wait = min(left, _LOOK_EVERY)
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            if not data and watch is not None and watch.stuck():
                raise _Stuck
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            if framed:
                raise _Gone("a spare query process ended without an answer")
            return bytes(data)
        data += chunk
        if limit is not None and len(data) > limit + (_FRAME.size if framed else 0):
            raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")


def _reap(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
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
