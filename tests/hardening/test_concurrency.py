"""Concurrency: many clients at once get no errors and the server's memory stays flat; a write while
readers read shows them the old state or the new one, never part of it.

The soak runs 16 clients against a real `avcluster serve` (its own process, so its memory is its
own) for SOAK_SECONDS, 30 by default to keep CI short; `AVCLUSTER_SOAK_SECONDS=60` for the minute
of the issue. Writes while reading: an authorised SPARQL Update through that server, and a load
(`kg.ingest.load`) into the store of a server running in this process, since an embedded store
belongs to one process at a time.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from avcluster.kg.ingest import CATALOG, load
from avcluster.kg.namespaces import dataset_graph, inferred_graph
from avcluster.kg.questions import questions
from avcluster.kg.stores import Store, open_store

from .conftest import TOKEN, Reply, Server, copy_store, free_port, http

pytestmark = pytest.mark.slow

CLIENTS = 16
SOAK_SECONDS = float(os.environ.get("AVCLUSTER_SOAK_SECONDS", "30"))
PAGES = [
    "/",
    "/graph",
    "/graph.json",
    "/competencies",
    "/analysis",
    "/flows",
    "/regions",
    "/ontology",
    "/query",
    "/resource/navarra-film-commission",
    "/index.json",
    "/sparql?query=" + quote("SELECT ?actor ?label WHERE { ?actor a avc:FilmCommission ; rdfs:label ?label }"),
]
URLS = PAGES + [f"/query/{name}" for name in questions()]
# Growth of the server's resident memory allowed between the first and the last third of the soak,
# once every page has been served twice (caches filled): allocator noise, not a leak.
FLAT_BYTES = 30 * 1024 * 1024


@pytest.fixture
def server(served_store: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(copy_store(served_store, tmp_path / "store"), "--update-token", TOKEN, log=tmp_path / "serve.log")
    yield running
    running.stop()


def clients(count: int, work: Callable[[int], None]) -> list[threading.Thread]:
    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_sixteen_clients_get_no_errors_and_memory_stays_flat(server: Server) -> None:
    for _ in range(2):  # warm up: every page once, twice
        for url in URLS:
            assert http(server.url + url, timeout=120).status == 200, url
    errors: list[str] = []
    served = [0] * CLIENTS
    memory: list[tuple[float, int]] = []
    started = time.monotonic()
    stop = started + SOAK_SECONDS

    def client(index: int) -> None:
        turn = index
        while time.monotonic() < stop:
            url = URLS[turn % len(URLS)]
            turn += 1
            try:
                reply = http(server.url + url, timeout=120)
            except OSError as error:
                errors.append(f"{url}: {error!r}")
                continue
            if reply.status != 200:
                errors.append(f"{url}: {reply.status} {reply.text[:200]}")
            served[index] += 1

    threads = clients(CLIENTS, client)
    while any(thread.is_alive() for thread in threads):
        memory.append((time.monotonic() - started, server.rss))
        time.sleep(0.5)
    assert errors == [], f"{len(errors)} errors, first: {errors[:3]}"
    assert all(served), f"a client was never served: {served}"
    third = len(memory) // 3
    first, last = [m for _, m in memory[:third]], [m for _, m in memory[-third:]]
    growth = statistics.median(last) - statistics.median(first)
    assert growth < FLAT_BYTES, f"server memory grew by {growth / 2**20:.0f} MB over {SOAK_SECONDS:g} s"
    assert "Traceback" not in server.log.read_text()


def graph_counts(url: str, graphs: list[str]) -> tuple[int, ...]:
    """The size of each graph, read in one query (so in one snapshot)."""
    values = " ".join(f"<{g}>" for g in graphs)
    text = f"SELECT ?g (COUNT(?s) AS ?n) WHERE {{ VALUES ?g {{ {values} }} OPTIONAL {{ GRAPH ?g {{ ?s ?p ?o }} }} }} GROUP BY ?g"
    reply = http(f"{url}/sparql?query={quote(text)}", headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    found = {row["g"]["value"]: int(row["n"]["value"]) for row in reply.json()["results"]["bindings"]}  # type: ignore[index]
    return tuple(found[g] for g in graphs)


def readings_during(url: str, graphs: list[str], write: Callable[[], object], readers: int = 4) -> set[tuple[int, ...]]:
    """Every distinct set of graph sizes readers saw while write() ran, and before and after it."""
    seen: set[tuple[int, ...]] = {graph_counts(url, graphs)}
    done = threading.Event()

    def reader(_: int) -> None:
        while not done.is_set():
            seen.add(graph_counts(url, graphs))
            time.sleep(0.01)  # leave the writer some of the machine

    threads = clients(readers, reader)
    try:
        time.sleep(0.5)
        write()
        time.sleep(0.5)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    return seen


# What is derived from the synthetic dataset: a few thousand triples, moved to and fro by updates.
DERIVED = inferred_graph("synthetic")
COPY = f"{DERIVED}-copy"


def test_readers_see_an_authorised_update_whole_or_not_at_all(server: Server) -> None:
    graphs = [DERIVED, COPY]
    before = graph_counts(server.url, graphs)
    move = f"INSERT {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{DERIVED}> {{ ?s ?p ?o }} }} ; DROP GRAPH <{DERIVED}>"
    back = (
        f"INSERT {{ GRAPH <{DERIVED}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{COPY}> {{ ?s ?p ?o }} }} ; DROP GRAPH <{COPY}>"
    )
    after = (0, before[0])
    replies: list[Reply] = []

    def write() -> None:
        for update in (move, back, move):
            replies.append(
                http(
                    server.url + "/sparql",
                    data=update.encode(),
                    headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
                    timeout=120,
                )
            )

    seen = readings_during(server.url, graphs, write)
    assert [r.status for r in replies] == [204] * 3, [r.text for r in replies]
    assert graph_counts(server.url, graphs) == after
    assert seen <= {before, after}, f"readers saw a half-done update: {seen - {before, after}}"


@pytest.fixture
def app_server(served_store: Path, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The web app under waitress in this process, on a store this process can also load into."""
    from waitress.server import create_server

    from avcluster.web import create_app

    store = open_store(str(copy_store(served_store, tmp_path / "store")))
    port = free_port()
    running = create_server(create_app({"STORE": store}), host="127.0.0.1", port=port, threads=8)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", store
    running.close()
    store.close()


@pytest.mark.parametrize(("name", "seed"), [("synthetic", 1), ("synthetic-new", 2)])
def test_readers_see_a_load_whole_or_not_at_all(
    app_server: tuple[str, Store], synthetic: Callable[..., Path], name: str, seed: int
) -> None:
    """A load that replaces a dataset, and one that adds a new one: its graph, the graph of what is
    derived from it and its catalog record appear together."""
    url, store = app_server
    graphs = [dataset_graph(name), inferred_graph(name), CATALOG + name]
    before = graph_counts(url, graphs)
    # 300 actors: a load of ten thousand triples with its checks and derivations, long enough for
    # the readers to catch it half-done if they could (a thousand took a minute beside them in CI)
    seen = readings_during(url, graphs, lambda: load(store, [synthetic(300, seed)], name=name))
    after = graph_counts(url, graphs)
    assert after != before
    assert seen <= {before, after}, f"readers saw a half-done load: {seen - {before, after}}"
