"""Every page usable on a laptop (1280×800), a tablet (768×1024) and a phone (390×844), in Chromium on
the bundled data.

The pages are the app's own GET routes that answer HTML (taken from its url_map, so a page added
later is covered; a route with an argument needs an example below, and a test says which lack one).
At each size a page must not scroll sideways (a wide table scrolls inside its own box instead), its
header navigation must be reachable (on a phone through the menu button, by keyboard, with
aria-expanded saying whether it is open), its main heading and first control must be in view and
uncovered, no label, heading or control may overlap another, and no chart may shrink so far that its
text cannot be read (it scrolls sideways in its box instead). /graph must leave its canvas a
usable height with the controls beside it or stacked above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import url_for

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

SIZES = {"laptop": (1280, 800), "tablet": (768, 1024), "phone": (390, 844)}

# An example for each route argument; routes that answer no HTML page are left out by asking them.
EXAMPLES = {"name": "oldest-strongest-ties", "slug": "navarra-film-commission"}
# Not pages of the viewer: the SPARQL endpoint, files and downloads, the self-contained brief.
NOT_PAGES = {"sparql.endpoint", "static", "assets.favicon", "query.download", "query.editor_file", "compare.report"}
# The same pages in the states an analyst meets them in.
MORE = [
    "/graph?by=community",
    "/compare?target=galicia",
    "/query/competency-leads",
    "/resource/audiovisual-cluster-of-navarra",
]
SEARCH = ["/search?q=x", "/search?q=fundacion"]


def routes(live_server: LiveServer) -> tuple[list[str], list[str]]:
    """The paths of the app's HTML pages, and the routes left out for want of an example."""
    app = live_server.app
    client = app.test_client()
    paths: list[str] = []
    lacking: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES or rule.endpoint.startswith("assets."):
            continue
        if not rule.arguments <= EXAMPLES.keys():
            lacking.append(rule.rule)
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, **{a: EXAMPLES[a] for a in rule.arguments})
        answer = client.get(path)
        download = "attachment" in answer.headers.get("Content-Disposition", "")
        if answer.status_code == 200 and answer.mimetype == "text/html" and not download:
            paths.append(path)
    search = SEARCH if "search.results" in app.view_functions else []
    return sorted(set(paths)) + [p for p in MORE + search if p not in paths], lacking


@pytest.fixture(scope="module")
def pages(live_server: LiveServer) -> list[str]:
    return routes(live_server)[0]


def test_every_page_route_is_covered(live_server: LiveServer, pages: list[str]) -> None:
    lacking = routes(live_server)[1]
    assert not lacking, f"routes with an argument this test has no example for (add one to EXAMPLES): {lacking}"
    views = {"/", "/graph", "/query", "/competencies", "/analysis", "/flows", "/regions", "/compare", "/ontology"}
    assert views <= set(pages)
    assert any(p.startswith("/resource/") for p in pages) and any(p.startswith("/query/") for p in pages)


# One script measures what the checks need, so each page costs one round trip.
MEASURE = """() => {
  // the part of an element its scrolling ancestors let be seen (a fieldset's rows scrolled away are not)
  const clip = (el) => { const r = el.getBoundingClientRect(); let x1 = r.left, y1 = r.top, x2 = r.right, y2 = r.bottom;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflow === 'visible') continue;
      const c = p.getBoundingClientRect(); x1 = Math.max(x1, c.left); y1 = Math.max(y1, c.top); x2 = Math.min(x2, c.right); y2 = Math.min(y2, c.bottom); }
    return {left: x1, top: y1, right: Math.max(x1, x2), bottom: Math.max(y1, y2)}; };
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const shown = (el) => { const r = clip(el);
    return r.right - r.left > 0 && r.bottom - r.top > 0 && el.checkVisibility({visibilityProperty: true}); };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
  // is the element the one a click at its centre reaches (nothing lies on top of it)?
  const reachable = (el) => { const b = el.getBoundingClientRect(); const x = b.left + Math.min(b.width / 2, 8), y = b.top + b.height / 2;
    if (y < 0 || y > innerHeight || x < 0 || x > innerWidth) return true;
    const hit = document.elementFromPoint(x, y); return !!hit && (hit === el || el.contains(hit) || hit.contains(el) || (el.labels && [...el.labels].some(l => l.contains(hit)))); };
  const main = document.querySelector('main');
  const heading = main.querySelector('h1') || main.querySelector('h2');
  const controls = [...main.querySelectorAll('input:not([type=hidden]), select, textarea, button, summary')].filter(shown);
  const keys = [heading, ...main.querySelectorAll('h1, h2, label'), ...controls].filter(e => e && shown(e)).slice(0, 40);
  const overlaps = [];
  for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) {
    const a = keys[i], b = keys[j];
    if (a === b || a.contains(b) || b.contains(a)) continue;
    const p = clip(a), q = clip(b);
    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > 2 && h > 2) overlaps.push(name(a) + ' overlaps ' + name(b));
  }
  const menu = document.querySelector('.site-header .menu-button');
  const links = [...document.querySelectorAll('.site-header nav a')];
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth, innerHeight,
    heading: heading && shown(heading) ? {box: box(heading), reachable: reachable(heading), text: heading.textContent.trim()} : null,
    control: controls.length ? {box: box(controls[0]), reachable: reachable(controls[0]), name: name(controls[0])} : null,
    covered: controls.slice(0, 12).filter(c => !reachable(c)).map(name),
    overlaps: [...new Set(overlaps)].slice(0, 6),
    menu: menu && shown(menu) ? menu.getAttribute('aria-expanded') : null,
    links: links.map(a => ({text: a.textContent.trim(), shown: shown(a), box: box(a), reachable: reachable(a)})),
    // how much each chart is shrunk: its text is drawn at 11-12 px in the chart's own units
    charts: [...main.querySelectorAll('svg.chart')].filter(c => c.checkVisibility() && c.viewBox.baseVal.width)
      .map(c => ({name: c.getAttribute('aria-label'), scale: c.getBoundingClientRect().width / c.viewBox.baseVal.width})),
  };
}"""


def within(box: dict[str, float], width: float, height: float) -> bool:
    return box["x"] >= -1 and box["y"] >= -1 and box["x"] + box["w"] <= width + 1 and box["y"] + box["h"] <= height + 1


def problems(page: Any, path: str) -> Iterator[str]:
    m = page.evaluate(MEASURE)
    width, height = m["innerWidth"], m["innerHeight"]
    if m["scrollWidth"] > width + 1:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                  .filter(e => !e.parentElement.closest('main *') || e.parentElement.getBoundingClientRect().right <= innerWidth + 1)
                  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className)"""
        )
        yield f"scrolls sideways ({m['scrollWidth']} px wide in {width}): {wide}"
    if m["heading"] is None:
        yield "no visible main heading"
    elif not within(m["heading"]["box"], width, height) or not m["heading"]["reachable"]:
        yield f"main heading {m['heading']['text']!r} out of view or covered: {m['heading']['box']}"
    if m["control"] is not None and not (m["control"]["box"]["y"] < height and m["control"]["reachable"]):
        yield f"first control {m['control']['name']} out of view or covered: {m['control']['box']}"
    if m["covered"]:
        yield f"controls covered by something else: {m['covered']}"
    if m["overlaps"]:
        yield f"overlapping: {m['overlaps']}"
    small = [f"{c['name']} ({c['scale']:.2f})" for c in m["charts"] if c["scale"] < 0.7]
    if small:
        yield f"charts shrunk below 70%, their text unreadable: {small}"
    if m["menu"] is None:  # the navigation is shown: every link in view, nothing on top of it
        hidden = [link["text"] for link in m["links"] if not (link["shown"] and within(link["box"], width, height))]
        if hidden:
            yield f"header links out of view with no menu button: {hidden}"
    elif m["menu"] != "false":
        yield f"the menu button starts with aria-expanded={m['menu']!r}, not 'false'"


@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_the_screen(page: Any, live_server: LiveServer, pages: list[str], size: str) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    found: list[str] = []
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        found += [f"{path}: {p}" for p in problems(page, path)]
    assert not found, f"at {width}×{height}:\n" + "\n".join(found)


def test_on_a_phone_the_menu_button_opens_the_navigation_by_keyboard(page: Any, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/analysis")
    button = page.locator(".site-header .menu-button")
    links = page.locator(".site-header nav a")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == page.locator(".site-header nav").get_attribute("id")
    assert not links.first.is_visible()
    page.keyboard.press("Tab")  # the brand link, then the button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    for k in range(links.count()):
        box = links.nth(k).bounding_box()
        assert links.nth(k).is_visible() and box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391
    page.keyboard.press("Tab")  # into the navigation, right after the button
    assert page.evaluate("document.activeElement.closest('nav') !== null")
    page.keyboard.press("Escape")  # closes, and gives the focus back to the button
    assert button.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")
    button.click()
    links.filter(has_text="Flows").click()
    page.wait_for_url("**/flows")
    assert page.locator("h1").is_visible()


def test_on_a_laptop_the_navigation_shows_without_a_menu(page: Any, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    for lang in ("en", "es", "ru"):
        page.goto(f"{live_server.url}/flows?lang={lang}")
        assert not page.locator(".site-header .menu-button").is_visible()
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] < 60, f"the header wraps in {lang}: {header}"


@pytest.mark.parametrize("size", SIZES)
def test_the_graph_canvas_keeps_a_usable_height(page: Any, live_server: LiveServer, size: str) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    for path in ("/graph", "/graph?by=community"):
        page.goto(live_server.url + path)
        page.wait_for_function("window.network !== undefined")
        canvas = page.locator(".graph-canvas").bounding_box()
        controls = page.locator(".graph-controls").bounding_box()
        assert canvas is not None and controls is not None
        assert canvas["height"] >= (300 if size == "phone" else 450), (path, canvas)
        assert canvas["width"] >= min(300, width - 60), (path, canvas)
        assert canvas["x"] + canvas["width"] <= width + 1, (path, canvas)
        beside = controls["x"] + controls["width"] <= canvas["x"] + 1
        above = controls["y"] + controls["height"] <= canvas["y"] + 1
        assert beside or above, f"{path}: the controls overlap the canvas: {controls} {canvas}"
        if size == "laptop":
            assert beside and canvas["y"] < 150, (path, canvas)
        drawn = page.locator(".graph-canvas canvas").bounding_box()
        assert drawn is not None and drawn["height"] >= canvas["height"] - 20, (path, drawn, canvas)
