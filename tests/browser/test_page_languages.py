"""Every page in Spanish and in Russian shows its frame in that language, in Chromium on the bundled
data: no heading, table heading, label, button, legend, summary, choice, navigation link or accessible
name still reads as an English word of web.i18n's catalog that has a translation (data is left alone:
labels of resources, query answers and their column names, IRIs are never translated, only chosen)."""

from __future__ import annotations

from typing import Any

import pytest

from avcluster.web import i18n
from tests.browser.conftest import LiveServer
from tests.browser.test_layout import routes

pytestmark = pytest.mark.browser

FRAME = "h1, h2, h3, h4, th, label, button, legend, summary, caption, dt, option, .site-header nav a, .site-footer, .hint, figcaption"
# The English texts of the frame shown on the page: the text nodes of the frame's elements (not of
# data inside them: links to resources, IRIs, code, query answers, form choices) and accessible names.
SHOWN = """(frame) => {
  const data = 'a[href*="/resource/"], .iri, code, pre, textarea, #results, #result-facets, .facet-by, #result-chips, .CodeMirror, script, style';
  const out = new Set();
  for (const el of document.querySelectorAll(frame)) {
    if (el.closest(data) || !el.checkVisibility()) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(data)) continue;
      const text = n.textContent.replace(/\\s+/g, ' ').trim().replace(/:$/, '');
      if (text) out.add(text);
    }
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (el.closest(data)) continue;
    for (const name of ['aria-label', 'placeholder', 'title']) { const v = el.getAttribute(name); if (v) out.add(v.trim()); }
  }
  return [...out];
}"""


@pytest.fixture(scope="module")
def pages(live_server: LiveServer) -> list[str]:
    return routes(live_server)[0]


@pytest.mark.parametrize("language", ["es", "ru"])
def test_the_frame_is_translated_on_every_page(
    page: Any, live_server: LiveServer, pages: list[str], language: str
) -> None:
    translated = {english: words for english, words in i18n.CATALOG[language].items() if words != english}
    assert len(translated) > 100
    found: list[str] = []
    for path in pages:
        separator = "&" if "?" in path else "?"
        response = page.goto(f"{live_server.url}{path}{separator}lang={language}")
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        english = sorted(text for text in page.evaluate(SHOWN, FRAME) if text in translated)
        found += [f"{path}: {text!r} (should read {translated[text]!r})" for text in english]
    assert not found, f"English frame words left on the {language} pages:\n" + "\n".join(found)
