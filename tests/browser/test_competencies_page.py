"""/competencies and the life-cycle panel for people (issue 14, point 6), in Chromium on the bundled
data: one cluster by default (Navarre's), the selector changes it and the URL, the matrix keeps its
header row and actor column in view while it scrolls, the Gantt chart draws a known lead period
with a readable label, and the life-cycle panel explains its suggestion or why it has none."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def visit(page: Any, live_server: LiveServer, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response.status == 200, path


def test_one_cluster_by_default_and_the_selector_changes_it_and_the_url(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/competencies")
    select = page.locator("#cluster-select")
    assert select.input_value() == "navarra-audiovisual-cluster"
    assert "Navarre" in page.locator("#cluster-counts h2").inner_text()
    assert page.locator("#gaps-heading + p").count() == 0  # one cluster: its gaps, not each cluster's

    select.select_option("moscow-film-cluster")  # the choice submits itself (static/scope.js)
    page.wait_for_url("**cluster=moscow-film-cluster**")
    assert "Moscow" in page.locator("#cluster-counts h2").inner_text()
    assert page.locator("#cluster-select").input_value() == "moscow-film-cluster"

    page.locator("#cluster-select").select_option("all")
    page.wait_for_url("**cluster=all**")
    assert page.locator("#cluster-counts").count() == 0
    assert page.locator("#gap-list").count() > 1  # each cluster's gaps
    page.reload()  # the URL restores the choice
    assert page.locator("#cluster-select").input_value() == "all"


def test_the_matrix_headers_stay_in_view_while_it_scrolls(page: Any, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 900, "height": 700})
    visit(page, live_server, "/competencies?cluster=all")
    wrap = page.locator("#matrix-wrap")
    sizes = wrap.evaluate("w => [w.scrollHeight - w.clientHeight, w.scrollWidth - w.clientWidth]")
    assert sizes[0] > 200 and sizes[1] > 100, sizes  # it does scroll both ways
    before = page.evaluate(
        "() => document.querySelector('#competency-matrix thead th:nth-child(3)').getBoundingClientRect().top"
    )
    wrap.evaluate("w => { w.scrollTop = 200; w.scrollLeft = 100; }")
    page.wait_for_timeout(100)
    box = wrap.evaluate(
        """w => {
          const r = w.getBoundingClientRect();
          const head = w.querySelector('thead th:nth-child(3)').getBoundingClientRect();
          const row = w.querySelector('tbody tr:nth-child(8) th').getBoundingClientRect();
          const corner = w.querySelector('thead th.corner').getBoundingClientRect();
          return {top: r.top, left: r.left, head: head.top, first: row.left, corner: [corner.top, corner.left]};
        }"""
    )
    assert abs(box["head"] - box["top"]) <= 2 and abs(box["head"] - before) <= 2, box  # the header row stays
    assert abs(box["first"] - box["left"]) <= 2, box  # the actor column stays
    assert abs(box["corner"][0] - box["top"]) <= 2 and abs(box["corner"][1] - box["left"]) <= 2, box


def test_the_gantt_draws_the_film_commissions_lead_since_2014(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/competencies")
    gantt = page.locator("svg#competency-gantt")
    row = gantt.locator("g.gantt-row[data-label='location services']")
    bar = row.locator("g.gantt-bar", has_text="NICDO: since 2014")
    assert bar.count() == 1
    assert "since 2014" in bar.locator("text.on-bar").text_content()
    ticks = {t.text_content(): float(t.get_attribute("x")) for t in gantt.locator("text.muted").all()}
    x = float(bar.locator("rect").get_attribute("x"))
    assert ticks["2013"] < x < ticks["2015"]
    assert row.locator("g.gantt-bar", has_text="Fundación INAAC: 2009–2014").count() == 1
    assert row.locator("path.gantt-handover").count() == 1  # INAAC hands over to NICDO
    assert row.locator("rect.gantt-overlap").count() == 1  # 2014: both may lead
    assert gantt.locator("g.gantt-stated-gap").count() == 3  # the gaps the sources state
    assert gantt.locator("rect.gantt-gap").count() >= 1  # years with no lead
    visit(page, live_server, "/competencies?lang=es")
    assert page.locator("svg#competency-gantt g.gantt-bar", has_text="NICDO: desde 2014").count() >= 1


def test_the_life_cycle_panel_explains_its_suggestion_or_why_it_has_none(page: Any, live_server: LiveServer) -> None:
    visit(page, live_server, "/analysis")
    navarre = page.locator("#evidence-navarra-audiovisual-cluster")
    assert "The evidence suggests" in navarre.locator(".verdict").inner_text()
    evidence = navarre.locator("table.evidence-table tbody tr")
    assert evidence.count() >= 5
    assert "founded 2009" in navarre.locator("tr[data-indicator='age']").inner_text()
    assert navarre.locator("tr.counted").count() >= 2  # the indicators that voted
    page.locator("table#lifecycle tr[data-cluster$='navarra-audiovisual-cluster'] a.why-link").click()
    page.wait_for_url("**#evidence-navarra-audiovisual-cluster")
    unsettled = page.locator("section.evidence[data-verdict='split'], section.evidence[data-verdict='none']")
    assert unsettled.count() >= 1
    assert "No suggestion" in unsettled.first.locator(".verdict").inner_text()
