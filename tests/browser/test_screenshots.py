"""Screenshots of the real app on the bundled data, for the README: the overview, the graph (Navarre's
actors with one actor's details open, and every actor arranged on a disc per type), the competency
timeline of Navarre, the regions' factors and Kaliningrad set beside Navarre. Every run writes
them to the ignored .avcluster/screenshots/ (tests never rewrite tracked files); the README's copies
are refreshed on purpose, with the same test:

    AVCLUSTER_SCREENSHOTS=web/static/screenshots python -m pytest tests/browser/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / os.environ.get("AVCLUSTER_SCREENSHOTS", ".avcluster/screenshots")
PNG = b"\x89PNG\r\n\x1a\n"


def prepare_graph(page: Any) -> None:
    page.wait_for_function("window.network !== undefined && window.graphLabels !== undefined")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("overview", "/"),
        ("graph", "/graph?region=navarre&focus=nicdo"),
        ("graph-types", "/graph?layout=type"),
        ("competencies", "/competencies?region=navarre"),
        ("regions", "/regions"),
        ("compare", "/compare?target=kaliningrad"),
    ],
)
def test_screenshot(page: Any, live_server: LiveServer, name: str, path: str) -> None:
    page.set_viewport_size({"width": 1440, "height": 960})
    assert page.goto(live_server.url + path).status == 200
    if name.startswith("graph"):
        prepare_graph(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target))
    data = target.read_bytes()
    assert data.startswith(PNG) and len(data) > 20_000
