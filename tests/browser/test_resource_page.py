"""Resource pages in Chromium, on a hand-written store that also holds labels made of markup: the
page renders with its relationships and its neighbourhood graph, the language can be switched and
is remembered, and `<script>` / `<img onerror>` labels stay text on every page that shows them.

This module serves its own store (the `live_server` below replaces the bundled-data one), so the
`page` fixture's checks (no other origin, no script error) apply to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from avcluster.kg.stores import open_store
from tests.browser.conftest import LiveServer
from tests.webapp import fill

pytestmark = pytest.mark.browser

SCRIPT_LABEL = "<script>window.__pwned = 'script'</script>"
IMG_LABEL = "<img src=x onerror=\"window.__pwned = 'img'\">"


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    store = fill(open_store("memory:"), "cluster", "hostile")
    server = LiveServer(store)
    yield server
    server.stop()
    store.close()


def test_a_resource_page_renders_with_its_relationships(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/resource/w-gov")
    assert page.locator("#resource-title").inner_text() == "Webland Government"
    relationships = page.locator("table#relationships tbody tr")
    assert relationships.count() == 2
    funding = page.locator("table#relationships tbody tr", has_text="id:rel-w1")
    cells = funding.locator("td").all_inner_texts()
    assert "Web Test Films" in cells[2] and cells[3:6] == ["2012", "2016", "0.7"]
    source = funding.locator("td.sources a").first
    assert source.get_attribute("href") == "/resource/w-source"
    assert page.locator("#sources").inner_text().count("Hand-written for the web tests.") == 1
    page.locator("#neighbourhood canvas").wait_for()
    assert page.evaluate("document.getElementById('neighbourhood').network.body.data.nodes.length") == 3


def test_following_a_relationship_to_the_other_actor(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/resource/w-gov")
    page.locator("table#relationships a", has_text="Webland Film Commission").click()
    page.wait_for_url(live_server.url + "/resource/w-fc")
    assert page.locator("table#competencies tbody tr").count() == 1


def test_the_language_is_switched_in_the_page_and_remembered(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/resource/w-gov")
    page.locator(".languages a[hreflang=es]").click()
    page.wait_for_url(live_server.url + "/resource/w-gov?lang=es")
    assert page.locator("#resource-title").inner_text() == "Gobierno de Webland"
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(live_server.url + "/resource/w-region")  # no ?lang=: the cookie remembers
    assert page.locator("#resource-title").inner_text() == "Tierra web"
    page.locator(".languages a[hreflang=en]").click()
    assert page.locator("#resource-title").inner_text() == "Webland"


@pytest.mark.parametrize(
    "path",
    [
        "/resource/w-script",
        "/resource/w-img",
        "/resource/w-cluster",
        "/resource/rel-w-hostile",
        "/resource/w-hostile-source",
        "/query?query=" + quote("SELECT ?x ?label WHERE { ?x rdfs:label ?label }"),
        "/query?query="
        + quote(
            "CONSTRUCT { ?a avc:partnersWith ?b } WHERE { ?r a avc:Partnership ; avc:fromActor ?a ; avc:toActor ?b }"
        ),
    ],
)
def test_a_label_holding_markup_stays_text(page: Any, live_server: LiveServer, path: str) -> None:
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    page.mouse.move(400, 400)
    assert page.evaluate("window.__pwned") is None  # nothing in a label ran
    assert page.locator("main img, main svg, main iframe").count() == 0
    text = page.locator("main").inner_text()
    assert SCRIPT_LABEL in text or IMG_LABEL in text


def test_a_hostile_title_is_the_pages_text(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/resource/w-script")
    assert page.locator("#resource-title").inner_text() == SCRIPT_LABEL
    assert page.title().startswith(SCRIPT_LABEL)
    page.goto(live_server.url + "/resource/w-img")
    assert page.locator("#resource-title").inner_text() == IMG_LABEL
