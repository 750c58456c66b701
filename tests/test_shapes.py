"""The SHACL shapes accept the valid fixture and report each invalid fixture's one problem.

Each tests/fixtures/shapes/invalid_*.ttl adds one faulty resource to valid.ttl (so it can point
at the valid actors and sources) and names on its first line the result it must produce:
`# expect: <severity> <focus> | <message>`. pyshacl runs as the loader should run it: the
ontology as ont_graph, no inference, advanced mode (the date-order checks are SHACL-AF targets).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SH

from avcluster.kg.ontology import ontology_graph

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
ID = "https://w3id.org/avcluster/id/"
INVALID = sorted(FIXTURES.glob("invalid_*.ttl"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """avcluster.ttl and concepts.ttl, as the loader reads them (shared: never modify it)."""
    return ontology_graph()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ROOT / "ontology" / "shapes.ttl")


def results(data: Graph, shapes: Graph, ontology: Graph | None = None) -> list[tuple[str, str, str]]:
    """(severity, focus, message) of every result, focus shortened to `id/…`."""
    _, report, _ = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, inplace=ontology is None
    )
    assert isinstance(report, Graph)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).removeprefix(str(SH))
        focus = str(report.value(result, SH.focusNode)).replace(ID, "id/")
        found.append((severity, focus, str(report.value(result, SH.resultMessage))))
    return sorted(found)


@pytest.fixture(scope="module")
def valid_with_ontology(ontology: Graph) -> Graph:
    """valid.ttl with the ontology already in it: each invalid case then validates a copy in
    place, four times faster than letting pyshacl mix the ontology in again."""
    graph = Graph()
    graph += ontology
    return graph.parse(FIXTURES / "valid.ttl")


def test_valid_fixture_conforms(shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(FIXTURES / "valid.ttl")
    assert results(data, shapes, ontology) == []


def test_valid_fixture_is_checked_at_all(shapes: Graph, ontology: Graph) -> None:
    """Guards the test above: the same data without its sources must fail, so targets hit."""
    data = Graph().parse(FIXTURES / "valid.ttl")
    data.remove((None, DCTERMS.source, None))
    assert len(results(data, shapes, ontology)) >= 15


def test_there_are_invalid_fixtures() -> None:
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem.removeprefix("invalid_"))
def test_invalid_fixture_gives_its_one_result(path: Path, shapes: Graph, valid_with_ontology: Graph) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0]
    severity, _, rest = header.removeprefix("# expect: ").partition(" ")
    focus, _, message = rest.partition(" | ")
    data = Graph()
    data += valid_with_ontology
    data.parse(path)
    assert results(data, shapes) == [(severity, focus, message)]


def test_every_shape_speaks_plain_english(shapes: Graph) -> None:
    """A result without sh:message would read as pyshacl's generic constraint text."""
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    targeted = {shape for target in targets for shape in shapes.subjects(target, None)}
    node_level = (SH["or"], SH["class"])
    silent = [
        checked
        for shape in targeted
        for checked in [*shapes.objects(shape, SH.property), shape]
        if (checked, SH.message, None) not in shapes
        and (checked != shape or any((shape, p, None) in shapes for p in node_level))
    ]
    assert silent == []
