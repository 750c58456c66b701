"""The graph viewer and the cluster views through Flask's test client, on a real store: every
route and its JSON twin, what each shows of a small hand-written cluster (tests/fixtures/web_views),
the year and region filters, the aggregated view and its drill-down, labels in the reader's
language, and labels that stay text however hostile."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib.namespace import RDF, RDFS

from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import AVC, ID, dataset_graph
from avcluster.kg.stores import Store, open_store
from avcluster.web import create_app
from avcluster.web.graph import layout
from avcluster.web.graph.layout import grouped_layout

FIXTURES = Path(__file__).parent / "fixtures" / "web_views"
PAGES = ["/", "/graph", "/competencies", "/analysis", "/flows", "/regions"]
TWINS = ["/index.json", "/graph.json", "/competencies.json", "/analysis.json", "/flows.json", "/regions.json"]
HOSTILE = ("<script>window.__pwned", "<img src=x onerror", "<b onmouseover")


def fill(store: Store) -> Store:
    """The ontology and the fixture files, each written straight into its own named graph (the
    loader's checks are tested elsewhere; the hostile file holds what the loader would refuse)."""
    load_ontology(store)
    store.replace_graphs(
        {
            dataset_graph(f"web-views-{name}"): [
                ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(FIXTURES / f"{name}.ttl"))
            ]
            for name in ("cluster", "hostile")
        }
    )
    return store


def app_for(store: Store, **config: Any) -> Flask:
    return create_app({"STORE": store, "TESTING": True, **config})


@pytest.fixture(scope="module")
def filled() -> Iterator[Store]:
    store = fill(open_store("memory:"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(filled: Store) -> Flask:
    return app_for(filled)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A fresh client for each test: the language a test chooses is remembered in a cookie."""
    return app.test_client()


def twin(client: FlaskClient, url: str, **args: Any) -> Any:
    response = client.get(url, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def iri(slug: str) -> str:
    return str(ID) + slug


# ---------------------------------------------------------------- every route


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_and_keeps_hostile_labels_as_text(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for payload in HOSTILE:
        assert payload not in html
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", html), "inline script"
    assert " on" + "click=" not in html and "style=" not in html


@pytest.mark.parametrize(("page", "json_url"), zip(PAGES, TWINS, strict=True))
def test_every_page_has_a_json_twin_by_suffix_and_by_format(client: FlaskClient, page: str, json_url: str) -> None:
    by_suffix = twin(client, json_url)
    by_format = twin(client, page, format="json")
    assert by_suffix == by_format
    assert by_suffix


def test_vis_network_is_served_from_the_installed_pyvis(client: FlaskClient) -> None:
    import pyvis

    script = client.get("/assets/vis-network.min.js")
    assert script.status_code == 200 and script.mimetype == "text/javascript"
    shipped = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    assert script.data == shipped.read_bytes()
    style = client.get("/assets/vis-network.css")
    assert style.status_code == 200 and style.mimetype == "text/css"
    html = client.get("/graph").get_data(as_text=True)
    assert 'src="/assets/vis-network.min.js"' in html and 'href="/assets/vis-network.css"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "the page names another origin"


# ---------------------------------------------------------------- /graph


def test_graph_json_holds_every_actor_and_tie_with_positions_measures_and_sources(client: FlaskClient) -> None:
    data = twin(client, "/graph.json")
    assert data["view"] == "actors"
    nodes = {n["iri"]: n for n in data["nodes"]}
    assert len(nodes) == 8 and iri("v-script") in nodes
    assert data["counts"] == {**data["counts"], "nodes": 8, "edges": 9, "actors_in_store": 8}
    government = nodes[iri("v-government")]
    assert government["label"] == "Testland Government" and government["type"] == "PublicAdministration"
    assert government["degree"] == 3 and government["createdYear"] == 1990
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 8
    assert {"degree", "betweenness", "pagerank"} <= set(government)
    by_id = {n["id"]: n["iri"] for n in data["nodes"]}
    funding = next(e for e in data["edges"] if e["iri"] == iri("rel-v-funds-new"))
    assert (by_id[funding["from"]], by_id[funding["to"]]) == (iri("v-government"), iri("v-commission"))
    assert funding["kind"] == "Funding" and funding["start"] == "2010-03-01" and funding["startYear"] == 2010
    assert "endYear" not in funding and funding["strength"] == 0.9  # what the data does not state is left out
    cited = [data["sources"][i] for i in funding["sources"]]
    assert cited == [
        {"iri": iri("v-source"), "title": "Testland cluster report", "url": "https://example.org/testland-report"}
    ]
    grant = next(e for e in data["edges"] if e["iri"] == iri("flow-v-grant"))
    assert grant["year"] == 2019 and grant["amount"] == 150000 and grant["currency"] == "EUR"
    kinds = {k["id"]: k for k in data["kinds"]}
    assert kinds["FinancialFlow"]["flow"] and not kinds["Funding"]["flow"]  # drawn dashed
    assert kinds["Partnership"]["mutual"] and not kinds["Funding"]["mutual"]  # drawn with no arrow
    types = {t["id"]: t for t in data["types"]}
    assert types["FilmCommission"]["count"] == 2 and types["FilmCommission"]["label"] == "film commission"
    assert {k["id"] for k in data["kinds"]} == {
        "Funding",
        "ServiceSupply",
        "Training",
        "Partnership",
        "FinancialFlow",
        "InformationFlow",
    }
    assert data["options"]["physics"]["enabled"] is False
    assert data["years"] == [1990, 2020]


def test_a_source_url_that_is_not_http_never_becomes_a_link(client: FlaskClient) -> None:
    data = twin(client, "/graph.json")
    bad = next(s for s in data["sources"] if s["iri"] == iri("v-bad-url-source"))
    assert bad["url"] is None
    assert "javascript:" not in client.get("/graph").get_data(as_text=True)


def test_hostile_labels_reach_the_page_only_as_escaped_json(client: FlaskClient) -> None:
    html = client.get("/graph").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert block is not None
    assert "\\u003cscript\\u003ewindow.__pwned" in block.group(1)
    data = json.loads(block.group(1))
    labels = {n["label"] for n in data["nodes"]}
    assert "<script>window.__pwned='script'</script>" in labels


def test_the_page_embeds_the_same_data_as_its_twin(client: FlaskClient) -> None:
    html = client.get("/graph").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert block is not None
    assert json.loads(block.group(1)) == twin(client, "/graph.json")


def test_graph_at_a_year_shows_what_existed_then(client: FlaskClient) -> None:
    in_2005 = twin(client, "/graph.json", at=2005)
    actors = {n["iri"] for n in in_2005["nodes"]}
    assert iri("v-old-commission") in actors and iri("v-commission") not in actors
    assert iri("v-studio") not in actors  # founded 2012
    assert iri("v-school") in actors  # no founding date: counts in every year
    assert {e["iri"] for e in in_2005["edges"]} == {iri("rel-v-funds-old")}
    in_2019 = twin(client, "/graph.json", at=2019)
    actors = {n["iri"] for n in in_2019["nodes"]}
    assert iri("v-old-commission") not in actors and iri("v-commission") in actors
    assert iri("flow-v-grant") in {e["iri"] for e in in_2019["edges"]}
    assert iri("flow-v-report") not in {e["iri"] for e in in_2019["edges"]}  # a flow of 2020


def test_labels_follow_the_readers_language(client: FlaskClient) -> None:
    data = twin(client, "/graph.json", lang="es")
    nodes = {n["iri"]: n for n in data["nodes"]}
    assert nodes[iri("v-government")]["label"] == "Gobierno de Testland"
    assert nodes[iri("v-commission")]["label"] == "Testland Film Commission"  # no Spanish label: English
    assert "Tierra de prueba" in {r["label"] for r in data["regions"]}
    assert "Тестландия" in {r["label"] for r in twin(client, "/graph.json", lang="ru")["regions"]}


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/graph?at=soon", 400),
        ("/graph.json?at=soon", 400),
        ("/graph?by=colour", 400),
        ("/competencies?at=x", 400),
        ("/analysis.json?region=nowhere", 400),
        ("/flows.json?at=x", 400),
    ],
)
def test_bad_parameters_are_refused_in_words(client: FlaskClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    if url.split("?")[0].endswith(".json"):
        assert json.loads(text)["error"]
    else:
        assert 'class="error"' in text


def test_above_the_limit_the_graph_starts_from_groups_and_drills_down(filled: Store) -> None:
    client = app_for(filled, GRAPH_AGGREGATE_ABOVE=3).test_client()
    groups = twin(client, "/graph.json")
    assert groups["view"] == "groups" and groups["grouping"] == "type"
    by_group = {n["group"]: n for n in groups["nodes"]}
    assert sum(n["size_actors"] for n in groups["nodes"]) == 8
    assert by_group["type:FilmCommission"]["size_actors"] == 2
    assert sum(e["count"] for e in groups["edges"]) + sum(n["ties_inside"] for n in groups["nodes"]) == 9
    funding = [e for e in groups["edges"] if e["kind"] == "Funding"]
    ids = {n["id"]: n["group"] for n in groups["nodes"]}
    assert [(ids[e["from"]], ids[e["to"]], e["count"]) for e in funding] == [
        ("type:PublicAdministration", "type:FilmCommission", 2)
    ]
    drilled = twin(client, "/graph.json", group="type:FilmCommission")
    assert drilled["view"] == "actors" and drilled["selection"] == ["type:FilmCommission"]
    assert {n["iri"] for n in drilled["nodes"]} == {iri("v-commission"), iri("v-old-commission")}
    by_community = twin(client, "/graph.json", by="community")
    assert by_community["grouping"] == "community"
    assert sum(n["size_actors"] for n in by_community["nodes"]) == 8
    page = client.get("/graph").get_data(as_text=True)
    assert 'data-view="groups"' in page
    in_2005 = client.get("/graph", query_string={"at": 2005}).get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', in_2005, re.S)
    assert block is not None and json.loads(block.group(1)) == twin(client, "/graph.json", at=2005)


@pytest.mark.parametrize("on_disk", [False, True], ids=["memory", "disk"])
def test_a_new_load_shows_without_a_restart(tmp_path: Path, on_disk: bool) -> None:
    """In memory the graphs' sizes tell a load; on disk the store's own fingerprint of its files."""
    store = fill(open_store(str(tmp_path / "store") if on_disk else "memory:"))
    client = app_for(store, GRAPH_VERSION_SECONDS=0).test_client()
    assert twin(client, "/graph.json")["counts"]["nodes"] == 8
    newcomer = ox.NamedNode(iri("v-newcomer"))
    store.replace_graphs(
        {
            dataset_graph("web-views-newcomer"): [
                ox.Triple(newcomer, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(AVC.AnimationStudio))),
                ox.Triple(newcomer, ox.NamedNode(str(RDFS.label)), ox.Literal("Newcomer Animation", language="en")),
            ]
        }
    )
    assert twin(client, "/graph.json")["counts"]["nodes"] == 9
    assert twin(client, "/index.json")["figures"]["actors"] == 9


def test_an_empty_store_shows_empty_views(tmp_path: Path) -> None:
    store = open_store("memory:")
    load_ontology(store)
    client = app_for(store).test_client()
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    data = twin(client, "/graph.json")
    assert data["nodes"] == [] and data["edges"] == [] and data["years"] == []


# ---------------------------------------------------------------- the cluster views


def test_competencies_show_the_matrix_overlaps_gaps_and_changes_of_hands(client: FlaskClient) -> None:
    data = twin(client, "/competencies.json")
    avc = str(AVC)
    assert data["gaps"] == [avc + "InformationManagement"]
    overlaps = {o["competency"]: set(o["actors"]) for o in data["overlaps"]}
    assert overlaps[avc + "ProductionFinancing"] == {iri("v-bank"), iri("v-government")}
    assert {(c["from"], c["to"], c["year"]) for c in data["changes"]} == {
        (iri("v-old-commission"), iri("v-commission"), 2010)
    }
    rows = {r["actor"]: r["cells"] for r in data["matrix"]["rows"]}
    financing = rows[iri("v-government")][avc + "ProductionFinancing"]
    assert financing == [{"role": "lead", "start": "2005", "end": None, "sources": [iri("v-source")], "overlap": True}]
    assert rows[iri("v-school")][avc + "SpecialistTraining"][0]["role"] == "contributor"
    assert data["labels"][avc + "LocationServices"] == "location services"
    html = client.get("/competencies").get_data(as_text=True)
    assert 'class="overlap"' in html and "gap-column" in html and "<svg" in html
    in_2005 = twin(client, "/competencies.json", at=2005)
    assert not any(r["actor"] == iri("v-commission") for r in in_2005["matrix"]["rows"])


def test_analysis_shows_network_figures_brokers_communities_ties_and_life_cycle(client: FlaskClient) -> None:
    data = twin(client, "/analysis.json")
    assert data["network"]["actors"] == 8 and data["network"]["ties"] == 9
    assert data["top_betweenness"][0]["iri"] == iri("v-studio")
    assert data["brokers"]["top"][0]["iri"] == iri("v-studio")
    assert sum(c["size"] for c in data["communities"]) <= 8
    assert {k["kind"] for k in data["ties"]["by_kind"]} >= {"Funding", "Partnership"}
    assert data["lifecycle"][0]["cluster"] == iri("v-cluster")
    assert data["lifecycle"][0]["asserted_stage"] == str(AVC) + "Growth"
    html = client.get("/analysis").get_data(as_text=True)
    assert html.count("<svg") >= 5 and "Bluefinch Studio" in html
    scoped = twin(client, "/analysis.json", region="v-otherland")
    assert scoped["region"] == iri("v-otherland") and scoped["network"]["actors"] < 8


def test_flows_show_kinds_amounts_and_a_diagram(client: FlaskClient) -> None:
    data = twin(client, "/flows.json")
    flows = data["flows"]
    assert flows["count"] == 2 and flows["amount"] == {"EUR": 150000.0}
    assert {k["kind"] for k in flows["by_kind"]} == {"FinancialFlow", "InformationFlow"}
    html = client.get("/flows").get_data(as_text=True)
    assert html.count("<path") == 2  # one band per (from type, to type) of each kind
    assert twin(client, "/flows.json", at=2019)["flows"]["count"] == 1


def test_regions_show_the_five_factors_with_years_and_sources(client: FlaskClient) -> None:
    data = twin(client, "/regions.json")
    assert len(data["factors"]) == 5
    testland = next(r for r in data["regions"] if r["region"] == iri("v-testland"))
    area = testland["by_factor"][str(AVC) + "TerritorySize"]
    assert [(x["value"], x["year"], x["sources"]) for x in area] == [(10391.0, 2020, [iri("v-source")])]
    assert testland["by_factor"][str(AVC) + "HumanCapital"][0]["value"] == 1200.0
    assert testland["by_factor"][str(AVC) + "HistoricalCulturalHeritage"] == []
    html = client.get("/regions").get_data(as_text=True)
    assert "10,391" in html and "/resource/v-source" in html


def test_overview_shows_clusters_counts_figures_and_data_sources(client: FlaskClient) -> None:
    data = twin(client, "/index.json")
    assert data["figures"]["actors"] == 8 and data["figures"]["flows"] == 2
    assert data["figures"]["competency_gaps"] == 1
    cluster = data["clusters"][0]
    assert cluster["iri"] == iri("v-cluster") and cluster["stage"] == str(AVC) + "Growth"
    assert cluster["regions"] == [{"iri": iri("v-testland"), "label": "Testland"}]
    assert {t["type"]: t["count"] for t in data["actor_types"]}["FilmCommission"] == 2
    written = next(d for d in data["datasets"] if d["name"] == "web-views-cluster")
    assert written["kind"] == "asserted" and written["sources"] == 1 and written["triples"] > 100
    assert written["file"] is None  # written straight in: no catalog record of a file
    assert next(d for d in data["datasets"] if d["name"] == "ontology")["triples"] > 1000
    html = client.get("/").get_data(as_text=True)
    for href in ("/graph", "/competencies", "/analysis", "/flows", "/regions", "/query", "/sparql"):
        assert html.count(f'href="{href}"') >= 2, href  # the navigation, and the overview's own links


# ---------------------------------------------------------------- layout


def test_layout_is_deterministic_keeps_ties_short_and_puts_loners_outside() -> None:
    rng = np.random.default_rng(3)
    edges = np.array(
        [(i, j) for i in range(20) for j in range(i + 1, 20) if rng.random() < 0.3]
        + [(i, j) for i in range(20, 40) for j in range(i + 1, 40) if rng.random() < 0.3]
    )
    groups = np.array([0] * 20 + [1] * 20 + [-1] * 10)
    first, again = layout(50, edges, groups), layout(50, edges, groups)
    assert first.shape == (50, 2) and np.array_equal(first, again)
    distance = np.linalg.norm(first[edges[:, 0]] - first[edges[:, 1]], axis=1).mean()
    inside = np.linalg.norm(first[:20, None] - first[None, 20:40], axis=2).mean()
    assert distance < inside / 2  # tied actors sit closer than actors of the other group
    radius = np.linalg.norm(first - first[:40].mean(axis=0), axis=1)
    assert radius[40:].min() > radius[:40].max()  # actors with no tie ring the rest
    assert layout(0, np.zeros((0, 2), np.int64), np.zeros(0, np.int64)).shape == (0, 2)


def test_a_grouped_layout_puts_each_group_on_a_disc_of_its_own() -> None:
    rng = np.random.default_rng(5)
    groups = np.repeat(np.arange(5), [30, 12, 8, 3, 1])
    edges = rng.integers(0, len(groups), (120, 2))
    positions, discs = grouped_layout(len(groups), edges, groups)
    again, _ = grouped_layout(len(groups), edges, groups)
    assert np.array_equal(positions, again) and sorted(g for g, *_ in discs) == [0, 1, 2, 3, 4]
    assert discs[0][0] == 0  # the largest group in the middle
    for g, x, y, r in discs:
        inside = np.linalg.norm(positions[groups == g] - (x, y), axis=1)
        assert inside.max() <= r  # every member on its group's disc
    for k, (_, x, y, r) in enumerate(discs):
        for _, x2, y2, r2 in discs[k + 1 :]:
            assert math.hypot(x - x2, y - y2) >= r + r2  # no two discs overlap


def test_graph_json_arranges_counts_per_year_and_rejects_an_unknown_layout(client: FlaskClient) -> None:
    plain = client.get("/graph.json").get_json()
    assert plain["arrange"] == "network" and plain["discs"] == []
    by_type = client.get("/graph.json?layout=type").get_json()
    assert sum(d["count"] for d in by_type["discs"]) == by_type["counts"]["nodes"]
    assert {d["label"] for d in by_type["discs"]} == {t["label"] for t in by_type["types"]}
    per_year = plain["per_year"]
    assert per_year["years"] == list(range(plain["years"][0], plain["years"][1] + 1))
    assert max(per_year["actors"]) <= plain["counts"]["nodes"] and max(per_year["ties"]) <= plain["counts"]["edges"]
    assert client.get("/graph.json?layout=spiral").status_code == 400
    assert client.get("/graph?year=2005").status_code == 200


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ["Vacíos", "Cambios de responsable", "Actores y competencias"]),
        ("ru", ["Пробелы", "Смена ответственных", "Участники и компетенции"]),
    ],
)
def test_the_views_own_words_follow_the_readers_language(client: FlaskClient, lang: str, words: list[str]) -> None:
    html = client.get("/competencies", query_string={"lang": lang}).get_data(as_text=True)
    for word in words:
        assert word in html
    graph = client.get("/graph", query_string={"lang": lang}).get_data(as_text=True)
    assert {"es": "Tipos de actor", "ru": "Типы участников"}[lang] in graph
