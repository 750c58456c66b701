"""/compare and its JSON twin on the invented regions of tests/fixtures/analysis/compare.ttl (with
the ontology): what the page shows is what kg.analysis.compare answers, with links to sources and
resource pages, labels as text, words in the reader's language, and reached from /regions and a
region's resource page."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from avcluster.kg.analysis import compare
from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import ID
from avcluster.kg.stores import Store, open_store

from .test_analysis import fixture_graphs
from .webapp import make_app

HOSTILE = '<b onmouseover="x()">Gamma</b> & co'
PAGE = "/compare?model=alpha&target=beta"


@pytest.fixture(scope="module")
def regions() -> Iterator[Store]:
    store = open_store("memory:")
    load_ontology(store)
    graphs = fixture_graphs("compare", classes=False)
    graphs["https://w3id.org/avcluster/graph/test-hostile"] = [
        ox.Triple(
            ox.NamedNode(str(ID["gamma-fc"])),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal(HOSTILE, language="en"),
        )
    ]
    store.replace_graphs(graphs)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(regions: Store) -> FlaskClient:
    return make_app(regions).test_client()


def test_the_twin_is_the_comparison(client: FlaskClient, regions: Store) -> None:
    answer = client.get("/compare.json?model=alpha&target=beta&at=2020")
    assert answer.status_code == 200
    expected = compare(regions, "alpha", "beta", at=2020)
    got = answer.get_json()
    assert {k: v for k, v in got.items() if k != "labels"} == {k: v for k, v in expected.items() if k != "labels"}
    assert got["labels"][str(ID["alpha"])] == "Alpha"
    assert client.get(PAGE + "&format=json").get_json()["competency_gaps"] == expected["competency_gaps"]


def test_the_page_shows_factors_gaps_suggestions_path_and_sources_as_links(client: FlaskClient) -> None:
    html = client.get(PAGE).get_data(as_text=True)
    assert 'id="compare-factors"' in html and '<svg class="chart"' in html  # the shared indicator drawn
    assert "600,000" in html and "no figure" in html  # a missing figure said, not zero
    assert '<a class="rank" href="/regions">#2 / 3</a>' in html  # the rank links to every region's figures
    assert 'href="/resource/s-pop-a"' in html  # each figure links to its source
    assert 'href="/resource/gamma-fc"' in html  # a suggested actor, linked to its page
    assert 'class="gap"' in html and 'id="compare-timeline"' in html
    assert "2 / 6" in html  # steps of alpha's path beta has reached
    assert 'href="/analysis?region=alpha"' in html  # network figures link to the computation


def test_labels_stay_text(client: FlaskClient) -> None:
    html = client.get(PAGE).get_data(as_text=True)
    assert "<b onmouseover" not in html
    assert "&lt;b onmouseover=&#34;x()&#34;&gt;Gamma&lt;/b&gt; &amp; co" in html


def test_the_form_alone_without_a_target_and_words_in_the_readers_language(client: FlaskClient) -> None:
    alone = client.get("/compare?model=alpha")
    assert alone.status_code == 200 and 'id="compare-form"' in alone.get_data(as_text=True)
    assert "Factores de éxito" in client.get(PAGE + "&lang=es").get_data(as_text=True)
    assert "Пробелы в компетенциях" in client.get(PAGE + "&lang=ru").get_data(as_text=True)


def test_an_unknown_region_or_year_is_refused_in_words(client: FlaskClient) -> None:
    answer = client.get("/compare.json?model=alpha&target=atlantis")
    assert answer.status_code == 400 and "no region 'atlantis'" in answer.get_json()["error"]
    assert client.get("/compare?model=alpha&target=beta&at=soon").status_code == 400


def test_reached_from_regions_and_from_a_regions_page(client: FlaskClient) -> None:
    assert 'href="/compare?target=beta"' in client.get("/regions").get_data(as_text=True)
    assert 'href="/compare?target=beta"' in client.get("/resource/beta").get_data(as_text=True)
