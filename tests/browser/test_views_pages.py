"""The overview and the cluster views in Chromium on the bundled data (as `avcluster init` leaves
the store): each page renders with its figures, tables and SVG charts, links where it says, shows
the Navarre film commission changing hands in 2014, and switches language; /graph draws the
bundled cluster. The `page` fixture fails any test whose page asks another origin for anything or
throws a script error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def visit(page: Any, live_server: LiveServer, path: str) -> Any:
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    return response


def test_the_overview_shows_clusters_figures_types_and_data_sources(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/")
    assert page.locator("h1").inner_text() == "Audiovisual clusters"
    assert page.locator("table#clusters tbody tr", has_text="Audiovisual cluster of Navarre").count() == 1
    assert int(page.locator("#key-figures li").first.locator(".value").inner_text().replace(",", "")) > 50
    assert page.locator("svg.chart rect").count() > 10
    datasets = page.locator("table#datasets")
    assert datasets.locator("tr", has_text="data/navarre/actors.ttl").count() == 1
    page.locator("table#datasets th", has_text="triples").click()  # sortable, by part A's tables.js
    page.locator("main a", has_text="Competencies").first.click()
    page.wait_for_url("**/competencies")


def test_competencies_show_the_matrix_and_the_film_commission_changing_hands(
    page: Any, live_server: LiveServer
) -> None:
    visit(page, live_server, "/competencies?region=navarre")
    changes = page.locator("#change-list").inner_text()
    assert "Fundación INAAC → NICDO (2014)" in changes
    matrix = page.locator("table#competency-matrix")
    assert matrix.locator("tbody tr").count() > 5
    assert matrix.locator("td.lead, td.overlap").count() > 5
    assert page.locator("#gap-list li").count() >= 1
    assert page.locator("svg#competency-gantt g.gantt-bar").count() > 3  # one Gantt chart, a bar per lead
    page.fill("input[name=at]", "2012")
    page.locator("form.scope button").click()
    page.wait_for_url("**at=2012**")
    rows = page.locator("table#competency-matrix tbody tr")
    assert "lead 2009" in rows.filter(has_text="Fundación INAAC").inner_text()  # INAAC leads in 2012
    assert "lead 2014" not in rows.filter(has_text="NICDO").inner_text()  # NICDO takes over in 2014


def test_analysis_shows_brokers_communities_ties_and_charts(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/analysis")
    assert page.locator("table#brokers tbody tr").count() >= 5
    assert page.locator("table#communities tbody tr").count() >= 3
    assert page.locator("svg.chart").count() >= 5
    assert page.locator("svg.chart polyline").count() >= 2


def test_flows_show_kinds_and_a_sankey_diagram(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/flows")
    assert page.locator("table#flow-kinds tbody tr").count() >= 1
    assert page.locator("section.sankey svg path").count() >= 1


# Every label of every chart inside its drawing, as the browser lays the text out in each language
# (Russian names of actor types are a fifth wider than English ones, letter for letter).
OUTSIDE_THE_CHART = """svgs => svgs.flatMap(svg => { const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
    .filter(([, b]) => b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5)
    .map(([text, b]) => `${text}: ${Math.round(b.x)}..${Math.round(b.x + b.width)} of ${box.width}`); })"""
CHART_PAGES = ("/", "/analysis", "/flows", "/competencies?region=navarre", "/regions", "/compare?region=kaliningrad")


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_chart_labels_stay_inside_their_charts(page: Any, live_server: LiveServer, lang: str) -> None:
    drawn = 0
    for path in CHART_PAGES:
        visit(page, live_server, f"{path}{'&' if '?' in path else '?'}lang={lang}")
        charts = page.locator("svg.chart")
        drawn += charts.count()
        assert charts.evaluate_all(OUTSIDE_THE_CHART) == [], path
    assert drawn >= 10


def test_regions_show_the_five_factors_side_by_side(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/regions")
    table = page.locator("table#factor-table")
    assert table.locator("thead th").count() == 6
    assert table.locator("tbody tr").count() >= 5
    navarre = table.locator("tbody tr", has_text="Navarre").first
    assert navarre.locator("a[href^='/resource/source-']").count() >= 1


def test_views_switch_language(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/competencies?lang=es")
    assert page.locator("h1").inner_text() == "Competencias"
    visit(page, live_server, "/regions")  # remembered
    assert page.locator("h1").inner_text() == "Regiones"
    assert "Navarra" in page.locator("table#factor-table").inner_text()


def test_the_graph_draws_the_bundled_clusters(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/graph")
    page.wait_for_function("window.network !== undefined")
    nodes, edges = page.evaluate("[window.network.body.data.nodes.length, window.network.body.data.edges.length]")
    assert nodes > 50 and edges > 50
    page.fill("#graph-search", "NICDO")
    page.press("#graph-search", "Enter")
    assert "NICDO" in page.locator("#details h2").inner_text()


@pytest.mark.parametrize("path", ["/", "/graph", "/query", "/competencies", "/regions", "/ontology"])
def test_every_page_names_an_icon_that_loads(page: Any, live_server: LiveServer, path: str) -> None:
    visit(page, live_server, path)
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    answer = page.request.get(icon)
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    conventional = page.request.get(live_server.url + "/favicon.ico")  # clients that ask without reading the page
    assert conventional.status == 200 and conventional.url == icon


def test_compare_sets_a_region_beside_navarre_with_charts(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/regions")
    page.locator("#factor-table tr", has_text="Kaliningrad Oblast").locator("a.compare-link").click()
    page.wait_for_url("**/compare?target=kaliningrad")
    assert page.locator("select[name=model]").input_value() == "navarre"
    assert page.locator("#compare-factors tbody tr").count() == 5
    assert page.locator("svg.chart rect").count() >= 2  # a factor both regions measure, drawn
    assert page.locator("svg.chart polyline").count() == 2  # each region's measures over the years
    assert page.locator("#compare-competencies tr.gap").count() > 0
    assert page.locator("#compare-competencies tr.gap a[href^='/resource/']").count() > 0  # suggested actors
    page.select_option("select[name=target]", "basque-country")
    page.locator("#compare-form button").click()
    page.wait_for_url("**/compare?model=navarre&target=basque-country*")
    assert "Basque Country" in page.locator("#compare-factors thead").inner_text()
