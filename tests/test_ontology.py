"""The ontology files: the contract's terms exist, are documented in three languages, stay OWL 2 DL
friendly, and kg/vocab.py agrees with them."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ORG

from avcluster.kg import vocab
from avcluster.kg.vocab import AVC

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = URIRef("https://w3id.org/avcluster/ontology")
A = Namespace(str(AVC._NS))

# The vocabulary contract and the modelling conventions (ontology/README.md): these names must exist.
CLASSES = [
    "Actor",
    "PublicActor",
    "PrivateActor",
    "PublicAdministration",
    "PublicEnterprise",
    "FilmCommission",
    "ClusterOrganization",
    "Company",
    "ProductionCompany",
    "PostProductionCompany",
    "AnimationStudio",
    "DistributionCompany",
    "Broadcaster",
    "ServiceProvider",
    "EducationCentre",
    "ResearchCentre",
    "FinancialInstitution",
    "Festival",
    "ProfessionalAssociation",
    "Network",
    "Cluster",
    "Region",
    "Source",
    "Relationship",
    "Funding",
    "Training",
    "CoProduction",
    "ServiceSupply",
    "Partnership",
    "PublicPrivateDialogue",
    "KnowledgeTransfer",
    "Governance",
    "Flow",
    "InformationFlow",
    "FinancialFlow",
    "MaterialFlow",
    "Competency",
    "CompetencyAssignment",
    "Role",
    "PolicyMeasure",
    "TaxIncentive",
    "Grant",
    "TrainingProgramme",
    "AudiovisualProject",
    "LifeCycleStage",
    "SuccessFactor",
    "Indicator",
    "Observation",
]
PROPERTIES = [
    "cap",
    "legalBasis",
    "region",
    "currency",
    "rate",
    "amount",
    "year",
    "startDate",
    "endDate",
    "assignedTo",
    "competency",
    "role",
    "responsibleFor",
    "contributesTo",
    "requiresCompetency",
    "lifeCycleStage",
    "locatedIn",
    "memberOf",
    "participant",
    "shotIn",
    "issuedBy",
    "benefits",
    "indicator",
    "value",
    "unit",
    "fromActor",
    "toActor",
    "strength",
    "relatedTo",
    "funds",
    "trains",
    "coProducesWith",
    "suppliesServicesTo",
    "partnersWith",
    "dialoguesWith",
    "transfersKnowledgeTo",
    "governs",
]
DIRECT = "funds trains coProducesWith suppliesServicesTo partnersWith dialoguesWith transfersKnowledgeTo governs"
KINDS = "Funding Training CoProduction ServiceSupply Partnership PublicPrivateDialogue KnowledgeTransfer Governance"
COMPETENCIES = [
    "LocationServices",
    "FilmingPermits",
    "IncentiveAdministration",
    "ProductionFinancing",
    "SpecialistTraining",
    "ResearchInnovation",
    "ProductionServices",
    "PostProduction",
    "DistributionPromotion",
    "InternationalPromotion",
    "ClusterCoordination",
    "InformationManagement",
    "Infrastructure",
]
STAGES = ["Emergence", "Growth", "Maturity", "Decline", "Renewal"]
FACTORS = ["HistoricalCulturalHeritage", "CreativeIndustrySize", "TerritorySize", "BusinessDiversity", "HumanCapital"]
INDICATORS = [
    "SectorGDPShare",
    "SectorEmployment",
    "SectorCompanies",
    "SectorTurnover",
    "ProductionsPerYear",
    "ShootingDaysPerYear",
    "Population",
    "Area",
]


@pytest.fixture(scope="module")
def owl() -> Graph:
    return Graph().parse(ROOT / "ontology" / "avcluster.ttl")


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return Graph().parse(ROOT / "ontology" / "concepts.ttl")


@pytest.fixture(scope="module")
def both(owl: Graph, concepts: Graph) -> Graph:
    graph = Graph()
    graph += owl
    graph += concepts
    return graph


def avc_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(A))}


def test_header(owl: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in owl
    assert owl.value(ONTOLOGY, OWL.versionInfo) is not None
    assert {t.language for t in owl.objects(ONTOLOGY, DCTERMS.title)} >= {"en"}
    assert isinstance(owl.value(ONTOLOGY, DCTERMS.license), URIRef)
    assert (ONTOLOGY, DCTERMS.creator, None) not in owl
    assert (None, OWL.imports, None) not in owl


def test_contract_terms_exist(owl: Graph) -> None:
    classes = set(owl.subjects(RDF.type, OWL.Class))
    properties = set(owl.subjects(RDF.type, OWL.ObjectProperty)) | set(owl.subjects(RDF.type, OWL.DatatypeProperty))
    assert [c for c in CLASSES if A[c] not in classes] == []
    assert [p for p in PROPERTIES if A[p] not in properties] == []


@pytest.mark.parametrize("language", ["en", "es", "ru"])
def test_every_term_has_a_label_in(language: str, both: Graph) -> None:
    unlabelled = [t for t in avc_terms(both) if language not in {x.language for x in both.objects(t, RDFS.label)}]
    assert sorted(unlabelled) == []


def test_labels_are_translations(both: Graph) -> None:
    """Russian labels are Cyrillic, and a term's three labels are not all the same text."""
    for term in avc_terms(both):
        labels = {x.language: str(x) for x in both.objects(term, RDFS.label) if isinstance(x, Literal)}
        assert re.search("[а-яё]", labels["ru"], re.IGNORECASE), term
        assert len(set(labels.values())) > 1 or labels["en"] in {"festival"}, term


def test_every_term_is_defined_in_english(both: Graph) -> None:
    undefined = [
        t
        for t in avc_terms(both)
        if not any(x.language == "en" for p in (RDFS.comment, SKOS.definition) for x in both.objects(t, p))
    ]
    assert sorted(undefined) == []
    assert sorted(t for t in avc_terms(both) if both.value(t, RDFS.isDefinedBy) != ONTOLOGY) == []


def test_owl_dl_hygiene(both: Graph) -> None:
    """What owlready2 and HermiT need: every referenced class and property declared, no IRI both
    an annotation property and a data/object property, no class used as an individual."""
    declared_classes = set(both.subjects(RDF.type, OWL.Class)) | set(both.subjects(RDF.type, RDFS.Datatype))
    referenced = set()
    for p in (RDFS.subClassOf, OWL.disjointWith, RDFS.domain, RDFS.range):
        referenced |= {o for o in both.objects(None, p) if isinstance(o, URIRef)}
    for node in both.objects(None, OWL.unionOf):
        referenced |= {m for m in Collection(both, node) if isinstance(m, URIRef)}
    builtin = ("http://www.w3.org/2001/XMLSchema#", str(RDFS.Literal))
    assert sorted(c for c in referenced if c not in declared_classes and not str(c).startswith(builtin)) == []

    kinds = {
        k: set(both.subjects(RDF.type, k)) for k in (OWL.AnnotationProperty, OWL.ObjectProperty, OWL.DatatypeProperty)
    }
    for a, b in combinations(kinds.values(), 2):
        assert a & b == set()
    used = {p for _, p, _ in both if not str(p).startswith((str(RDF), str(RDFS), str(OWL)))}
    assert sorted(p for p in used if not any(p in k for k in kinds.values())) == []
    individuals = {s for s, o in both.subject_objects(RDF.type) if o in declared_classes}
    assert individuals & declared_classes == set()


def test_axioms_the_reasoner_relies_on(owl: Graph) -> None:
    def disjoint(a: URIRef, b: URIRef) -> bool:
        if (a, OWL.disjointWith, b) in owl or (b, OWL.disjointWith, a) in owl:
            return True
        return any(
            {a, b} <= set(Collection(owl, owl.value(g, OWL.members)))
            for g in owl.subjects(RDF.type, OWL.AllDisjointClasses)
        )

    assert disjoint(A.PublicActor, A.PrivateActor)
    assert disjoint(A.Cluster, A.Actor)
    assert all(disjoint(A[x], A[y]) for x, y in combinations(KINDS.split(), 2))
    assert (A.Company, RDFS.subClassOf, A.PrivateActor) in owl
    assert (A.PublicAdministration, RDFS.subClassOf, A.PublicActor) in owl
    assert (A.Actor, RDFS.subClassOf, ORG.Organization) in owl
    for prop in ("fromActor", "toActor", "assignedTo", "competency", "role"):
        assert (A[prop], RDF.type, OWL.FunctionalProperty) in owl
    for prop in ("coProducesWith", "partnersWith", "dialoguesWith"):
        assert (A[prop], RDF.type, OWL.SymmetricProperty) in owl
    for prop, kind in zip(DIRECT.split(), KINDS.split(), strict=True):
        assert (A[prop], RDFS.subPropertyOf, A.relatedTo) in owl
        assert (A[kind], A.directProperty, A[prop]) in owl
    for prop in ("startDate", "endDate"):
        assert owl.value(A[prop], RDFS.range) == A.PartialDate
    union = owl.value(owl.value(A.PartialDate, OWL.equivalentClass), OWL.unionOf)
    assert [str(x).split("#")[1] for x in Collection(owl, union)] == ["date", "gYearMonth", "gYear"]


def test_domains_are_no_narrower_than_their_uses(owl: Graph) -> None:
    """A property used by several kinds of resource has a union domain (or none), so that HermiT
    does not conclude that, say, an observation with a year is a flow."""
    for prop in ("year", "startDate", "endDate", "amount", "currency", "region"):
        domain = owl.value(A[prop], RDFS.domain)
        assert domain is None or isinstance(domain, BNode), prop


def test_concept_schemes(concepts: Graph) -> None:
    def members(scheme: str, cls: str) -> set[URIRef]:
        return {c for c in concepts.subjects(SKOS.inScheme, A[scheme]) if (c, RDF.type, A[cls]) in concepts}

    assert members("CompetencyScheme", "Competency") == {A[c] for c in COMPETENCIES}
    assert members("RoleScheme", "Role") == {A.LeadRole, A.ContributorRole}
    assert members("SuccessFactorScheme", "SuccessFactor") == {A[f] for f in FACTORS}
    assert members("IndicatorScheme", "Indicator") >= {A[i] for i in INDICATORS}
    stages = sorted(members("LifeCycleScheme", "LifeCycleStage"), key=lambda s: int(concepts.value(s, SKOS.notation)))
    assert stages == [A[s] for s in STAGES]
    assert (A.SectorCompanies, SKOS.broader, A.BusinessDiversity) in concepts
    assert (A.Area, SKOS.broader, A.TerritorySize) in concepts
    for indicator in concepts.subjects(RDF.type, A.Indicator):
        for factor in concepts.objects(indicator, SKOS.broader):
            assert (factor, RDF.type, A.SuccessFactor) in concepts, indicator
    # pyshacl copies only owl:NamedIndividual resources from the ontology into the data it checks.
    for concept in concepts.subjects(SKOS.inScheme, None):
        assert (concept, RDF.type, OWL.NamedIndividual) in concepts, concept


def test_vocab_module_matches_the_ontology(both: Graph) -> None:
    source = Path(vocab.__file__).read_text(encoding="utf-8")
    assert vocab.regenerate(source, both) == source, "run `python -m avcluster.kg.vocab`"


def test_vocab_names_every_term(both: Graph) -> None:
    for term in avc_terms(both):
        assert getattr(AVC, str(term)[len(str(A)) :]) == term


def test_vocab_refuses_a_typo() -> None:
    assert AVC.Funding == A.Funding
    with pytest.raises(AttributeError):
        _ = AVC.Produciton
