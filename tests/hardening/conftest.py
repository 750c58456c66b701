"""What the hardening tests share: the real CLI and a real `avcluster serve` as subprocesses, stores on
disk compared by their dumps, a guard that sees any outbound connection, and synthetic files.

Everything runs the way a user runs it (`python -m avcluster.kg` is the `avcluster` command), so a kill is a
real SIGKILL of a real process and a server's memory is the memory of that process alone.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import psutil
import pytest

from avcluster.kg.stores import open_store

ROOT = Path(__file__).resolve().parents[2]
CLI = (sys.executable, "-m", "avcluster.kg")
TOKEN = "hardening-token-9f2c41d07be5"  # a value no other text in a log would contain by chance
# Installed before anything else runs in a guarded child: any attempt to reach another machine is
# written to stderr as one `OUTBOUND …` line and fails. Audit hooks see Python's sockets and urllib,
# which every pure-Python parser in the stack (rdflib, pyshacl, openpyxl) would use; the `canary`
# listener below catches what native code (pyoxigraph) might try.
GUARD = """
import sys
def _guard(event, args):
    if event == "socket.getaddrinfo" and args[0] in ("127.0.0.1", "localhost", "::1"):
        return  # a server looking up the address it binds; connecting anywhere is still caught
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request", "socket.sendto"):
        sys.stderr.write("OUTBOUND " + event + " " + repr(args)[:200] + "\\n")
        sys.stderr.flush()
        raise PermissionError("outbound connection refused by the test guard")
sys.addaudithook(_guard)
"""


def cli(*args: str, store: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`avcluster [--store S] ARGS…` to completion, output captured."""
    command = [*CLI, *(["--store", str(store)] if store else []), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


RUN_CLI = "from avcluster.kg.cli import main; main()"
GUARDED_CLI = (sys.executable, "-c", GUARD + RUN_CLI)


def guarded(*args: str, code: str = RUN_CLI, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Python code (by default the CLI with ARGS) in a child that refuses and reports any outbound connection."""
    command = [sys.executable, "-c", GUARD + code, *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def outbound(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("OUTBOUND ")]


def dump(path: Path) -> list[bytes]:
    """Every quad of a store on disk, sorted; opening it is itself the check that it opens cleanly."""
    store = open_store(str(path))
    try:
        return sorted(store.dump("application/n-quads").splitlines())
    finally:
        store.close()


def copy_store(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: Message  # names are case-insensitive: waitress writes `Www-Authenticate`
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> object:
        return json.loads(self.body)


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    """One request; an HTTP error status is an answer like any other, not an exception."""
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


class Server:
    """`avcluster serve` on a free port as its own process, its output kept in a log file."""

    def __init__(
        self, store: Path, *args: str, log: Path, env: Mapping[str, str] | None = None, guard: bool = False
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [*(GUARDED_CLI if guard else CLI), "--store", str(store), "serve", "--port", str(self.port), *args],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            )
        self._wait_until_up()

    def _wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"avcluster serve exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"avcluster serve did not listen within {seconds:g} s: {self.log.read_text()}")

    @property
    def rss(self) -> int:
        """Resident memory of the server process itself (not of the query workers it forks)."""
        return int(psutil.Process(self.process.pid).memory_info().rss)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Canary:
    """A local port that records every connection made to it: hostile inputs point here, and nothing may come."""

    port: int
    seen: list[str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def calls_since(self, mark: int) -> list[str]:
        return self.seen[mark:]


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    found = Canary(listener.getsockname()[1], [])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, peer = listener.accept()
            except TimeoutError:
                continue
            found.seen.append(f"{peer[0]}:{peer[1]}")
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join()
    listener.close()


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`avcluster synth` files by (actors, seed), written once per session."""
    folder = tmp_path_factory.mktemp("synth")
    made: dict[tuple[int, int], Path] = {}

    def make(actors: int, seed: int = 0) -> Path:
        if (actors, seed) not in made:
            path = folder / f"synth-{actors}-{seed}.nt"
            done = cli("synth", "--actors", str(actors), "--seed", str(seed), "-o", str(path))
            assert done.returncode == 0, done.stderr
            made[actors, seed] = path
        return made[actors, seed]

    return make


@pytest.fixture(scope="session")
def served_store(tmp_path_factory: pytest.TempPathFactory, synthetic: Callable[..., Path]) -> Path:
    """A store as a team would run it: the bundled data (`avcluster init`) and a 1,000-actor synthetic
    cluster, so that a careless query has enough to chew on. Servers run on copies of it."""
    store = tmp_path_factory.mktemp("served") / "store"
    for args in (("init",), ("load", "--name", "synthetic", str(synthetic(1000)))):
        done = cli(*args, store=store)
        assert done.returncode == 0, done.stderr
    return store
