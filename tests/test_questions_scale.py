"""A wide guard against slow query plans: every canned question on 10,000 synthetic actors under 2 s.

Speed targets live in bench/; this guard exists because a negation written the wrong way took 17 s
instead of 0.03 s in Oxigraph (oxigraph#885), and such a regression must fail loudly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import SYNTHETIC_GRAPH
from avcluster.kg.questions import questions
from avcluster.kg.results import solutions
from avcluster.kg.stores import Store, open_store
from avcluster.kg.synth import generate

pytestmark = pytest.mark.slow
BUDGET_SECONDS = 2.0


@pytest.fixture(scope="module")
def synthetic() -> Iterator[Store]:
    store = open_store("memory:")
    load_ontology(store)
    text = "".join(generate(10_000, seed=7)).encode()
    store.replace_graphs(
        {
            str(SYNTHETIC_GRAPH): [
                ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
            ]
        }
    )
    yield store


@pytest.mark.parametrize("name", sorted(questions()))
def test_every_canned_question_stays_fast_on_ten_thousand_actors(synthetic: Store, name: str) -> None:
    started = time.perf_counter()
    answer = questions()[name].run(synthetic, timeout=10 * BUDGET_SECONDS)
    elapsed = time.perf_counter() - started
    assert answer.body
    assert elapsed < BUDGET_SECONDS, f"{name} took {elapsed:.2f} s on 10,000 actors"


# The listing questions take an optional cluster: at a million actors their unfiltered answers run to
# hundreds of thousands of rows. Given one, a question keeps exactly the rows with a member of it on
# either side; left open, it answers as it always did.
BY_CLUSTER: dict[str, tuple[str, ...]] = {
    "dialogue": ("actor", "partner"),
    "training": ("trainer", "trainee"),
    "funding": ("funder", "recipient"),
    "competency-leads": ("actor",),
}


def members(store: Store, cluster: str) -> set[str]:
    _, rows = store.select_rows(f"SELECT ?a WHERE {{ ?a avc:memberOf <{cluster}> }}")
    return {str(a.value) for (a,) in rows if a is not None}


def answer(store: Store, name: str, **values: str) -> tuple[list[str], list[tuple[str | None, ...]]]:
    names, rows = solutions(questions()[name].run(store, values))
    return names, [tuple(None if c is None else str(c.value) for c in row) for row in rows]


@pytest.mark.parametrize("name", sorted(n for n, q in questions().items() if "cluster" in q.narrowed))
def test_a_narrowed_shape_stays_fast_on_ten_thousand_actors(synthetic: Store, name: str) -> None:
    _, rows = synthetic.select_rows("SELECT ?c WHERE { ?c a avc:Cluster } ORDER BY ?c LIMIT 1")
    assert rows and rows[0][0] is not None
    started = time.perf_counter()
    questions()[name].run(synthetic, {"cluster": rows[0][0].value}, timeout=10 * BUDGET_SECONDS)
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{name} for one cluster took {elapsed:.2f} s on 10,000 actors"


def assert_narrowed_to_members(store: Store, name: str, clusters: list[str]) -> int:
    """Given each cluster, the question's answer is the open answer's rows with a member on a side.

    Returns how many rows the clusters' answers hold together, so a caller can check it saw some.
    """
    names, everything = answer(store, name)
    sides = [names.index(side) for side in BY_CLUSTER[name]]
    seen = 0
    for cluster in clusters:
        inside = members(store, cluster)
        expected = [row for row in everything if any(row[i] in inside for i in sides)]
        assert sorted(answer(store, name, cluster=cluster)[1], key=str) == sorted(expected, key=str), cluster
        assert len(expected) < len(everything)
        seen += len(expected)
    return seen


@pytest.mark.parametrize("name", sorted(BY_CLUSTER))
def test_a_listing_question_given_a_cluster_keeps_the_rows_of_its_members(synthetic: Store, name: str) -> None:
    _, clusters = synthetic.select_rows("SELECT DISTINCT ?c WHERE { ?c a avc:Cluster } ORDER BY ?c LIMIT 3")
    assert len(clusters) >= 2, "the synthetic data must hold several clusters for this to tell anything"
    for (cluster,) in clusters:
        assert cluster is not None
        assert assert_narrowed_to_members(synthetic, name, [cluster.value]) > 0


# The bundled data has what the synthetic data lacks: training programmes that name no trainee.
@pytest.mark.parametrize("name", sorted(BY_CLUSTER))
def test_the_bundled_clusters_narrow_the_same_way(bundled: Store, name: str) -> None:
    _, rows = bundled.select_rows("SELECT DISTINCT ?c WHERE { ?c a avc:Cluster } ORDER BY ?c")
    clusters = [cluster.value for (cluster,) in rows if cluster is not None]
    assert len(clusters) > 5
    assert assert_narrowed_to_members(bundled, name, clusters) > 0


NARROWED = sorted((n, param) for n, q in questions().items() for param in q.narrowed)


def same_as_open_text(store: Store, name: str, param: str, value: str) -> int:
    """The narrowed shape's rows are the open text's given the same value; returns how many."""
    question = questions()[name]
    bindings = question.bindings({param: value})
    narrowed = solutions(store.query(question.narrowed[param], bindings=bindings))
    filtered = solutions(store.query(question.sparql, bindings=bindings))
    assert narrowed[0] == filtered[0]
    assert sorted(narrowed[1], key=str) == sorted(filtered[1], key=str), (name, value)
    return len(narrowed[1])


@pytest.mark.parametrize(("name", "param"), NARROWED)
def test_a_narrowed_shape_answers_as_its_open_text(synthetic: Store, bundled: Store, name: str, param: str) -> None:
    assert param == "cluster", "pick values for a new parameter here"
    seen = 0
    for store in (synthetic, bundled):
        _, rows = store.select_rows("SELECT ?c WHERE { ?c a avc:Cluster } ORDER BY ?c")
        seen += sum(same_as_open_text(store, name, param, c.value) for (c,) in rows if c is not None)
    assert seen > 0
