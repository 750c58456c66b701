"""/graph in Chromium on the hand-written cluster of tests/fixtures/web_views (with its hostile
actors): the network is drawn as `window.network`; clicking a node or a tie shows its details;
the type and kind filters, the year slider and the region choice change what is drawn (counted in
the network's own DataSets); search finds an actor; markup in labels stays text in the tooltip,
the search results and the details panel; above the limit the page starts from groups and a
double click drills into one.

This module serves its own store (the `live_server` below replaces the bundled-data one), so the
`page` fixture's checks (no request to another origin, no script error) apply to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from avcluster.kg.stores import Store, open_store
from tests.browser.conftest import LiveServer
from tests.test_web_views import fill

pytestmark = pytest.mark.browser

SCRIPT_LABEL = "<script>window.__pwned='script'</script>"
IMG_LABEL = "<img src=x onerror=\"window.__pwned='img'\">"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    filled = fill(open_store("memory:"))
    yield filled
    filled.close()


@pytest.fixture(scope="module")
def live_server(store: Store) -> Iterator[LiveServer]:
    server = LiveServer(store)
    yield server
    server.stop()


def open_graph(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.network !== undefined")


def drawn(page: Any) -> tuple[int, int]:
    """Nodes and edges the network holds now: the filtered views it was given."""
    return tuple(page.evaluate("[window.network.body.data.nodes.length, window.network.body.data.edges.length]"))


def node_id(page: Any, label: str) -> int:
    found: int = page.evaluate("(label) => window.graphData.nodes.get({filter: n => n.name === label})[0].id", label)
    return found


def node_point(page: Any, label: str) -> tuple[float, float]:
    """Where a node is on the screen."""
    box = page.locator("#graph-canvas").bounding_box()
    point = page.evaluate(
        "(id) => window.network.canvasToDOM(window.network.getPositions([id])[id])", node_id(page, label)
    )
    return box["x"] + point["x"], box["y"] + point["y"]


def set_year(page: Any, year: int) -> None:
    page.evaluate(
        "(y) => { const r = document.getElementById('year'); r.value = y; r.dispatchEvent(new Event('input')); }", year
    )


def test_the_graph_is_drawn_as_window_network(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    assert drawn(page) == (8, 9)
    assert page.evaluate("window.network instanceof vis.Network")
    assert page.evaluate("window.network.physics.options.enabled") is False
    assert "8 / 8" in page.locator("#shown-count").inner_text()


def test_clicking_a_node_shows_its_details(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.mouse.click(*node_point(page, "Testland Government"))
    details = page.locator("#details")
    assert details.locator("h2").inner_text() == "Testland Government"
    text = details.inner_text()
    assert "public administration" in text and "1990" in text and "Testland" in text
    assert details.locator("a", has_text="Open its page").get_attribute("href") == "/resource/v-government"
    assert details.locator("ul.tie-list li").count() == 4  # two fundings, a grant, a report received


def test_clicking_a_tie_shows_kind_dates_strength_and_sources_as_links(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    (x1, y1), (x2, y2) = node_point(page, "Bluefinch Studio"), node_point(page, "Testland Film School")
    page.mouse.click((x1 + x2) / 2, (y1 + y2) / 2)
    details = page.locator("#details")
    assert details.locator("h2").inner_text() == "training"
    assert "Testland Film School" in details.inner_text() and "2015" in details.inner_text()
    page.mouse.click(*node_point(page, "Testland Government"))
    page.locator("#details button", has_text="→ Testland Film Commission · funding").click()
    assert details.locator("h2").inner_text() == "funding"
    assert "2010-03-01" in details.inner_text() and "0.9" in details.inner_text()
    source = details.locator("ul.source-list a")
    assert source.inner_text() == "Testland cluster report"
    assert source.get_attribute("href") == "https://example.org/testland-report"


def test_type_and_kind_filters_change_what_is_drawn(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.locator("#type-filter input[value='FilmCommission']").uncheck()
    assert drawn(page) == (6, 5)  # four ties touch a film commission
    page.locator("#kind-filter input[value='Partnership']").uncheck()
    assert drawn(page) == (6, 3)
    page.locator("#type-filter input[value='FilmCommission']").check()
    page.locator("#kind-filter input[value='Partnership']").check()
    assert drawn(page) == (8, 9)


def test_the_region_choice_keeps_the_actors_located_there(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.select_option("#region-filter", label="Otherland (1)")
    assert drawn(page) == (1, 0)
    page.select_option("#region-filter", index=0)
    assert drawn(page) == (8, 9)


def test_the_year_slider_shows_the_network_as_it_stood(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    set_year(page, 2005)
    assert page.locator("#year-shown").inner_text() == "2005"
    # the government, the old film office, and four actors with no founding date; one tie then
    assert drawn(page) == (6, 1)
    set_year(page, 2019)
    labels = page.evaluate("window.network.body.data.nodes.get().map(n => n.name)")
    assert "Old Testland Film Office" not in labels and "Testland Film Commission" in labels
    assert drawn(page)[1] == 7  # every tie but the old funding and the 2020 report
    set_year(page, 2021)  # past the last year: every year
    assert drawn(page) == (8, 9)


def test_a_year_in_the_address_starts_the_slider_there(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph?at=2005")
    assert drawn(page) == (6, 1)


def test_search_finds_an_actor_and_selects_it(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.fill("#graph-search", "bluefinch")
    assert page.locator("#search-results button").all_inner_texts() == ["Bluefinch Studio"]
    page.press("#graph-search", "Enter")
    assert page.locator("#details h2").inner_text() == "Bluefinch Studio"
    assert page.evaluate("window.network.getSelectedNodes()") == [node_id(page, "Bluefinch Studio")]
    page.fill("#graph-search", "no such actor")
    assert page.locator("#search-results").inner_text() == "no match"


def test_size_by_a_measure_and_physics_can_be_switched(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    studio = node_id(page, "Bluefinch Studio")
    page.select_option("#size-by", "betweenness")
    value = page.evaluate("(id) => window.graphData.nodes.get(id).value", studio)
    assert value == page.evaluate("(id) => window.graphData.nodes.get(id).betweenness", studio) and value > 0
    page.locator("#physics").check()
    assert page.evaluate("window.network.physics.options.enabled") is True


def test_markup_in_labels_stays_text_in_tooltip_search_and_panel(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.mouse.move(*node_point(page, IMG_LABEL))
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith(IMG_LABEL)
    assert tooltip.locator("img").count() == 0
    page.mouse.click(*node_point(page, IMG_LABEL))
    assert page.locator("#details h2").inner_text() == IMG_LABEL
    page.fill("#graph-search", "<script>")
    assert page.locator("#search-results button").all_inner_texts() == [SCRIPT_LABEL]
    page.locator("#search-results button").click()
    details = page.locator("#details")
    assert details.locator("h2").inner_text() == SCRIPT_LABEL
    assert details.locator("img, script, b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_a_source_url_that_is_a_script_is_never_a_link(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.mouse.click(*node_point(page, SCRIPT_LABEL))
    page.locator("#details ul.tie-list button").first.click()
    links = page.locator("#details ul.source-list a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/resource/v-bad-url-source" in hrefs
    assert not any(h.startswith("javascript:") for h in hrefs)
    assert page.locator("#details ul.source-list").inner_text().count("bold source") == 1
    assert page.evaluate("window.__pwned") is None


def test_above_the_limit_groups_are_drawn_and_a_double_click_drills_down(page: Any, live_server: LiveServer) -> None:
    before = live_server.app.config["GRAPH_AGGREGATE_ABOVE"]
    live_server.app.config["GRAPH_AGGREGATE_ABOVE"] = 3
    try:
        open_graph(page, live_server.url + "/graph")
        groups = page.evaluate("window.network.body.data.nodes.get().map(n => n.group)")
        assert "type:FilmCommission" in groups
        box = page.locator("#graph-canvas").bounding_box()
        point = page.evaluate("""() => {
            const id = window.graphData.nodes.get({filter: n => n.group === 'type:FilmCommission'})[0].id;
            return window.network.canvasToDOM(window.network.getPositions([id])[id]); }""")
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        assert (
            page.locator("#details a", has_text="Open this group")
            .get_attribute("href")
            .endswith("group=type%3AFilmCommission")
        )
        page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_url("**group=type%3AFilmCommission")
        page.wait_for_function("window.network !== undefined")
        assert drawn(page) == (2, 0)
        assert "film commission" in page.locator("nav.crumbs").inner_text()
    finally:
        live_server.app.config["GRAPH_AGGREGATE_ABOVE"] = before
