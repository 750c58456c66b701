"""A real server on a free port and a real Chromium (Debian's) driven by Playwright.

Every page a test opens records the requests it makes; a request to any origin but the app's own
fails the test, since the app must work offline.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from avcluster.kg.setup import initialise
from avcluster.kg.stores import Store, open_store
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "LiveServer"]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, store: Store, config: dict[str, object] | None = None) -> None:
        from waitress.server import create_server

        from avcluster.web import create_app

        self.app = create_app({"STORE": store, **(config or {})})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = create_server(self.app, host="127.0.0.1", port=self.port, threads=4)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.close()


@pytest.fixture(scope="session")
def navarre_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled data in an embedded store, as `avcluster init` leaves it."""
    store = open_store(str(tmp_path_factory.mktemp("store") / "store"))
    initialise(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def live_server(navarre_store: Store, editor_files: None) -> Iterator[LiveServer]:
    server = LiveServer(navarre_store)
    yield server
    server.stop()


@pytest.fixture
def page(browser: object, live_server: LiveServer) -> Iterator[object]:
    """A fresh page; fails the test if anything is requested from another origin or a script errors."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:", "blob:", "about:")) else foreign.append(r.url),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.foreign_requests = foreign
    page.script_errors = errors
    yield page
    context.close()
    assert not foreign, f"requests to other origins: {foreign}"
    assert not errors, f"script errors on the page: {errors}"
