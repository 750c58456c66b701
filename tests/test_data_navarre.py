"""The Navarre dataset (data/navarre/*.ttl), checked over the whole data, never a sample.

Each file is loaded as its own named graph, and the files make sense together: the topic files
(actors and organisations, ties, productions, flows, people, dialogue, competencies, policy,
observations and factors) point at each other's actors and sources. interregional.ttl links
Navarre to actors of data/regions/ and needs that dataset; the rest of data/navarre/ stands alone.
The headline facts are asked the way an analyst asks them: through the canned questions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from avcluster.kg.figures import figures
from avcluster.kg.ingest import load, load_ontology
from avcluster.kg.namespaces import AVC, DATA_DIR, ID, SCHEMA
from avcluster.kg.ontology import ontology_graph
from avcluster.kg.parsing import read_triples
from avcluster.kg.questions import question
from avcluster.kg.results import solutions, text
from avcluster.kg.stores import Store, open_store
from avcluster.kg.validation import shape_problems, unknown_terms

from .test_ontology import COMPETENCIES

NAVARRE_FILES = sorted((DATA_DIR / "navarre").glob("*.ttl"))
LINKED = DATA_DIR / "navarre" / "interregional.ttl"
STANDALONE_FILES = [p for p in NAVARRE_FILES if p != LINKED]
REGION_FILES = sorted((DATA_DIR / "regions").glob("*.ttl"))
ALL_COMPETENCIES = {"avc:" + name for name in COMPETENCIES}  # the scheme the ontology test checks


def subclasses(root: URIRef) -> set[URIRef]:
    """The class and every class below it in the ontology."""
    return {c for c in ontology_graph().transitive_subjects(RDFS.subClassOf, root) if isinstance(c, URIRef)}


ACTOR_CLASSES = subclasses(AVC.Actor)
# A kind of actor says what the actor is; these three only say that it is one, and whose.
KINDLESS = {AVC.Actor, AVC.PublicActor, AVC.PrivateActor}
RELATIONSHIP_KINDS = subclasses(AVC.Relationship) - {AVC.Relationship}
FACT_CLASSES = (
    ACTOR_CLASSES
    | RELATIONSHIP_KINDS
    | subclasses(AVC.Flow)
    | subclasses(AVC.PolicyMeasure)
    | {AVC.Cluster, AVC.CompetencyAssignment, AVC.Observation, AVC.AudiovisualProject}
)


@pytest.fixture(scope="module")
def navarre() -> Graph:
    graph = Graph()
    for path in NAVARRE_FILES:
        graph.parse(path, format="turtle")
    return graph


def typed(graph: Graph, classes: set[URIRef]) -> set[URIRef]:
    return {s for s, t in graph.subject_objects(RDF.type) if t in classes and isinstance(s, URIRef)}


def declared_here(graph: Graph) -> set[URIRef]:
    """Resources this dataset describes (a label of their own), as opposed to ones it only points at."""
    return {s for s in graph.subjects(RDFS.label) if isinstance(s, URIRef)}


# --- every fact has a source, over the whole data -------------------------------------------------


def test_every_fact_cites_a_source_with_a_title_and_a_web_address(navarre: Graph) -> None:
    facts = typed(navarre, FACT_CLASSES) & declared_here(navarre)
    assert len(facts) >= 150
    for fact in facts:
        sources = list(navarre.objects(fact, DCTERMS.source))
        assert sources, f"{fact} has no dcterms:source"
        for source in sources:
            assert (source, RDF.type, AVC.Source) in navarre, f"{source} (cited by {fact}) is not an avc:Source here"
            assert navarre.value(source, DCTERMS.title), f"{source} has no title"
            url = navarre.value(source, SCHEMA.url)
            assert isinstance(url, Literal) and url.datatype == XSD.anyURI, f"{source} has no xsd:anyURI schema:url"
            assert str(url).startswith(("http://", "https://")), f"{source} has a non-web address {url}"


def test_every_source_is_cited_or_is_about_a_cited_source_and_carries_a_quote(navarre: Graph) -> None:
    cited = set(navarre.objects(None, DCTERMS.source))
    for source in navarre.subjects(RDF.type, AVC.Source):
        about = navarre.value(source, SCHEMA.about)
        assert source in cited or about in cited, f"{source} is described but cited by nothing"
        # the first sources keep their quotes as comments; those researched since, as avc:quote
        quotes = list(navarre.objects(source, AVC.quote)) or list(navarre.objects(source, RDFS.comment))
        assert quotes, f"{source} has no supporting quote"


def test_a_quote_is_one_short_sentence_with_an_english_paraphrase_where_it_is_not_english(navarre: Graph) -> None:
    for source in set(navarre.subjects(AVC.quote, None)):
        quotes = [q for q in navarre.objects(source, AVC.quote) if isinstance(q, Literal)]
        for quote in quotes:
            assert len(str(quote).split()) <= 30, f"{source}: a quote over 30 words"
        if any(q.language and not q.language.startswith("en") for q in quotes):
            english = [c for c in navarre.objects(source, RDFS.comment) if getattr(c, "language", None) == "en"]
            assert english, f"{source} quotes another language and gives no English paraphrase"


def test_the_founding_paper_is_a_source_with_its_doi(navarre: Graph) -> None:
    paper = ID["source-lanina-2020"]
    assert str(navarre.value(paper, SCHEMA.url)) == "https://doi.org/10.18721/JE.13603"
    assert (ID["navarra-audiovisual-cluster"], DCTERMS.source, paper) in navarre
    assert set(navarre.subjects(SCHEMA.about, paper)) >= {
        ID["source-spbstu-lanina-2020"],
        ID["source-cyberleninka-lanina-2020"],
    }


def test_the_data_passes_the_ontology_and_the_shapes_without_the_regions() -> None:
    triples = [t for p in STANDALONE_FILES for t in read_triples(p)]
    problems = unknown_terms(triples) + shape_problems(triples)
    violations = [p.describe() for p in problems if p.severity == "Violation"]
    assert not violations, "\n".join(violations)


def test_the_links_to_the_regions_pass_with_the_regions() -> None:
    triples = [t for p in NAVARRE_FILES + REGION_FILES for t in read_triples(p)]
    violations = [p.describe() for p in unknown_terms(triples) + shape_problems(triples) if p.severity == "Violation"]
    assert not violations, "\n".join(violations)


def test_a_resource_shared_with_the_regions_is_restated_on_one_side_never_contradicted(navarre: Graph) -> None:
    """What a resource is and is called is stated alike on both sides, or by one side only; each side
    may add its own sources and notes (the Basque Government funds Navarre's films and Basque ones)."""
    regions = Graph()
    for path in REGION_FILES:
        regions.parse(path, format="turtle")
    for subject in set(navarre.subjects()) & set(regions.subjects()):
        for predicate in (RDF.type, RDFS.label):
            mine, theirs = set(navarre.objects(subject, predicate)), set(regions.objects(subject, predicate))
            assert mine <= theirs or theirs <= mine, f"{subject}: {predicate} differs here and in data/regions"


# --- how much there is --------------------------------------------------------------------------


def actor_kinds(graph: Graph) -> Counter[URIRef]:
    """Actors by most specific kind (an actor of two kinds counts under both)."""
    kinds: Counter[URIRef] = Counter()
    for actor in typed(graph, ACTOR_CLASSES) & declared_here(graph):
        own = {t for t in graph.objects(actor, RDF.type) if isinstance(t, URIRef)} & ACTOR_CLASSES
        broader = {b for c in own for b in ontology_graph().transitive_objects(c, RDFS.subClassOf) if b != c}
        specific = own - broader
        kinds.update(specific)
    return kinds


def test_at_least_a_hundred_and_twenty_organisations_of_at_least_twelve_kinds(navarre: Graph) -> None:
    actors = typed(navarre, ACTOR_CLASSES) & declared_here(navarre)
    assert len(actors) >= 120
    assert len(set(actor_kinds(navarre)) - KINDLESS) >= 12


def test_relationships_of_eight_kinds_each_with_one_actor_at_each_end(navarre: Graph) -> None:
    ties = typed(navarre, RELATIONSHIP_KINDS)
    kinds = Counter(t for tie in ties for t in navarre.objects(tie, RDF.type))
    assert {
        AVC.Governance,
        AVC.Partnership,
        AVC.PublicPrivateDialogue,
        AVC.Funding,
        AVC.Training,
        AVC.ServiceSupply,
        AVC.CoProduction,
        AVC.KnowledgeTransfer,
    } <= set(kinds)
    for tie in ties:
        assert len(list(navarre.objects(tie, AVC.fromActor))) == 1 and len(list(navarre.objects(tie, AVC.toActor))) == 1


def test_two_hundred_ties_four_in_five_dated_and_few_actors_alone(bundled_store: Store) -> None:
    found = figures(bundled_store, "navarre/")
    assert found.ties >= 200
    assert found.dated_ties >= 0.8 * found.ties
    assert found.isolated_actors <= 0.1 * found.actors


def test_forty_productions_thirty_flows_of_every_kind_and_people_with_their_posts(bundled_store: Store) -> None:
    found = figures(bundled_store, "navarre/")
    assert found.projects >= 40
    assert found.flows >= 30
    assert min(found.financial_flows, found.information_flows, found.material_flows) >= 3
    assert found.people >= 20 and found.posts >= found.people


def test_each_success_factor_has_an_observation(navarre: Graph) -> None:
    concepts = ontology_graph()
    factors = set(concepts.subjects(RDF.type, AVC.SuccessFactor))
    observed = set()
    for observation in navarre.subjects(RDF.type, AVC.Observation):
        indicator = navarre.value(observation, AVC.indicator)
        observed |= set(concepts.transitive_objects(indicator, SKOS.broader)) & factors
    assert observed == factors


# --- disagreements and inferences are said in the data --------------------------------------------


@pytest.mark.parametrize(
    ("slug", "flag"),
    [
        ("inaac", "sources disagree"),
        ("cinatek", "sources disagree"),
        ("navarre-film-tax-deduction-2014", "sources disagree"),
        ("navarre-film-tax-deduction-35-percent-2016-claim", "sources disagree"),
        ("navarre-film-tax-deduction-lf26-2016", "sources disagree"),
        ("navarre-film-tax-deduction-2024", "sources disagree"),
        ("obs-navarre-animation-studios-2022-noticias", "sources disagree"),
        ("obs-navarre-animation-studios-2022-nxlb", "sources disagree"),
        ("navarra-audiovisual-cluster", "inferred"),
        ("rel-nicdo-governs-navarra-film-commission", "inferred"),
        ("assign-nicdo-location-services-from-2014", "inferred"),
        ("rel-sodena-funds-apolo-films", "inferred"),
        ("flow-directorate-general-of-culture-hacienda-foral-deduction-report", "inferred"),
    ],
)
def test_a_disagreement_or_an_inference_is_said_on_the_resource(navarre: Graph, slug: str, flag: str) -> None:
    comments = " ".join(str(c) for c in navarre.objects(ID[slug], RDFS.comment))
    assert flag in comments.lower(), f"{slug} does not say '{flag}'"


# --- the headline facts, asked as an analyst asks them --------------------------------------------


@pytest.fixture(scope="module")
def bundled_store() -> Iterator[Store]:
    store = open_store("memory:")
    load_ontology(store)
    load(store, NAVARRE_FILES + REGION_FILES)
    yield store
    store.close()


def ask(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    names, rows = solutions(question(name).run(store, params))
    return [{n: text(c) for n, c in zip(names, row, strict=True) if c is not None} for row in rows]


def test_the_film_commission_passed_from_inaac_to_nicdo_in_2014(bundled_store: Store) -> None:
    rows = ask(bundled_store, "competency-leads", competency="avc:LocationServices")
    leads = {r["actor"]: (r.get("start"), r.get("end")) for r in rows if r["role"] == "avc:LeadRole"}
    navarre_leads = {a: period for a, period in leads.items() if a in ("id:inaac", "id:nicdo")}
    assert navarre_leads == {"id:inaac": ("2009", "2014"), "id:nicdo": ("2014", None)}
    contributors = {r["actor"] for r in rows if r["role"] == "avc:ContributorRole"}
    assert "id:navarra-film-commission" in contributors


def test_the_tax_deduction_rates_by_year_keep_every_version_and_both_datings(bundled_store: Store) -> None:
    rows = ask(bundled_store, "policy-measures", region="navarre")
    rates = {
        (r["measure"].removeprefix("id:"), float(r["rate"]), r.get("start"), r.get("end"))
        for r in rows
        if r["type"] == "avc:TaxIncentive" and "rate" in r
    }
    assert rates == {
        ("navarre-film-tax-deduction-2014", 0.35, "2014-12", "2015"),
        ("navarre-film-tax-deduction-35-percent-2016-claim", 0.35, "2016", None),
        ("navarre-film-tax-deduction-lf26-2016", 0.35, "2016-01-01", "2023"),
        ("navarre-film-tax-deduction-2020-12-amendment", 0.35, "2020-12", "2023"),
        ("navarre-film-tax-deduction-lf26-2016-special-works", 0.40, None, "2023"),
        ("navarre-film-tax-deduction-2024", 0.45, "2024-01-01", None),
        ("navarre-film-tax-deduction-2024-difficult-works", 0.50, "2024-01-01", None),
    }


def test_the_cap_of_each_version_of_the_deduction(navarre: Graph) -> None:
    caps = {
        str(m).rsplit("/", 1)[1]: float(c.toPython())
        for m, c in navarre.subject_objects(AVC.cap)
        if isinstance(c, Literal) and str(m).startswith(str(ID["navarre-film-tax-deduction"]))
    }
    assert caps == {"navarre-film-tax-deduction-lf26-2016": 3_000_000.0, "navarre-film-tax-deduction-2024": 5_000_000.0}


def test_members_of_the_navarre_cluster_with_their_types_and_founding_dates(bundled_store: Store) -> None:
    rows = ask(bundled_store, "members-by-type", cluster="navarra-audiovisual-cluster")
    by_actor: dict[str, set[str]] = {}
    created = {}
    for r in rows:
        by_actor.setdefault(r["actor"], set()).add(r["type"])
        if "created" in r:
            created[r["actor"]] = r["created"]
    assert len(by_actor) >= 20
    assert "avc:FilmCommission" in by_actor["id:navarra-film-commission"]
    assert by_actor["id:clavna"] == {"avc:ClusterOrganization"}
    assert by_actor["id:sodena"] == {"avc:PublicEnterprise", "avc:FinancialInstitution"}
    assert created["id:inaac"] == "2009-01"
    assert created["id:napar"] == "2016"
    assert created["id:sodena"] == "1984"


def test_every_competency_is_led_over_a_dated_period_or_a_gap_the_sources_state(
    bundled_store: Store, navarre: Graph
) -> None:
    located = {f"id:{str(a).removeprefix(str(ID))}" for a in navarre.subjects(AVC.locatedIn, ID.navarre)}
    members = {
        f"id:{str(a).removeprefix(str(ID))}" for a in navarre.subjects(AVC.memberOf, ID["navarra-audiovisual-cluster"])
    }
    gaps = {r["competency"] for r in ask(bundled_store, "competency-gaps", cluster="navarra-audiovisual-cluster")}
    assert gaps == {"avc:PostProduction", "avc:DistributionPromotion", "avc:Infrastructure"}
    led = set()
    for competency in ALL_COMPETENCIES - gaps:
        rows = ask(bundled_store, "competency-leads", competency=competency)
        navarre_leads = [r for r in rows if r["role"] == "avc:LeadRole" and r["actor"] in located | members]
        if any("start" in r for r in navarre_leads):
            led.add(competency)
    assert led == ALL_COMPETENCIES - gaps


def test_the_stated_gaps_are_explained_on_the_cluster(navarre: Graph) -> None:
    comments = " ".join(str(c) for c in navarre.objects(ID["navarra-audiovisual-cluster"], RDFS.comment))
    for words in ("post-production", "interior shooting", "external projection"):
        assert words in comments


def test_organisations_that_share_a_leader_rest_on_posts_not_on_governance_ties(bundled_store: Store) -> None:
    pairs = {frozenset((r["organisation"], r["other"])) for r in ask(bundled_store, "shared-leaders")}
    assert frozenset(("id:clavna", "id:redcau")) in pairs
    person_based = bundled_store.select_rows(
        "SELECT ?r WHERE { ?r a avc:Governance . "
        "{ ?r avc:toActor id:spain-film-commission } UNION { ?r avc:fromActor id:clavna ; avc:toActor id:redcau } }"
    )[1]
    assert not person_based, "a person's office is stated as a governance tie again"


def test_productions_shot_in_navarre_with_their_producers(bundled_store: Store) -> None:
    rows = ask(bundled_store, "projects", region="navarre")
    assert len(rows) >= 30
    with_producers = [r for r in rows if r.get("producers")]
    assert len(with_producers) >= 20
    assert sum(1 for r in rows if r.get("year")) >= 0.8 * len(rows), "the productions are dated"


def test_sources_behind_the_film_commission_lead_to_its_history(bundled_store: Store) -> None:
    rows = ask(bundled_store, "sources-of", entity="navarra-film-commission")
    urls = {r["url"] for r in rows}
    assert any("fundacion-inaac-historia" in u for u in urls)
    assert any("cpaonline.es" in u for u in urls)


def test_the_data_is_split_by_topic() -> None:
    assert {p.stem for p in NAVARRE_FILES} == {
        "actors",
        "cluster",
        "competencies",
        "dialogue",
        "factors",
        "flows",
        "interregional",
        "observations",
        "organisations",
        "people",
        "policy",
        "productions",
        "projects",
        "relationships",
        "sources",
    }
