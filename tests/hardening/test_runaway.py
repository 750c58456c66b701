"""Runaway queries: stopped at the timeout and reported, while every other query keeps being answered.

On the store API (the forked query worker, killed when it overruns) and on a real `avcluster serve`
with `--query-timeout`; results capped for HTML and for the protocol.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest

from avcluster.kg.errors import QueryTimeout, ResultTooLarge
from avcluster.kg.stores import Store, open_store
from avcluster.kg.workers import SPARE_NAME

from .conftest import Reply, Server, copy_store, http

# Four copies of every triple joined: thousands of billions of rows on the test store.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "SELECT ?label WHERE { id:navarra-film-commission rdfs:label ?label } LIMIT 1"
JSON = {"Accept": "application/sparql-results+json"}
TIMEOUT = 2.0
QUICK = 1.0  # "well under a second", with room for a busy two-core CI machine


def triples(n: int) -> str:
    return (
        "INSERT DATA { GRAPH <urn:x-test:g> { "
        + " ".join(f"<urn:x-test:s{i}> <urn:x-test:p> {i} ." for i in range(n))
        + " } }"
    )


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = open_store("memory:" if request.param == "memory" else str(tmp_path / "store"))
    opened.update(triples(20_000))
    yield opened
    opened.close()


def query_children(process: psutil.Process | None = None, *, before: Container[int] = ()) -> list[psutil.Process]:
    """Children running a query: live ones but the test run's own browser driver (Playwright's node)
    and the spare query processes a store keeps forked ahead of time: idle ones (asleep, waiting for
    a query), and ones forked since the children `before` were listed (the replacement of a spare
    that was stopped, still starting: on a busy machine it is caught running its first probe)."""
    return [
        child
        for child in (process or psutil.Process()).children()
        if child.status() != psutil.STATUS_ZOMBIE
        and not child.name().startswith("node")
        and not (
            child.name() == SPARE_NAME.decode()
            and (child.status() == psutil.STATUS_SLEEPING or (before and child.pid not in before))
        )
    ]


def children_now(process: psutil.Process | None = None) -> set[int]:
    return {child.pid for child in (process or psutil.Process()).children()}


def test_a_runaway_query_is_killed_at_its_timeout_not_left_running(store: Store) -> None:
    before, started = children_now(), time.monotonic()
    with pytest.raises(QueryTimeout, match="1 s limit"):
        store.query(CARTESIAN, timeout=1.0)
    assert time.monotonic() - started < 1.0 + QUICK
    assert query_children(before=before) == [], "the worker of a stopped query is still there"


def latencies_while(runaway: Callable[[], None], simple: Callable[[], None]) -> list[float]:
    """How long each simple() took, run one after another for as long as runaway() runs in a thread."""
    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    latencies = []
    while thread.is_alive():
        started = time.monotonic()
        simple()
        latencies.append(time.monotonic() - started)
        time.sleep(0.05)
    thread.join()
    return latencies


def test_simple_queries_answer_at_once_while_a_runaway_query_runs(store: Store) -> None:
    outcome: list[BaseException] = []

    def runaway() -> None:
        try:
            store.query(CARTESIAN, timeout=3.0)
        except QueryTimeout as error:
            outcome.append(error)

    def simple() -> None:
        assert b"true" in store.query("ASK { <urn:x-test:s7> ?p 7 }", timeout=3.0).body

    latencies = latencies_while(runaway, simple)
    assert len(outcome) == 1 and len(latencies) > 10
    assert max(latencies) < QUICK, f"a simple query took {max(latencies):.2f} s"


def test_queries_with_a_timeout_never_hang_while_other_threads_use_the_store(store: Store) -> None:
    """A worker is forked while other threads are inside the engine and may hold its locks; a worker
    that inherits a held lock must be noticed and replaced, not left to hang until the timeout."""
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            store.select_rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

    def writer() -> None:
        for i in range(1_000_000):
            if stop.is_set():
                return
            store.update(f"INSERT DATA {{ GRAPH <urn:x-test:w> {{ <urn:x-test:w{i}> <urn:x-test:p> {i} }} }}")
            if i % 200 == 0 and hasattr(store, "flush"):
                store.flush()  # the engine's background threads take their locks too

    busy = [threading.Thread(target=reader) for _ in range(2)] + [threading.Thread(target=writer)]
    for thread in busy:
        thread.start()
    hung = 0
    try:
        for _ in range(150):
            try:
                store.query("ASK { ?s ?p ?o }", timeout=3.0)
            except QueryTimeout:
                hung += 1
    finally:
        stop.set()
        for thread in busy:
            thread.join()
    assert hung == 0, f"{hung} of 150 simple queries hung until their timeout"


def test_a_result_over_the_cap_is_stopped_not_collected(store: Store) -> None:
    before = children_now()
    with pytest.raises(ResultTooLarge, match="10,000 byte limit"):
        store.query("SELECT * WHERE { ?s ?p ?o }", timeout=5.0, max_bytes=10_000)
    assert query_children(before=before) == []


# --- a real server -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("runaway-server")
    running = Server(
        copy_store(served_store, folder / "store"),
        "--query-timeout",
        str(TIMEOUT),
        log=folder / "serve.log",
        env={"AVCLUSTER_MAX_HTML_ROWS": "100", "AVCLUSTER_MAX_RESULT_BYTES": "200000"},
    )
    yield running
    running.stop()


def sparql(server: Server, text: str, timeout: float = 30) -> Reply:
    return http(f"{server.url}/sparql?query={quote(text)}", headers=JSON, timeout=timeout)


@pytest.mark.slow
@pytest.mark.parametrize("route", ["/sparql", "/query"])
def test_a_runaway_query_is_stopped_at_the_servers_timeout_while_other_clients_are_served(
    server: Server, route: str
) -> None:
    stopped: list[tuple[Reply, float]] = []

    def runaway() -> None:
        started = time.monotonic()
        reply = http(f"{server.url}{route}?query={quote(CARTESIAN)}", headers=JSON if route == "/sparql" else {})
        stopped.append((reply, time.monotonic() - started))

    def simple() -> None:
        reply = sparql(server, SIMPLE)
        assert reply.status == 200, reply.text

    before = children_now(psutil.Process(server.process.pid))
    latencies = latencies_while(runaway, simple)
    ((reply, seconds),) = stopped
    assert reply.status == 503
    assert f"{TIMEOUT:g} s limit" in reply.text
    assert seconds < TIMEOUT + QUICK
    assert len(latencies) >= 3 and max(latencies) < QUICK, f"simple queries took up to {max(latencies):.2f} s"
    time.sleep(0.2)
    assert query_children(psutil.Process(server.process.pid), before=before) == [], "a stopped query is still running"


def test_the_protocol_answer_is_capped(server: Server) -> None:
    reply = sparql(server, "SELECT * WHERE { ?s ?p ?o }")
    assert reply.status == 400
    assert "200,000 byte limit" in reply.text and "LIMIT" in reply.text


def test_the_html_table_is_capped(server: Server) -> None:
    reply = http(f"{server.url}/query?query={quote('SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500')}")
    assert reply.status == 200
    assert '<span id="result-count">500</span>' in reply.text  # then a hidden "of N" (filtered rows), then:
    assert "rows, the first 100 shown" in reply.text
    assert reply.text.count("<tr") <= 101  # the header row and 100 rows
