"""The rdflib face of the store and answers as DataFrames: what a notebook user gets, on the same
data avcluster's own queries read (embedded Oxigraph through oxrdflib, a real Virtuoso through
rdflib's SPARQLStore)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset

from avcluster.kg.notebook import dataset, frame
from avcluster.kg.stores import Store, open_store

from .test_analysis import fixture_graphs

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ACTORS = "SELECT ?actor ?label WHERE { ?actor avc:memberOf ?cluster ; rdfs:label ?label } ORDER BY ?actor ?label"


@pytest.fixture
def loaded(store: Store) -> Store:
    store.replace_graphs(fixture_graphs("structure", "competencies"))
    return store


def test_the_dataset_sees_the_union_of_the_named_graphs(loaded: Store) -> None:
    data = dataset(loaded)
    assert isinstance(data, Dataset)
    ours = int(frame(loaded, COUNT)["n"][0])
    theirs = int(next(iter(data.query(COUNT)))[0])  # type: ignore[index]
    assert ours == theirs > 100


def test_prefixes_are_bound_and_rdflib_answers_like_the_store(loaded: Store) -> None:
    data = dataset(loaded)
    by_store = frame(loaded, ACTORS)
    by_rdflib = frame(data, ACTORS)
    assert list(by_store.columns) == list(by_rdflib.columns) == ["actor", "label"]
    assert len(by_store) > 5
    assert by_store.values.tolist() == by_rdflib.values.tolist()
    assert by_store["actor"].str.startswith("id:").all()


def test_a_setting_opens_the_embedded_store(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    store.replace_graphs(fixture_graphs("structure"))
    expected = int(frame(store, COUNT)["n"][0])
    store.close()
    data = dataset(str(tmp_path / "store"))
    assert int(next(iter(data.query(COUNT)))[0]) == expected  # type: ignore[index]
