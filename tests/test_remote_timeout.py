"""A SPARQL server that stops a query at its own time limit is reported as a stopped query.

Virtuoso ends a query past its MaxQueryExecutionTime with `500` and "S1T00 Error SR171: Transaction
timed out". That is the same failure for a client as avcluster's own limit, so it gets the same
exception and, from the endpoint, the same `503`, rather than reading as a broken server. Here a
real Virtuoso is started with a limit of one second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from avcluster.kg.errors import QueryTimeout
from avcluster.kg.stores.remote import RemoteStore

from . import virtuoso
from .conftest import limited_virtuoso
from .webapp import make_app

pytestmark = pytest.mark.remote

GRAPH = "https://w3id.org/avcluster/graph/timeout-test"
# three copies of 600 triples joined with a filter: hundreds of millions of rows, far past one second
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . FILTER(STR(?b) < STR(?d) && STR(?d) < STR(?f)) }"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    yield from limited_virtuoso(tmp_path_factory, GRAPH, 600, max_seconds=1)


def test_the_servers_own_limit_is_a_stopped_query(server: virtuoso.Virtuoso) -> None:
    store = RemoteStore(server.url)
    with pytest.raises(QueryTimeout, match=r"ran longer than the time limit of http://127\.0\.0\.1:\d+/sparql .*S1T00"):
        store.query(HEAVY)
    assert store.select_rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")[1][0][
        0
    ] == ox.Literal(600)


def test_the_endpoint_answers_503_as_for_its_own_limit(server: virtuoso.Virtuoso) -> None:
    client = make_app(RemoteStore(server.url)).test_client()
    response = client.get("/sparql", query_string={"query": HEAVY})
    assert response.status_code == 503
    assert "ran longer than the time limit of" in response.get_data(as_text=True)
