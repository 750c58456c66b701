"""Every canned question on the hand-written fixture (tests/fixtures/core/small.ttl), answers worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from avcluster.kg.errors import AvclusterError
from avcluster.kg.ingest import load, load_ontology
from avcluster.kg.questions import ParameterError, question, questions
from avcluster.kg.results import solutions, text
from avcluster.kg.stores import Store, open_store
from avcluster.kg.stores.remote import RemoteStore

from .conftest import FIXTURES


@pytest.fixture
def loaded(store: Store) -> Iterator[Store]:
    load_ontology(store)
    load(store, [FIXTURES / "core" / "small.ttl"])
    yield store


def ask(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    names, rows = solutions(question(name).run(store, params))
    return [{n: text(c) for n, c in zip(names, row, strict=True) if c is not None} for row in rows]


def test_there_are_at_least_twelve_questions_each_with_title_and_description() -> None:
    assert len(questions()) >= 12
    for q in questions().values():
        assert q.title and q.title != q.name
        assert q.description


def test_members_by_type(loaded: Store) -> None:
    rows = ask(loaded, "members-by-type", cluster="t-cluster")
    assert {r["actor"]: r["type"] for r in rows} == {
        "id:t-gov": "avc:PublicAdministration",
        "id:t-fc": "avc:FilmCommission",
        "id:t-foundation": "avc:PublicEnterprise",
        "id:t-prod1": "avc:ProductionCompany",
        "id:t-prod2": "avc:ProductionCompany",
        "id:t-school": "avc:EducationCentre",
        "id:t-assoc": "avc:ProfessionalAssociation",
    }
    if isinstance(loaded, RemoteStore):
        return  # Virtuoso 7 drops transitive paths inside OPTIONAL (README, "Running on a SPARQL server")
    sectors = {r["actor"]: r.get("sector") for r in rows}
    assert sectors["id:t-gov"] == "public" and sectors["id:t-prod1"] == "private"


def test_funding(loaded: Store) -> None:
    rows = ask(loaded, "funding")
    assert {(r["funder"], r["recipient"]) for r in rows} == {("id:t-gov", "id:t-prod1"), ("id:t-gov", "id:t-prod2")}
    assert {r.get("measure") for r in rows} == {"id:measure-t1", "id:measure-t2"}


def test_competency_leads_for_one_competency(loaded: Store) -> None:
    rows = ask(loaded, "competency-leads", competency="avc:LocationServices")
    assert sorted((r["actor"], r["role"], r.get("start", ""), r.get("end", "")) for r in rows) == [
        ("id:t-fc", "avc:LeadRole", "2014", ""),
        ("id:t-foundation", "avc:LeadRole", "2000", "2013"),
        ("id:t-gov", "avc:ContributorRole", "", ""),
    ]


def test_competency_overlaps_count_undated_leads_as_meeting_every_period(loaded: Store) -> None:
    rows = ask(loaded, "competency-overlaps")
    assert [(r["competency"], r["actorA"], r["actorB"]) for r in rows] == [
        ("avc:ProductionFinancing", "id:t-fc", "id:t-gov")
    ]


def test_competency_gaps(loaded: Store) -> None:
    rows = ask(loaded, "competency-gaps", cluster="t-cluster")
    assert [r["competency"] for r in rows] == ["avc:SpecialistTraining"]


def test_training(loaded: Store) -> None:
    rows = ask(loaded, "training")
    assert sorted((r["trainer"], r.get("trainee", "")) for r in rows) == [
        ("id:t-gov", "id:t-prod2"),
        ("id:t-school", "id:t-prod1"),
    ]


def test_dialogue_and_companies_outside_it(loaded: Store) -> None:
    assert [(r["actor"], r["partner"]) for r in ask(loaded, "dialogue")] == [("id:t-gov", "id:t-assoc")]
    # t-prod2 partners with the association that takes part in dialogue; t-prod1 has no such tie
    assert [r["company"] for r in ask(loaded, "companies-outside-dialogue", cluster="t-cluster")] == ["id:t-prod1"]


def test_oldest_strongest_ties(loaded: Store) -> None:
    rows = ask(loaded, "oldest-strongest-ties")
    assert rows[0]["rel"] == "id:rel-t2"
    assert len(rows) == 5
    assert {r["rel"] for r in ask(loaded, "oldest-strongest-ties", since="2011")} == {
        "id:rel-t1",
        "id:rel-t2",
        "id:rel-t4",
    }


def test_the_oldest_ties_are_fifty_ties_once_each(bundled: Store) -> None:
    # the bundled regions state some actors' labels in two graphs: their union gave the same tie in
    # many rows, and the 50 rows named 8 ties
    rows = ask(bundled, "oldest-strongest-ties")
    assert len({r["rel"] for r in rows}) == 50
    assert len(rows) == len({tuple(r.items()) for r in rows})


# The fixture's own values for the parameters whose defaults name Navarre's resources, and each
# narrowed shape's parameter.
FIXTURE_PARAMS: list[tuple[str, dict[str, str]]] = [
    *(
        (name, {})
        for name in sorted(questions())
        if name not in ("members-by-type", "projects", "sources-of", "success-factors")
    ),
    ("members-by-type", {"cluster": "t-cluster"}),
    ("projects", {"region": "t-region"}),
    ("sources-of", {"entity": "t-prod1"}),
    ("success-factors", {"region": "t-region"}),
    *((name, {"cluster": "t-cluster"}) for name, q in sorted(questions().items()) if "cluster" in q.narrowed),
]


@pytest.fixture
def twice(store: Store) -> Iterator[Store]:
    """The fixture stated in two graphs, as when two datasets describe the same actors."""
    if isinstance(store, RemoteStore):
        # seen in three server starts each: members-by-type gave 8 rows for 7, or companies-outside-
        # dialogue none for 1, varying with the order Virtuoso numbered the graphs (README)
        pytest.skip("Virtuoso 7.2 answers some questions on data in two graphs wrongly, by plan")
    load_ontology(store)
    load(store, [FIXTURES / "core" / "small.ttl"])
    load(store, [FIXTURES / "core" / "small.ttl"], name="the-same-again")
    yield store


def test_stating_the_data_in_two_graphs_changes_no_answer(twice: Store) -> None:
    # the store's default graph is the union of its graphs, where a triple in two graphs is two rows:
    # a question must neither repeat a row nor count a thing twice because of it
    once = open_store("memory:")
    load_ontology(once)
    load(once, [FIXTURES / "core" / "small.ttl"])
    empty = set()
    for name, params in FIXTURE_PARAMS:
        expected = sorted(map(repr, ask(once, name, **params)))
        assert sorted(map(repr, ask(twice, name, **params))) == expected, (name, params)
        empty |= set() if expected else {name}
    assert empty == {"posts", "projects", "shared-leaders"}  # the fixture has no people and no projects


def test_network_growth(loaded: Store) -> None:
    by_year = {r["year"]: r for r in ask(loaded, "network-growth")}
    assert by_year["2005"]["tiesStarted"] == "1" and by_year["2005"]["actorsFounded"] == "1"
    assert by_year["2010"]["tiesStarted"] == "1" and by_year["2010"]["actorsFounded"] == "0"
    assert by_year["2015"]["tiesEnded"] == "1"


def test_flows_by_kind(loaded: Store) -> None:
    rows = {(r["kind"], r.get("year")): r for r in ask(loaded, "flows-by-kind")}
    assert rows[("avc:FinancialFlow", "2015")]["flows"] == "2"
    assert float(rows[("avc:FinancialFlow", "2015")]["total"]) == 150000.0
    assert rows[("avc:InformationFlow", "2016")]["flows"] == "1"


def test_policy_measures(loaded: Store) -> None:
    rows = ask(loaded, "policy-measures")
    assert {r["measure"]: r.get("rate") for r in rows} == {
        "id:measure-t1": "0.35",
        "id:measure-t2": None,
        "id:measure-t3": None,
    }
    assert {r["measure"]: r.get("beneficiaries") for r in rows}["id:measure-t3"] == "Second Test Pictures"
    assert {r["measure"] for r in ask(loaded, "policy-measures", region="t-region")} == {
        "id:measure-t1",
        "id:measure-t2",
        "id:measure-t3",
    }
    assert ask(loaded, "policy-measures", region="t-region2") == []


def test_success_factors_for_a_region(loaded: Store) -> None:
    rows = ask(loaded, "success-factors", region="t-region")
    assert {(r["factor"], r["indicator"], r["value"]) for r in rows} == {
        ("avc:BusinessDiversity", "avc:SectorCompanies", "120"),
        ("avc:TerritorySize", "avc:Area", "10391"),
    }


def test_regions_compare(loaded: Store) -> None:
    rows = ask(loaded, "regions-compare", indicator="avc:SectorCompanies")
    assert {(r["region"], r["latestYear"]) for r in rows} == {("id:t-region", "2018"), ("id:t-region2", "2019")}


def test_sources_of_an_entity(loaded: Store) -> None:
    rows = ask(loaded, "sources-of", entity="t-prod1")
    assert {r["about"] for r in rows} == {
        "id:t-prod1",
        "id:rel-t1",
        "id:rel-t3",
        "id:flow-t1",
        "id:flow-t3",
        "id:measure-t1",
    }
    assert {r["url"] for r in rows} == {"https://example.org/test-fixture"}


def test_parameters_are_typed_and_bound_as_terms(loaded: Store) -> None:
    with pytest.raises(ParameterError, match="not a valid year"):
        ask(loaded, "oldest-strongest-ties", since="2011 || true")
    with pytest.raises(ParameterError, match="not a valid iri"):
        ask(loaded, "sources-of", entity="x> } ; DROP ALL ; SELECT * { <y")
    with pytest.raises(ParameterError, match="has no parameter"):
        ask(loaded, "funding", anything="1")
    # a string that looks like SPARQL stays a string: no row matches it, nothing breaks
    assert ask(loaded, "sources-of", entity="https://example.org/%22%7D") == []


def test_a_narrowed_shape_for_a_parameter_the_question_lacks_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avcluster.kg import questions as module

    (tmp_path / "ask.rq").write_text("# title: Ask\n# param cluster: iri\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "narrowed").mkdir()
    (tmp_path / "narrowed" / "ask.cluster.rq").write_text("SELECT * WHERE { ?s avc:memberOf ?cluster }\n")
    monkeypatch.setattr(module, "NARROWED_DIR", tmp_path / "narrowed")
    assert set(module.parse_question(tmp_path / "ask.rq").narrowed) == {"cluster"}
    (tmp_path / "narrowed" / "ask.region.rq").write_text("SELECT * WHERE { ?s avc:locatedIn ?region }\n")
    with pytest.raises(AvclusterError, match=r"ask\.region\.rq: ask has no parameter 'region' to narrow by"):
        module.parse_question(tmp_path / "ask.rq")
