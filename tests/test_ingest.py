"""Loading every input format, and refusing every kind of bad input with the store unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from avcluster.kg.errors import InputError
from avcluster.kg.ingest import CATALOG, load, load_ontology
from avcluster.kg.namespaces import AVC, ID, dataset_graph, inferred_graph
from avcluster.kg.stores import Store

from .conftest import FIXTURES

SMALL = FIXTURES / "core" / "small.ttl"


def small_triples() -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(SMALL))]


def canonical(triples: list[ox.Triple]) -> set[ox.Triple]:
    """The triples as a store gives them back (Oxigraph writes numbers in canonical form: 100000.0 -> 100000)."""
    engine = ox.Store()
    engine.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in engine}


def snapshot(store: Store) -> bytes:
    return store.dump("application/n-quads")


@pytest.fixture
def ready(store: Store) -> Store:
    load_ontology(store)
    return store


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [
        (".nt", ox.RdfFormat.N_TRIPLES),
        (".nq", ox.RdfFormat.N_QUADS),
        (".trig", ox.RdfFormat.TRIG),
        (".jsonld", ox.RdfFormat.JSON_LD),
        (".rdf", ox.RdfFormat.RDF_XML),
        (".ttl", ox.RdfFormat.TURTLE),
    ],
)
def test_every_rdf_format_loads_the_same_triples(ready: Store, tmp_path: Path, suffix: str, fmt: ox.RdfFormat) -> None:
    triples = small_triples()
    path = tmp_path / f"small{suffix}"
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        graph = ox.NamedNode("https://example.org/g")
        path.write_bytes(
            ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], format=fmt) or b""
        )
    else:
        path.write_bytes(ox.serialize(triples, format=fmt) or b"")
    report = load(ready, [path])
    assert report.loaded == [(dataset_graph("small"), len(triples))]
    assert ready.graph_triples(dataset_graph("small")) == canonical(triples)


def test_shortcuts_are_derived_into_the_datasets_inferred_graph(ready: Store) -> None:
    load(ready, [SMALL])
    inferred = ready.graph_triples(inferred_graph("small"))
    funds = ox.Triple(ox.NamedNode(ID["t-gov"]), ox.NamedNode(AVC.funds), ox.NamedNode(ID["t-prod1"]))
    leads = ox.Triple(ox.NamedNode(ID["t-fc"]), ox.NamedNode(AVC.responsibleFor), ox.NamedNode(AVC.LocationServices))
    assert funds in inferred and leads in inferred
    assert funds not in ready.graph_triples(dataset_graph("small"))


def test_loading_the_same_file_twice_changes_nothing(ready: Store) -> None:
    load(ready, [SMALL])
    before = {g.iri: ready.graph_triples(g.iri) for g in ready.graphs() if not g.iri.startswith(CATALOG)}
    report = load(ready, [SMALL], skip_unchanged=True)
    assert report.loaded == [] and report.unchanged == [dataset_graph("small")]
    load(ready, [SMALL])  # a forced reload gives the same content
    assert {g.iri: ready.graph_triples(g.iri) for g in ready.graphs() if not g.iri.startswith(CATALOG)} == before


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


BAD_INPUTS = [
    ("empty.ttl", b"", None, "empty"),
    ("blank.nt", b"\n\n  \n", None, "empty"),
    ("truncated.ttl", SMALL.read_bytes()[:900], None, "syntax error"),
    ("malformed.nt", b'<https://e.org/a> <https://e.org/p> "x .\n', 1, "syntax error"),
    ("latin1.ttl", '@prefix e: <https://e.org/> .\ne:a e:p "caf\u00e9" .\n'.encode("latin-1"), 2, "not UTF-8"),
    ("garbage.ttl", bytes(range(256)) * 4, 1, "binary"),
    ("space-iri.nt", b"<https://e.org/a b> <https://e.org/p> <https://e.org/o> .\n", 1, "IRI"),
    (
        "remote.jsonld",
        json.dumps({"@context": "https://schema.org/", "@id": "https://e.org/a", "name": "x"}),
        None,
        "remote JSON-LD @context",
    ),
    (
        "remote-list.jsonld",
        json.dumps({"@context": [{"@vocab": "https://e.org/"}, "https://e.org/ctx"], "@id": "https://e.org/a"}),
        None,
        "remote JSON-LD @context",
    ),
    (
        "import.jsonld",
        json.dumps({"@context": {"@import": "https://e.org/ctx"}, "@id": "https://e.org/a"}),
        None,
        "@import",
    ),
    ("bad.json", b'{"@id": ', 1, "invalid JSON"),
    (
        "xxe.rdf",
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        2,
        "ENTITY",
    ),
    (
        "bomb.rdf",
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<r/>',
        2,
        "ENTITY",
    ),
    (
        "huge-literal.ttl",
        '@prefix e: <https://e.org/> .\ne:a e:p "' + "x" * 200_000 + '" .\n',
        2,
        "literal of 200,000 characters",
    ),
    ("unknown.xyz", b"whatever", None, "unknown file type"),
]


@pytest.mark.parametrize(("name", "content", "line", "cause"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_refused_in_one_line_and_the_store_is_unchanged(
    ready: Store, tmp_path: Path, name: str, content: bytes | str, line: int | None, cause: str
) -> None:
    load(ready, [SMALL])
    before = snapshot(ready)
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as caught:
        load(ready, [path])
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path) + (f":{line}:" if line else ":"))
    assert cause in message
    assert snapshot(ready) == before


def test_a_missing_file_is_named(ready: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load(ready, [tmp_path / "nope.ttl"])


def test_data_that_breaks_the_shapes_is_refused_naming_the_line(ready: Store, tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    broken = text.replace(
        'id:rel-t3 a avc:Training ; avc:fromActor id:t-school ; avc:toActor id:t-prod1 ; avc:startDate "2012"^^xsd:gYear ;\n    avc:endDate "2015"^^xsd:gYear ; avc:strength 0.4 ; dcterms:source id:t-source .',
        'id:rel-t3 a avc:Training ; avc:fromActor id:t-school ; avc:toActor id:t-prod1 ; avc:startDate "2012"^^xsd:gYear ;\n    avc:endDate "2015"^^xsd:gYear ; avc:strength 1.4 .',
    )
    assert broken != text
    path = write(tmp_path, "broken.ttl", broken)
    before = snapshot(ready)
    with pytest.raises(InputError) as caught:
        load(ready, [path])
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if row.startswith("id:rel-t3"))
    assert str(caught.value).startswith(f"{path}:{line}: id:rel-t3")
    assert snapshot(ready) == before


def test_an_unknown_avc_term_is_refused(ready: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "typo.ttl",
        SMALL.read_text(encoding="utf-8").replace("avc:ProductionCompany", "avc:ProduccionCompany", 1),
    )
    with pytest.raises(InputError, match="avc:ProduccionCompany is not a term of the avc ontology"):
        load(ready, [path])


def test_a_load_of_several_files_writes_all_or_nothing(ready: Store, tmp_path: Path) -> None:
    good = write(tmp_path, "good.ttl", SMALL.read_bytes())
    bad = write(tmp_path, "bad.ttl", b"@prefix e: <https://e.org/> .\ne:a e:p ")
    before = snapshot(ready)
    with pytest.raises(InputError, match=r"bad\.ttl"):
        load(ready, [good, bad])
    assert snapshot(ready) == before


def test_relationships_may_point_at_actors_loaded_earlier(ready: Store, tmp_path: Path) -> None:
    lines = SMALL.read_text(encoding="utf-8").split("\n\n")
    actors = "\n\n".join(b for b in lines if "id:rel-t" not in b)
    prefixes = lines[0]
    relationships = prefixes + "\n\n" + "\n\n".join(b for b in lines if "id:rel-t" in b)
    load(ready, [write(tmp_path, "actors.ttl", actors)])
    report = load(ready, [write(tmp_path, "relationships.ttl", relationships)])
    assert report.loaded[0][0] == dataset_graph("relationships")
