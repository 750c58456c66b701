"""/query in Chromium on the bundled data: the editor, a canned question run from its form, a shared
link that runs its query (with and without JavaScript), Ctrl+Enter, completion, sorting, errors.
The `page` fixture fails any test whose page asks another origin for anything or throws."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from avcluster.kg.questions import questions
from avcluster.web.results import fold

pytestmark = pytest.mark.browser

ACTORS = "SELECT ?actor ?label WHERE { ?actor avc:memberOf ?cluster ; rdfs:label ?label } ORDER BY ?label LIMIT 20"


def rows(page: Any) -> int:
    return int(page.locator("table#results tbody tr").count())


def test_the_query_page_renders_with_the_editor_and_every_question(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query")
    assert page.locator(".CodeMirror").is_visible()  # the editor took over the textarea
    assert page.locator("details.question").count() == len(questions())
    assert "avc" in page.locator("details.prefixes summary").inner_text()


def test_a_canned_question_run_from_its_form_shows_its_table(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query")
    question = page.locator("#question-members-by-type")
    question.locator("summary").click()
    cluster = question.locator("select[name=cluster]")
    assert cluster.input_value() == "id:navarra-audiovisual-cluster"  # the question's default, chosen from the data
    question.locator("button.run").click()
    page.wait_for_url(re.compile(r"/query/members-by-type\?cluster=id%3Anavarra-audiovisual-cluster"))
    assert rows(page) > 5
    headings = page.locator("table#results thead th").all_inner_texts()
    assert [h.strip() for h in headings] == ["actor", "label", "type", "sector", "created"]
    first = page.locator("table#results tbody tr").first.locator("td a").first
    assert first.get_attribute("href").startswith("/resource/")


def test_a_questions_csv_button_downloads_the_rows_for_the_chosen_parameter(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query")
    question = page.locator("#question-members-by-type")
    question.locator("summary").click()
    cluster = question.locator("select[name=cluster]")
    other = next(
        v
        for v in cluster.locator("option").evaluate_all("os => os.map(o => o.value)")
        if v.endswith("-cluster") and "navarra" not in v
    )
    cluster.select_option(other)
    with page.expect_download() as download:
        question.locator("button.twin", has_text="CSV").click()
    chosen = Path(download.value.path()).read_bytes()
    expected = page.request.get(live_server.url + "/query/members-by-type.csv", params={"cluster": other}).body()
    everything = page.request.get(live_server.url + "/query/members-by-type.csv").body()
    assert chosen == expected
    assert chosen != everything and chosen.count(b"\r\n") > 1  # the chosen cluster's members, not every row


def test_a_shared_link_runs_its_query(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query?query=" + quote(ACTORS))
    assert rows(page) == 20
    assert page.locator("#result-count").inner_text() == "20"
    assert ACTORS in page.evaluate("window.queryEditor.getValue()")


def test_a_shared_link_works_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/query?query=" + quote(ACTORS))
        assert rows(page) == 20
        assert page.locator("textarea#query-text").is_visible()  # no editor: the plain form
    finally:
        context.close()


def test_ctrl_enter_runs_the_query(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query")
    page.evaluate("query => window.queryEditor.setValue(query)", ACTORS)
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/query\?query="))
    assert rows(page) == 20


def test_completion_offers_the_ontologys_terms(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query")
    page.evaluate("window.queryEditor.setValue('SELECT * WHERE { ?x a ')")
    page.evaluate("window.queryEditor.setCursor(window.queryEditor.lineCount(), 0)")
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.type("avc:FilmC")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert any(h.startswith("avc:FilmCommission") for h in hints.all_inner_texts())
    page.keyboard.press("Enter")
    assert "avc:FilmCommission" in page.evaluate("window.queryEditor.getValue()")


def test_the_table_sorts_by_a_column(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/query?query=" + quote(ACTORS))
    heading = page.locator("table#results thead th").nth(1)
    heading.click()
    assert heading.get_attribute("aria-sort") == "ascending"
    labels = page.locator("table#results tbody tr td:nth-child(2)").all_inner_texts()
    assert labels == sorted(labels, key=fold)  # accents and case aside: Acadèmia before Academia Galega
    heading.click()
    assert heading.get_attribute("aria-sort") == "descending"
    assert page.locator("table#results tbody tr td:nth-child(2)").all_inner_texts() == sorted(
        labels, key=fold, reverse=True
    )


def test_errors_are_shown_in_words(page: Any, live_server: Any) -> None:
    response = page.goto(live_server.url + "/query?query=" + quote("SELECT ?x WHERE { ?x"))
    assert response.status == 400
    assert "error at" in page.locator("#query-error").inner_text()
    assert page.locator("table#results").count() == 0


def test_a_construct_answer_is_drawn_as_a_graph(page: Any, live_server: Any) -> None:
    query = "CONSTRUCT { ?from avc:funds ?to } WHERE { ?rel a avc:Funding ; avc:fromActor ?from ; avc:toActor ?to }"
    page.goto(live_server.url + "/query?query=" + quote(query))
    assert rows(page) > 0
    page.locator("#result-graph canvas").wait_for()  # vis-network, served by the app itself
