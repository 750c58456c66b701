"""The synthetic cluster: reproducible to the byte, valid N-Triples, shaped like a real cluster, and never
mistakable for real data."""

from __future__ import annotations

import hashlib
import io
import statistics
from collections import Counter
from functools import cache

import pyoxigraph as ox
import pytest

from avcluster.kg.synth import ACTOR_COMMENT, SOURCE_IRI, TIE_KINDS, generate, write
from avcluster.kg.validation import shape_problems, unknown_terms

PREFIXES = """
PREFIX avc: <https://w3id.org/avcluster/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ACTOR_CLASSES = """VALUES ?class { avc:ProductionCompany avc:ServiceProvider avc:PostProductionCompany
  avc:AnimationStudio avc:DistributionCompany avc:Broadcaster avc:PublicAdministration avc:PublicEnterprise
  avc:FilmCommission avc:ClusterOrganization avc:EducationCentre avc:ResearchCentre avc:FinancialInstitution
  avc:Festival avc:ProfessionalAssociation }"""


@cache
def text(actors: int, seed: int) -> str:
    return "".join(generate(actors, seed))


@cache
def store(actors: int, seed: int) -> ox.Store:
    loaded = ox.Store()
    loaded.bulk_load(text(actors, seed).encode(), ox.RdfFormat.N_TRIPLES)
    return loaded


def select(actors: int, seed: int, query: str) -> list[tuple[str, ...]]:
    """Rows of plain strings (IRIs and literal values), so assertions read simply."""
    rows = store(actors, seed).query(PREFIXES + query)
    assert isinstance(rows, ox.QuerySolutions)
    return [tuple(term.value if term is not None else "" for term in row) for row in rows]


def count(actors: int, seed: int, query: str) -> int:
    return int(select(actors, seed, f"SELECT (COUNT(*) AS ?n) WHERE {{ {query} }}")[0][0])


def test_same_actors_and_seed_give_the_same_bytes() -> None:
    first = hashlib.sha256("".join(generate(500, 42)).encode()).hexdigest()
    second = hashlib.sha256("".join(generate(500, 42)).encode()).hexdigest()
    assert first == second


def test_write_streams_the_same_lines_and_counts_them() -> None:
    out = io.StringIO()
    written = write(500, 42, out)
    assert out.getvalue() == text(500, 42)
    assert written == out.getvalue().count("\n")


def test_another_seed_gives_another_graph() -> None:
    assert text(500, 42) != text(500, 43)
    # not just the seed in the source title: the ties themselves differ
    ties = "SELECT ?a ?b WHERE { ?r avc:fromActor ?a ; avc:toActor ?b }"
    assert set(select(500, 42, ties)) != set(select(500, 43, ties))


def test_output_is_n_triples_one_distinct_triple_a_line() -> None:
    data = text(500, 1)
    lines = data.splitlines()
    triples = list(ox.parse(data.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(lines) == len(set(lines))
    assert all(line.endswith(" .") for line in lines)


def test_counts_grow_in_proportion_to_actors() -> None:
    small, large = len(text(400, 5).splitlines()), len(text(2000, 5).splitlines())
    assert 4.0 < large / small < 6.0
    for actors in (400, 2000):
        assert count(actors, 5, f"?a a ?class . {ACTOR_CLASSES}") == actors
        assert count(actors, 5, "?a avc:memberOf ?c") == actors


def test_one_cluster_per_five_thousand_actors_at_least_one() -> None:
    assert count(1, 1, "?c a avc:Cluster") == 1
    assert text(12_000, 1).count("#Cluster> .\n") == 2


def test_actor_types_have_realistic_proportions() -> None:
    rows = select(2000, 3, f"SELECT ?class (COUNT(?a) AS ?n) WHERE {{ ?a a ?class . {ACTOR_CLASSES} }} GROUP BY ?class")
    per_class = {iri.split("#")[1]: int(n) for iri, n in rows}
    assert len(per_class) == 15, "every actor class occurs"
    firms = per_class["ProductionCompany"] + per_class["ServiceProvider"]
    assert firms > 0.6 * 2000
    assert per_class["ProductionCompany"] > 10 * per_class["PublicAdministration"]
    assert per_class["PublicAdministration"] > 10 * per_class["FilmCommission"]
    assert 1 <= per_class["FilmCommission"] <= 5 and 1 <= per_class["ClusterOrganization"] <= 5


def test_degrees_are_heavy_tailed_around_five_relationships_an_actor() -> None:
    degree: Counter[str] = Counter()
    ties = """SELECT ?a ?b WHERE { ?r avc:fromActor ?a ; avc:toActor ?b ; a ?kind .
        FILTER(?kind NOT IN (avc:InformationFlow, avc:FinancialFlow, avc:MaterialFlow)) }"""
    for source, target in select(3000, 9, ties):
        degree[source] += 1
        degree[target] += 1
    values = [degree[a] for (a,) in select(3000, 9, f"SELECT ?a WHERE {{ ?a a ?class . {ACTOR_CLASSES} }}")]
    assert 4.0 < statistics.mean(values) < 6.0
    assert max(values) >= 20 * statistics.median(values)
    hubs = [a for a, _ in degree.most_common(5)]
    assert any("film-commission" in a or "cluster-organisation" in a or "public-" in a for a in hubs)


def test_every_fact_bearing_resource_cites_the_synthetic_source() -> None:
    uncited = select(
        1000,
        2,
        f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o
        FILTER(?s != <{SOURCE_IRI}>) FILTER NOT EXISTS {{ ?s dcterms:source <{SOURCE_IRI}> }} }}""",
    )
    assert uncited == []
    other_sources = f"?s dcterms:source ?src FILTER(?src != <{SOURCE_IRI}>)"
    assert count(1000, 2, other_sources) == 0


def test_the_source_and_every_actor_say_they_are_synthetic() -> None:
    [(title, url, url_type, day)] = select(
        1000,
        2,
        f"""SELECT ?title ?url (DATATYPE(?url) AS ?t) ?day {{
        <{SOURCE_IRI}> a avc:Source ; dcterms:title ?title ; schema:url ?url ; dcterms:date ?day }}""",
    )
    assert title.startswith("Synthetic data generated by `avcluster synth --actors 1000 --seed 2`")
    assert (url, url_type) == ("https://w3id.org/avcluster/synthetic", "http://www.w3.org/2001/XMLSchema#anyURI")
    assert day
    labelled = select(
        1000,
        2,
        f"""SELECT ?label ?comment WHERE {{ ?a a ?class ; rdfs:label ?label ;
        rdfs:comment ?comment . {ACTOR_CLASSES} }}""",
    )
    assert len(labelled) == 1000
    assert all(label.startswith("Synthetic ") and comment == ACTOR_COMMENT for label, comment in labelled)
    assert count(1000, 2, "?s rdfs:label ?l FILTER(LANG(?l) != '')") == 0


def test_every_kind_of_fact_occurs() -> None:
    kinds = {iri.split("#")[1] for (iri,) in select(1000, 4, "SELECT DISTINCT ?k WHERE { ?s a ?k }")}
    assert {k.name for k in TIE_KINDS} <= kinds
    assert {
        "InformationFlow",
        "FinancialFlow",
        "MaterialFlow",
        "Grant",
        "CompetencyAssignment",
        "Observation",
        "Region",
        "Cluster",
    } <= kinds
    unpriced = "?f a avc:FinancialFlow FILTER NOT EXISTS { ?f avc:amount ?x ; avc:currency 'EUR' }"
    assert count(1000, 4, unpriced) == 0
    assert count(1000, 4, "?f a avc:InformationFlow ; avc:amount ?x") == 0
    assert count(1000, 4, "?x avc:role avc:LeadRole") > 0
    assert count(1000, 4, "?x avc:role avc:ContributorRole") > 0
    factors = select(1000, 4, "SELECT DISTINCT ?region ?factor WHERE { ?o avc:region ?region ; avc:indicator ?factor }")
    assert len(factors) == 5
    assert count(1000, 4, "?c avc:lifeCycleStage ?stage ; avc:requiresCompetency ?k") > 0


def test_relationships_run_the_way_they_do_in_a_real_cluster() -> None:
    def sources_of(kind: str) -> set[str]:
        rows = select(2000, 6, f"SELECT DISTINCT ?class WHERE {{ ?r a avc:{kind} ; avc:fromActor ?a . ?a a ?class }}")
        return {iri.split("#")[1] for (iri,) in rows}

    assert sources_of("Funding") <= {
        "PublicAdministration",
        "PublicEnterprise",
        "FinancialInstitution",
        "PublicActor",
        "PrivateActor",
    }
    assert sources_of("Training") <= {"EducationCentre", "ProfessionalAssociation", "PublicActor", "PrivateActor"}
    assert sources_of("Governance") == {"PublicAdministration"}
    issuers = select(2000, 6, "SELECT DISTINCT ?class WHERE { ?m avc:issuedBy ?a . ?a a ?class }")
    assert {iri.split("#")[1] for (iri,) in issuers} <= {"PublicAdministration", "PublicEnterprise"}
    assert count(2000, 6, "?r avc:fromActor ?a ; avc:toActor ?a") == 0


def test_dates_are_ordered_and_strengths_are_fractions() -> None:
    assert count(2000, 6, "?r avc:startDate ?s ; avc:endDate ?e FILTER(?e <= ?s)") == 0
    assert count(2000, 6, "?r avc:endDate ?e") > 0
    assert count(2000, 6, "?r avc:strength ?v FILTER(?v < 0 || ?v > 1 || DATATYPE(?v) != xsd:decimal)") == 0
    # no tie outlives a dissolved actor
    assert (
        count(
            2000,
            6,
            """?r avc:fromActor|avc:toActor ?a ; avc:endDate ?e . ?a schema:dissolutionDate ?d
                             FILTER(YEAR(?e) > xsd:integer(STR(?d)))""",
        )
        == 0
    )
    assert (
        count(
            2000,
            6,
            "?r avc:fromActor|avc:toActor ?a . ?a schema:dissolutionDate ?d "
            "FILTER NOT EXISTS { ?r avc:endDate ?e } FILTER NOT EXISTS { ?r avc:year ?y }",
        )
        == 0
    )


def test_every_cluster_has_a_gap_and_an_overlap() -> None:
    for seed in (1, 2, 3):
        gaps = count(
            200,
            seed,
            """?c avc:requiresCompetency ?k
            FILTER NOT EXISTS { ?x avc:competency ?k ; avc:role avc:LeadRole }""",
        )
        # two leads of one competency whose periods meet (no dates = every period)
        overlaps = count(
            200,
            seed,
            """SELECT DISTINCT ?k WHERE {
            ?x avc:competency ?k ; avc:role avc:LeadRole ; avc:assignedTo ?a .
            ?y avc:competency ?k ; avc:role avc:LeadRole ; avc:assignedTo ?b . FILTER(STR(?a) < STR(?b))
            OPTIONAL { ?x avc:startDate ?xs } OPTIONAL { ?x avc:endDate ?xe }
            OPTIONAL { ?y avc:startDate ?ys } OPTIONAL { ?y avc:endDate ?ye }
            FILTER((!BOUND(?xe) || !BOUND(?ys) || ?ys <= ?xe)
                && (!BOUND(?ye) || !BOUND(?xs) || ?xs <= ?ye)) }""",
        )
        assert gaps >= 1 and overlaps >= 1


def test_no_actors_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="at least one actor"):
        generate(0, 1)


@pytest.mark.slow
def test_two_hundred_actors_pass_the_loaders_checks() -> None:
    """The shapes and the vocabulary check, as `avcluster load` runs them: no violation, no warning."""
    parsed = ox.parse(text(200, 11).encode(), format=ox.RdfFormat.N_TRIPLES)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in parsed]
    assert unknown_terms(triples) == []
    assert shape_problems(triples) == []
