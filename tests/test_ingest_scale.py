"""Large files: parsed by the engine into a scratch store, checked there, written by the bulk loader.

The synthetic file of 2,000 actors (about 10 MB, 65,000 triples) takes every fast path: the engine's
own parser (from 8 MiB), SHACL as SPARQL in parallel workers (from 200,000 triples only, so not
here), and the bulk loader (from 20,000 triples). Every refusal must still name file, line and
cause, and leave the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from avcluster.kg.derive import shortcuts
from avcluster.kg.errors import InputError
from avcluster.kg.ingest import CATALOG, ENGINE_PARSE_BYTES, load, load_ontology
from avcluster.kg.namespaces import dataset_graph, inferred_graph
from avcluster.kg.stores import Store, open_store
from avcluster.kg.synth import write

from .conftest import FIXTURES

ACTORS = 2000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "synthetic.nt"
    with path.open("w", encoding="utf-8") as out:
        write(ACTORS, 3, out)
    assert path.stat().st_size >= ENGINE_PARSE_BYTES, "the file must be large enough for the engine's parser"
    return path


@pytest.fixture(params=["memory", "disk"])
def ready(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store = open_store("memory:" if request.param == "memory" else str(tmp_path / "store"))
    load_ontology(store)
    yield store
    store.close()


def graphs(store: Store) -> set[tuple[str, int]]:
    return {(g.iri, g.triples) for g in store.graphs()}


def test_a_large_file_is_stored_exactly_as_the_engine_reads_it(ready: Store, synthetic: Path) -> None:
    expected = ox.Store()
    expected.bulk_load(path=str(synthetic), format=ox.RdfFormat.N_TRIPLES)
    report = load(ready, [synthetic], name="synthetic")
    assert report.loaded == [(dataset_graph("synthetic"), len(expected))]
    assert ready.graph_triples(dataset_graph("synthetic")) == {
        ox.Triple(q.subject, q.predicate, q.object) for q in expected
    }
    implied = shortcuts([ox.Triple(q.subject, q.predicate, q.object) for q in expected])
    assert len(implied) > ACTORS  # avc:funds, avc:trains … between the actors
    assert ready.graph_triples(inferred_graph("synthetic")) == set(implied)
    extent = {t for t in ready.graph_triples(CATALOG + "synthetic") if t.predicate.value.endswith("extent")}
    assert [t.object.value for t in extent] == [str(len(expected))]


def test_a_shape_violation_in_a_large_file_is_refused_with_its_line(
    ready: Store, synthetic: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_bytes(
        synthetic.read_bytes()
        + b'<https://w3id.org/avcluster/id/syn-flow-1> <https://w3id.org/avcluster/ontology#year> "in 2019" .\n'
    )
    before = graphs(ready)
    with pytest.raises(InputError, match=r"syn-flow-1: year \(avc:year\) must be a single xsd:integer") as error:
        load(ready, [bad], name="synthetic")
    assert error.value.line is not None
    assert graphs(ready) == before


def test_a_syntax_error_in_a_large_file_names_its_line(ready: Store, synthetic: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.nt"
    text = synthetic.read_bytes()
    bad.write_bytes(text + b"<https://w3id.org/avcluster/id/x> <broken\n")
    before = graphs(ready)
    with pytest.raises(InputError, match="syntax error") as error:
        load(ready, [bad], name="synthetic")
    assert error.value.line == text.count(b"\n") + 1
    assert graphs(ready) == before


def test_a_problem_with_a_resource_the_file_only_names_is_the_files(ready: Store, tmp_path: Path) -> None:
    """The cited web page has no triples of its own: the file that cites it is what is wrong."""
    load(ready, [FIXTURES / "shapes" / "valid.ttl"])
    citing = tmp_path / "citing.ttl"
    citing.write_text(
        "<https://w3id.org/avcluster/id/test-producer> <http://purl.org/dc/terms/source> "
        "<https://w3id.org/avcluster/id/some-web-page> .\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="some-web-page: is given as a dcterms:source but is no source"):
        load(ready, [citing])


def test_resources_already_in_the_store_lend_their_types_and_are_not_checked_again(
    ready: Store, tmp_path: Path
) -> None:
    load(ready, [FIXTURES / "shapes" / "valid.ttl"])
    tie = tmp_path / "tie.ttl"
    tie.write_text(
        """@prefix avc: <https://w3id.org/avcluster/ontology#> . @prefix id: <https://w3id.org/avcluster/id/> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        id:rel-new a avc:Partnership ; avc:fromActor id:test-producer ; avc:toActor id:test-school ;
            dcterms:source id:source-test-report .
        """,
        encoding="utf-8",
    )
    report = load(ready, [tie])
    assert report.loaded == [(dataset_graph("tie"), 4)]
    assert report.warnings == []


def test_a_shortcut_the_data_states_is_not_derived_again(ready: Store, tmp_path: Path) -> None:
    stated = tmp_path / "stated.ttl"
    stated.write_bytes(
        (FIXTURES / "core" / "small.ttl").read_bytes()
        + b"\n<https://w3id.org/avcluster/id/t-gov> <https://w3id.org/avcluster/ontology#funds> "
        b"<https://w3id.org/avcluster/id/t-prod1> .\n"
    )
    load(ready, [stated])
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(stated))]
    inferred = ready.graph_triples(inferred_graph("stated"))
    assert inferred == set(shortcuts(triples))
    assert not any(
        t.predicate.value.endswith("#funds")
        and t.subject.value.endswith("/t-gov")
        and t.object.value.endswith("/t-prod1")
        for t in inferred
    )
