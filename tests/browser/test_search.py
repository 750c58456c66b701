"""Search by name in Chromium, on the bundled data: the header's box suggests as one types, accents
and case aside and in any language; a suggestion is chosen by mouse or keyboard and opens the
resource's page; without scripts the same box submits to /search; a not-found page suggests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

OPTIONS = "#site-search-options [role=option]"


def suggest(page: Any, text: str) -> Any:
    box = page.locator("#site-search")
    box.fill("")
    box.press_sequentially(text, delay=20)
    page.locator(OPTIONS).first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    return box


def test_an_accent_free_name_suggests_the_accented_one_and_opens_its_page(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/competencies")
    suggest(page, "fundacion")
    option = page.locator(OPTIONS, has_text="Fundación INAAC")
    option.wait_for()
    option.click()
    page.wait_for_url(live_server.url + "/resource/inaac")
    assert page.locator("#resource-title").inner_text() == "Fundación INAAC"


def test_the_keyboard_chooses_a_suggestion(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    box = suggest(page, "nicdo")
    first = page.locator(OPTIONS).first
    assert first.locator(".search-label").inner_text() == "NICDO"
    box.press("ArrowDown")
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(live_server.url + "/resource/nicdo")
    assert page.locator("#resource-title").inner_text() == "NICDO"


def test_a_russian_label_finds_the_region_named_in_the_readers_language(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/ontology?lang=ru")
    suggest(page, "navarre")
    first = page.locator(OPTIONS).first
    assert first.locator(".search-label").inner_text() == "Наварра"
    assert first.locator(".search-type").inner_text() == "регион"  # the type named in the reader's language
    page.goto(live_server.url + "/ontology?lang=en")
    suggest(page, "Наварра")
    first = page.locator(OPTIONS).first
    assert first.locator(".search-label").inner_text() == "Navarre"
    assert first.locator(".search-matched").inner_text() == "Наварра"  # the name that matched, said
    page.locator("#site-search").press("ArrowDown")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(live_server.url + "/resource/navarre")


def test_escape_closes_the_suggestions_and_enter_then_searches(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/query")
    box = suggest(page, "film commission")
    box.press("Escape")
    assert page.locator("#site-search-options").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url(live_server.url + "/search?q=film+commission")
    assert page.locator(".search-hits a", has_text="Navarra Film Commission").first.get_attribute("href") == (
        "/resource/navarra-film-commission"
    )


def test_labels_in_suggestions_are_text(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    suggest(page, "la caixa")
    option = page.locator(OPTIONS, has_text="la Caixa").first
    assert '"la Caixa"' in option.inner_text()
    assert page.locator("#site-search-options [role=option] *").evaluate_all(
        "els => els.every(e => e.tagName === 'SPAN')"
    )


def test_without_scripts_the_box_submits_to_the_results_page(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.locator("#site-search").fill("fundacion")
        page.locator("#site-search").press("Enter")
        page.wait_for_url(live_server.url + "/search?q=fundacion")
        page.get_by_role("link", name="Fundación INAAC", exact=True).click()
        page.wait_for_url(live_server.url + "/resource/inaac")
        page.locator("#site-search").fill("NICDO")
        page.locator(".site-search button").click()
        page.wait_for_url(live_server.url + "/resource/nicdo")  # one exact match: straight to its page
    finally:
        context.close()


def test_a_page_not_found_suggests_names(page: Any, live_server: LiveServer) -> None:
    response = page.goto(live_server.url + "/resource/inaac-foundation")
    assert response.status == 404
    page.get_by_role("link", name="Fundación INAAC", exact=True).click()
    page.wait_for_url(live_server.url + "/resource/inaac")
    page.goto(live_server.url + "/resource/fundacion-inaac")
    assert page.url == live_server.url + "/resource/inaac"
