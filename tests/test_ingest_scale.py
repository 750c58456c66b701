"""Large files: parsed by the engine into a scratch store, checked there, written by the bulk loader.

The synthetic file of 2,000 actors (about 10 MB, 65,000 triples) takes every fast path: the engine's
own parser (from 8 MiB), SHACL as SPARQL in parallel workers (from 200,000 triples only, so not
here), and the bulk loader (from 20,000 triples). Every refusal must still name file, line and
cause, and leave the store as it was.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from avcluster.kg.derive import shortcuts
from avcluster.kg.errors import InputError, StoreError
from avcluster.kg.ingest import CATALOG, ENGINE_PARSE_BYTES, load, load_ontology
from avcluster.kg.namespaces import ONTOLOGY_GRAPH, dataset_graph, inferred_graph
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


# A large load on disk goes into a copy of the store that takes its place in one step (kg.stores.staging).


@pytest.fixture
def on_disk(tmp_path: Path) -> Iterator[Store]:
    store = open_store(str(tmp_path / "store"))
    load_ontology(store)
    yield store
    store.close()


def as_stored(path: Path) -> set[ox.Triple]:
    """A file's triples as the engine stores them (numbers in canonical form)."""
    engine = ox.Store()
    engine.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in engine}


def copies(store: Store) -> list[Path]:
    path = Path(store.location)
    return sorted(path.parent.glob(f".{path.name}.load-*"))


def test_a_large_graph_is_replaced_whole_and_no_copy_is_left(on_disk: Store, synthetic: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.nt"
    with other.open("w", encoding="utf-8") as out:
        write(ACTORS, 4, out)
    load(on_disk, [synthetic], name="synthetic", alone=True)
    ontology = on_disk.graph_triples(str(ONTOLOGY_GRAPH))  # its blank nodes too must come through as they were
    assert any(isinstance(t.object, ox.BlankNode) for t in ontology)
    report = load(on_disk, [other], name="synthetic", alone=True)
    assert on_disk.graph_triples(str(ONTOLOGY_GRAPH)) == ontology
    expected = as_stored(other)
    assert report.loaded == [(dataset_graph("synthetic"), len(expected))]
    assert on_disk.graph_triples(dataset_graph("synthetic")) == expected
    assert on_disk.graph_triples(inferred_graph("synthetic")) == set(shortcuts(list(expected)))
    assert copies(on_disk) == []


def test_a_switch_waits_for_readers_and_refuses_in_one_line_when_they_stay(
    on_disk: Store, synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avcluster.kg.stores import staging

    monkeypatch.setattr(staging, "SWITCH_WAIT", 0.3)
    before = graphs(on_disk)
    reader = open_store(on_disk.location, read_only=True)
    try:
        with pytest.raises(StoreError, match=r"open read-only .* nothing was written") as error:
            load(on_disk, [synthetic], name="synthetic", alone=True)
        assert "\n" not in str(error.value)
        assert graphs(reader) == before
    finally:
        reader.close()
    assert graphs(on_disk) == before
    assert copies(on_disk) == []
    # with the reader gone, the same load goes through
    report = load(on_disk, [synthetic], name="synthetic", alone=True)
    assert report.loaded[0] in graphs(on_disk)


def test_where_folders_cannot_be_swapped_a_large_load_is_one_transaction(
    on_disk: Store, synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avcluster.kg.stores import oxigraph

    monkeypatch.setattr(oxigraph, "can_exchange", lambda folder: False)
    load(on_disk, [synthetic], name="synthetic", alone=True)
    assert on_disk.graph_triples(dataset_graph("synthetic")) == as_stored(synthetic)
    assert copies(on_disk) == []


def test_a_copy_left_by_a_killed_load_is_removed_by_the_next(on_disk: Store, synthetic: Path) -> None:
    path = Path(on_disk.location)
    ended = subprocess.Popen(["true"])  # a process id that no longer runs
    ended.wait()
    leftover = path.with_name(f".{path.name}.load-{ended.pid}-0")
    leftover.mkdir()
    (leftover / "000001.sst").write_bytes(b"half a table")
    load(on_disk, [synthetic], name="synthetic", alone=True)
    assert not leftover.exists()


def test_blank_nodes_of_a_large_file_stay_one_node_across_its_graphs(
    on_disk: Store, synthetic: Path, tmp_path: Path
) -> None:
    """The file loads into the copy while it is checked; what is derived from it comes later, from the
    scratch store, where the engine named its blank nodes apart: such a load is written from one document."""
    blank = tmp_path / "blank.nt"
    avc, idp = "https://w3id.org/avcluster/ontology#", "https://w3id.org/avcluster/id/"
    dct, rdf = "http://purl.org/dc/terms/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    extra = f"""_:centre <{rdf}type> <{avc}EducationCentre> .
_:centre <http://www.w3.org/2000/01/rdf-schema#label> "A centre with no IRI" .
_:centre <{dct}created> "2010"^^<http://www.w3.org/2001/XMLSchema#gYear> .
_:centre <{avc}locatedIn> <{idp}syn-region-1> .
_:centre <{avc}memberOf> <{idp}syn-cluster-1> .
_:centre <{dct}source> <{idp}source-synthetic> .
<{idp}rel-blank> <{rdf}type> <{avc}Partnership> .
<{idp}rel-blank> <{avc}fromActor> _:centre .
<{idp}rel-blank> <{avc}toActor> <{idp}syn-region-1-missing> .
<{idp}rel-blank> <{dct}source> <{idp}source-synthetic> .
"""
    first_actor = next(
        line.split(" ")[0]
        for line in synthetic.read_text(encoding="utf-8").splitlines()
        if f"<{rdf}type> <{avc}EducationCentre>" in line
    )
    blank.write_bytes(synthetic.read_bytes() + extra.replace(f"<{idp}syn-region-1-missing>", first_actor).encode())
    load(on_disk, [blank], name="blank", alone=True)
    shared = on_disk.query(
        f"ASK {{ GRAPH <{inferred_graph('blank')}> {{ ?b <{avc}partnersWith> ?x }} "
        f"GRAPH <{dataset_graph('blank')}> {{ ?b a <{avc}EducationCentre> }} FILTER(isBlank(?b)) }}"
    )
    assert b"true" in shared.body


def test_a_load_too_large_for_memory_is_checked_in_a_scratch_store_on_disk_that_goes_with_it(
    ready: Store, synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from avcluster.kg import ingest

    monkeypatch.setattr(ingest, "SCRATCH_ON_DISK_BYTES", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: list[list[int]] = []  # at each step of a load: the files in each scratch folder

    def scratch_folders(message: str) -> None:
        seen.append([len(list(folder.iterdir())) for folder in tmp_path.glob("avcluster-load-*")])

    bad = tmp_path / "bad.nt"
    bad.write_bytes(
        synthetic.read_bytes()
        + b'<https://w3id.org/avcluster/id/syn-flow-1> <https://w3id.org/avcluster/ontology#year> "in 2019" .\n'
    )
    before = graphs(ready)
    with pytest.raises(InputError, match=r"syn-flow-1: year \(avc:year\) must be a single xsd:integer"):
        load(ready, [bad], name="synthetic", progress=scratch_folders)
    assert graphs(ready) == before
    assert list(tmp_path.glob("avcluster-load-*")) == []

    seen.clear()
    load(ready, [synthetic], name="synthetic", progress=scratch_folders)
    assert any(len(folders) == 1 and folders[0] > 0 for folders in seen), "no scratch store on disk"
    assert list(tmp_path.glob("avcluster-load-*")) == []
    expected = ox.Store()
    expected.bulk_load(path=str(synthetic), format=ox.RdfFormat.N_TRIPLES)
    assert ready.graph_triples(dataset_graph("synthetic")) == {
        ox.Triple(q.subject, q.predicate, q.object) for q in expected
    }


@pytest.mark.parametrize("large", [True, False], ids=["large-by-a-copy", "small-in-a-transaction"])
def test_a_file_edited_during_its_load_is_refused_and_nothing_is_written(
    on_disk: Store, synthetic: Path, tmp_path: Path, large: bool
) -> None:
    """The file is read again after it is hashed (never held in memory whole): what was checked must be
    what is written, so an edit in between refuses the load."""
    original = synthetic if large else FIXTURES / "shapes" / "valid.ttl"
    edited = tmp_path / ("edited" + original.suffix)
    edited.write_bytes(original.read_bytes())
    before = graphs(on_disk)

    def edit(message: str) -> None:
        if message.startswith("reading"):
            with edited.open("a", encoding="utf-8") as out:
                out.write("# edited meanwhile\n")

    with pytest.raises(
        InputError, match=r"edited\.(nt|ttl): the file changed while it was being loaded; nothing was written"
    ):
        load(on_disk, [edited], name="edited", alone=True, progress=edit)
    assert graphs(on_disk) == before
    # left alone, the edited file loads
    report = load(on_disk, [edited], name="edited", alone=True)
    assert report.loaded[0] in graphs(on_disk)
