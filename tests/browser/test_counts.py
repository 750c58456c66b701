"""Counts that agree (issue 14, point 5), in Chromium on the bundled data: the Navarre cluster's
members, actors and ties read the same on the overview, the life-cycle table of /analysis and
/competencies, each named the same way with its definition, and they are kg.analysis.counts' on the
store."""

from __future__ import annotations

from typing import Any

import pytest

from avcluster.kg.analysis.counts import cluster_counts
from avcluster.kg.analysis.projection import read_network
from avcluster.kg.namespaces import ID
from avcluster.kg.stores import Store
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

NAVARRE = str(ID) + "navarra-audiovisual-cluster"
SHOWN = ("members", "actors", "ties")


def numbers(row: Any) -> dict[str, int]:
    return {key: int(row.locator(f"td[data-count='{key}']").inner_text()) for key in SHOWN}


def names(scope: Any) -> dict[str, str]:
    return {key: scope.locator(f"abbr[data-count='{key}']").first.inner_text() for key in SHOWN}


def test_the_navarre_counts_agree_on_every_page(page: Any, live_server: LiveServer, navarre_store: Store) -> None:
    expected = cluster_counts(read_network(navarre_store), NAVARRE)
    want = {key: getattr(expected, key) for key in SHOWN}

    page.goto(live_server.url + "/")
    overview = numbers(page.locator("table#clusters tbody tr", has_text="Audiovisual cluster of Navarre"))
    overview_names = names(page.locator("table#clusters thead"))
    title = page.locator("table#clusters thead abbr[data-count='actors']").get_attribute("title")
    assert "members" in title and "located" in title  # the count is named and defined
    assert "actors located in" in page.locator(".count-notes").first.inner_text()

    page.goto(live_server.url + "/analysis")
    lifecycle = numbers(page.locator(f"table#lifecycle tbody tr[data-cluster='{NAVARRE}']"))
    assert names(page.locator("table#lifecycle thead")) == overview_names
    assert page.locator("table#lifecycle thead abbr[data-count='actors']").get_attribute("title") == title

    page.goto(live_server.url + "/competencies")
    header = page.locator("#cluster-counts")
    assert "Navarre" in header.locator("h2").inner_text()
    competencies = {key: int(header.locator(f"li[data-count='{key}'] .value").inner_text()) for key in SHOWN}
    assert names(header) == overview_names
    assert "located in Navarre" in header.locator("abbr[data-count='actors']").get_attribute("title")

    assert overview == lifecycle == competencies == want, (overview, lifecycle, competencies, want)
