"""The comparison-region datasets (data/regions/*.ttl), checked over every file, never a sample.

Each file is loaded as its own named graph, so each must stand alone: its facts cite sources that
the same file describes, and it passes the ontology and the shapes by itself. A source that
another bundled dataset also describes must be described identically, or the union would mix
two versions of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from avcluster.kg.ingest import bundled_files, load, load_ontology
from avcluster.kg.namespaces import AVC, DATA_DIR, ID, SCHEMA
from avcluster.kg.ontology import ontology_graph
from avcluster.kg.parsing import read_triples
from avcluster.kg.questions import question
from avcluster.kg.results import solutions, text
from avcluster.kg.stores import Store, open_store
from avcluster.kg.validation import shape_problems, unknown_terms

REGION_FILES = sorted((DATA_DIR / "regions").glob("*.ttl"))
REQUIRED_REGIONS = (
    "basque-country",
    "galicia",
    "catalonia",
    "canary-islands",
    "west-sweden",
    "yorkshire",
    "berlin-brandenburg",
    "kaliningrad",
    "st-petersburg",
    "sverdlovsk",
)


def subclasses(root: URIRef) -> set[URIRef]:
    """The class and every class below it in the ontology."""
    found = set(ontology_graph().transitive_subjects(RDFS.subClassOf, root))
    return {c for c in found if isinstance(c, URIRef)}


ACTOR_CLASSES = subclasses(AVC.Actor)
# What the data contract calls fact-bearing: each of these must cite a source.
FACT_CLASSES = ACTOR_CLASSES | {AVC.Cluster, AVC.CompetencyAssignment, AVC.Observation}
FACT_CLASSES |= subclasses(AVC.Relationship) | subclasses(AVC.Flow) | subclasses(AVC.PolicyMeasure)


def parsed(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def file_id(path: Path) -> str:
    return path.stem


def fact_bearing(graph: Graph) -> set[URIRef]:
    return {s for s, t in graph.subject_objects(RDF.type) if t in FACT_CLASSES and isinstance(s, URIRef)}


def test_there_is_one_file_per_required_region() -> None:
    assert {p.stem for p in REGION_FILES} >= set(REQUIRED_REGIONS)


@pytest.mark.parametrize("slug", REQUIRED_REGIONS)
def test_each_required_region_has_labels_and_a_body_located_in_it(slug: str) -> None:
    graph = parsed(DATA_DIR / "regions" / f"{slug}.ttl")
    region = ID[slug]
    assert (region, RDF.type, AVC.Region) in graph
    assert {lbl.language for lbl in graph.objects(region, RDFS.label) if isinstance(lbl, Literal)} >= {"en"}
    bodies = [a for a in graph.subjects(AVC.locatedIn, region) if set(graph.objects(a, RDF.type)) & ACTOR_CLASSES]
    assert bodies, f"no actor is located in {slug}"


@pytest.mark.parametrize("path", REGION_FILES, ids=file_id)
def test_every_fact_cites_a_source_with_title_and_web_address_in_the_same_file(path: Path) -> None:
    graph = parsed(path)
    facts = fact_bearing(graph)
    assert facts
    for fact in facts:
        sources = list(graph.objects(fact, DCTERMS.source))
        assert sources, f"{fact} has no dcterms:source"
        for source in sources:
            assert (source, RDF.type, AVC.Source) in graph, (
                f"{source} (cited by {fact}) is not described in {path.name}"
            )
            assert graph.value(source, DCTERMS.title), f"{source} has no title"
            url = graph.value(source, SCHEMA.url)
            assert isinstance(url, Literal) and url.datatype == XSD.anyURI, f"{source} has no xsd:anyURI schema:url"
            assert str(url).startswith(("http://", "https://")), f"{source} has a non-web address {url}"


@pytest.mark.parametrize("path", REGION_FILES, ids=file_id)
def test_every_source_is_cited_and_carries_a_supporting_quote(path: Path) -> None:
    graph = parsed(path)
    cited = set(graph.objects(None, DCTERMS.source))
    for source in graph.subjects(RDF.type, AVC.Source):
        assert source in cited, f"{source} is described but cited by nothing in {path.name}"
        assert list(graph.objects(source, RDFS.comment)), f"{source} has no supporting quote"


def other_datasets() -> dict[Path, Graph]:
    return {p: parsed(p) for p in bundled_files() if p.suffix == ".ttl" and p.parent.name != "regions"}


def test_a_source_shared_with_another_dataset_is_described_identically() -> None:
    others = other_datasets()
    for path in REGION_FILES:
        graph = parsed(path)
        for source in graph.subjects(RDF.type, AVC.Source):
            mine = set(graph.predicate_objects(source))
            for other, theirs_graph in others.items():
                theirs = set(theirs_graph.predicate_objects(source))
                assert not theirs or theirs == mine, f"{source} differs between {path.name} and {other}"


def test_a_resource_of_another_dataset_is_restated_only_with_its_own_triples() -> None:
    """A region file may restate another dataset's resource (REDCAU) so that it stands alone, never add to it."""
    others = other_datasets()
    for path in REGION_FILES:
        graph = parsed(path)
        for subject in set(graph.subjects()) - set(graph.subjects(RDF.type, AVC.Source)):
            mine = set(graph.predicate_objects(subject))
            for other, theirs_graph in others.items():
                theirs = set(theirs_graph.predicate_objects(subject))
                assert not theirs or mine <= theirs, f"{subject}: {path.name} states more than {other}"


@pytest.mark.parametrize("path", REGION_FILES, ids=file_id)
def test_each_file_passes_the_ontology_and_the_shapes_on_its_own(path: Path) -> None:
    triples = read_triples(path)
    problems = unknown_terms(triples) + shape_problems(triples)
    violations = [p.describe() for p in problems if p.severity == "Violation"]
    assert not violations, "\n".join(violations)


def test_a_stated_life_cycle_stage_is_explained_where_it_is_an_inference() -> None:
    """The reference only suggests stages: every stated one says in words where it comes from."""
    stated = 0
    for path in REGION_FILES:
        graph = parsed(path)
        for cluster in graph.subjects(RDF.type, AVC.Cluster):
            if graph.value(cluster, AVC.lifeCycleStage) is not None:
                stated += 1
                assert "stage" in str(graph.value(cluster, RDFS.comment)).lower(), (
                    f"{cluster} states a stage unexplained"
                )
    assert stated >= 2


# --- the headline facts, asked as an analyst asks them: through the canned questions ------------


@pytest.fixture(scope="module")
def regions_store() -> Iterator[Store]:
    store = open_store("memory:")
    load_ontology(store)
    load(store, REGION_FILES)
    yield store
    store.close()


def ask(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    names, rows = solutions(question(name).run(store, params))
    return [{n: text(c) for n, c in zip(names, row, strict=True) if c is not None} for row in rows]


def test_galician_cluster_members_with_their_types_and_founding_date(regions_store: Store) -> None:
    rows = {r["actor"]: r for r in ask(regions_store, "members-by-type", cluster="galician-audiovisual-cluster")}
    assert rows["id:cluster-audiovisual-galego"]["created"] == "2003-02-17"
    assert rows["id:crtvg"]["type"] == "avc:PublicBroadcaster"
    assert rows["id:crtvg"]["sector"] == "public"
    assert set(rows) == {"id:cluster-audiovisual-galego", "id:crtvg", "id:bambu-producciones", "id:r-cable"}


def test_kaliningrad_rebate_rates_keep_both_claims_with_their_dates(regions_store: Store) -> None:
    rows = ask(regions_store, "policy-measures", region="kaliningrad")
    found = {(r["measure"], float(r["rate"]), r.get("start"), r.get("issuer")) for r in rows}
    assert found == {
        ("id:kaliningrad-film-rebate-2016", 0.2, "2016", None),
        ("id:kaliningrad-film-rebate-2025-feature-films", 0.4, None, None),
        ("id:kaliningrad-film-rebate-2025-music-videos", 0.2, None, None),
    }


def test_who_leads_production_financing_in_the_comparison_regions_and_since_when(regions_store: Store) -> None:
    rows = ask(regions_store, "competency-leads", competency="avc:ProductionFinancing")
    leads = {r["actor"]: r.get("start") for r in rows if r["role"] == "avc:LeadRole"}
    assert leads == {
        "id:film-i-vast": "1992",
        "id:screen-yorkshire": "2003",
        "id:medienboard-berlin-brandenburg": "2004-01-01",
    }


def test_catalan_sector_figures_come_under_the_success_factors_with_year_and_source(regions_store: Store) -> None:
    rows = ask(regions_store, "success-factors", region="catalonia")
    employment = [r for r in rows if r["indicator"] == "avc:SectorEmployment"]
    assert {r["factor"] for r in employment} == {"avc:CreativeIndustrySize", "avc:HumanCapital"}
    assert {(float(r["value"]), r["year"]) for r in employment} == {(10200.0, "2010")}
    assert all(r["sourceTitle"] for r in employment)


def test_sources_behind_eiken_lead_to_the_interview_that_dates_it(regions_store: Store) -> None:
    rows = ask(regions_store, "sources-of", entity="eiken")
    urls = {r["url"] for r in rows}
    assert any("euskonews.eus/zbk/469" in u for u in urls)
    assert any(r.get("date") == "2009-01-16" for r in rows)
