"""`avcluster serve --in-memory`: the server answers from a read-only copy of the store in memory,
with the same answers as the store on disk; the store's folder stays free, so a load writes it while
the server keeps answering from its copy; updates are refused, and so is a token that would allow them."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Server, cli, copy_store, http

JSON = {"Accept": "application/sparql-results+json"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
ADDED = "https://w3id.org/avcluster/id/added-while-serving"


@pytest.fixture(scope="module")
def copied(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    folder = tmp_path_factory.mktemp("in-memory")
    store = copy_store(served_store, folder / "store")
    server = Server(store, "--in-memory", log=folder / "serve.log")
    yield store, server
    server.stop()


def ask(server: Server, sparql: str) -> list[dict[str, dict[str, str]]]:
    reply = http(f"{server.url}/sparql?query={urllib.parse.quote(sparql)}", headers=JSON)
    assert reply.status == 200, reply.body
    return reply.json()["results"]["bindings"]  # type: ignore[index, no-any-return]


def test_the_copy_answers_as_the_store_on_disk(copied: tuple[Path, Server]) -> None:
    store, server = copied
    assert "a copy in memory, read-only" in server.log.read_text()
    for name in ("members-by-type", "competency-leads", "flows-by-kind"):
        on_disk = cli("questions", name, "--format", "json", store=store)
        assert on_disk.returncode == 0, on_disk.stderr
        reply = http(f"{server.url}/query/{name}.json")
        assert reply.status == 200, reply.body
        served = reply.json()["results"]["bindings"]  # type: ignore[index]
        assert sorted(map(repr, served)) == sorted(map(repr, json.loads(on_disk.stdout)["results"]["bindings"]))
        assert served, name


def test_the_store_stays_free_for_a_load_the_copy_does_not_see(copied: tuple[Path, Server], tmp_path: Path) -> None:
    store, server = copied
    before = ask(server, COUNT)
    data = tmp_path / "added.ttl"
    data.write_text(f"<{ADDED}> <http://www.w3.org/2000/01/rdf-schema#label> 'added' .\n", encoding="utf-8")
    done = cli("load", "--name", "added", str(data), store=store)
    assert done.returncode == 0, done.stderr  # not locked: the server holds no lock on the folder
    assert ask(server, f"SELECT ?p WHERE {{ <{ADDED}> ?p ?o }}") == []  # the copy is as it was at the start
    assert ask(server, COUNT) == before
    query = cli("query", f"ASK {{ <{ADDED}> ?p ?o }}", store=store)
    assert "true" in query.stdout.lower(), query.stdout


def test_updates_are_refused(copied: tuple[Path, Server]) -> None:
    _, server = copied
    update = urllib.parse.urlencode({"update": f"INSERT DATA {{ <{ADDED}> <{ADDED}> 'x' }}"}).encode()
    reply = http(f"{server.url}/sparql", data=update, headers={"Authorization": "Bearer anything"})
    assert reply.status == 403
    assert "it serves" in reply.text and "(a copy in memory, read-only)" in reply.text  # not "start it with a token"
    assert "--update-token" not in reply.text
    assert ask(server, f"SELECT ?o WHERE {{ <{ADDED}> ?p ?o }}") == []


def test_a_token_for_updates_is_refused_in_one_line(served_store: Path) -> None:
    done = cli("serve", "--in-memory", "--update-token", "t", "--port", "1", store=served_store)
    assert done.returncode != 0
    assert "--in-memory serves a read-only copy: it takes no --update-token" in done.stderr
