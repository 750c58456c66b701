"""The SPARQL 1.1 Graph Store HTTP Protocol at /sparql: read any graph by Accept, write with the
token, each write checked and atomic as a load is, by the test client and by a real HTTP client
against a real server."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from avcluster.kg.stores import Store, open_store
from tests.webapp import fill, make_app

TOKEN = "graph-store-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CLUSTER = "https://w3id.org/avcluster/graph/web-cluster"
NEW = "https://example.org/graphs/new"
PREFIXES = """@prefix avc: <https://w3id.org/avcluster/ontology#> . @prefix id: <https://w3id.org/avcluster/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
SOURCE = """id:source-gs a avc:Source ; dcterms:title "A page" ; schema:url "https://example.org/page"^^xsd:anyURI ;
    avc:quote "One short sentence."@en ."""
FUNDING = (
    PREFIXES
    + SOURCE
    + """
id:gs-fund a avc:FinancialInstitution ; rdfs:label "A fund" ; dcterms:source id:source-gs .
id:gs-film a avc:ProductionCompany ; rdfs:label "A producer" ; dcterms:source id:source-gs .
id:rel-gs a avc:Funding ; avc:fromActor id:gs-fund ; avc:toActor id:gs-film ; avc:startDate "2020"^^xsd:gYear ;
    dcterms:source id:source-gs .
"""
)
MORE = (
    PREFIXES + SOURCE + '\nid:gs-school a avc:EducationCentre ; rdfs:label "A school" ; dcterms:source id:source-gs .\n'
)
UNSOURCED = PREFIXES + 'id:gs-nobody a avc:ProductionCompany ; rdfs:label "Nobody" .\n'


@pytest.fixture
def store() -> Iterator[Store]:
    found = fill(open_store("memory:"), "cluster")
    yield found
    found.close()


@pytest.fixture
def client(store: Store) -> FlaskClient:
    return make_app(store, UPDATE_TOKEN=TOKEN).test_client()


def ask(client: FlaskClient, query: str) -> bool:
    return bool(client.get("/sparql", query_string={"query": query}).get_json()["boolean"])


def put(client: FlaskClient, body: str, method: str = "put", **headers: str) -> object:
    return getattr(client, method)(
        "/sparql", query_string={"graph": NEW}, data=body.encode(), content_type="text/turtle", headers=headers
    )


def test_a_named_graph_is_read_in_any_syntax(client: FlaskClient) -> None:
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        response = client.get("/sparql", query_string={"graph": CLUSTER}, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        graph = Graph().parse(data=response.get_data(as_text=True), format=fmt)
        assert (URIRef("https://w3id.org/avcluster/id/w-gov"), None, None) in graph
    head = client.head("/sparql", query_string={"graph": CLUSTER})
    assert head.status_code == 200 and not head.data
    assert client.get("/sparql", query_string={"graph": NEW}).status_code == 404
    union = client.get("/sparql", query_string={"default": ""}, headers={"Accept": "application/n-triples"})
    assert union.status_code == 200 and "w-gov" in union.get_data(as_text=True)


def test_put_post_and_delete_with_the_token(client: FlaskClient) -> None:
    assert put(client, FUNDING).status_code == 401
    assert put(client, FUNDING, **AUTH).status_code == 201  # created
    assert ask(client, "ASK { id:gs-fund avc:funds id:gs-film }"), "the shortcut is derived as by a load"
    assert put(client, FUNDING, **AUTH).status_code == 204  # replaced
    assert put(client, MORE, "post", **AUTH).status_code == 204  # added to
    assert ask(client, f"ASK {{ GRAPH <{NEW}> {{ id:gs-school a avc:EducationCentre . id:gs-fund a ?k }} }}")
    assert put(client, MORE, **AUTH).status_code == 204  # replaced: the funding is gone, and its shortcut
    assert not ask(client, "ASK { id:gs-fund ?p ?o }")
    assert not ask(client, "ASK { id:gs-fund avc:funds id:gs-film }")
    basic = "Basic " + base64.b64encode(f"me:{TOKEN}".encode()).decode()
    assert client.delete("/sparql", query_string={"graph": NEW}, headers={"Authorization": basic}).status_code == 204
    assert client.get("/sparql", query_string={"graph": NEW}).status_code == 404
    assert client.delete("/sparql", query_string={"graph": NEW}, headers=AUTH).status_code == 404


def test_a_bad_graph_is_refused_in_words_and_changes_nothing(client: FlaskClient) -> None:
    assert put(client, FUNDING, **AUTH).status_code == 201
    broken = put(client, PREFIXES + "id:x a avc:Festival ;;; .", **AUTH)
    assert broken.status_code == 400
    assert broken.get_data(as_text=True).startswith("request body")
    unsourced = put(client, UNSOURCED, **AUTH)
    assert unsourced.status_code == 400 and "no source" in unsourced.get_data(as_text=True)
    assert ask(client, "ASK { id:gs-fund avc:funds id:gs-film }"), "the graph is as it was"
    wrong_type = client.put("/sparql", query_string={"graph": NEW}, data=b"x", content_type="image/png", headers=AUTH)
    assert wrong_type.status_code == 400 and "unsupported media type" in wrong_type.get_data(as_text=True)


def test_the_default_graph_is_read_only_and_writes_are_off_without_a_token(store: Store) -> None:
    writer = make_app(store, UPDATE_TOKEN=TOKEN).test_client()
    refused = writer.put("/sparql?default", data=FUNDING.encode(), content_type="text/turtle", headers=AUTH)
    assert refused.status_code == 405 and "union" in refused.get_data(as_text=True)
    reader = make_app(store).test_client()
    assert put(reader, FUNDING, **AUTH).status_code == 403
    assert reader.get("/sparql", query_string={"graph": CLUSTER}).status_code == 200


def test_the_service_description_names_the_graph_store(client: FlaskClient) -> None:
    text = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "https://www.w3.org/TR/sparql11-http-rdf-update/" in text


def test_a_round_trip_with_a_real_http_client(store: Store) -> None:
    from tests.browser.conftest import LiveServer

    live = LiveServer(store, {"UPDATE_TOKEN": TOKEN})
    address = f"{live.url}/sparql?graph={urllib.request.quote(NEW, safe='')}"
    try:
        request = urllib.request.Request(
            address, data=FUNDING.encode(), method="PUT", headers={"Content-Type": "text/turtle", **AUTH}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 201
        with urllib.request.urlopen(
            urllib.request.Request(address, headers={"Accept": "text/turtle"}), timeout=30
        ) as answer:
            graph = Graph().parse(data=answer.read().decode(), format="turtle")
        assert (URIRef("https://w3id.org/avcluster/id/rel-gs"), None, None) in graph
        with urllib.request.urlopen(
            urllib.request.Request(address, method="DELETE", headers=AUTH), timeout=30
        ) as answer:
            assert answer.status == 204
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(address, timeout=30)
        assert gone.value.code == 404
    finally:
        live.stop()
