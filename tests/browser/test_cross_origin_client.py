"""A browser client on another origin (as YASGUI is) queries and updates the endpoint: the preflight
allows the Authorization header, and every answer, the 401 included, carries the CORS headers, so
the page reads it instead of seeing a network error."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avcluster.kg.stores import open_store
from tests.browser.conftest import LiveServer, free_port
from tests.webapp import fill

pytestmark = pytest.mark.browser

TOKEN = "cross-origin-token"
UPDATE = "INSERT DATA { GRAPH <https://w3id.org/avcluster/graph/web-browser> { <https://w3id.org/avcluster/id/w-browser> <http://www.w3.org/2000/01/rdf-schema#label> 'From a browser'@en } }"
CLIENT = """<!doctype html><title>another site</title><p>a SPARQL client on another origin</p>"""
SEND = """async ([endpoint, update, token]) => {
  const body = new URLSearchParams({update});
  const headers = token ? {"Authorization": "Bearer " + token} : {};
  const answer = await fetch(endpoint, {method: "POST", body, headers});
  const asked = await fetch(endpoint + "?query=" + encodeURIComponent("ASK { ?s ?p 'From a browser'@en }"),
                            {headers: {"Accept": "application/sparql-results+json"}});
  return {status: answer.status, text: await answer.text(), added: (await asked.json()).boolean};
}"""


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[str]:
    """A static page on another port: another origin."""
    (tmp_path / "index.html").write_text(CLIENT)
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def test_a_page_on_another_origin_updates_with_the_token(browser: Any, elsewhere: str) -> None:
    store = fill(open_store("memory:"), "cluster")
    app = LiveServer(store, {"UPDATE_TOKEN": TOKEN})
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(elsewhere)
        endpoint = app.url + "/sparql"
        refused = page.evaluate(SEND, [endpoint, UPDATE, "wrong"])
        assert refused["status"] == 401 and "update token" in refused["text"]  # read, not a network error
        assert refused["added"] is False
        done = page.evaluate(SEND, [endpoint, UPDATE, TOKEN])
        assert done["status"] == 204
        assert done["added"] is True
    finally:
        context.close()
        app.stop()
        store.close()
