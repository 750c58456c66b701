"""Shared fixtures: every store test runs on each backend — embedded on disk, in memory, and a real Virtuoso."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox
import pytest

from avcluster.kg.setup import initialise
from avcluster.kg.stores import Store, open_store

from . import virtuoso

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root, on a machine with no network but the package registries: no sandbox, no background traffic.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(what: str, package: str) -> NoReturn:
    """A test whose outside part is absent skips, naming the Debian package that brings it; under
    .ci/run (AVCLUSTER_REQUIRE_ALL=1), which installs them all, it fails instead."""
    message = f"{what} is not installed: apt-get install {package}"
    if os.environ.get("AVCLUSTER_REQUIRE_ALL"):
        pytest.fail(message + " (.ci/run should have)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def editor_files() -> None:
    """The SPARQL editor's CodeMirror comes from npm (package-lock.json pins it, node_modules is
    ignored by git): installed here on first use, so the README's test command is the whole set-up."""
    if (ROOT / "node_modules" / "codemirror").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        require("npm (for the SPARQL editor's CodeMirror)", "npm")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True, timeout=600)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Debian Chromium for the whole run: Playwright's sync API allows one instance at a time."""
    if not Path(CHROMIUM).exists():
        require("Chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def limited_virtuoso(
    factory: pytest.TempPathFactory, graph: str, triples: int, **limits: int
) -> Iterator[virtuoso.Virtuoso]:
    """A Virtuoso of its own, started with these limits (max_rows, max_seconds), whose only data is
    `triples` numbered triples in `graph`: for the tests of what a server does at its limits."""
    if not virtuoso.available():
        require("Virtuoso (virtuoso-t)", "virtuoso-opensource-7-bin")
    started = virtuoso.Virtuoso(factory.mktemp("virtuoso-limited"), **limits)
    numbered = [
        ox.Triple(ox.NamedNode(f"urn:x-test:s{i}"), ox.NamedNode("urn:x-test:p"), ox.Literal(i)) for i in range(triples)
    ]
    open_store(started.url).replace_graphs({graph: numbered})
    yield started
    started.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    if not virtuoso.available():
        require("Virtuoso (virtuoso-t)", "virtuoso-opensource-7-bin")
    server = virtuoso.Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(params=["memory", "disk", pytest.param("virtuoso", marks=pytest.mark.remote)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same test on every backend: embedded in memory, embedded on disk, and a remote SPARQL server."""
    if request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        opened = open_store(server.url)
        opened.drop_graphs(g.iri for g in opened.graphs())
    else:
        opened = open_store("memory:" if request.param == "memory" else str(tmp_path / "store"))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def bundled() -> Iterator[Store]:
    """The bundled data as `avcluster init` loads it, in memory, shared by the tests that only read it."""
    store = open_store("memory:")
    initialise(store)
    yield store
    store.close()
