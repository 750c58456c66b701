"""Crash safety: a real `avcluster load` of a large synthetic file, and a real server running an
authorised update, killed with SIGKILL at several moments. Afterwards the store opens cleanly, takes
writes, and holds exactly what it held before, or (only once the write had committed) exactly what
the finished write leaves: never anything in between.

The moments follow the loader's own progress lines (reading, checking, writing) and the files on
disk: a large load goes by the bulk loader into a copy of the store beside it (kg.stores.staging),
so the test waits for the copy to appear, for the bulk loader's tables to appear in it, and for the
switch (the store's folder becomes another directory); a small one commits a transaction, caught by
the write-ahead log growing and the manifest taking tables in. Besides those, kills at random moments
of a load (seeded, so a failure can be replayed).

Size: ACTORS defaults to 2,000 (65,000 triples, 10 MB): large enough that the file starts loading into
the copy while it is still being parsed and checked, small enough to keep CI short, as every kill after
the check phase costs one SHACL check of the whole file. The 5,000-actor file of the issue is
`AVCLUSTER_CRASH_ACTORS=5000 pytest tests/hardening/test_crash_safety.py`.
"""

from __future__ import annotations

import contextlib
import os
import random
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

ACTORS = int(os.environ.get("AVCLUSTER_CRASH_ACTORS", "2000"))
RANDOM_KILLS = int(os.environ.get("AVCLUSTER_CRASH_RANDOM", "4"))
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


def copies(store: Path) -> list[Path]:
    """The copies of the store that loads fill beside it before switching them in."""
    return sorted(p for p in store.parent.glob(f".{store.name}.load-*") if p.is_dir())


def copy_files(store: Path) -> dict[str, int]:
    """The engine's files in the copies beside the store."""
    return {f"{copy.name}/{name}": size for copy in copies(store) for name, size in files(copy).items()}


def copy_bulk_tables(store: Path) -> dict[str, int]:
    return {name: size for name, size in copy_files(store).items() if "/bulk-" in name}


def wait_for(found: Callable[[], object], alive: Callable[[], bool], what: str) -> None:
    while not found():
        if not alive():
            pytest.fail(f"the process ended before {what}")
        time.sleep(0.0005)


def folder_identity(store: Path) -> int:
    return store.stat().st_ino


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
# or a name of a condition below)
MOMENTS: dict[str, tuple[str, float | Callable[[Path], dict[str, int]] | str]] = {
    "reading": ("… reading", 0.05),  # parsing; the file is already loading into the copy
    "copy made": ("… bulk loading", "copy"),  # the copy of the store exists beside it
    "bulk loading": ("… bulk loading", "bulk"),  # the bulk loader's tables are appearing in the copy
    "checking": ("… checking", 0.1),
    "writing": ("… writing", 0.0),  # the derived shortcuts and the catalog record go into the copy
    "first write": ("… writing", files),  # the store's folder changes: a transaction's log, or the switch
    "manifest": ("… writing", manifest),  # tables join the store: a flush, or the switch
    "switched": ("… writing", "switch"),  # the store's folder has just become the complete copy
    "committed": ("loaded ", 0.0),  # the load has returned; the process has not closed the store yet
}
# moments after which the load may have taken effect (before them, it must not have)
MAY_HAVE_COMMITTED = ("first write", "manifest", "switched")
# scenario: (the stage to start from, the seed of the file to load, the stage a finished load leaves)
SCENARIOS = {"new graph": ("base", 0, "loaded"), "replaced graph": ("loaded", 1, "reloaded")}


def kill_load(store: Path, file: Path, moment: str, after: float | None = None) -> None:
    """Kill a load at a moment, or (`after`) that many seconds after it started."""
    marker, wait = MOMENTS[moment] if after is None else ("", after)
    identity = folder_identity(store)
    process = subprocess.Popen(
        [*CLI, "--store", str(store), "load", "--name", "synthetic", str(file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    output: list[str] = []
    if after is None:
        for line in process.stdout:
            output.append(line.decode())
            if line.decode().startswith(marker):
                break
        else:
            pytest.fail(f"the load never said {marker!r}: {''.join(output)}")
    running = lambda: process.poll() is None  # noqa: E731
    if isinstance(wait, float):
        time.sleep(wait)
    elif wait == "copy":
        wait_for(lambda: copies(store), running, "its copy of the store appeared")
    elif wait == "bulk":
        wait_for(lambda: copy_bulk_tables(store), running, "the bulk loader wrote into the copy")
    elif wait == "switch":
        wait_for(lambda: folder_identity(store) != identity, running, "the switch")
    else:
        assert callable(wait)
        wait_for_change(store, wait, running)
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
    if moment in ("committed", "switched"):
        assert timeless(state) == timeless(after), "a committed load was lost"
    elif moment in MAY_HAVE_COMMITTED:
        assert state == before or timeless(state) == timeless(after), (
            f"a load killed at the {moment!r} moment left part of it"
        )
    else:
        assert state == before, f"a load killed while {moment} changed the store"
    assert_takes_writes(store)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_load_killed_at_random_moments_leaves_the_store_old_or_complete(
    stages: Stages, synthetic: Callable[..., Path], tmp_path: Path, scenario: str
) -> None:
    """Kills at moments drawn at random over a whole load (seeded by the scenario: replayable), one
    after another on the same store: each leaves it as it was or complete; the next load sweeps the
    copies the killed ones left, and finishes."""
    start, seed, finished = SCENARIOS[scenario]
    before, after = stages.dumps[start], stages.dumps[finished]
    file = synthetic(ACTORS, seed)
    took = time.monotonic()
    full = copy_store(getattr(stages, start), tmp_path / "timed")
    done = cli("load", "--name", "synthetic", str(file), store=full)
    assert done.returncode == 0, done.stderr
    duration = time.monotonic() - took
    draw = random.Random(f"{scenario}-{ACTORS}")
    store = copy_store(getattr(stages, start), tmp_path / "store")
    for kill in range(RANDOM_KILLS):
        at = draw.uniform(0.0, duration)
        process_alive = True
        try:
            kill_load(store, file, "reading", after=at)
        except AssertionError:  # it had finished by then: that is the complete state
            process_alive = False
        state = dump(store)
        if not process_alive or timeless(state) == timeless(after):
            assert timeless(state) == timeless(after), f"kill {kill} at {at:.2f} s"
            break
        assert state == before, f"kill {kill} at {at:.2f} s of a {duration:.1f} s load left part of it"
    done = cli("load", "--name", "synthetic", str(file), store=store)
    assert done.returncode == 0, done.stderr
    assert timeless(dump(store)) == timeless(after)
    assert copies(store) == [], "a finished load left copies of the store behind"
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
