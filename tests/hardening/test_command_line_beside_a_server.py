"""The command line while `avcluster serve` holds the embedded store: the read commands read it
(read-only, as it is when they start) and say so, and the write commands refuse in one line that
names the server and what to do, writing nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Server, cli, copy_store

TOKEN = "beside-token"


@pytest.fixture(scope="module")
def serving(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Server]]:
    folder = tmp_path_factory.mktemp("beside")
    store = copy_store(served_store, folder / "store")
    server = Server(store, "--update-token", TOKEN, log=folder / "serve.log")
    yield store, server
    server.stop()


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (("questions", "members-by-type", "--param", "cluster=navarra-audiovisual-cluster"), "Navarra Film Commission"),
        (("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a avc:FilmCommission }", "--format", "json"), '"n"'),
        (("analyze", "--section", "network", "--format", "json"), '"network"'),
        (("export", "--format", "csv"), "source_label"),
    ],
)
def test_read_commands_read_the_store_a_server_holds(
    serving: tuple[Path, Server], args: tuple[str, ...], shows: str
) -> None:
    store, _ = serving
    done = cli(*args, store=store)
    assert done.returncode == 0, done.stderr
    assert shows in done.stdout
    assert "read-only" in done.stderr and "avcluster serve" in done.stderr
    if args[0] == "analyze":
        assert json.loads(done.stdout)["network"]["actors"] > 1000


@pytest.mark.parametrize("args", [("init",), ("load", "--name", "x", "{file}"), ("reason",)])
def test_write_commands_refuse_in_one_line(serving: tuple[Path, Server], tmp_path: Path, args: tuple[str, ...]) -> None:
    store, server = serving
    data = tmp_path / "x.ttl"
    data.write_text("<https://w3id.org/avcluster/id/x> <http://www.w3.org/2000/01/rdf-schema#label> 'x' .\n")
    done = cli(*(a.replace("{file}", str(data)) for a in args), store=store)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"pid {server.process.pid}" in lines[0] and f"127.0.0.1:{server.port}/sparql" in lines[0]
