"""The policy brief: recommendations worked out on the invented regions of
tests/fixtures/analysis/compare.ttl, the HTML file `avcluster report` writes on the bundled data
(self-contained: no script, nothing to fetch), the /report download, and the file opened in
Chromium with the network cut off."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from avcluster.kg.analysis import compare
from avcluster.kg.analysis.recommend import recommendations
from avcluster.kg.cli import cli
from avcluster.kg.namespaces import AVC, ID
from avcluster.kg.stores import Store
from avcluster.web import create_app

from .test_analysis import load


def i(slug: str) -> str:
    return str(ID[slug])


def test_recommendations_come_from_the_differences_and_name_their_evidence() -> None:
    advice = recommendations(compare(load("compare"), "alpha", "beta"))
    assert [(r["kind"], r["subject"]) for r in advice] == [
        ("competency", str(AVC.LocationServices)),
        ("role", str(AVC.FilmCommission)),
        ("role", str(AVC.ProductionCompany)),
        ("step", str(AVC.Cluster)),  # film commission and producer are said as roles already
        ("step", str(AVC.TaxIncentive)),
        ("figure", str(AVC.CreativeIndustrySize)),
        ("figure", str(AVC.HumanCapital)),
    ]
    lead = advice[0]
    assert lead["model"] == [i("alpha-fc")] and lead["sources"] == [i("s-lead")]
    assert lead["elsewhere"] == [i("gamma-fc"), i("gamma-old-fc")]  # other regions' leads, the model's left out
    assert advice[4]["date"] == "2007" and advice[4]["sources"] == [i("s-tax")]
    assert advice[5]["sources"] == [i("s-jobs-a")]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as `avcluster init` leaves it."""
    store = tmp_path_factory.mktemp("brief") / "store"
    CliRunner().invoke(cli, ["--store", str(store), "init"], catch_exceptions=False)
    return store


def write_brief(store: Path, *options: str) -> Path:
    out = store.parent / f"brief{''.join(options)}.html"
    done = CliRunner().invoke(
        cli, ["--store", str(store), "report", "--region", "kaliningrad", *options, "-o", str(out)]
    )
    assert done.exit_code == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def brief(initialised: Path) -> Path:
    return write_brief(initialised)


def test_the_brief_is_self_contained(brief: Path) -> None:
    html = brief.read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html and " src=" not in html  # nothing runs or is fetched
    assert not re.search(r'href="(?!https?://)', html)  # links only to the sources' own addresses
    assert "<style>" in html and "<svg" in html
    for part in (
        "summary",
        "recommendations",
        "factors",
        "competencies",
        "matrix",
        "path",
        "instruments",
        "actors",
        "ties",
        "sources",
    ):
        assert f'id="{part}"' in html, part
    assert "Kaliningrad Oblast: what to take from Navarre" in html


def test_the_brief_speaks_the_readers_language(initialised: Path, brief: Path, bundled: Store) -> None:
    english = brief.read_text(encoding="utf-8")
    russian = write_brief(initialised, "--lang", "ru").read_text(encoding="utf-8")
    assert '<html lang="ru">' in russian
    assert "<h1>Калининградская область: что перенять у модели (Наварра)</h1>" in russian
    assert "<h2>Рекомендации</h2>" in russian and "Recommendations" not in russian
    for part in ("summary", "recommendations", "factors", "matrix", "path", "instruments", "ties", "sources"):
        assert f'id="{part}"' in russian, part
    # the same brief: as many recommendations, sources and rows, in other words
    for counted in ("<li data-kind=", "<tr", "<a href="):
        assert russian.count(counted) == english.count(counted), counted
    client = create_app({"STORE": bundled, "TESTING": True}).test_client()
    spanish = client.get("/report?region=kaliningrad&lang=es").get_data(as_text=True)
    assert "<h2>Recomendaciones</h2>" in spanish and "Óblast de Kaliningrado: qué tomar de Navarra" in spanish


def test_an_unknown_region_writes_nothing(tmp_path: Path, bundled: Store) -> None:
    out = tmp_path / "brief.html"
    app = create_app({"STORE": bundled, "TESTING": True})
    answer = app.test_client().get("/report?region=atlantis")
    assert answer.status_code == 400 and "no region &#39;atlantis&#39;" in answer.get_data(as_text=True)
    assert app.test_client().get("/report").status_code == 400
    done = CliRunner().invoke(cli, ["--store", "memory:", "report", "--region", "atlantis", "-o", str(out)])
    assert done.exit_code != 0 and not out.exists()


def test_the_brief_downloads_from_the_app(bundled: Store) -> None:
    client = create_app({"STORE": bundled, "TESTING": True}).test_client()
    answer = client.get("/report?region=kaliningrad")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="avcluster-brief-kaliningrad.html"'
    assert "Kaliningrad Oblast: what to take from Navarre" in answer.get_data(as_text=True)
    page = client.get("/compare?target=kaliningrad").get_data(as_text=True)
    assert 'href="/report?region=kaliningrad&amp;model=navarre"' in page


@pytest.mark.browser
def test_the_brief_opens_in_chromium_with_the_network_cut_off(browser: Any, brief: Path) -> None:
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(brief.as_uri())
        assert requests == [brief.as_uri()]
        assert page.locator("ol.advice li").count() > 5
        assert page.locator("svg.chart polyline").count() == 2 and page.locator("svg.chart rect").count() >= 2
        assert page.locator("#sources li a[href^='http']").count() > 20
    finally:
        context.close()
