"""/sparql: the SPARQL 1.1 Protocol, by Flask's test client for every route and media type, and by
real clients (SPARQLWrapper, rdflib's SPARQLStore) against a real waitress server.

The bad-request cases follow the W3C protocol test suite (bad_query_*, bad_update_*) where they
apply. A query reads the union of the named graphs unless it or its client names graphs.
"""

from __future__ import annotations

import base64
import csv
import gzip
import io
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from avcluster.kg.namespaces import ID
from avcluster.kg.stores import Store, open_store
from tests.webapp import fill, make_app, web_fixtures

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
SELECT = "SELECT ?label WHERE { id:w-gov rdfs:label ?label FILTER(LANG(?label) = 'en') }"
CONSTRUCT = "CONSTRUCT { ?rel avc:fromActor ?from } WHERE { ?rel a avc:Funding ; avc:fromActor ?from }"
TOKEN = "s3cret-token-for-tests"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


filled, client = web_fixtures("cluster")


def test_get_query_answers_sparql_json_by_default(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    rows = response.get_json()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["Webland Government"]


def test_post_form_and_post_direct_give_the_same_answer(client: FlaskClient) -> None:
    by_get = client.get("/sparql", query_string={"query": SELECT}).get_json()
    by_form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query; charset=utf-8")
    assert by_form.status_code == direct.status_code == 200
    assert by_form.get_json() == direct.get_json() == by_get


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*;q=0.2, application/sparql-results+json;q=0.1", "text/csv"),
        ("text/turtle", "application/sparql-results+json"),  # a graph syntax for solutions: the default
    ],
)
def test_select_results_by_accept(client: FlaskClient, accept: str, media: str) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Webland Government" in response.get_data(as_text=True)
    assert "Accept" in response.headers["Vary"]


def test_nothing_acceptable_is_406_in_words(client: FlaskClient) -> None:
    for query in (SELECT, CONSTRUCT):
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "image/png"})
        assert response.status_code == 406
        assert "nothing acceptable" in response.get_data(as_text=True)


def test_csv_and_tsv_are_the_w3c_formats(client: FlaskClient) -> None:
    as_csv = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"}).get_data(
        as_text=True
    )
    assert list(csv.reader(io.StringIO(as_csv))) == [["label"], ["Webland Government"]]
    as_tsv = client.get("/sparql", query_string={"query": SELECT, "format": "tsv"}).get_data(as_text=True)
    assert as_tsv.splitlines() == ["?label", '"Webland Government"@en']


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", '"boolean":true'),
        ("application/sparql-results+xml", "<boolean>true</boolean>"),
    ],
)
def test_ask(client: FlaskClient, accept: str, expected: str) -> None:
    response = client.get(
        "/sparql", query_string={"query": "ASK { id:w-gov a avc:PublicAdministration }"}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True).replace(" ", "")


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("*/*", "text/turtle", "turtle"),
        ("application/rdf+xml;q=0.3, text/turtle;q=0.2", "application/rdf+xml", "xml"),
    ],
)
def test_construct_and_describe_by_accept(client: FlaskClient, accept: str, media: str, rdflib_format: str) -> None:
    for query in (CONSTRUCT, "DESCRIBE id:rel-w1"):
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == media
        graph = Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
        assert (
            URIRef(ID["rel-w1"]),
            URIRef("https://w3id.org/avcluster/ontology#fromActor"),
            URIRef(ID["w-gov"]),
        ) in graph


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_service_description(client: FlaskClient, accept: str | None, rdflib_format: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(as_text=True), format=rdflib_format)
    service = graph.value(predicate=RDF.type, object=URIRef(SD + "Service"))
    assert service is not None
    assert graph.value(service, URIRef(SD + "endpoint")) == URIRef("http://localhost/sparql")
    languages = set(graph.objects(service, URIRef(SD + "supportedLanguage")))
    assert languages == {URIRef(SD + "SPARQL11Query")}  # no token configured: no updates
    formats = {str(f) for f in graph.objects(service, URIRef(SD + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    names = {str(n) for n in graph.objects(predicate=URIRef(SD + "name"))}
    assert "https://w3id.org/avcluster/graph/web-cluster" in names
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_service_description_names_updates_when_a_token_is_set(filled: Store) -> None:
    client = make_app(filled, UPDATE_TOKEN=TOKEN).test_client()
    graph = Graph().parse(data=client.get("/sparql").get_data(as_text=True), format="turtle")
    assert (None, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Update")) in graph


def test_a_browser_is_sent_to_the_query_page(client: FlaskClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": browser})
    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert (location.path, parse_qs(location.query)) == ("/query", {"query": [SELECT]})
    assert client.get("/sparql", headers={"Accept": browser}).headers["Location"] == "/query"


def test_bad_query_is_400_with_the_parsers_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "error at 1:" in response.get_data(as_text=True)  # Oxigraph's own words, with the position
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_oversized_query_is_413(filled: Store) -> None:
    client = make_app(filled, MAX_QUERY_BYTES=1000).test_client()
    padded = SELECT + " #" + "x" * 1000
    assert client.get("/sparql", query_string={"query": padded}).status_code == 413
    assert client.post("/sparql", data={"query": padded}).status_code == 413
    assert client.post("/sparql", data=padded.encode(), content_type="application/sparql-query").status_code == 413
    huge = client.post("/sparql", data=b"x" * 100_000, content_type="application/sparql-query")
    assert huge.status_code == 413
    assert "1,000 byte" in huge.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": SELECT}).status_code == 200


def test_cors_for_reads_and_preflight(client: FlaskClient) -> None:
    assert client.get("/sparql", query_string={"query": SELECT}).headers["Access-Control-Allow-Origin"] == "*"
    assert client.post("/sparql", data={"query": SELECT}).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    # a bearer token is no ambient credential: a browser client on another origin may send one
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]


@pytest.fixture
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP port that records every connection: SERVICE and LOAD must never reach it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER(?o<1)SERVICE<http://127.0.0.1:{port}/>{{?a ?b ?c}} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "# a comment\nSELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_nothing_is_fetched(
    client: FlaskClient, listener: tuple[int, list[object]], template: str
) -> None:
    port, accepted = listener
    response = client.get("/sparql", query_string={"query": template.format(port=port)})
    assert response.status_code == 400
    assert "SERVICE" in response.get_data(as_text=True)
    time.sleep(0.3)
    assert accepted == []


def test_service_and_load_as_words_in_strings_comments_and_iris_are_fine(client: FlaskClient) -> None:
    query = (
        "# SERVICE <http://example.org/> and LOAD in a comment\n"
        "SELECT ?service ?load WHERE { BIND('SERVICE <x> { }' AS ?service) BIND(<http://example.org/LOAD> AS ?load) }"
    )
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"]["bindings"][0]["service"]["value"] == "SERVICE <x> { }"


def test_load_is_refused_even_with_the_token(filled: Store, listener: tuple[int, list[object]]) -> None:
    port, accepted = listener
    client = make_app(filled, UPDATE_TOKEN=TOKEN).test_client()
    response = client.post(
        "/sparql",
        data={"update": f"LOAD <http://127.0.0.1:{port}/data.ttl>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
    assert "LOAD" in response.get_data(as_text=True)
    time.sleep(0.3)
    assert accepted == []


ADD = "INSERT DATA { GRAPH <https://w3id.org/avcluster/graph/web-extra> { id:w-extra rdfs:label 'Extra'@en } }"
ASK_ADDED = "ASK { id:w-extra rdfs:label 'Extra'@en }"


def added(client: FlaskClient) -> bool:
    return bool(client.get("/sparql", query_string={"query": ASK_ADDED}).get_json()["boolean"])


def test_updates_are_off_without_a_token(client: FlaskClient) -> None:
    for response in (
        client.post("/sparql", data={"update": ADD}),
        client.post("/sparql", data=ADD.encode(), content_type="application/sparql-update"),
        client.post("/sparql", data={"update": ADD}, headers={"Authorization": "Bearer anything"}),
    ):
        assert response.status_code == 403
        assert "off" in response.get_data(as_text=True)
        assert response.headers["Access-Control-Allow-Origin"] == "*"  # a browser client can read why
    assert not added(client)


def test_updates_need_the_right_bearer_token(caplog: pytest.LogCaptureFixture) -> None:
    store = fill(open_store("memory:"), "cluster")
    client = make_app(store, UPDATE_TOKEN=TOKEN).test_client()
    caplog.set_level(logging.DEBUG)
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},  # not base64 of user:token
        {"Authorization": "Basic " + base64.b64encode(b"someone:wrong").decode()},
        {"Authorization": f"Bearer {TOKEN}x"},
    ):
        response = client.post("/sparql", data={"update": ADD}, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert TOKEN not in response.get_data(as_text=True)
    assert not added(client)
    done = client.post(
        "/sparql",
        data=ADD.encode(),
        content_type="application/sparql-update",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert done.status_code == 204
    assert done.headers["Access-Control-Allow-Origin"] == "*"  # the answer of an update reaches a browser client too
    assert added(client)
    assert TOKEN not in caplog.text
    assert "Content-Type" not in done.headers  # 204: no body, so no media type
    store.close()


def test_the_token_is_also_accepted_as_the_basic_password() -> None:
    store = fill(open_store("memory:"), "cluster")
    client = make_app(store, UPDATE_TOKEN=TOKEN).test_client()
    basic = "Basic " + base64.b64encode(f"any-user:{TOKEN}".encode()).decode()
    assert client.post("/sparql", data={"update": ADD}, headers={"Authorization": basic}).status_code == 204
    assert added(client)
    store.close()


def test_protocol_details(client: FlaskClient, filled: Store) -> None:
    head = client.head("/sparql", query_string={"query": SELECT})
    assert head.status_code == 200 and head.mimetype == "application/sparql-results+json" and not head.data
    latin1 = client.get("/sparql?query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx%20%3Fp%20%22caf%E9%22%20%7D")
    assert latin1.status_code == 400 and "not UTF-8" in latin1.get_data(as_text=True)
    undefined = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ex:p ?o }"})
    assert undefined.status_code == 400
    assert undefined.get_data(as_text=True).startswith("undefined prefix ex:")
    writer = make_app(filled, UPDATE_TOKEN=TOKEN).test_client()
    as_update = writer.post("/sparql", data={"update": SELECT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert as_update.status_code == 400 and "this is a query, not an update" in as_update.get_data(as_text=True)


def test_answers_are_gzipped_when_asked(client: FlaskClient) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    plain_answer = client.get("/sparql", query_string={"query": everything})
    zipped = client.get("/sparql", query_string={"query": everything}, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain_answer.data
    assert len(zipped.data) < len(plain_answer.data) / 3
    assert "Content-Encoding" not in plain_answer.headers


def test_forwarded_host_is_trusted_only_behind_a_proxy(filled: Store) -> None:
    forwarded = {"X-Forwarded-Host": "avcluster.example.org", "X-Forwarded-Proto": "https"}

    def endpoint(app_client: FlaskClient) -> str:
        graph = Graph().parse(data=app_client.get("/sparql", headers=forwarded).get_data(as_text=True), format="turtle")
        return str(next(graph.objects(None, URIRef(SD + "endpoint"))))

    assert endpoint(make_app(filled).test_client()) == "http://localhost/sparql"
    assert endpoint(make_app(filled, BEHIND_PROXY=1).test_client()) == "https://avcluster.example.org/sparql"


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("get", {"query_string": {"update": ADD}}, 400),  # bad_update_get
        ("get", {"query_string": [("query", SELECT), ("query", SELECT)]}, 400),  # bad_multiple_queries
        ("post", {"data": {"query": SELECT, "update": ADD}}, 400),
        ("post", {"data": {"update": [ADD, ADD]}}, 400),  # bad_multiple_updates
        ("post", {"data": SELECT.encode(), "content_type": "text/plain"}, 415),  # bad_query_wrong_media_type
        ("post", {"data": SELECT.encode()}, 415),  # bad_query_missing_direct_type
        ("post", {"data": "query=" + quote(SELECT)}, 415),  # bad_query_missing_form_type
        ("post", {"data": {"other": "x"}}, 400),
        (
            "post",
            {
                "data": "SELECT ?x WHERE { ?x ?p 'caf\xe9' }".encode("latin-1"),
                "content_type": "application/sparql-query",
            },
            400,
        ),  # bad_query_non_utf8
        ("put", {"data": {"query": SELECT}}, 405),  # bad_query_method
        ("get", {"query_string": {"query": ADD}}, 400),  # an update sent as a query
        ("get", {"query_string": {"query": SELECT, "default-graph-uri": "not an iri"}}, 400),
    ],
)
def test_bad_requests(client: FlaskClient, method: str, kwargs: dict[str, object], status: int) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status
    if status != 405:
        assert response.mimetype == "text/plain"
        assert len(response.get_data(as_text=True).strip()) > 10  # a sentence, not just a code


G1, G2 = "https://w3id.org/avcluster/graph/one", "https://w3id.org/avcluster/graph/two"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def two_graphs() -> Iterator[FlaskClient]:
    import pyoxigraph as ox

    def triples(graph: str, n: int) -> list[ox.Triple]:
        return [
            ox.Triple(ox.NamedNode(f"{graph}/s{i}"), ox.NamedNode("urn:x-test:p"), ox.Literal(str(i))) for i in range(n)
        ]

    store = open_store("memory:")
    store.replace_graphs({G1: triples(G1, 2), G2: triples(G2, 3)})
    yield make_app(store).test_client()
    store.close()


def count(client: FlaskClient, query: str = COUNT, **params: object) -> int:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_query_reads_the_union_or_exactly_the_graphs_it_names(two_graphs: FlaskClient) -> None:
    assert count(two_graphs) == 5
    assert count(two_graphs, f"SELECT (COUNT(*) AS ?n) FROM <{G1}> WHERE {{ ?s ?p ?o }}") == 2
    assert count(two_graphs, f"SELECT (COUNT(*) AS ?n) FROM <{G1}> FROM <{G2}> WHERE {{ ?s ?p ?o }}") == 5
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G2}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count(two_graphs, named) == 3
    assert count(two_graphs, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G2}> WHERE {{ ?s ?p ?o }}") == 0


def test_the_protocol_dataset_parameters_name_the_graphs_and_win_over_from(two_graphs: FlaskClient) -> None:
    assert count(two_graphs, **{"default-graph-uri": G2}) == 3
    assert count(two_graphs, **{"default-graph-uri": [G1, G2]}) == 5
    in_named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(two_graphs, in_named, **{"named-graph-uri": G1}) == 2
    assert count(two_graphs, **{"named-graph-uri": G1}) == 0  # the default graph is then empty
    assert (
        count(two_graphs, f"SELECT (COUNT(*) AS ?n) FROM <{G1}> WHERE {{ ?s ?p ?o }}", **{"default-graph-uri": G2}) == 3
    )
    assert count(two_graphs, **{"default-graph-uri": "", "named-graph-uri": ""}) == 5  # empty is absent
    posted = two_graphs.post("/sparql", data={"query": COUNT, "default-graph-uri": G1})
    assert posted.get_json()["results"]["bindings"][0]["n"]["value"] == "2"


def test_an_update_reads_the_graphs_using_graph_uri_names(two_graphs: FlaskClient, filled: Store) -> None:
    store = open_store("memory:")
    client = make_app(store, UPDATE_TOKEN=TOKEN).test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for graph, n in ((G1, 2), (G2, 3)):
        body = " ".join(f"<{graph}/s{i}> <urn:x-test:p> {i} ." for i in range(n))
        client.post("/sparql", data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}"}, headers=auth)
    copy = "INSERT { GRAPH <urn:x-test:copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    done = client.post("/sparql", data={"update": copy, "using-graph-uri": G2}, headers=auth)
    assert done.status_code == 204
    assert count(client, "SELECT (COUNT(*) AS ?n) FROM <urn:x-test:copy> WHERE { ?s ?p ?o }") == 3
    with_its_own = client.post(
        "/sparql",
        data={"update": f"INSERT {{ ?s ?p ?o }} USING <{G1}> WHERE {{ ?s ?p ?o }}", "using-graph-uri": G2},
        headers=auth,
    )
    assert with_its_own.status_code == 400 and "names its graphs itself" in with_its_own.get_data(as_text=True)
    store.close()


def test_runaway_query_is_stopped_with_503(filled: Store) -> None:
    client = make_app(filled, QUERY_TIMEOUT=0.5).test_client()
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": HEAVY})
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "0.5 s limit" in response.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": SELECT}).status_code == 200


def test_result_cap(filled: Store) -> None:
    client = make_app(filled, MAX_RESULT_BYTES=2_000).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "2,000 byte limit" in response.get_data(as_text=True)


def test_security_headers_on_the_endpoint(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


# --- real clients against a real server -------------------------------------------------------


@pytest.fixture(scope="module", params=["embedded", pytest.param("virtuoso", marks=pytest.mark.remote)])
def server(request: pytest.FixtureRequest, filled: Store) -> Iterator[str]:
    """The endpoint on a real server, over the embedded store and over a real Virtuoso: the real
    clients must see the same endpoint whichever store it stands on."""
    from tests.browser.conftest import LiveServer

    backing = filled
    if request.param == "virtuoso":
        backing = open_store(request.getfixturevalue("virtuoso_server").url)
        backing.drop_graphs(g.iri for g in backing.graphs())
        fill(backing, "cluster")
    live = LiveServer(backing, {"UPDATE_TOKEN": TOKEN})
    yield live.url + "/sparql"
    live.stop()
    if request.param == "virtuoso":
        backing.drop_graphs(g.iri for g in backing.graphs())


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", ["json", "xml", "csv"])
def test_sparqlwrapper_select(server: str, method: str, return_format: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server, returnFormat=return_format)
    client.setMethod(method)
    client.setQuery(SELECT)
    result = client.queryAndConvert()
    if return_format == "json":
        assert result["results"]["bindings"][0]["label"]["value"] == "Webland Government"  # type: ignore[index]
    elif return_format == "xml":
        assert "Webland Government" in result.toxml()  # type: ignore[union-attr]
    else:
        assert "Webland Government" in result.decode()  # type: ignore[union-attr]


@pytest.mark.parametrize("return_format", ["turtle", "xml", "json-ld", "n3"])
def test_sparqlwrapper_construct(server: str, return_format: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server, returnFormat=return_format)
    client.setQuery(CONSTRUCT)
    result = client.queryAndConvert()
    graph = (
        result
        if isinstance(result, Graph)
        else Graph().parse(data=result, format="json-ld" if return_format == "json-ld" else "turtle")
    )
    assert (URIRef(ID["rel-w1"]), None, URIRef(ID["w-gov"])) in graph


def test_sparqlwrapper_ask_errors_and_update(server: str) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

    client = SPARQLWrapper(server, returnFormat=JSON)
    client.setQuery("ASK { id:w-fc a avc:FilmCommission }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]
    client.setQuery("SELECT ?x WHERE {")
    with pytest.raises(QueryBadFormed, match=r"error at|syntax error"):  # the engine's own words
        client.query()
    updater = SPARQLWrapper(server)
    updater.setMethod(POST)
    updater.setQuery(
        "INSERT DATA { GRAPH <https://w3id.org/avcluster/graph/web-live> { id:w-live rdfs:label 'Live'@en } }"
    )
    with pytest.raises(Unauthorized):
        updater.query()
    updater.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    updater.query()
    client.setQuery("ASK { id:w-live rdfs:label 'Live'@en }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(server: str, method: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server, method=method, returnFormat="json"))
    rows = list(graph.query("SELECT ?label WHERE { <https://w3id.org/avcluster/id/w-gov> rdfs:label ?label }"))
    assert Literal("Gobierno de Webland", lang="es") in {row[0] for row in rows}  # type: ignore[index]
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and (URIRef(ID["rel-w1"]), None, URIRef(ID["w-gov"])) in constructed
    assert graph.query("ASK { ?s a avc:Cluster }").askAnswer is True
    assert (URIRef(ID["w-gov"]), RDF.type, None) in graph


def test_concurrent_clients_are_served(server: str) -> None:
    """A few clients at once (waitress threads, one store): every answer is whole and right."""
    import urllib.request

    url = server + "?query=" + quote(SELECT)

    def fetch() -> str:
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(json.load(response)["results"]["bindings"][0]["label"]["value"])

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(fetch())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["Webland Government"] * 8


CLUSTER_GRAPH = "https://w3id.org/avcluster/graph/web-cluster"
ELSEWHERE = "https://w3id.org/avcluster/graph/web-nothing-here"


def test_sparqlwrapper_with_a_default_graph(server: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    def labels(graph: str) -> list[str]:
        client = SPARQLWrapper(server, returnFormat=JSON)
        client.addDefaultGraph(graph)
        client.setQuery(SELECT)
        return [b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]  # type: ignore[index]

    assert labels(CLUSTER_GRAPH) == ["Webland Government"]
    assert labels(ELSEWHERE) == []


def test_rdflib_sparqlstore_with_a_graph_identifier(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    def labels(graph: str) -> set[Literal]:
        view = Graph(store=SPARQLStore(server, returnFormat="json"), identifier=URIRef(graph))
        return set(view.objects(URIRef(ID["w-gov"]), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))  # type: ignore[arg-type]

    assert Literal("Gobierno de Webland", lang="es") in labels(CLUSTER_GRAPH)
    assert labels(ELSEWHERE) == set()


def test_rdflib_sparqlupdatestore_with_the_token_as_basic_password(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(server, server, auth=("analyst", TOKEN), returnFormat="json")
    graph = Graph(store=store, identifier=URIRef("https://w3id.org/avcluster/graph/web-rdflib"))
    graph.update("INSERT DATA { <https://w3id.org/avcluster/id/w-rdflib> rdfs:label 'From rdflib'@en }")
    found = Graph(store=SPARQLStore(server, returnFormat="json"))
    assert (URIRef(ID["w-rdflib"]), None, Literal("From rdflib", lang="en")) in found
    refused = SPARQLUpdateStore(server, server, auth=("analyst", "wrong"), returnFormat="json")
    with pytest.raises(Exception, match="401"):
        Graph(store=refused, identifier=URIRef("urn:x-test:g")).update(
            "INSERT DATA { <urn:x-test:no> <urn:x-test:p> 1 }"
        )


def test_the_service_description_counts_a_graph_written_after_it_was_asked() -> None:
    """The graphs' sizes are counted once per version of the store (a count reads every quad), and a
    write is a new version: the next description names the new graph with its size."""
    store = open_store("memory:")
    store.replace_graphs({"https://w3id.org/avcluster/graph/first": []})
    client = make_app(store, UPDATE_TOKEN=TOKEN).test_client()

    def sizes() -> dict[str, int]:
        graph = Graph().parse(data=client.get("/sparql").get_data(as_text=True), format="turtle")
        return {
            str(graph.value(named, URIRef(SD + "name"))): int(graph.value(inner, URIRef(VOID + "triples")))
            for named in graph.subjects(RDF.type, URIRef(SD + "NamedGraph"))
            for inner in graph.objects(named, URIRef(SD + "graph"))
        }

    before = sizes()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    update = "INSERT DATA { GRAPH <https://w3id.org/avcluster/graph/later> { <urn:a> <urn:b> 1, 2 } }"
    assert client.post("/sparql", data={"update": update}, headers=auth).status_code in (200, 204)
    assert "https://w3id.org/avcluster/graph/later" not in before
    assert sizes()["https://w3id.org/avcluster/graph/later"] == 2
