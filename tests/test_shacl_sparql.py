"""The shapes compiled to SPARQL find exactly what pyshacl finds, and refuse SHACL they do not translate.

pyshacl is the reference: it runs as the shapes file says it should (ontology mixed in, no inference,
advanced mode for the SHACL-AF targets), on every shapes fixture, on the core fixture, on a synthetic
cluster and on a mutated copy of it, and both must give the same (severity, focus, message) set.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from avcluster.kg.namespaces import shorten
from avcluster.kg.ontology import ontology_graph, ontology_triples, shapes_graph
from avcluster.kg.shacl_sparql import ShapeError, compile_shapes, project_checks, run
from avcluster.kg.synth import generate
from avcluster.kg.validation import shape_problems

from .conftest import FIXTURES

SHAPES = FIXTURES / "shapes"
Found = set[tuple[str, str, str]]


def reference(data: Graph) -> Found:
    """pyshacl's results, worded as kg.validation words them (the path added where the message lacks it)."""
    _, report, _ = validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none", advanced=True
    )
    assert isinstance(report, Graph)
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        message = str(report.value(result, SH.resultMessage))
        path = report.value(result, SH.resultPath)
        if isinstance(path, URIRef) and shorten(str(path)) not in message:
            message = f"{message} ({shorten(str(path))})"
        severity = str(report.value(result, SH.resultSeverity)).removeprefix(str(SH))
        found.add((severity, str(report.value(result, SH.focusNode)), message))
    return found


def compiled(triples: Iterable[ox.Triple]) -> Found:
    return {(p.severity, p.focus, p.message) for p in shape_problems(triples)}


def both(nt: bytes) -> tuple[Found, Found]:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
    return reference(Graph().parse(data=nt, format="nt")), compiled(triples)


def as_ntriples(*paths: Path) -> bytes:
    """Blank nodes keep their labels through N-Triples, so both validators see the same focus names."""
    graph = Graph()
    for path in paths:
        graph.parse(path)
    return graph.serialize(format="nt", encoding="utf-8")


@pytest.mark.parametrize("path", sorted(SHAPES.glob("*.ttl")), ids=lambda p: p.stem)
def test_each_shapes_fixture_gives_what_pyshacl_gives(path: Path) -> None:
    files = (path,) if path.stem == "valid" else (SHAPES / "valid.ttl", path)
    expected, found = both(as_ntriples(*files))
    assert found == expected
    assert (len(found) == 1) == path.stem.startswith("invalid_")


def test_the_core_fixture_gives_what_pyshacl_gives() -> None:
    expected, found = both(as_ntriples(FIXTURES / "core" / "small.ttl"))
    assert found == expected == set()


# One fault per resource, each picked by a query over the synthetic graph: (what, SPARQL Update).
MUTATIONS = (
    ("actor without a name", "DELETE { ?a rdfs:label ?l } WHERE { { SELECT ?a WHERE { ?a a avc:ProductionCompany } ORDER BY ?a LIMIT 1 } ?a rdfs:label ?l }"),
    ("actor typed only as an actor", "DELETE { ?a a ?t } INSERT { ?a a avc:Actor } WHERE { { SELECT ?a WHERE { ?a a avc:ServiceProvider } ORDER BY ?a LIMIT 1 } ?a a ?t }"),
    ("actor with no type at all", "DELETE { ?a a ?t } WHERE { { SELECT ?a WHERE { ?a a avc:ServiceProvider } ORDER BY DESC(?a) LIMIT 1 } ?a a ?t }"),
    ("actor dated to the second", "DELETE { ?a dcterms:created ?d } INSERT { ?a dcterms:created \"2001-05-04T10:00:00\"^^xsd:dateTime } WHERE { { SELECT ?a WHERE { ?a a avc:AnimationStudio ; dcterms:created ?x } ORDER BY ?a LIMIT 1 } ?a dcterms:created ?d }"),
    ("actor member of a region", "DELETE { ?a avc:memberOf ?c } INSERT { ?a avc:memberOf ?r } WHERE { { SELECT ?a WHERE { ?a a avc:Broadcaster } ORDER BY ?a LIMIT 1 } ?a avc:memberOf ?c . ?r a avc:Region }"),
    ("relationship without a source", "DELETE { ?r dcterms:source ?s } WHERE { { SELECT ?r WHERE { ?r a avc:Funding } ORDER BY ?r LIMIT 1 } ?r dcterms:source ?s }"),
    ("relationship with two from-actors", "INSERT { ?r avc:fromActor ?b } WHERE { { SELECT ?r ?b WHERE { ?r a avc:Partnership ; avc:toActor ?b } ORDER BY ?r LIMIT 1 } }"),
    ("relationship to a region", "DELETE { ?r avc:toActor ?b } INSERT { ?r avc:toActor ?region } WHERE { { SELECT ?r ?b WHERE { ?r a avc:Training ; avc:toActor ?b } ORDER BY ?r LIMIT 1 } ?region a avc:Region }"),
    ("relationship strength above one", "DELETE { ?r avc:strength ?s } INSERT { ?r avc:strength 1.5 } WHERE { { SELECT ?r ?s WHERE { ?r a avc:ServiceSupply ; avc:strength ?s } ORDER BY ?r LIMIT 1 } }"),
    ("relationship strength as text", "DELETE { ?r avc:strength ?s } INSERT { ?r avc:strength \"0.5\" } WHERE { { SELECT ?r ?s WHERE { ?r a avc:ServiceSupply ; avc:strength ?s } ORDER BY DESC(?r) LIMIT 1 } }"),
    ("relationship with no kind", "DELETE { ?r a ?t } INSERT { ?r a avc:Relationship } WHERE { { SELECT ?r WHERE { ?r a avc:CoProduction } ORDER BY ?r LIMIT 1 } ?r a ?t }"),
    ("relationship ending before it starts", "DELETE { ?r avc:endDate ?e } INSERT { ?r avc:endDate \"1900\"^^xsd:gYear } WHERE { { SELECT ?r WHERE { ?r a ?k ; avc:startDate ?s } ORDER BY ?r LIMIT 1 } OPTIONAL { ?r avc:endDate ?e } }"),
    ("flow year as text", "DELETE { ?f avc:year ?y } INSERT { ?f avc:year \"2019\" } WHERE { { SELECT ?f ?y WHERE { ?f a avc:InformationFlow ; avc:year ?y } ORDER BY ?f LIMIT 1 } }"),
    ("financial flow without currency", "DELETE { ?f avc:currency ?c } WHERE { { SELECT ?f WHERE { ?f a avc:FinancialFlow } ORDER BY ?f LIMIT 1 } ?f avc:currency ?c }"),
    ("assignment with a region as role", "DELETE { ?x avc:role ?r } INSERT { ?x avc:role ?region } WHERE { { SELECT ?x WHERE { ?x a avc:CompetencyAssignment } ORDER BY ?x LIMIT 1 } ?x avc:role ?r . ?region a avc:Region }"),
    ("cluster nowhere", "DELETE { ?c avc:locatedIn ?r } WHERE { ?c a avc:Cluster ; avc:locatedIn ?r }"),
    ("source on http://schema.org", "INSERT { ?s <http://schema.org/url> \"https://example.org\" } WHERE { ?s a avc:Source }"),
    ("cited thing that is not a source", "INSERT { ?m dcterms:source <https://w3id.org/avcluster/id/not-a-source> } WHERE { { SELECT ?m WHERE { ?m a avc:Grant } ORDER BY ?m LIMIT 1 } }"),
    ("source given as text", "INSERT { ?o dcterms:source \"a web page\" } WHERE { { SELECT ?o WHERE { ?o a avc:Observation } ORDER BY ?o LIMIT 1 } }"),
    ("observation with two values", "INSERT { ?o avc:value 7 } WHERE { { SELECT ?o WHERE { ?o a avc:Observation } ORDER BY DESC(?o) LIMIT 1 } }"),
)  # fmt: skip
PREFIXES = {
    "avc": "https://w3id.org/avcluster/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def synthetic(actors: int, seed: int) -> ox.Store:
    store = ox.Store()
    store.load("".join(generate(actors, seed)).encode(), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.slow
def test_a_synthetic_cluster_gives_what_pyshacl_gives() -> None:
    expected, found = both(synthetic(200, 11).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    assert found == expected == set()


@pytest.mark.slow
def test_a_mutated_synthetic_cluster_gives_what_pyshacl_gives() -> None:
    store = synthetic(200, 11)
    for what, update in MUTATIONS:
        before = set(store)
        store.update(update, prefixes=PREFIXES)
        assert set(store) != before, f"the mutation {what!r} changed nothing"
    expected, found = both(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    assert found == expected
    assert len({focus for _, focus, _ in found}) >= len(MUTATIONS), "each mutation is found on its own resource"


def test_ill_formed_literals_do_not_conform_where_pyshacl_does_not_look() -> None:
    """pyshacl checks lexical forms only for the datatypes rdflib parses (not xsd:gYear); the engine checks all it casts."""
    data = (SHAPES / "valid.ttl").read_bytes() + (
        b"\n<https://w3id.org/avcluster/id/test-producer> <http://purl.org/dc/terms/created> "
        b'"about 1990"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n'
    )
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
    assert [p.message for p in shape_problems(triples)] == [
        "founding date (dcterms:created) must be a single xsd:date, xsd:gYearMonth or xsd:gYear"
    ]


def test_the_project_shapes_compile_and_every_check_runs() -> None:
    checks = project_checks()
    assert len(checks) > 50
    assert run(ox.Store(), checks) == []


SHAPE_PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize(
    ("shape", "complaint"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ; sh:message 'm' .", "sh:closed"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ; sh:message 'm' ] .",
            "sh:lessThan",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select 'SELECT $this WHERE {}' ] ; sh:message 'm' .",
            "sh:sparql",
        ),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .", "sh:message"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:D ] [ sh:datatype xsd:string ] ) ; sh:message 'm' ] .",
            "sh:or mixing",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:not [ sh:class ex:D ] ; sh:message 'm' .",
            "sh:not over a class",
        ),
    ],
)
def test_shacl_it_does_not_translate_stops_compilation(shape: str, complaint: str) -> None:
    with pytest.raises(ShapeError, match=complaint):
        compile_shapes(Graph().parse(data=SHAPE_PREFIXES + shape, format="turtle"))


def test_checks_shared_among_forked_workers_find_the_same() -> None:
    store = synthetic(200, 11)
    for _, update in MUTATIONS:
        store.update(update, prefixes=PREFIXES)
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology_triples())
    alone = run(store, project_checks())
    shared = run(store, project_checks(), workers=3)
    assert len(alone) >= len(MUTATIONS)
    assert sorted(shared, key=str) == sorted(alone, key=str)
