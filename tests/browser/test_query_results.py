"""/query's results like Datasette, in Chromium on the bundled data: a canned question with its
parameter, a facet value clicked, text typed in the filter box, and the CSV/JSON links then hold
exactly the rows the table shows; a reload (the URL) restores the view; without JavaScript the same
links ask the server. The `page` fixture fails any test whose page asks another origin or throws."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from avcluster.web.results import fold

pytestmark = pytest.mark.browser

QUESTION = "/query/members-by-type?cluster=id%3Anavarra-audiovisual-cluster"
VISIBLE = "table#results tbody tr:not([hidden])"


def shown_iris(page: Any) -> list[str]:
    """The first column's IRIs of the rows the table shows, in order."""
    return list(page.locator(VISIBLE + " td:first-child a").evaluate_all("links => links.map(a => a.title)"))


def downloaded(page: Any, live_server: Any) -> tuple[list[str], list[str]]:
    """The first column of the CSV link's rows and of the JSON link's, fetched as the page links them."""
    csv_href = page.locator("#download-csv").get_attribute("href")
    json_href = page.locator("#download-json").get_attribute("href")
    as_csv = page.request.get(live_server.url + csv_href)
    assert as_csv.ok and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.text())))
    as_json = page.request.get(live_server.url + json_href).json()
    first = as_json["head"]["vars"][0]
    return [r[0] for r in rows[1:]], [b[first]["value"] for b in as_json["results"]["bindings"]]


def state(url: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(urlsplit(url).query) if k.startswith("_") or k.endswith("__exact")]


def test_a_facet_and_the_filter_narrow_the_table_and_the_downloads_follow(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + QUESTION)
    everything = shown_iris(page)
    assert len(everything) > 10
    facet = page.locator("section.facet[data-column=type]")
    value = facet.locator("a.facet-value").first  # the type with most members
    count = int(value.locator("xpath=following-sibling::span[1]").inner_text())
    chosen = value.get_attribute("data-value")
    assert 1 < count < len(everything)
    page.evaluate("window.notReloaded = true")
    value.click()
    assert len(shown_iris(page)) == count
    assert page.locator("#result-count").inner_text() == str(count)
    assert page.locator("#result-chips .chip").count() == 1
    assert ("type__exact", chosen) in state(page.url)  # the URL follows

    # a second type: either of the two
    other = facet.locator("a.facet-value[aria-pressed=false]").first
    count += int(other.locator("xpath=following-sibling::span[1]").inner_text())
    other.click()
    assert len(shown_iris(page)) == count
    assert page.locator("#result-chips .chip").count() == 2

    # the filter box, accents and case aside: the first word of a shown label, folded and upper-cased
    label = page.locator(VISIBLE + " td:nth-child(2)").first.inner_text()
    word = fold(label.split()[0]).upper()
    page.locator("#result-search").fill(word)
    kept = shown_iris(page)
    assert 0 < len(kept) <= count
    for text in page.locator(VISIBLE).all_inner_texts():
        assert fold(word) in fold(text)
    assert ("_search", word) in state(page.url)

    as_csv, as_json = downloaded(page, live_server)
    assert as_csv == kept
    assert as_json == kept

    # sorted by a column: the downloads come in the same order
    page.locator("table#results thead th[data-column=label]").click()
    page.locator("table#results thead th[data-column=label]").click()  # descending
    assert ("_sort_desc", "label") in state(page.url)
    assert downloaded(page, live_server) == (shown_iris(page), shown_iris(page))
    assert page.evaluate("window.notReloaded") is True  # all of it in place, without a reload

    # a reload restores the view from the URL
    before = shown_iris(page)
    page.reload()
    assert shown_iris(page) == before
    assert page.locator("#result-chips .chip").count() == 2
    assert page.locator("#result-search").input_value() == word
    assert page.locator("th[data-column=label]").get_attribute("aria-sort") == "descending"

    # a chip removed: its rows are back
    page.locator("#result-chips a.chip-remove").first.click()
    page.locator("#result-search").fill("")
    assert len(shown_iris(page)) < len(everything)
    assert page.locator("#result-chips .chip").count() == 1
    assert downloaded(page, live_server)[0] == shown_iris(page)


def test_accent_free_text_finds_accented_names(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + QUESTION + "&lang=es")
    page.locator("#result-search").fill("fundacion")
    texts = page.locator(VISIBLE).all_inner_texts()
    assert any("Fundación INAAC" in t for t in texts)
    assert all("fundacion" in fold(t) for t in texts)
    assert downloaded(page, live_server)[0] == shown_iris(page)


def test_a_free_query_has_facets_too(page: Any, live_server: Any) -> None:
    query = "SELECT ?actor ?type WHERE { ?actor a ?type . ?type rdfs:subClassOf avc:Company }"
    page.goto(live_server.url + "/query?query=" + query.replace(" ", "+"))
    value = page.locator("section.facet[data-column=type] a.facet-value").first
    count = int(value.locator("xpath=following-sibling::span[1]").inner_text())
    value.click()
    assert len(shown_iris(page)) == count
    assert downloaded(page, live_server) == (shown_iris(page), shown_iris(page))


def test_without_javascript_the_links_ask_the_server(browser: Any, live_server: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + QUESTION)
        page.locator("section.facet[data-column=sector] a.facet-value").first.click()
        page.wait_for_url(re.compile(r"sector__exact="))
        page.locator("#result-search").fill("a")
        page.locator("#result-filter button[type=submit]").click()
        page.wait_for_url(re.compile(r"_search=a"))
        assert "sector__exact=" in page.url  # the form keeps the chosen value
        kept = shown_iris(page)
        assert kept
        assert downloaded(page, live_server) == (kept, kept)
    finally:
        context.close()


def test_the_browser_folds_text_as_the_server_does(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + QUESTION)
    texts = ["Fundación INAAC", "ÉCOLE Ñoño", "İstanbul", "Ångström", "Straße", "Привет Ёлка", "Café\u0301", "ﬁne"]
    assert page.evaluate("texts => texts.map(window.resultView.fold)", texts) == [fold(t) for t in texts]
