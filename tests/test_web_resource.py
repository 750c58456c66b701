"""/resource/<slug> and /ontology: what a reader sees of one entity and of the vocabulary, RDF by
Accept at the same URL, labels in the chosen language; and, on every page of this part, the
security headers and labels that stay text however hostile."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from avcluster.kg.namespaces import AVC, ID
from avcluster.kg.stores import Store
from tests.test_web_query import Page
from tests.webapp import make_app, web_fixtures

filled, client = web_fixtures("cluster", "hostile")


def page(client: FlaskClient, url: str, lang: str = "en") -> tuple[str, Page]:
    response = client.get(url, query_string={"lang": lang})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    return html, Page(html)


def test_an_actor_page_shows_labels_types_and_relationships_both_ways(client: FlaskClient) -> None:
    html, view = page(client, "/resource/w-gov")
    assert view.texts["resource-title"] == "Webland Government"
    assert "es Gobierno de Webland" in view.texts["labels"]
    assert "ru Правительство Вебландии" in view.texts["labels"]
    assert "/ontology#PublicAdministration" in view.links
    relationships = view.tables["relationships"]
    assert relationships[0] == ["relationship", "kind", "with", "start", "end", "strength", "sources"]
    funding = next(r for r in relationships if "id:rel-w1" in r[0])
    assert funding[1:] == [
        "funding avc:Funding",
        "Web Test Films id:w-prod",
        "2012",
        "2016",
        "0.7",
        "Web test fixture (not a real source) id:w-source",
    ]
    assert any("Webland Film Commission" in r[2] for r in relationships)
    assert 'class="outgoing"' in html
    flows = view.tables["flows"]
    assert flows[1][3:6] == ["2015", "250000", "EUR"]
    measures = view.tables["measures"]
    assert "Webland tax credit" in measures[1][0]
    assert measures[1][3] == "0.3"


def test_incoming_relationships_and_competencies(client: FlaskClient) -> None:
    html, view = page(client, "/resource/w-fc")
    governance = view.tables["relationships"][1]
    assert "Webland Government" in governance[2]
    assert 'class="incoming"' in html
    competency = view.tables["competencies"][1]
    assert competency[0].startswith("location services")
    assert competency[1].startswith("lead")
    assert competency[2] == "2006"
    assert "/resource/w-source" in view.links


def test_a_region_shows_its_observations_and_a_cluster_its_members(client: FlaskClient) -> None:
    _, region = page(client, "/resource/w-region")
    observation = region.tables["observations"][1]
    assert observation[1:4] == ["42", "companies", "2019"]
    assert any("Webland Government" in row[0] for row in region.tables["referenced"])  # located in
    _, cluster = page(client, "/resource/w-cluster")
    assert "Webland Government" in cluster.texts["members"]
    graph = json.loads(cluster.texts["neighbourhood-data"])
    assert len(graph["edges"]) == 5  # three actors and the two hostile ones are members


def test_long_lists_are_cut_and_say_so(filled: Store) -> None:
    client = make_app(filled, MAX_HTML_ROWS=2).test_client()
    _, view = page(client, "/resource/w-cluster")
    assert view.texts["members-heading"] == "Members (5) (2 of 5)"
    assert len(json.loads(view.texts["neighbourhood-data"])["edges"]) == 2


def test_sources_are_listed_with_title_url_date_and_quote(client: FlaskClient) -> None:
    html, view = page(client, "/resource/w-gov")
    sources = view.texts["sources"]
    assert "Web test fixture (not a real source) (2021)" in sources
    assert "Hand-written for the web tests." in sources
    assert 'href="https://example.org/web-fixture"' in html
    _, source = page(client, "/resource/w-source")
    assert any("Webland Government" in row[0] for row in source.tables["referenced"])


def test_the_neighbourhood_graph_data(client: FlaskClient) -> None:
    _, view = page(client, "/resource/w-gov")
    graph = json.loads(view.texts["neighbourhood-data"])
    labels = {n["label"] for n in graph["nodes"]}
    assert {"Webland Government", "Web Test Films", "Webland Film Commission"} <= labels
    edges = {(e["from"].rsplit("/", 1)[1], e["to"].rsplit("/", 1)[1], e["label"]) for e in graph["edges"]}
    assert ("w-gov", "w-prod", "funding") in edges
    assert ("w-gov", "w-fc", "governance") in edges


def test_labels_in_the_chosen_language(client: FlaskClient) -> None:
    _, spanish = page(client, "/resource/w-gov", lang="es")
    assert spanish.texts["resource-title"] == "Gobierno de Webland"
    assert (
        "financiación" in spanish.tables["relationships"][1][1]
        or "financiación" in spanish.tables["relationships"][2][1]
    )
    _, russian = page(client, "/resource/w-fc", lang="ru")
    assert russian.texts["resource-title"] == "Webland Film Commission"  # no Russian label: English


@pytest.mark.parametrize(
    ("accept", "rdflib_format", "media"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("application/rdf+xml", "xml", "application/rdf+xml"),
        ("application/rdf+xml;q=0.9, text/html;q=0.5", "xml", "application/rdf+xml"),
    ],
)
def test_rdf_by_accept_at_the_same_url(client: FlaskClient, accept: str, rdflib_format: str, media: str) -> None:
    response = client.get("/resource/w-gov", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
    assert (URIRef(ID["rel-w1"]), AVC.fromActor, URIRef(ID["w-gov"])) in graph
    assert (URIRef(ID["w-gov"]), RDF.type, AVC.PublicAdministration) in graph


def test_browsers_get_html_and_links_can_ask_for_rdf(client: FlaskClient) -> None:
    browser = client.get("/resource/w-gov", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.mimetype == "text/html"
    assert client.get("/resource/w-gov").mimetype == "text/html"
    turtle = client.get("/resource/w-gov", query_string={"format": "ttl"})
    assert turtle.mimetype == "text/turtle"
    assert "@prefix avc:" in turtle.get_data(as_text=True)


@pytest.mark.parametrize("slug", ["no-such-thing", "w gov", "w-gov>", "%3Cscript%3E"])
def test_unknown_resources_are_404(client: FlaskClient, slug: str) -> None:
    assert client.get(f"/resource/{slug}").status_code == 404
    assert client.get(f"/resource/{slug}", headers={"Accept": "text/turtle"}).status_code == 404


def test_the_ontology_as_trees(client: FlaskClient) -> None:
    html, view = page(client, "/ontology")
    for anchor in ("Actor", "Funding", "Relationship", "fromActor", "LocationServices", "CompetencyScheme"):
        assert f'id="{anchor}"' in html
    relationship = html.index('id="Relationship"')
    assert relationship < html.index('id="Funding"') < html.index('id="properties-heading"')  # under Relationship
    assert "funding" in view.texts["Funding"]
    assert "domain:" in view.texts["fromActor"]
    _, spanish = page(client, "/ontology", lang="es")
    assert "financiación" in spanish.texts["Funding"]


def test_the_ontology_as_rdf(client: FlaskClient) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (AVC.Funding, RDF.type, OWL.Class) in graph


PAGES = [
    "/query",
    "/query?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20rdfs%3Alabel%20%3Fl%20%7D",
    "/query/members-by-type?cluster=id:w-cluster",
    "/resource/w-gov",
    "/resource/w-cluster",
    "/resource/w-script",
    "/resource/w-img",
    "/resource/rel-w-hostile",
    "/resource/w-hostile-source",
    "/resource/nothing-here",
    "/ontology",
    "/sparql",
    "/query.csv?query=ASK%7B%7D",
    "/static/app.css",
    "/vendor/codemirror/codemirror.js",
]


class Markup(HTMLParser):
    """Every tag and attribute of a page, to find script or style that is not in a file."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.problems.append(f"inline script {a}")
        if tag in ("style", "iframe", "img", "svg", "object", "embed"):
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on") or name == "style" or (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_and_no_markup_from_data(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy and "unsafe" not in policy  # no remote origins, no inline anything
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        assert Markup(html).problems == []


@pytest.mark.parametrize(
    "url", ["/resource/w-script", "/resource/w-img", "/resource/w-cluster", "/resource/rel-w-hostile"]
)
def test_hostile_labels_are_escaped_text(client: FlaskClient, url: str) -> None:
    html = client.get(url).get_data(as_text=True)
    assert "<script>window" not in html
    assert "<img src=x" not in html
    assert "<svg" not in html and "<iframe" not in html
    assert "&lt;script&gt;window.__pwned" in html or "&lt;img src=x onerror" in html
    blocks = [part.split("</script>", 1)[0] for part in html.split('type="application/json"')[1:]]
    for block in blocks:  # JSON data blocks: no way out of the <script> element
        assert "<" not in block.split(">", 1)[1]
