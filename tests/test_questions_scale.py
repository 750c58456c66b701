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
