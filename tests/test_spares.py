"""Spare query processes (kg.workers.Spares behind OxigraphStore.query with a timeout): forked ahead
of time so that a small query does not pay a fork, yet every query stays killable and sees every
committed write. Real processes and real stores throughout, nothing mocked."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

from avcluster.kg.errors import QueryTimeout
from avcluster.kg.stores import open_store
from avcluster.kg.stores.oxigraph import OxigraphStore
from avcluster.kg.workers import SPARE_NAME, Spares

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
GRAPH = "urn:x-test:g"


def insert(i: int) -> str:
    return f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x-test:s{i}> <urn:x-test:p> {i} }} }}"


def ask(store: OxigraphStore, i: int, timeout: float = 10.0) -> bool:
    body = store.query(f"ASK {{ <urn:x-test:s{i}> <urn:x-test:p> {i} }}", timeout=timeout).body
    return b"true" in body


def spares(store: OxigraphStore) -> Spares[object, object]:
    assert store._spares is not None
    return store._spares


def ready(store: OxigraphStore, at_least: int = 1, within: float = 20.0) -> list[int]:
    """The store's spare processes, once at least `at_least` of them are forked and idle."""
    pool = spares(store)
    end = time.monotonic() + within
    while time.monotonic() < end:
        with pool._lock:
            idle = [spare.pid for spare in pool._idle]
        if len(idle) >= at_least:
            return idle
        time.sleep(0.02)
    raise AssertionError(f"no spare ready within {within} s: {pool.counts}")


def zombies() -> list[psutil.Process]:
    return [c for c in psutil.Process().children() if c.status() == psutil.STATUS_ZOMBIE]


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OxigraphStore]:
    opened = open_store("memory:" if request.param == "memory" else str(tmp_path / "store"))
    assert isinstance(opened, OxigraphStore)
    opened.update(
        f"INSERT DATA {{ GRAPH <{GRAPH}> {{ "
        + " ".join(f"<urn:x-test:t{i}> <urn:x-test:p> {i} ." for i in range(2_000))
        + " } }"
    )
    opened.query("ASK {}", timeout=10)  # the first query starts the keeper
    yield opened
    opened.close()


def test_a_spare_answers_a_query_and_is_handed_the_next_one(store: OxigraphStore) -> None:
    (pid,) = ready(store)[:1]
    before = dict(spares(store).counts)
    assert psutil.Process(pid).name() == SPARE_NAME.decode()
    for _ in range(5):
        answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10)
        assert b'"2000"' in answer.body
    counts = spares(store).counts
    assert counts["handed"] - before["handed"] == 5
    assert counts["fresh"] == before["fresh"] and counts["forked"] <= before["forked"] + 1
    assert alive(pid), "the spare answered and stays ready for the next query"


def test_a_query_right_after_a_write_sees_it_every_time(store: OxigraphStore) -> None:
    """Spares forked before a write are stale: not one of them may answer after it. The pauses let
    the keeper fork a spare between writes, so that stale ones exist to be refused."""
    handed = spares(store).counts["handed"]
    for i in range(75):
        store.update(insert(i))
        assert ask(store, i), f"write {i} not seen"
        if i % 3 == 0:
            # a spare is forked now, at this version (waited for now and then: on a busy machine a
            # short pause alone may never leave the keeper time to fork one)
            ready(store) if i % 15 == 0 else time.sleep(0.05)
            assert ask(store, i)
            store.update(f"DELETE DATA {{ GRAPH <{GRAPH}> {{ <urn:x-test:s{i}> <urn:x-test:p> {i} }} }}")
            assert not ask(store, i), f"delete {i} not seen"
    assert spares(store).counts["handed"] > handed, "no spare was used between the writes"


def test_every_kind_of_write_makes_the_spares_stale(store: OxigraphStore) -> None:
    def after(write: object) -> None:
        ready(store)
        version = spares(store)._version
        assert callable(write)
        write()
        assert spares(store)._version > version

    after(
        lambda: store.replace_graphs(
            {"urn:x-test:r": [ox.Triple(ox.NamedNode("urn:x-test:r1"), ox.NamedNode("urn:x-test:p"), ox.Literal("1"))]}
        )
    )
    assert b"true" in store.query("ASK { <urn:x-test:r1> ?p ?o }", timeout=10).body
    scratch = ox.Store()
    scratch.add(
        ox.Quad(
            ox.NamedNode("urn:x-test:w1"), ox.NamedNode("urn:x-test:p"), ox.Literal("1"), ox.NamedNode("urn:x-test:w")
        )
    )
    after(lambda: store.write_graphs(scratch, {}))
    assert b"true" in store.query("ASK { <urn:x-test:w1> ?p ?o }", timeout=10).body
    after(lambda: store.drop_graphs(["urn:x-test:w", "urn:x-test:r"]))
    assert b"false" in store.query("ASK { { <urn:x-test:w1> ?p ?o } UNION { <urn:x-test:r1> ?p ?o } }", timeout=10).body


def test_a_load_in_bulk_is_seen_by_the_next_query(tmp_path: Path) -> None:
    """write_graphs' bulk loader path (a large new graph on disk), the one that bypasses a transaction."""
    opened = open_store(str(tmp_path / "bulk"))
    assert isinstance(opened, OxigraphStore)
    try:
        opened.query("ASK {}", timeout=10)
        ready(opened)
        scratch = ox.Store()
        graph = ox.NamedNode("urn:x-test:bulk")
        scratch.extend(
            ox.Quad(ox.NamedNode(f"urn:x-test:b{i}"), ox.NamedNode("urn:x-test:p"), ox.Literal(str(i)), graph)
            for i in range(25_000)
        )
        opened.write_graphs(scratch, {})
        answer = opened.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x-test:bulk> { ?s ?p ?o } }", timeout=10)
        assert b'"25000"' in answer.body
    finally:
        opened.close()


def test_a_timeout_kills_the_spare_within_the_limit_and_the_next_query_works(store: OxigraphStore) -> None:
    idle = ready(store)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"0\.5 s limit"):
        store.query(CARTESIAN, timeout=0.5)
    assert time.monotonic() - started < 0.5 + 1.0
    killed = idle[-1]  # the pool hands out the spare it took back last
    assert not alive(killed), "the spare running the stopped query is still there"
    assert all(c.pid != killed for c in psutil.Process().children()), "killed but not reaped"
    assert ask(store, 0) is False
    assert b'"2000"' in store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10).body
    ready(store)  # and it has been replaced


def test_threads_querying_at_once_each_get_their_own_answer(store: OxigraphStore) -> None:
    wrong: list[str] = []

    def reader(k: int) -> None:
        for j in range(40):
            i = (k * 40 + j) % 2_000
            body = store.query(f"SELECT ?o WHERE {{ <urn:x-test:t{i}> <urn:x-test:p> ?o }}", timeout=10).body
            if f'"{i}"'.encode() not in body:
                wrong.append(f"thread {k} asked for {i} and got {body[-80:]!r}")

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert spares(store).counts["handed"] > 0


def test_no_zombie_or_stray_child_is_left_after_many_queries(store: OxigraphStore) -> None:
    # Other stores of the session (the browser tests' server) keep idle spares of their own.
    before = {c.pid for c in psutil.Process().children()}
    for i in range(60):
        store.query("ASK { ?s ?p ?o }", timeout=10)
        if i % 10 == 0:
            store.update(insert(i))  # spares killed and replaced
        if i % 20 == 0:
            with pytest.raises(QueryTimeout):
                store.query(CARTESIAN, timeout=0.2)
    ready(store)
    end = time.monotonic() + 5
    while zombies() and time.monotonic() < end:  # the keeper reaps killed spares in the background
        time.sleep(0.05)
    assert zombies() == []
    assert len(spares(store).pids()) <= 2
    strays = [
        c
        for c in psutil.Process().children()
        if c.pid not in spares(store).pids() and c.pid not in before and not c.name().startswith("node")
    ]
    end = time.monotonic() + 5
    while strays and time.monotonic() < end:
        # a fresh fork that answered is reaped by a thread; a spare the keeper was forking when the
        # children were listed joins the pool once it has answered its probe
        time.sleep(0.05)
        strays = [c for c in strays if alive(c.pid) and c.pid not in spares(store).pids()]
    assert strays == []
    assert len(spares(store).pids()) <= 2


def test_closing_the_store_kills_its_spares(tmp_path: Path) -> None:
    opened = open_store(str(tmp_path / "closing"))
    assert isinstance(opened, OxigraphStore)
    opened.query("ASK {}", timeout=10)
    ready(opened)
    opened.query("ASK {}", timeout=10)  # a second one is forked while the first answers
    pids = spares(opened).pids()
    assert pids
    opened.close()
    assert not any(alive(pid) for pid in pids)
    assert not any(c.pid in pids for c in psutil.Process().children()), "a spare was not reaped"


def test_a_store_nobody_holds_takes_its_spares_with_it() -> None:
    opened = open_store("memory:")
    assert isinstance(opened, OxigraphStore)
    opened.query("ASK {}", timeout=10)
    pids = ready(opened)
    del opened
    assert not any(alive(pid) for pid in pids)


def test_spares_die_with_their_parent(tmp_path: Path) -> None:
    script = (
        "import os, sys, time\n"
        "from avcluster.kg.stores import open_store\n"
        "s = open_store('memory:')\n"
        "s.query('ASK {}', timeout=10)\n"
        "end = time.monotonic() + 20\n"
        "while not s._spares._idle and time.monotonic() < end: time.sleep(0.02)\n"
        "print(*s._spares.pids(), flush=True)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pids = [int(p) for p in done.stdout.split()]
    assert pids, done.stderr
    end = time.monotonic() + 3
    while any(os.path.exists(f"/proc/{pid}") for pid in pids) and time.monotonic() < end:
        time.sleep(0.05)
    assert not any(os.path.exists(f"/proc/{pid}") for pid in pids), "a spare outlived its parent"


# --- the mechanism itself, with a lock standing for one of the engine's -------------------------

LOCK = threading.Lock()


def idle_pids(pool: Spares[str, str], within: float = 20.0) -> list[int]:
    end = time.monotonic() + within
    while time.monotonic() < end:
        with pool._lock:
            if pool._idle:
                return [spare.pid for spare in pool._idle]
        time.sleep(0.02)
    raise AssertionError("no spare became ready")


def locked(request: object) -> str:
    """A spare's work: "probe" is free, "locked" takes LOCK (as a query takes an engine lock)."""
    if request == "locked":
        with LOCK:
            return "got it"
    return f"answered {request}"


def test_a_spare_forked_while_a_lock_was_held_is_noticed_and_the_query_forks_afresh() -> None:
    pool: Spares[str, str] = Spares(locked, "probe", size=1)
    try:
        assert pool.run("hello", timeout=10) == "answered hello"  # a fresh fork; the keeper starts
        first = idle_pids(pool)  # forked before LOCK was taken
        with LOCK:  # held by this thread while the keeper forks: the next spare inherits it held
            with pool._lock:
                pool._kill_idle()
                pool._wake.notify_all()
            assert set(idle_pids(pool)).isdisjoint(first), "no spare was forked"
        started = time.monotonic()
        assert pool.run("locked", timeout=10) == "got it"  # stuck in the spare, answered by a fresh fork
        assert time.monotonic() - started < 3
        assert pool.counts["stuck"] == 1
    finally:
        pool.close()
    assert zombies() == []


def test_a_spare_that_never_becomes_ready_is_not_handed_out() -> None:
    """A lock held across the fork that the probe itself needs: the spare never says it is ready."""
    pool: Spares[str, str] = Spares(locked, "locked", size=1)
    try:
        with LOCK:
            pool.run("start", timeout=10)  # starts the keeper, whose spares all hang on LOCK
            time.sleep(0.5)
            assert pool._idle == []
            assert pool.run("meanwhile", timeout=10) == "answered meanwhile"  # fresh forks
        assert pool.counts["handed"] == 0
    finally:
        pool.close()


def test_a_spare_keeps_no_copy_of_a_socket_the_server_closes(store: OxigraphStore) -> None:
    """A spare forked while a client's connection is open must not hold it open after the server closes it."""
    import socket

    ours, client = socket.socketpair()
    try:
        with spares(store)._lock:
            spares(store)._kill_idle()
            spares(store)._wake.notify_all()
        ready(store)  # forked while `ours` was open
        ours.close()
        client.settimeout(5)
        assert client.recv(1) == b"", "the connection stayed open"
    finally:
        client.close()


def test_a_write_through_the_notebooks_rdflib_view_is_seen_by_a_query_with_a_time_limit() -> None:
    """The rdflib view writes to the engine behind the store's back: that store forks afresh from then on."""
    from rdflib import Literal, URIRef

    from avcluster.kg.notebook import dataset

    opened = open_store("memory:")
    assert isinstance(opened, OxigraphStore)
    opened.query("ASK {}", timeout=10)
    ready(opened)
    view = dataset(opened)
    view.graph(URIRef("urn:x-test:nb")).add((URIRef("urn:x-test:n1"), URIRef("urn:x-test:p"), Literal(1)))
    assert b"true" in opened.query("ASK { <urn:x-test:n1> ?p ?o }", timeout=10).body
    opened.close()
