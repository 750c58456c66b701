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

from avcluster.kg.analysis.competencies import read_assignments
from avcluster.kg.analysis.projection import read_network
from avcluster.kg.figures import figures
from avcluster.kg.ingest import bundled_files, load, load_ontology
from avcluster.kg.namespaces import AVC, DATA_DIR, ID, SCHEMA
from avcluster.kg.ontology import ontology_graph
from avcluster.kg.parsing import read_triples
from avcluster.kg.questions import question
from avcluster.kg.results import solutions, text
from avcluster.kg.stores import Store, open_store
from avcluster.kg.validation import shape_problems, unknown_terms

from .test_ontology import COMPETENCIES

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
    "moscow",
    "tatarstan",
    "murmansk",
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
        quotes = list(graph.objects(source, AVC.quote)) or list(graph.objects(source, RDFS.comment))
        assert quotes, f"{source} has no supporting quote"
        for quote in graph.objects(source, AVC.quote):
            assert len(str(quote).split()) <= 30, f"{source}: a quote over 30 words"


# What identifies a source or says what a resource is: two datasets that both state it must agree.
# Each may add its own quotes, sources and notes (a source read for two regions supports facts of both).
IDENTITY = (RDF.type, DCTERMS.title, SCHEMA.url, DCTERMS.date, RDFS.label)


def test_a_resource_shared_with_another_dataset_is_the_same_resource_on_both_sides() -> None:
    datasets = {p: parsed(p) for p in bundled_files() if p.suffix == ".ttl"}
    for path in REGION_FILES:
        graph = datasets[path]
        for subject in set(graph.subjects()):
            for other, theirs_graph in datasets.items():
                if other == path:
                    continue
                for predicate in IDENTITY:
                    mine, theirs = set(graph.objects(subject, predicate)), set(theirs_graph.objects(subject, predicate))
                    assert not mine or not theirs or mine <= theirs or theirs <= mine, (
                        f"{subject}: {predicate} differs between {path.name} and {other.name}"
                    )


def test_ten_regions_with_fifteen_actors_and_twenty_dated_ties_each(regions_store: Store) -> None:
    deep = [
        region
        for region in (p.stem for p in REGION_FILES)
        if (found := figures(regions_store, f"regions/{region}")).actors >= 15 and found.dated_ties >= 20
    ]
    assert len(deep) >= 10, deep
    assert {"kaliningrad", "st-petersburg", "sverdlovsk", "tatarstan", "murmansk"} <= set(deep)


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
    assert {"id:cluster-audiovisual-galego", "id:crtvg", "id:bambu-producciones", "id:r-cable"} <= set(rows)
    assert len(rows) >= 15


def test_kaliningrad_rebate_rates_and_budgets_year_by_year_keep_every_claim(regions_store: Store) -> None:
    rows = ask(regions_store, "policy-measures", region="kaliningrad")
    rates = {(r["measure"], float(r["rate"]), r.get("start")) for r in rows if "rate" in r}
    assert {
        ("id:kaliningrad-film-rebate-2016", 0.2, "2016"),
        ("id:kaliningrad-film-rebate-2017-announced", 0.15, "2017"),
        ("id:kaliningrad-film-rebate-2025-feature-films", 0.4, None),
        ("id:kaliningrad-film-rebate-2025-music-videos", 0.2, None),
    } <= rates
    budgets = {r["start"][:4]: float(r["amount"]) for r in rows if "amount" in r and r.get("currency") == "RUB"}
    assert {"2018": 40e6, "2024": 50e6, "2025": 28e6}.items() <= budgets.items()


def test_who_leads_production_financing_in_the_comparison_regions_and_since_when(regions_store: Store) -> None:
    rows = ask(regions_store, "competency-leads", competency="avc:ProductionFinancing")
    leads = {r["actor"]: r.get("start") for r in rows if r["role"] == "avc:LeadRole"}
    assert {
        "id:film-i-vast": "1992",
        "id:screen-yorkshire": "2003",
        "id:medienboard-berlin-brandenburg": "2004-01-01",
    }.items() <= leads.items()
    assert len(leads) >= 8, "production financing is led in most comparison regions"


def test_catalan_sector_figures_come_under_the_success_factors_with_year_and_source(regions_store: Store) -> None:
    rows = ask(regions_store, "success-factors", region="catalonia")
    employment = [r for r in rows if r["indicator"] == "avc:SectorEmployment"]
    assert {r["factor"] for r in employment} == {"avc:CreativeIndustrySize", "avc:HumanCapital"}
    # three definitions, kept apart with their years: the cluster's 2010 count, the producers' and ACCIÓ's
    assert {(10200.0, "2010"), (44986.0, "2024")} <= {(float(r["value"]), r.get("year")) for r in employment}
    assert all(r["sourceTitle"] for r in employment)


def test_sources_behind_eiken_lead_to_the_interview_that_dates_it(regions_store: Store) -> None:
    rows = ask(regions_store, "sources-of", entity="eiken")
    urls = {r["url"] for r in rows}
    assert any("euskonews.eus/zbk/469" in u for u in urls)
    assert any(r.get("date") == "2009-01-16" for r in rows)


def test_every_cluster_has_each_competency_led_over_a_dated_period_or_a_stated_gap(bundled: Store) -> None:
    network = read_network(bundled)
    assignments = read_assignments(bundled, set(network.actors))
    competencies = {str(AVC[c]) for c in COMPETENCIES}
    assert len(network.clusters) >= 9
    for cluster in network.clusters.values():
        scope = network.cluster_actors(cluster)
        led = {a.competency for a in assignments if a.role == str(AVC.LeadRole) and a.actor in scope and a.period.start}
        gaps = cluster.required - led
        assert competencies <= led | gaps, f"{cluster.iri}: {sorted(competencies - led - gaps)} neither led nor a gap"
        if gaps and "navarra" not in cluster.iri:
            comments = " ".join(
                r[0].value
                for r in bundled.select_rows(f"SELECT ?c WHERE {{ <{cluster.iri}> rdfs:comment ?c }}")[1]  # type: ignore[union-attr]
            )
            assert "gap" in comments.lower(), f"{cluster.iri}: its gaps are not explained"
