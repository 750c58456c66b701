"""The store interface on every embedded backend (the remote one: test_remote.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from avcluster.kg.errors import QueryError, QueryTimeout, ResultTooLarge, StoreError
from avcluster.kg.results import solutions
from avcluster.kg.stores import RESULT_FORMATS, Store, open_store
from avcluster.kg.stores.oxigraph import OxigraphStore, in_memory_copy

G1, G2 = "https://w3id.org/avcluster/graph/test-1", "https://w3id.org/avcluster/graph/test-2"


def triple(s: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(f"https://example.org/{s}"), ox.NamedNode("https://example.org/p"), ox.Literal(o))


def test_graphs_are_replaced_whole_and_queried_as_a_union(store: Store) -> None:
    assert store.is_empty()
    store.replace_graphs({G1: [triple("a", "1"), triple("b", "2")], G2: [triple("c", "3")]})
    assert {(g.iri, g.triples) for g in store.graphs()} == {(G1, 2), (G2, 1)}
    store.replace_graphs({G1: [triple("a", "changed")]})
    assert store.graph_triples(G1) == {triple("a", "changed")}
    _, rows = store.select_rows("SELECT ?o WHERE { ?s <https://example.org/p> ?o } ORDER BY ?o")
    assert [r[0].value for r in rows] == ["3", "changed"]  # type: ignore[union-attr]
    store.drop_graphs([G1, "https://example.org/missing"])
    assert [g.iri for g in store.graphs()] == [G2]
    assert not store.is_empty()
    store.drop_graphs([G2])
    assert store.is_empty()


def test_literals_with_quotes_and_newlines_survive_a_replace(store: Store) -> None:
    tricky = ox.Literal('say "hi"\n<script>alert(1)</script> \\ end', language="en")
    store.replace_graphs({G1: [triple("a", "x")]})
    store.replace_graphs(
        {G1: [ox.Triple(ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p"), tricky)]}
    )
    assert {t.object for t in store.graph_triples(G1)} == {tricky}


@pytest.mark.parametrize("media_type", sorted(RESULT_FORMATS))
def test_select_answers_in_every_results_format(store: Store, media_type: str) -> None:
    store.replace_graphs({G1: [triple("a", "1")]})
    answer = store.query("SELECT ?s WHERE { ?s ?p ?o }", accept=media_type)
    assert answer.media_type == media_type and answer.kind == "bindings"
    assert b"https://example.org/a" in answer.body


@pytest.mark.parametrize(
    "media_type", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
)
def test_construct_answers_in_every_graph_format(store: Store, media_type: str) -> None:
    store.replace_graphs({G1: [triple("a", "1")]})
    answer = store.query("CONSTRUCT WHERE { ?s <https://example.org/p> ?o }", accept=media_type)
    assert answer.kind == "graph" and answer.media_type == media_type
    assert len(solutions(answer)[1]) == 1


def test_ask_and_bindings(store: Store) -> None:
    store.replace_graphs({G1: [triple("a", "1"), triple("b", "2")]})
    bound = {"s": ox.NamedNode("https://example.org/b")}
    _, rows = solutions(store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings=bound))
    assert [r[0].value for r in rows] == ["2"]  # type: ignore[union-attr]
    assert solutions(store.query("ASK { ?s ?p ?o }", bindings={"o": ox.Literal("1")}))[1][0][0].value == "true"  # type: ignore[union-attr]


def test_bindings_reach_inside_a_subquery(store: Store) -> None:
    # a parameter is one value for the whole query: a subquery that ranks and cuts (LIMIT) must rank
    # only what the parameter keeps, though SPARQL evaluates it before the outer bindings
    store.replace_graphs({G1: [triple(s, o) for s, o in (("a", "1"), ("b", "2"), ("c", "3"))]})
    text = (
        "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s <https://example.org/p> ?o FILTER(?s != ?skip) }"
        " ORDER BY DESC(?o) LIMIT 1 } }"
    )
    skip = {"skip": ox.NamedNode("https://example.org/c")}
    _, rows = solutions(store.query(text, bindings=skip))
    assert [r[1].value for r in rows] == ["2"]  # type: ignore[union-attr]
    # an EXISTS in the subquery's projection has braces of its own: the group is the one after it
    projected = text.replace("SELECT ?s ?o WHERE { ?s", "SELECT ?s ?o (EXISTS { ?s ?p ?o } AS ?e) WHERE { ?s", 1)
    _, rows = solutions(store.query(projected, bindings=skip))
    assert [r[1].value for r in rows] == ["2"]  # type: ignore[union-attr]


def test_a_bad_query_says_what_the_parser_says(store: Store) -> None:
    with pytest.raises(QueryError, match=r"expected|syntax error"):
        store.query("SELECT * WHERE { ?s ?p }")


def test_a_runaway_query_is_stopped_and_the_store_keeps_answering(store: Store) -> None:
    store.replace_graphs({G1: [triple(str(i), str(i)) for i in range(300)]})
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=1.0)
    assert time.monotonic() - started < 3
    assert store.query("ASK { ?s ?p ?o }", timeout=1.0).body  # the same store answers at once


def test_a_result_over_the_cap_is_refused(store: Store) -> None:
    store.replace_graphs({G1: [triple(str(i), "x" * 100) for i in range(200)]})
    with pytest.raises(ResultTooLarge):
        store.query("SELECT * WHERE { ?s ?p ?o }", timeout=5.0, max_bytes=1_000)


def test_a_store_on_disk_keeps_its_data(tmp_path: Path) -> None:
    first = open_store(str(tmp_path / "s"))
    first.replace_graphs({G1: [triple("a", "1")]})
    first.close()
    again = open_store(str(tmp_path / "s"))
    assert again.graph_triples(G1) == {triple("a", "1")}
    again.close()


def test_an_in_memory_copy_answers_alike_and_refuses_writes(tmp_path: Path) -> None:
    on_disk = open_store(str(tmp_path / "s"))
    assert isinstance(on_disk, OxigraphStore)
    on_disk.replace_graphs({G1: [triple("a", "1"), triple("b", "2")], G2: [triple("a", "3")]})
    copy = in_memory_copy(on_disk)
    assert copy.graph_triples(G1) == on_disk.graph_triples(G1) and copy.graph_triples(G2) == {triple("a", "3")}
    assert (
        copy.select_rows("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")[1]
        == on_disk.select_rows("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")[1]
    )
    with pytest.raises(StoreError, match="a read-only copy in memory"):
        copy.replace_graphs({G1: []})
    with pytest.raises(StoreError, match="over 2 quads, too many to copy into memory"):
        in_memory_copy(on_disk, limit=2)
    on_disk.close()
