"""/graph on the bundled data in Chromium, as an analyst uses it (issue 14, points 1–4): names on
the map never overlap, arranged layouts caption their groups, the address holds every choice and a
reload restores it, `focus` opens an actor's details, the play button steps through the years,
accent-free search finds accented names, the Navarre region shows the cluster's own counts, and the
map's controls work from the keyboard."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from avcluster.kg.analysis.counts import cluster_counts
from avcluster.kg.analysis.projection import read_network
from avcluster.kg.stores import Store
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

NAVARRE_CLUSTER = "https://w3id.org/avcluster/id/navarra-audiovisual-cluster"


def open_graph(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.network !== undefined && window.graphLabels !== undefined")


def shown(page: Any) -> tuple[int, int]:
    """Actors and ties drawn now (ties that ended last year, faded while the history plays, are not counted)."""
    return tuple(
        page.evaluate(
            """() => { const year = Number(document.getElementById('year-shown').textContent) || null;
                return [window.network.body.data.nodes.length,
                        window.graphData.edgeView.get().filter(e => year === null || e.endYear !== year - 1).length]; }"""
        )
    )


def query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def overlaps(boxes: list[dict[str, float]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                found.append((a["text"], b["text"]))
    return found


def test_names_on_the_map_never_overlap_and_more_appear_on_zoom(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    labels = page.evaluate("window.graphLabels")
    assert len(labels) >= 20 and overlaps(labels) == []
    # The names drawn are the ones in view: every box is inside the canvas (with its margin).
    box = page.locator("#graph-canvas").bounding_box()
    assert all(-60 <= b["x"] <= box["width"] + 60 and -30 <= b["y"] <= box["height"] + 30 for b in labels)
    page.click("#zoom-in")
    page.click("#zoom-in")
    page.wait_for_timeout(100)
    zoomed = page.evaluate("window.graphLabels")
    assert overlaps(zoomed) == []
    # Zoomed in, fewer actors are in view, yet a larger share of them is named.
    in_view = page.evaluate(
        """() => { const c = document.querySelector('#graph-canvas canvas');
        return window.graphData.nodeView.getIds().filter(id => { const p = window.network.canvasToDOM(
          window.network.getPositions([id])[id]); return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; }).length; }"""
    )
    assert len(zoomed) / max(in_view, 1) > len(labels) / 630


def test_focus_in_the_address_selects_the_actor_names_it_and_opens_its_details(
    page: Any, live_server: LiveServer
) -> None:
    open_graph(page, live_server.url + "/graph?focus=nicdo")
    assert page.locator("#details h2").inner_text() == "NICDO"
    nicdo = page.evaluate("window.graphData.nodes.get({filter: n => n.name === 'NICDO'})[0].id")
    assert page.evaluate("window.network.getSelectedNodes()") == [nicdo]
    named = [b["text"] for b in page.evaluate("window.graphLabels")]
    assert named[0] == "NICDO"  # the selected actor is named first, then its neighbours
    neighbours = page.evaluate(
        f"window.network.getConnectedNodes({nicdo}).map(id => window.graphData.nodes.get(id).name)"
    )
    assert len(set(named) & set(neighbours)) >= min(3, len(neighbours))


def test_the_address_holds_every_choice_and_a_reload_restores_it(page: Any, live_server: LiveServer) -> None:
    url = (
        "/graph?year=2012&focus=nicdo&region=navarre&types=PublicEnterprise,PublicAdministration"
        "&kinds=Governance,Funding&size=betweenness"
    )
    open_graph(page, live_server.url + url)

    def restored() -> None:
        assert page.locator("#year-shown").inner_text() == "2012"
        assert page.locator("#region-filter option:checked").inner_text().startswith("Navarre")
        checked = page.locator("#type-filter input:checked").evaluate_all("xs => xs.map(x => x.value)")
        assert sorted(checked) == ["PublicAdministration", "PublicEnterprise"]
        kinds = page.locator("#kind-filter input:checked").evaluate_all("xs => xs.map(x => x.value)")
        assert sorted(kinds) == ["Funding", "Governance"]
        assert page.locator("#size-by").input_value() == "betweenness"
        assert page.locator("#details h2").inner_text() == "NICDO"
        types = page.evaluate("window.network.body.data.nodes.get().map(n => n.type)")
        assert set(types) <= {"PublicAdministration", "PublicEnterprise"} and types

    restored()
    page.reload()
    page.wait_for_function("window.network !== undefined")
    restored()
    # A change in the page goes to the address, and the JSON link follows it.
    page.locator("#kind-filter input[value=Funding]").uncheck()
    page.locator("#hide-untied").check()
    assert query(page)["kinds"] == ["Governance"] and query(page)["hide"] == ["untied"]
    assert "kinds=Governance" in page.locator("#json-link").get_attribute("href")
    page.reload()
    page.wait_for_function("window.network !== undefined")
    assert page.locator("#kind-filter input:checked").evaluate_all("xs => xs.map(x => x.value)") == ["Governance"]
    assert page.locator("#hide-untied").is_checked()


def test_hiding_actors_with_no_tie_keeps_only_tied_ones_and_the_view_refits(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph?region=navarre")
    before = shown(page)
    page.locator("#hide-untied").check()
    after = shown(page)
    assert after[0] < before[0] and after[1] == before[1]
    untied = page.evaluate(
        """() => { const ends = new Set(); window.graphData.edgeView.get().forEach(e => { ends.add(e.from); ends.add(e.to); });
        return window.graphData.nodeView.getIds().filter(id => !ends.has(id)).length; }"""
    )
    assert untied == 0
    # After a filter the map re-fits: every actor shown is on screen.
    page.locator("#type-filter input[value=PublicAdministration]").uncheck()
    off_screen = page.evaluate(
        """() => { const c = document.querySelector('#graph-canvas canvas');
        return window.graphData.nodeView.getIds().filter(id => { const p = window.network.canvasToDOM(
          window.network.getPositions([id])[id]); return p.x < 0 || p.y < 0 || p.x > c.clientWidth || p.y > c.clientHeight; }).length; }"""
    )
    assert off_screen == 0


def test_navarre_on_the_map_counts_the_cluster_actors_and_ties(
    page: Any, live_server: LiveServer, navarre_store: Store
) -> None:
    counts = cluster_counts(read_network(navarre_store), NAVARRE_CLUSTER)
    open_graph(page, live_server.url + "/graph?region=navarre")
    assert shown(page) == (counts.actors, counts.ties)
    text = page.locator("#shown-count").inner_text()
    assert f"{counts.actors} / " in text and f"{counts.ties} / " in text
    assert "its members and the actors located in Navarre" in page.locator("#count-definition").inner_text()


def test_the_play_button_steps_through_the_years_beside_a_chart_of_counts(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    years = page.evaluate("JSON.parse(document.getElementById('graph-data').textContent).per_year")
    assert page.locator(".history-chart polyline").count() == 2
    page.click("#play")
    assert page.locator("#play").get_attribute("aria-pressed") == "true"
    expect(page.locator("#year-shown")).to_have_text(re.compile(r"^\d{4}$"))
    first = int(page.locator("#year-shown").inner_text())
    expect(page.locator("#year-shown")).not_to_have_text(str(first), timeout=5000)
    assert int(page.locator("#year-shown").inner_text()) > first
    page.click("#play")  # pause
    assert page.locator("#play").get_attribute("aria-pressed") == "false"
    year = int(page.locator("#year-shown").inner_text())
    k = years["years"].index(year)
    assert (
        page.locator(".history-legend").inner_text() == f"{year}: {years['actors'][k]} actors, {years['ties'][k]} ties"
    )
    assert shown(page)[1] == years["ties"][k]
    assert query(page)["year"] == [str(year)]
    # Ties that start this year are drawn wide.
    widths = page.evaluate(f"window.graphData.edgeView.get().filter(e => e.startYear === {year}).map(e => e.width)")
    assert all(w == 4 for w in widths)


@pytest.mark.parametrize(("typed", "found"), [("fundacion inaac", "Fundación INAAC"), ("nicdo", "NICDO")])
def test_search_ignores_accents_and_case(page: Any, live_server: LiveServer, typed: str, found: str) -> None:
    open_graph(page, live_server.url + "/graph")
    page.fill("#graph-search", typed)
    page.wait_for_function("document.querySelectorAll('#search-results button').length > 0")
    assert found in page.locator("#search-results button").all_inner_texts()
    page.press("#graph-search", "Enter")
    assert page.locator("#details h2").inner_text() == found
    assert query(page)["q"] == [typed]


def test_arranged_by_type_each_group_is_a_captioned_disc(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    page.select_option("#arrange", "type")
    page.wait_for_url("**layout=type")
    page.wait_for_function("window.graphLabels !== undefined && window.graphLabels.some(b => b.caption)")
    captions = [b["text"] for b in page.evaluate("window.graphLabels") if b.get("caption")]
    assert "production company" in captions and len(captions) >= 10
    assert overlaps(page.evaluate("window.graphLabels")) == []


def test_the_map_is_usable_from_the_keyboard(page: Any, live_server: LiveServer) -> None:
    open_graph(page, live_server.url + "/graph")
    scale = page.evaluate("window.network.getScale()")
    page.focus("#zoom-in")
    page.keyboard.press("Enter")
    assert page.evaluate("window.network.getScale()") > scale
    page.focus("#graph-canvas .vis-network")
    assert page.locator("#graph-canvas .vis-network").get_attribute("aria-label").startswith("The network")
    position = page.evaluate("window.network.getViewPosition()")
    page.keyboard.down("ArrowRight")
    page.wait_for_timeout(200)
    page.keyboard.up("ArrowRight")
    assert page.evaluate("window.network.getViewPosition()")["x"] != position["x"]
    page.focus("#play")
    page.keyboard.press("Enter")
    expect(page.locator("#year-shown")).to_have_text(re.compile(r"^\d{4}$"))
    page.keyboard.press("Enter")
    assert page.locator("#play").get_attribute("aria-pressed") == "false"


def test_the_readmes_example_address_restores_its_view(page: Any, live_server: LiveServer) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"`(/graph\?year=[^`]+)`", readme)
    assert example, "the README shows an example /graph address"
    open_graph(page, live_server.url + example.group(1))
    wanted = parse_qs(urlparse(example.group(1)).query)
    assert page.locator("#year-shown").inner_text() == wanted["year"][0]
    assert page.locator("#details h2").inner_text() == "NICDO"
    assert page.locator("#arrange").input_value() == wanted["layout"][0]
    assert page.locator("#hide-untied").is_checked()
    found = page.locator("#search-results button").all_inner_texts()
    # names on the map that hold the text first; then actors found by another name (NICDO: "Navarra de Infraestructuras…")
    assert found and wanted["q"][0] in found[0].lower()
    assert parse_qs(urlparse(page.url).query) == wanted  # the page rewrote nothing


@pytest.mark.parametrize(
    ("typed", "found"),
    [("sodena", "Sociedad de Desarrollo de Navarra"), ("cpen", "Corporación Pública Empresarial de Navarra")],
)
def test_search_on_the_map_finds_actors_by_their_other_names(
    page: Any, live_server: LiveServer, typed: str, found: str
) -> None:
    """The names on the map are one language's; /search.json knows every language's and the alternative names."""
    open_graph(page, live_server.url + "/graph")
    page.fill("#graph-search", typed)
    expect(page.locator("#search-results button", has_text=found)).to_be_visible()
    page.locator("#search-results button", has_text=found).click()
    assert page.locator("#details h2").inner_text() == found
