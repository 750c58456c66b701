"""avcluster.kg.reason on real engines: HermiT through owlready2 (needs Java) and OWL RL through owlrl.

Each case runs on both engines, and the two must agree: the OWL RL fallback is only useful if it
gives the same answers where both apply.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import ORG

from avcluster.kg.ontology import ontology_graph
from avcluster.kg.reason import Reasoning, reason
from avcluster.kg.synth import generate
from avcluster.kg.vocab import AVC

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/avcluster/id/"
PREFIXES = """
@prefix avc: <https://w3id.org/avcluster/ontology#> .
@prefix id: <https://w3id.org/avcluster/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
JAVA = shutil.which("java")
needs_java = pytest.mark.skipif(JAVA is None, reason="HermiT needs Java, and `java` is not on PATH")
ENGINES = [pytest.param("hermit", marks=needs_java), "owlrl"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """avcluster.ttl and concepts.ttl, as the loader reads them (shared: never modify it)."""
    return ontology_graph()


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def node(slug: str) -> URIRef:
    return URIRef(ID + slug)


@needs_java
def test_ontology_loads_in_owlready2_and_hermit_finds_it_consistent(ontology: Graph) -> None:
    import owlready2

    world = owlready2.World()
    try:
        onto = world.get_ontology("https://w3id.org/avcluster/ontology")
        onto.load(fileobj=io.BytesIO(ontology.serialize(format="nt", encoding="utf-8")), format="ntriples")
        assert world["https://w3id.org/avcluster/ontology#FilmCommission"] is not None
        assert len(list(world.classes())) > 50
    finally:
        world.close()
    outcome = reason(Graph(), ontology, engine="hermit")
    assert outcome.engine == "hermit"
    assert outcome.inconsistencies == []


CLASHES = """
    id:foo a avc:Company , avc:PublicAdministration .
    id:measure a avc:Grant ; avc:issuedBy id:studio . id:studio a avc:AnimationStudio .
    id:a a avc:FilmCommission . id:b a avc:Festival . id:c a avc:Festival .
    id:rel a avc:Partnership ; avc:fromActor id:a , id:b ; avc:toActor id:c .
"""
CONSISTENT = """
    id:a a avc:ProductionCompany ; avc:partnersWith id:b ; avc:memberOf id:cluster .
    id:b a avc:AnimationStudio . id:cluster a avc:Cluster .
    id:rel a avc:Funding ; avc:fromActor id:admin ; avc:toActor id:a ; avc:startDate "2014"^^xsd:gYear .
    id:admin a avc:PublicAdministration .
"""


@pytest.fixture(scope="module", params=ENGINES)
def clashes(request: pytest.FixtureRequest, ontology: Graph) -> Reasoning:
    return reason(turtle(CLASHES), ontology, engine=request.param)


@pytest.fixture(scope="module", params=ENGINES)
def consistent(request: pytest.FixtureRequest, ontology: Graph) -> Reasoning:
    return reason(turtle(CONSISTENT), ontology, engine=request.param)


def test_company_that_is_also_an_administration_is_inconsistent(clashes: Reasoning) -> None:
    assert (
        "id/foo is typed both avc:Company and avc:PublicAdministration, which are disjoint: "
        "no avc:PrivateActor is an avc:PublicActor"
    ) in clashes.inconsistencies
    assert len(clashes.inferred) == 0


def test_clash_through_a_range_names_the_property(clashes: Reasoning) -> None:
    assert (
        "id/studio is typed avc:AnimationStudio and the avc:issuedBy of id/measure (so avc:PublicActor), "
        "which are disjoint: no avc:PrivateActor is an avc:PublicActor"
    ) in clashes.inconsistencies


def test_functional_property_with_two_values_is_reported(clashes: Reasoning) -> None:
    assert (
        "id/rel has 2 values of avc:fromActor (id/a, id/b), but avc:fromActor is functional: it takes one value"
    ) in clashes.inconsistencies
    assert len(clashes.inconsistencies) == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_is_inferred_from_data_with_problems(engine: str, ontology: Graph) -> None:
    """OWL would merge the two from-actors (owl:sameAs) and copy their facts: not worth storing."""
    data = turtle("""
        id:a a avc:FilmCommission . id:b a avc:Festival . id:c a avc:Festival .
        id:rel a avc:Partnership ; avc:fromActor id:a , id:b ; avc:toActor id:c .
    """)
    outcome = reason(data, ontology, engine=engine)
    assert len(outcome.inconsistencies) == 1
    assert len(outcome.inferred) == 0


def test_symmetric_sub_and_super_property_values_are_inferred(consistent: Reasoning) -> None:
    assert consistent.inconsistencies == []
    inferred = consistent.inferred
    assert (node("b"), AVC.partnersWith, node("a")) in inferred
    assert (node("a"), AVC.relatedTo, node("b")) in inferred
    assert (node("b"), AVC.relatedTo, node("a")) in inferred
    assert (node("a"), ORG.memberOf, node("cluster")) in inferred


def test_subclass_typing_is_inferred_and_only_new_triples_are_kept(consistent: Reasoning) -> None:
    inferred = consistent.inferred
    for cls in (AVC.Company, AVC.PrivateActor, AVC.Actor, ORG.Organization):
        assert (node("a"), RDF.type, cls) in inferred
    assert (node("admin"), RDF.type, AVC.PublicActor) in inferred
    assert (node("rel"), RDF.type, AVC.Relationship) in inferred
    assert not set(inferred) & set(turtle(CONSISTENT))
    assert all(not isinstance(term, BNode) for triple in inferred for term in triple)
    assert (None, RDF.type, OWL.Thing) not in inferred
    assert (None, OWL.sameAs, None) not in inferred
    assert (None, RDF.type, OWL.Class) not in inferred


@pytest.mark.parametrize("engine", ENGINES)
def test_valid_shapes_fixture_is_consistent(engine: str, ontology: Graph) -> None:
    data = Graph().parse(ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl")
    outcome = reason(data, ontology, engine=engine)
    assert outcome.inconsistencies == []
    assert (node("test-school"), RDF.type, AVC.Actor) in outcome.inferred


@needs_java
def test_owl_rl_fallback_gives_the_same_answers(ontology: Graph) -> None:
    data = Graph().parse(ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl")
    data.parse(data="".join(generate(12, 3)), format="nt")
    hermit, owlrl = (reason(data, ontology, engine=engine) for engine in ("hermit", "owlrl"))
    assert set(hermit.inferred) == set(owlrl.inferred)
    assert hermit.inconsistencies == owlrl.inconsistencies == []
    assert len(hermit.inferred) > 200

    data.add((node("test-school"), RDF.type, AVC.Cluster))
    hermit, owlrl = (reason(data, ontology, engine=engine) for engine in ("hermit", "owlrl"))
    assert hermit.inconsistencies == owlrl.inconsistencies != []


def test_without_java_auto_says_so_and_uses_owl_rl(ontology: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    outcome = reason(turtle("id:a a avc:Broadcaster ."), ontology)
    assert outcome.engine == "owlrl"
    assert outcome.notice is not None and "\n" not in outcome.notice and "Java" in outcome.notice
    assert (node("a"), RDF.type, AVC.Company) in outcome.inferred
    with pytest.raises(RuntimeError, match="Java"):
        reason(Graph(), ontology, engine="hermit")


def test_unknown_engine_is_refused(ontology: Graph) -> None:
    with pytest.raises(ValueError, match="pellet"):
        reason(Graph(), ontology, engine="pellet")  # type: ignore[arg-type]


@needs_java
def test_hermit_leaves_no_temporary_files(ontology: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """owlready2 keeps HermiT's input file when HermiT fails; the inconsistent run proves it goes."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    reason(turtle("id:foo a avc:Company , avc:PublicAdministration ."), ontology, engine="hermit")
    reason(turtle("id:foo a avc:Company ."), ontology, engine="hermit")
    assert list(tmp_path.iterdir()) == []


@needs_java
def test_hermit_time_on_the_ontology_and_about_200_individuals(ontology: Graph) -> None:
    """Measured here (2 cores, busy): 1.1-2 s for ~200 individuals, JVM start included, and 5-7 s
    for ~5,000 (1,000 synthetic actors, 33k triples). The bound only catches a pathology."""
    data = Graph().parse(data="".join(generate(35, 11)), format="nt")
    individuals = {s for s in data.subjects() if isinstance(s, URIRef)}
    assert 150 <= len(individuals) <= 300
    started = time.perf_counter()
    outcome: Reasoning = reason(data, ontology, engine="hermit")
    elapsed = time.perf_counter() - started
    print(f"HermiT: {len(individuals)} individuals, {len(data)} triples, {elapsed:.2f} s")
    assert outcome.inconsistencies == []
    assert elapsed < 20
    assert isinstance(outcome.seconds, float) and 0 < outcome.seconds <= elapsed
    assert all(isinstance(o, URIRef | Literal) for o in outcome.inferred.objects())
