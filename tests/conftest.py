"""Shared fixtures: every store test runs on each backend — embedded on disk, in memory, and a real Virtuoso."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.stores import Store, open_store

from . import virtuoso

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


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Debian Chromium for the whole run: Playwright's sync API allows one instance at a time."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `apt-get install chromium` (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    if not virtuoso.available():
        if virtuoso.required():
            pytest.fail("virtuoso-t is missing: .ci/run installs virtuoso-opensource-7-bin")
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource-7-bin)")
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
