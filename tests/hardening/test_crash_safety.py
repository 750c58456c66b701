"""Crash safety: a real `avcluster load` of a large synthetic file, and a real server running an
authorised update, killed with SIGKILL at several moments. Afterwards the store opens cleanly, takes
writes, and holds exactly what it held before, or (only once the write had committed) exactly what
the finished write leaves: never anything in between.

The moments follow the loader's own progress lines (reading, checking, writing); the commit itself
is caught by watching the engine's files: the write-ahead log growing (a transaction committing),
the first table of a bulk load appearing, the manifest taking the tables in.

Size: ACTORS defaults to 1,000 (33,000 triples) to keep CI short,
as every kill after the check phase costs one SHACL check of the whole file. The 5,000-actor file
of the issue is `AVCLUSTER_CRASH_ACTORS=5000 pytest tests/hardening/test_crash_safety.py`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from avcluster.kg.namespaces import dataset_graph
from avcluster.kg.stores import open_store

from .conftest import CLI, ROOT, TOKEN, Server, cli, copy_store, dump, http

pytestmark = pytest.mark.slow

ACTORS = int(os.environ.get("AVCLUSTER_CRASH_ACTORS", "1000"))
SYNTHETIC = dataset_graph("synthetic")
# The catalog records when a load ran; two loads of the same file differ in that triple alone.
LOAD_TIME = b"<http://www.w3.org/ns/prov#generatedAtTime>"


def timeless(quads: list[bytes]) -> list[bytes]:
    return [q for q in quads if LOAD_TIME not in q]


def files(store: Path) -> dict[str, int]:
    """The engine's files and their sizes: write-ahead logs, tables, and the manifest that records
    which tables make up the store (a bulk load commits by adding its tables to the manifest)."""
    found = {}
    for path in store.iterdir():
        if path.suffix in (".log", ".sst") or path.name.startswith("MANIFEST"):
            with contextlib.suppress(FileNotFoundError):
                found[path.name] = path.stat().st_size
    return found


def manifest(store: Path) -> dict[str, int]:
    return {name: size for name, size in files(store).items() if name.startswith("MANIFEST")}


def bulk_tables(store: Path) -> dict[str, int]:
    """The tables a bulk load writes beside the store before it ingests them all at once."""
    return {name: size for name, size in files(store).items() if name.startswith("bulk-")}


def wait_for_ingestion(store: Path, alive: Callable[[], bool]) -> None:
    """Until a bulk load's tables have appeared and then been taken into the store."""
    seen = False
    while not seen or bulk_tables(store):
        seen = seen or bool(bulk_tables(store))
        if not alive():
            if not seen:
                pytest.skip("this load was written by a transaction, not by the bulk loader")
            pytest.fail("the process ended before its bulk tables were taken in")
        time.sleep(0.0005)


def wait_for_change(store: Path, look: Callable[[Path], dict[str, int]], alive: Callable[[], bool]) -> None:
    start = look(store)
    while look(store) == start:
        if not alive():
            pytest.fail("the process ended before its write reached the store's files")
        time.sleep(0.0005)


@dataclass
class Stages:
    """Stores on disk at each stage, and their dumps: the states a killed write may leave."""

    base: Path  # the ontology and the bundled datasets, as `avcluster init` leaves them
    loaded: Path  # base + synthetic (seed 0) in its own graph
    dumps: dict[str, list[bytes]]


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory, synthetic: Callable[..., Path]) -> Stages:
    root = tmp_path_factory.mktemp("crash")
    base = root / "base"
    done = cli("init", store=base)
    assert done.returncode == 0, done.stderr
    loaded = copy_store(base, root / "loaded")
    done = cli("load", "--name", "synthetic", str(synthetic(ACTORS, 0)), store=loaded)
    assert done.returncode == 0, done.stderr
    reloaded = copy_store(loaded, root / "reloaded")
    done = cli("load", "--name", "synthetic", str(synthetic(ACTORS, 1)), store=reloaded)
    assert done.returncode == 0, done.stderr
    return Stages(base, loaded, {"base": dump(base), "loaded": dump(loaded), "reloaded": dump(reloaded)})


# moment: (the output line to wait for, then seconds to wait, or the files whose change to wait for,
# or None for a bulk load's ingestion)
MOMENTS: dict[str, tuple[str, float | Callable[[Path], dict[str, int]] | None]] = {
    "reading": ("… reading", 0.05),
    "checking": ("… checking", 0.1),
    "writing": ("… writing", 0.0),
    "first write": ("… writing", files),  # the log grows, or the first table of a bulk load appears
    "manifest": ("… writing", manifest),  # tables join the store: a flush, or a bulk load's commit
    "ingested": ("… writing", None),  # a bulk load's tables have just been taken into the store
    "committed": ("loaded ", 0.0),  # the load has returned; the process has not closed the store yet
}
# scenario: (the stage to start from, the seed of the file to load, the stage a finished load leaves)
SCENARIOS = {"new graph": ("base", 0, "loaded"), "replaced graph": ("loaded", 1, "reloaded")}


def kill_load(store: Path, file: Path, moment: str) -> None:
    marker, wait = MOMENTS[moment]
    process = subprocess.Popen(
        [*CLI, "--store", str(store), "load", "--name", "synthetic", str(file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    output = []
    for line in process.stdout:
        output.append(line.decode())
        if line.decode().startswith(marker):
            break
    if isinstance(wait, float):
        time.sleep(wait)
    elif wait is None:
        wait_for_ingestion(store, lambda: process.poll() is None)
    else:
        wait_for_change(store, wait, lambda: process.poll() is None)
    alive = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert alive, f"the load finished before the {moment!r} moment: {''.join(output)}"


def assert_takes_writes(path: Path) -> None:
    store = open_store(str(path))
    try:
        store.update("INSERT DATA { GRAPH <urn:x-test:probe> { <urn:x-test:a> <urn:x-test:b> 'after the crash' } }")
        assert b"true" in store.query("ASK { <urn:x-test:a> <urn:x-test:b> 'after the crash' }").body
    finally:
        store.close()


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_load_killed_at_any_moment_leaves_the_store_as_before(
    stages: Stages, synthetic: Callable[..., Path], tmp_path: Path, scenario: str, moment: str
) -> None:
    start, seed, finished = SCENARIOS[scenario]
    store = copy_store(getattr(stages, start), tmp_path / "store")
    kill_load(store, synthetic(ACTORS, seed), moment)
    state = dump(store)  # raises if the store does not open
    before, after = stages.dumps[start], stages.dumps[finished]
    if moment == "committed":
        assert timeless(state) == timeless(after), "a committed load was lost"
    elif moment in ("first write", "manifest", "ingested"):
        assert state == before or timeless(state) == timeless(after), (
            f"a load killed at the {moment!r} moment left part of it"
        )
    else:
        assert state == before, f"a load killed while {moment} changed the store"
    assert_takes_writes(store)


MOVE = (
    f"INSERT {{ GRAPH <{SYNTHETIC}-moved> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{SYNTHETIC}> {{ ?s ?p ?o }} }} ;\n"
    f"DROP GRAPH <{SYNTHETIC}>"
)


@pytest.mark.parametrize("moment", ["evaluating", "commit"])
def test_a_server_killed_during_an_authorised_update_leaves_the_store_whole(
    stages: Stages, tmp_path: Path, moment: str
) -> None:
    moved = copy_store(stages.loaded, tmp_path / "moved")
    done = open_store(str(moved))
    done.update(MOVE)
    done.close()
    before, after = stages.dumps["loaded"], dump(moved)
    store = copy_store(stages.loaded, tmp_path / "store")
    server = Server(store, "--update-token", TOKEN, log=tmp_path / "serve.log")

    def send() -> None:
        with contextlib.suppress(OSError):  # the server dies under it
            http(
                server.url + "/sparql",
                data=MOVE.encode(),
                headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            )

    request = threading.Thread(target=send, daemon=True)
    try:
        request.start()
        if moment == "commit":
            wait_for_change(store, files, lambda: server.process.poll() is None)
        else:
            time.sleep(0.5)
        assert server.process.poll() is None
    finally:
        server.kill()
    request.join(timeout=10)
    state = dump(store)
    if moment == "evaluating":
        assert state == before, "a server killed mid-update changed the store"
    else:
        assert state in (before, after), "a server killed while committing an update left half of it"
    assert_takes_writes(store)
