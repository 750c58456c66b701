"""The canned questions through avcluster (API in-process, API with a timeout, /sparql over HTTP)
against pyoxigraph answering the same query text, and against plain rdflib at the small size.

A query with a time limit runs in a spare process forked ahead of time (kg.workers.Spares); the same
run also measures it the way it ran before spares, in a process forked for each query, so that the
two sit side by side in the same conditions. An ASK over HTTP is set beside the app's cheapest page."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.term import Node

from avcluster.kg.errors import QueryTimeout
from avcluster.kg.namespaces import ONTOLOGY_DIR, PREFIXES, SYNTHETIC_GRAPH
from avcluster.kg.ontology import ONTOLOGY_FILES
from avcluster.kg.questions import Question, questions
from avcluster.kg.sparql import bind_values
from avcluster.kg.stores.oxigraph import OxigraphStore
from avcluster.kg.workers import run_limited

from .measure import median, seconds

JSON = "application/sparql-results+json"
# Defaults that name a Navarre resource get the synthetic cluster's counterpart, so that each
# question does the work it does on real data instead of finding nothing at once.
SYNTHETIC_STAND_INS = {"cluster": "avc:Cluster", "region": "avc:Region", "entity": "avc:FilmCommission"}
NO_LIMIT = 10**12
ROUND_BUDGET = 0.5  # seconds of engine time a question gets at least, in as many rounds as that takes
MAX_ROUNDS = 51
# A question slower than this on the engine (seconds) runs once on each path after the engine's
# warm-up, and is not run the way it ran before spares: at a million actors the questions take
# minutes each, and four paths in five rounds would take most of a day; a fork costs milliseconds.
SLOW = 2.0
# A question slower than this on the engine is measured on two paths only, the engine and /sparql (the
# one outside programs use): on minutes of engine time the paths between differ by milliseconds.
LONG = 30.0
# A pause before every measured call, so each starts alike: after a forked worker has answered the
# kernel is still tearing it down, and the call after it would pay for that if it started at once.
SETTLE = 0.03


@dataclass
class QuestionResult:
    name: str
    text: str  # the query as every path ran it (parameters bound as VALUES)
    rows: int
    engine: float  # seconds, median; with `stopped`, the cap it ran into
    api: float | None  # None: not measured (a question over LONG, or stopped)
    forked: float | None  # API with a timeout: a spare process
    http: float | None  # /sparql: a spare process
    fresh: float | None  # API with a timeout, a process forked for the query (before spares); None: SLOW
    http_fresh: float | None  # /sparql, a process forked for each query
    rdflib: float | None = None
    rdflib_capped: bool = False
    # pyoxigraph in memory: the same quads in the same named graphs (their union queried), and the same
    # triples in the default graph alone (medians)
    memory_named: float | None = None
    memory_one: float | None = None
    stopped: bool = False  # the engine ran past the cap: stopped, no path measured


def measure_questions(
    store: OxigraphStore,
    runs: int,
    rdflib_file: Path | None,
    rdflib_cap: float,
    cap: float = NO_LIMIT,
    triples: int = 0,
) -> tuple[list[QuestionResult], dict[str, str]]:
    """Medians of `runs` rounds after one warm-up; in each round every path answers once, side by side.

    The warm-up runs in a forked child stopped after `cap` seconds: a question that takes longer is
    reported as stopped, so that a run at a million actors ends in a known time. Up to IN_MEMORY_TRIPLES
    loaded, each question also runs on two in-memory copies of the store (see InMemory)."""
    plain = _rdflib_dataset(rdflib_file) if rdflib_file else None
    memory = InMemory.of(store) if triples <= IN_MEMORY_TRIPLES else None
    used: dict[str, str] = {}
    results = []
    with _server(store) as url:
        for question in questions().values():
            for name, values in _variants(store, question):
                used.update({f"{name} {k}": v for k, v in values.items()})
                result = _measure(store, url, name, question, question.bindings(values), runs, cap, memory)
                if plain is not None:
                    result.rdflib, result.rdflib_capped = _rdflib(plain, result.text, min(runs, 3), rdflib_cap)
                results.append(result)
    return results, used


def _measure(
    store: OxigraphStore,
    url: str,
    name: str,
    question: Question,
    bindings: dict[str, Node],
    runs: int,
    cap: float,
    memory: InMemory | None,
) -> QuestionResult:
    asked = question.text(bindings)
    text = bind_values(asked, bindings) if bindings else asked
    limited: Callable[[], Any] = lambda: store.query(  # noqa: E731
        asked, bindings=bindings, timeout=3600, max_bytes=NO_LIMIT
    )
    paths: dict[str, Callable[[], Any]] = {
        "engine": lambda: _engine(store, text),
        "api": lambda: store.query(asked, bindings=bindings),
        "forked": limited,
        "http": lambda: _post(url, text),
        "fresh": limited,
        "http_fresh": lambda: _post(url, text),
    }
    if memory is not None:
        paths["memory_named"] = lambda: _answer(memory.named, text, union=True)
        paths["memory_one"] = lambda: _answer(memory.one, text, union=False)
    try:  # the engine's time in a child (a copy of this process, its caches included), stopped at the cap
        warm = run_limited(lambda: seconds(paths["engine"]), cap, NO_LIMIT)
    except QueryTimeout:
        return QuestionResult(name, text, 0, cap, None, None, None, None, None, stopped=True)
    if warm > LONG:  # the child's run is the engine's; /sparql once beside it
        _spares_ready(store)
        started = time.perf_counter()
        body = _post(url, text)
        http = time.perf_counter() - started
        rows = len(json.loads(body)["results"]["bindings"])
        return QuestionResult(name, text, rows, warm, None, None, http, None, None)
    if warm > SLOW:  # once on each path; the rows counted from the engine's measured answer
        _spares_ready(store)
        started = time.perf_counter()
        body = _engine(store, text)
        engine = time.perf_counter() - started
        api, forked, http = (seconds(paths[path]) for path in ("api", "forked", "http"))
        rows = len(json.loads(body)["results"]["bindings"])
        result = QuestionResult(name, text, rows, engine, api, forked, http, None, None)
        if memory is not None:
            result.memory_named, result.memory_one = seconds(paths["memory_named"]), seconds(paths["memory_one"])
        return result
    for work in paths.values():  # warm-up here too: the child's run filled the child's caches, not these
        work()
    # a question answered in milliseconds gets more rounds, so that its median is not one noisy sample
    rounds = max(runs, min(MAX_ROUNDS, int(ROUND_BUDGET / max(warm, 1e-4))))
    # The engine, the API and the paths through a spare take turns, round after round, so that a
    # machine busy with other work weighs on each of them alike (a spare reads into its own caches and
    # leaves the engine's as they were). A process forked for each query starts from a copy of this
    # process's caches, so an in-process run right after one would pay misses the same run after
    # itself does not: the two paths as they ran before spares each take a block of their own.
    timings: dict[str, list[float]] = {path: [] for path in paths}
    _spares_ready(store)
    for _ in range(rounds):
        for path, work in paths.items():
            if path not in FRESH:
                time.sleep(SETTLE)
                timings[path].append(seconds(work))
    for path in FRESH:
        with _fork_per_query(store):
            paths[path]()
            for _ in range(rounds):
                time.sleep(SETTLE)
                timings[path].append(seconds(paths[path]))
        _spares_ready(store)
    rows = len(json.loads(_engine(store, text))["results"]["bindings"])
    engine, api, forked, http, fresh, http_fresh = (median(timings[path]) for path in PATHS)
    result = QuestionResult(name, text, rows, engine, api, forked, http, fresh, http_fresh)
    if memory is not None:
        result.memory_named, result.memory_one = median(timings["memory_named"]), median(timings["memory_one"])
    return result


FRESH = ("fresh", "http_fresh")  # the paths measured as they ran before spares
PATHS = ("engine", "api", "forked", "http", *FRESH)


@contextmanager
def _fork_per_query(store: OxigraphStore) -> Iterator[None]:
    """Queries with a time limit fork a process each, as before spares (the spares wait meanwhile)."""
    pool, store._spares = store._spares, None
    try:
        yield
    finally:
        store._spares = pool


def _spares_ready(store: OxigraphStore, within: float = 30.0) -> None:
    """Wait until a spare is idle (the keeper forks one after a write, and at the first query)."""
    pool = store._spares
    if pool is None:
        return
    end = time.monotonic() + within
    while time.monotonic() < end:
        with pool._lock:
            if pool._idle:
                return
        time.sleep(0.01)


@dataclass
class RoundTrip:
    """An ASK over HTTP beside the app's cheapest page (medians, seconds)."""

    ask: float
    page: float
    page_path: str
    spare_memory: str  # what a spare costs, in words


# Cheap pages of the app, the cheapest of which is the yardstick: its icon (a file, the floor under any
# request) and the service description /sparql gives without a query.
CHEAP_PAGES = ("/static/favicon.svg", "/sparql")
ASK = "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")


def measure_round_trip(store: OxigraphStore, runs: int = 101) -> RoundTrip:
    timings: dict[str, list[float]] = {}
    with _server(store) as url:
        for path in (ASK, *CHEAP_PAGES):
            _get(url + path)
            _spares_ready(store)
            timings[path] = []
            for _ in range(runs):
                time.sleep(SETTLE)
                started = time.perf_counter()
                _get(url + path)
                timings[path].append(time.perf_counter() - started)
        memory = spare_memory(store)
    page = min(CHEAP_PAGES, key=lambda path: median(timings[path]))
    return RoundTrip(median(timings[ASK]), median(timings[page]), page, memory)


def spare_memory(store: OxigraphStore) -> str:
    """What the spares cost beside the process they were forked from: the pages each has made its own
    (private, copied on write) against its resident size, shared with the parent until written."""
    pool = store._spares
    if pool is None:
        return "no spares"
    parts = []
    for pid in pool.pids():
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup if line.split()[-1] == "kB"}
        except OSError:
            continue
        private = (fields.get("Private_Dirty", 0) + fields.get("Private_Clean", 0)) / 1024
        parts.append(f"{private:,.0f} MiB private of {fields.get('Rss', 0) / 1024:,.0f} MiB resident")
    with open("/proc/self/status", encoding="ascii") as status:
        rss = next((int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS")), 0.0)
    return f"{len(parts)} spare(s): " + "; ".join(parts) + f" (the benchmark process: {rss:,.0f} MiB resident)"


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": JSON} if "query=" in url else {})
    with urllib.request.urlopen(request, timeout=3600) as response:
        return bytes(response.read())


def _engine(store: OxigraphStore, text: str) -> bytes:
    """pyoxigraph on its own: the query, its solutions serialized as SPARQL JSON (what the API returns)."""
    return _answer(store.engine, text, union=True)


def _post(url: str, text: str) -> bytes:
    request = urllib.request.Request(
        url + "/sparql",
        data=text.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON},
    )
    with urllib.request.urlopen(request, timeout=3600) as response:
        return bytes(response.read())


@contextmanager
def _server(store: OxigraphStore) -> Iterator[str]:
    """The Flask app under waitress in a thread of this process, as `avcluster serve` runs it."""
    from waitress.server import create_server

    from avcluster.web import create_app

    app = create_app({"STORE": store, "QUERY_TIMEOUT": 3600.0, "MAX_RESULT_BYTES": NO_LIMIT})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        server.task_dispatcher.shutdown()  # its worker threads too: a later fork must not inherit them


def _variants(store: OxigraphStore, question: Question) -> list[tuple[str, dict[str, str]]]:
    """The question as the viewer first asks it, and where it takes an open cluster, once more for one
    cluster: at a million actors the open answer runs to hundreds of thousands of rows, and one cluster
    is how an analyst asks it there."""
    variants = [(question.name, _stand_ins(store, question))]
    if any(p.name == "cluster" and p.default is None for p in question.parameters):
        variants.append((f"{question.name} (one cluster)", _stand_ins(store, question, ["cluster"])))
    return variants


def _stand_ins(store: OxigraphStore, question: Question, opened: Sequence[str] = ()) -> dict[str, str]:
    """Synthetic counterparts of the defaults, and of the `opened` parameters that have none."""
    values = {}
    for parameter in question.parameters:
        cls = SYNTHETIC_STAND_INS.get(parameter.name)
        if (parameter.default is None and parameter.name not in opened) or cls is None:
            continue
        _, rows = store.select_rows(f"SELECT ?x WHERE {{ ?x a {cls} }} ORDER BY ?x LIMIT 1")
        if rows and isinstance(rows[0][0], ox.NamedNode):
            values[parameter.name] = rows[0][0].value
    return values


# Triples loaded up to which the questions also run on an in-memory copy (about 150,000 actors). Oxigraph
# keeps every index of every quad in memory: at a million actors (35 million quads) a load was killed at 18.8 GB.
IN_MEMORY_TRIPLES = 5_000_000


@dataclass
class InMemory:
    """Two in-memory pyoxigraph copies of the store: `named` holds the same quads (queried as the union of
    its graphs, as the store is), `one` the same triples, each once, in its default graph. Against the
    store on disk they show what persistence costs, and against each other what named graphs cost."""

    named: ox.Store
    one: ox.Store

    @classmethod
    def of(cls, store: OxigraphStore) -> InMemory:
        named, one = ox.Store(), ox.Store()
        named.bulk_extend(store.engine)  # the store on disk read once; `one` is filled from memory
        one.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in named)
        return cls(named, one)


def _answer(engine: ox.Store, text: str, *, union: bool) -> bytes:
    """An engine's answer serialized as SPARQL JSON (the default graph the union of all, or its own)."""
    solutions = engine.query(text, prefixes=PREFIXES, use_default_graph_as_union=union)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions.serialize(format=ox.QueryResultsFormat.JSON) or b""


def _rdflib_dataset(path: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.graph(URIRef(str(SYNTHETIC_GRAPH))).parse(path, format="nt")
    ontology = dataset.graph(URIRef("urn:avcluster:ontology"))
    for name in ONTOLOGY_FILES:
        ontology.parse(ONTOLOGY_DIR / name, format="turtle")
    return dataset


def _rdflib(dataset: Dataset, text: str, runs: int, cap: float) -> tuple[float, bool]:
    """rdflib's own SPARQL, in a forked worker stopped after `cap` seconds (then reported as over it)."""

    def answer() -> bytes:
        return bytes(dataset.query(text, initNs=PREFIXES).serialize(format="json") or b"")

    timings = []
    for _ in range(runs):
        try:
            timings.append(seconds(lambda: run_limited(answer, cap, NO_LIMIT)))
        except QueryTimeout:
            return cap, True
    return median(timings), False
