"""A SPARQL server that cuts an answer at its row limit is refused, never taken for the whole answer.

Virtuoso stops a SELECT at ResultSetMaxRows and still answers 200 (one header, X-SPARQL-MaxRows,
says so); it stops a CONSTRUCT there without a word. Its sample virtuoso.ini sets 10,000 rows, so an
analysis of a large graph on such a server would have read a tenth of it and said nothing. Here a
real Virtuoso is started with a limit of 5 rows.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from avcluster.kg.errors import ResultTooLarge
from avcluster.kg.stores.remote import RemoteStore

from . import virtuoso
from .conftest import limited_virtuoso

pytestmark = pytest.mark.remote

GRAPH = "https://w3id.org/avcluster/graph/cut-test"
ROWS = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    yield from limited_virtuoso(tmp_path_factory, GRAPH, 40, max_rows=ROWS)


def test_a_select_the_server_cut_is_refused_in_one_sentence(server: virtuoso.Virtuoso) -> None:
    store = RemoteStore(server.url)
    with pytest.raises(ResultTooLarge, match=rf"cut the answer at {ROWS} rows .*ResultSetMaxRows"):
        store.select_rows(f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")


def test_an_answer_within_the_limit_is_taken_whole(server: virtuoso.Virtuoso) -> None:
    store = RemoteStore(server.url)
    _, rows = store.select_rows(f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} ORDER BY ?s LIMIT {ROWS - 1}")
    assert len(rows) == ROWS - 1
    _, counted = store.select_rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert counted[0][0] == ox.Literal(40)


def test_a_graph_the_server_cut_without_a_word_is_refused(server: virtuoso.Virtuoso) -> None:
    """A CONSTRUCT cut at the limit comes with no header: the graph's own count gives it away."""
    store = RemoteStore(server.url)
    with pytest.raises(ResultTooLarge, match=rf"sent \d+ of the 40 triples of <{GRAPH}>"):
        store.graph_triples(GRAPH)
    with pytest.raises(ResultTooLarge):
        store.dump("application/n-quads")


def test_the_command_line_says_so_in_one_line_and_prints_no_rows(server: virtuoso.Virtuoso, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "avcluster.kg", "--store", server.url, "query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cut the answer at {ROWS} rows" in lines[0], done.stderr


def test_an_export_the_server_cut_leaves_the_file_as_it_was(server: virtuoso.Virtuoso, tmp_path: Path) -> None:
    """The export streams to a file beside the target and renames it only when whole: an earlier
    export in its place stays, and nothing half-written is left."""
    target = tmp_path / "graph.nq"
    target.write_bytes(b"earlier export\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "avcluster.kg",
            "--store",
            server.url,
            "export",
            "--format",
            "nquads",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert target.read_bytes() == b"earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nq"]
