"""The cluster analysis on small hand-written graphs whose answers are worked out in the fixtures' comments."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from avcluster.kg.analysis import SECTIONS, analyze, project, render_table
from avcluster.kg.errors import AvclusterError
from avcluster.kg.namespaces import AVC, ID
from avcluster.kg.parsing import read_triples
from avcluster.kg.stores import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures" / "analysis"


def fixture_graphs(*names: str, classes: bool = True) -> dict[str, list[ox.Triple]]:
    """The named fixtures (and the class axioms they rely on), one named graph each."""
    files = [*(["classes"] if classes else []), *names]
    return {f"https://w3id.org/avcluster/graph/test-{n}": read_triples(FIXTURES / f"{n}.ttl") for n in files}


def load(*names: str, classes: bool = True) -> Store:
    """A memory store holding the named fixtures."""
    store = open_store("memory:")
    store.replace_graphs(fixture_graphs(*names, classes=classes))
    return store


def i(slug: str) -> str:
    return str(ID[slug])


def by_iri(rows: list[dict], key: str = "iri") -> dict[str, dict]:
    return {row[key]: row for row in rows}


@pytest.fixture(scope="module")
def structure() -> dict:
    return analyze(load("structure"))


# ---------------------------------------------------------------- projection


def test_each_tie_counts_once_and_the_cluster_is_no_actor() -> None:
    graph = project(load("structure"))
    assert sorted(graph) == sorted(i(s) for s in ("p1", "p2", "p3", "p4", "b", "c1", "c2", "c3", "c4"))
    assert graph.number_of_edges() == 15  # qualified + shortcut-only; membership and the tie to the cluster are not
    assert graph.number_of_edges(i("p1"), i("p2")) + graph.number_of_edges(i("p2"), i("p1")) == 1
    assert graph.number_of_edges(i("p3"), i("p4")) == 1 and graph.number_of_edges(i("p4"), i("p3")) == 1
    assert graph.number_of_edges(i("c3"), i("c4")) + graph.number_of_edges(i("c4"), i("c3")) == 1
    shortcut = graph.get_edge_data(i("c1"), i("c2"))
    assert [d["kind"] for d in shortcut.values()] == ["CoProduction"]
    assert all(d["shortcut"] and d["mutual"] for d in shortcut.values())
    funding = graph.get_edge_data(i("p3"), i("p4"))[i("rel-p3-p4")]
    assert funding == {
        "tie": i("rel-p3-p4"),
        "category": "relationship",
        "kind": "Funding",
        "mutual": False,
        "shortcut": False,
    }


def test_actor_labels_types_and_sectors() -> None:
    graph = project(load("structure"))
    assert graph.nodes[i("p1")]["label"] == "P1"  # English before Spanish
    assert graph.nodes[i("p3")]["label"] == "P3"  # only a Spanish label: any will do
    assert graph.nodes[i("b")] == {"label": "Broker", "type": "ClusterOrganization", "sector": "private"}
    assert graph.nodes[i("p4")]["type"] == "PublicEnterprise" and graph.nodes[i("p4")]["sector"] == "public"
    assert graph.nodes[i("c3")]["sector"] == "private"


def test_graph_at_a_past_year() -> None:
    store = load("ties")
    in_2010 = project(store, at=2010)
    assert sorted(in_2010) == sorted(i(s) for s in ("gov", "fc", "uni", "prod", "svc"))  # newco founded 2016
    assert sorted(k for *_, k in in_2010.edges(keys=True)) == [i("t1"), i("t2"), i("t3"), i("t7")]
    in_2015 = project(store, at=2015)
    assert sorted(k for *_, k in in_2015.edges(keys=True)) == [i("t1"), i("t3"), i("t5"), i("t6"), i("t7")]
    assert in_2015.graph == {"at": 2015, "region": None}
    assert project(store).number_of_edges() == 7


def test_region_keeps_the_actors_located_in_it_or_members_of_its_cluster() -> None:
    store = load("regions")
    north = {i("a1"), i("a2"), i("m")}  # a1 is in a town within north; m is a member of north's cluster
    for name in ("north", "Norte", i("north")):
        graph = project(store, region=name)
        assert set(graph) == north and graph.number_of_edges() == 0  # the tie a1–a3 leaves the region
    assert set(project(store, region="south")) == {i("a3")}
    with pytest.raises(AvclusterError, match="no region 'nowhere'"):
        project(store, region="nowhere")


# ---------------------------------------------------------------- structure


def test_broker_and_centrality_by_hand(structure: dict) -> None:
    actors = by_iri(structure["actors"])
    assert actors[i("b")]["betweenness"] == pytest.approx(16 / 28)
    assert actors[i("p1")]["betweenness"] == pytest.approx(15 / 28)
    assert actors[i("c1")]["betweenness"] == pytest.approx(15 / 28)
    assert actors[i("p2")]["betweenness"] == 0
    assert actors[i("b")]["constraint"] == pytest.approx(0.5)
    assert actors[i("p1")]["constraint"] == pytest.approx(84 / 144)
    assert actors[i("p2")]["constraint"] == pytest.approx(1122 / 1296)
    assert [actors[i(s)]["effective_size"] for s in ("b", "p1", "p2")] == pytest.approx([2, 2.5, 1])
    assert (actors[i("p3")]["degree"], actors[i("p3")]["ties"]) == (3, 4)  # funding and training to p4
    assert structure["actors"][0]["iri"] == i("b")  # most central first
    top = structure["brokers"]["top"]
    assert [b["iri"] for b in top] == [i("b"), i("c1"), i("p1")]
    assert min(structure["actors"], key=lambda a: a["constraint"])["iri"] == i("b")
    bridges = structure["brokers"]["public_private"]
    assert [(b["iri"], b["public_neighbours"], b["private_neighbours"]) for b in bridges] == [
        (i("b"), 1, 1),
        (i("p1"), 3, 1),
    ]


def test_community_split_cores_and_network_figures(structure: dict) -> None:
    communities = structure["communities"]
    assert len(communities) == 2
    groups = [set(c["members"]) for c in communities]
    public, private = {i(f"p{n}") for n in range(1, 5)}, {i(f"c{n}") for n in range(1, 5)}
    assert any(public <= g for g in groups) and any(private <= g for g in groups)
    assert sum(len(g) for g in groups) == 9  # the broker joins one side
    actors = by_iri(structure["actors"])
    assert actors[i("p1")]["community"] != actors[i("c1")]["community"]
    assert [actors[i(s)]["core"] for s in ("b", "p1", "c4")] == [2, 3, 3]
    network = structure["network"]
    assert network["modularity"] == pytest.approx(334 / 784)
    assert network["density"] == pytest.approx(14 / 36)
    assert network["reciprocity"] == pytest.approx(2 / 7)
    assert (network["actors"], network["ties"], network["tied_pairs"], network["components"]) == (9, 15, 14, 1)
    assert (network["max_core"], network["core_actors"], network["communities"]) == (3, 8, 2)
    assert structure["meta"]["betweenness"] == {"exact": True, "sources": 9, "seed": 42}


@pytest.mark.parametrize("fixture", ["structure", "ties", "flows"])
def test_measures_equal_networkx_on_the_same_projection(fixture: str) -> None:
    store = load(fixture)
    result = analyze(store, sections=["actors"])
    multigraph = project(store)
    simple = nx.Graph(multigraph.to_undirected())
    simple.remove_edges_from(nx.selfloop_edges(simple))
    directed = nx.DiGraph()
    directed.add_nodes_from(multigraph)
    for u, v, mutual in multigraph.edges(data="mutual"):
        directed.add_edges_from([(u, v), (v, u)] if mutual else [(u, v)])
    expected = {
        "betweenness": nx.betweenness_centrality(simple),
        "pagerank": nx.pagerank(directed, tol=1e-16, max_iter=100_000),  # igraph solves it exactly
        "constraint": nx.constraint(simple),
        "effective_size": nx.effective_size(simple),
        "core": nx.core_number(simple),
    }
    if nx.is_connected(simple):
        expected["eigenvector"] = nx.eigenvector_centrality_numpy(simple)
    for actor in result["actors"]:
        for measure, values in expected.items():
            value = values[actor["iri"]]
            if value != value:  # NaN for an isolate becomes None
                assert actor[measure] is None
            else:
                tolerance = {"abs": 1e-6} if measure == "eigenvector" else {"rel": 1e-9, "abs": 1e-12}
                assert actor[measure] == pytest.approx(value, **tolerance), (measure, actor["iri"])


# ---------------------------------------------------------------- ties


def test_ties_age_strength_ending_and_public_private_share() -> None:
    ties = analyze(load("ties"), at=2020, sections=["ties"])["ties"]
    assert (ties["reference_year"], ties["current"], ties["ended"], ties["dated"]) == (2020, 6, 1, 5)
    assert ties["mean_years"] == pytest.approx(7.6) and ties["median_years"] == 6
    assert ties["mean_strength"] == pytest.approx(0.7375)
    strong = ties["long_term_strong"]
    assert (strong["count"], strong["min_years"], strong["min_strength"]) == (2, 5, 0.7)
    assert [(t["tie"], t["years"], t["strength"]) for t in strong["ties"]] == [(i("t1"), 14, 0.9), (i("t5"), 5, 0.75)]
    assert strong["ties"][0]["sources"] == [i("source-a")]
    ended = ties["ended_ties"]
    assert ended["by_year"] == [{"year": 2014, "count": 1}]
    assert [(t["tie"], t["kind"], t["from"], t["to"], t["years"]) for t in ended["ties"]] == [
        (i("t2"), "Governance", i("gov"), i("fc"), 5)
    ]
    assert ties["public_private"] == {
        "public_private": 4,
        "public_public": 1,
        "private_private": 1,
        "unknown": 0,
        "share": pytest.approx(4 / 6),
    }
    kinds = by_iri(ties["by_kind"], "kind")
    assert (kinds["Governance"]["current"], kinds["Governance"]["ended"]) == (0, 1)
    assert kinds["Partnership"]["mean_years"] == pytest.approx(5.5)  # t5 5 years, t6 6


def test_a_tie_ends_between_two_years() -> None:
    before = analyze(load("ties"), at=2013, sections=["ties"])["ties"]
    after = analyze(load("ties"), at=2015, sections=["ties"])["ties"]
    assert before["ended_ties"]["count"] == 0 and i("t2") not in [t["tie"] for t in before["long_term_strong"]["ties"]]
    assert [t["tie"] for t in after["ended_ties"]["ties"]] == [i("t2")]


# ---------------------------------------------------------------- competencies


def test_overlaps_with_and_without_dates() -> None:
    result = analyze(load("competencies"), sections=["competencies"])["competencies"]
    overlaps = {o["competency"]: o for o in result["overlaps"]}
    assert set(overlaps) == {str(AVC.FilmingPermits), str(AVC.LocationServices)}
    permits = overlaps[str(AVC.FilmingPermits)]
    assert permits["actors"] == [i("city"), i("gov")]
    assert (permits["from"], permits["to"], permits["certain"]) == ("2016-01-01", "2018-12-31", True)
    location = overlaps[str(AVC.LocationServices)]
    assert location["actors"] == [i("inaac"), i("nicdo")]
    assert (location["from"], location["to"], location["certain"]) == ("2014", "2014-06-30", False)
    assert location["cluster"] == i("comp-cluster")
    in_2017 = analyze(load("competencies"), at=2017, sections=["competencies"])["competencies"]
    assert [o["competency"] for o in in_2017["overlaps"]] == [str(AVC.FilmingPermits)]


def test_gaps_now_and_in_past_years() -> None:
    store = load("competencies")
    assert analyze(store, sections=["competencies"])["competencies"]["gaps"] == [
        str(AVC.Infrastructure),
        str(AVC.SpecialistTraining),
    ]
    assert analyze(store, at=2017, sections=["competencies"])["competencies"]["gaps"] == [str(AVC.SpecialistTraining)]
    in_2012 = analyze(store, at=2012, sections=["competencies"])["competencies"]
    assert in_2012["gaps"] == [str(AVC.Infrastructure), str(AVC.SpecialistTraining)]
    assert in_2012["gaps_by_cluster"] == [{"cluster": i("comp-cluster"), "gaps": in_2012["gaps"]}]


def test_leads_contributors_and_changes_of_hands() -> None:
    result = analyze(load("competencies"), sections=["competencies"])["competencies"]
    rows = by_iri(result["competencies"], "competency")
    incentive = rows[str(AVC.IncentiveAdministration)]
    assert [(r["actor"], r["assignment"]) for r in incentive["leads"]] == [(i("gov"), i("a5"))]  # not the shortcut too
    training = rows[str(AVC.SpecialistTraining)]
    assert [r["actor"] for r in training["leads"]] == [i("outsider")]
    assert sorted((r["actor"], r["start"]) for r in training["contributors"]) == [
        (i("firm"), "2012"),
        (i("school"), None),
    ]
    assert rows[str(AVC.PostProduction)] == {
        "competency": str(AVC.PostProduction),
        "required_by": [],
        "leads": [],
        "contributors": [],
    }
    assert rows[str(AVC.LocationServices)]["leads"][0]["sources"] == [i("source-b")]
    assert result["changes"] == [
        {
            "competency": str(AVC.LocationServices),
            "from": i("inaac"),
            "to": i("nicdo"),
            "ended": "2014-06-30",
            "started": "2014",
            "year": 2014,
            "cluster": i("comp-cluster"),
        }
    ]
    assert analyze(load("competencies"), at=2013, sections=["competencies"])["competencies"]["changes"] == []


# ---------------------------------------------------------------- flows


def test_flow_totals_by_kind_sector_and_year() -> None:
    flows = analyze(load("flows"), sections=["flows"])["flows"]
    assert (flows["count"], flows["amount"]) == (10, {"EUR": 290000.5})
    assert flows["by_kind"] == [
        {"kind": "FinancialFlow", "count": 4, "amount": {"EUR": 290000.5}},
        {"kind": "InformationFlow", "count": 5, "amount": {}},
        {"kind": "MaterialFlow", "count": 1, "amount": {}},
    ]
    by_year = {(r["year"], r["kind"]): (r["count"], r["amount"]) for r in flows["by_year"]}
    assert by_year == {
        (2018, "FinancialFlow"): (2, {"EUR": 150000.5}),
        (2018, "InformationFlow"): (2, {}),
        (2019, "FinancialFlow"): (2, {"EUR": 140000.0}),
        (2019, "InformationFlow"): (3, {}),
        (2019, "MaterialFlow"): (1, {}),
    }
    financial = {
        (r["from_sector"], r["to_sector"]): (r["count"], r["amount"])
        for r in flows["by_sector"]
        if r["kind"] == "FinancialFlow"
    }
    assert financial == {("public", "private"): (3, {"EUR": 270000.5}), ("private", "private"): (1, {"EUR": 20000.0})}
    types = {(r["from_type"], r["to_type"]) for r in flows["by_actor_type"] if r["kind"] == "FinancialFlow"}
    assert types == {("PublicAdministration", "ProductionCompany"), ("ProductionCompany", "DistributionCompany")}
    brokers = flows["information_brokers"]
    assert [(b["iri"], b["inflows"], b["outflows"]) for b in brokers] == [(i("nfc"), 3, 2), (i("gov"), 1, 1)]
    assert brokers[0]["betweenness"] == pytest.approx(5 / 12) and brokers[1]["betweenness"] == 0


def test_flows_in_one_year() -> None:
    flows = analyze(load("flows"), at=2018, sections=["flows"])["flows"]
    assert (flows["count"], flows["amount"]) == (4, {"EUR": 150000.5})
    assert [(r["kind"], r["count"]) for r in flows["by_kind"]] == [("FinancialFlow", 2), ("InformationFlow", 2)]


# ---------------------------------------------------------------- life cycle


def test_life_cycle_indicators_by_hand() -> None:
    [cycle] = analyze(load("ties"), at=2020, sections=["lifecycle"])["lifecycle"]
    assert (cycle["cluster"], cycle["age"], cycle["members"], cycle["ties"]) == (i("ties-cluster"), 9, 6, 6)
    indicators = {x["indicator"]: x for x in cycle["indicators"]}
    growth, maturity = str(AVC.Growth), str(AVC.Maturity)
    assert (indicators["age"]["value"], indicators["age"]["stage"]) == (9, growth)
    assert indicators["member_growth"]["value"] == pytest.approx(1.2**0.2 - 1)
    assert indicators["member_growth"]["stage"] == maturity
    assert "1 of 6 members have no date" in indicators["member_growth"]["why"]
    assert (indicators["tie_growth"]["value"], indicators["tie_growth"]["stage"]) == (
        pytest.approx(1.2**0.2 - 1),
        maturity,
    )
    assert (indicators["new_tie_share"]["value"], indicators["new_tie_share"]["stage"]) == (
        pytest.approx(0.2),
        maturity,
    )
    assert (indicators["turnover"]["value"], indicators["turnover"]["stage"]) == (1, None)
    assert (indicators["density"]["value"], indicators["density"]["stage"]) == (pytest.approx(0.4), None)
    assert cycle["votes"] == {growth: 1, maturity: 3}
    assert (cycle["asserted_stage"], cycle["suggested_stage"], cycle["agrees"]) == (growth, maturity, False)
    series = {row["year"]: row for row in cycle["series"]}
    assert series[2015] == {
        "year": 2015,
        "members": 5,
        "ties": 5,
        "new_ties": 1,
        "ended_ties": 0,
        "density": pytest.approx(0.5),
    }
    assert series[2014]["ended_ties"] == 1 and min(series) <= 2006 and max(series) == 2020


def test_life_cycle_says_when_the_evidence_is_too_thin() -> None:
    [cycle] = analyze(load("structure"), at=2020, sections=["lifecycle"])["lifecycle"]
    indicators = {x["indicator"]: x for x in cycle["indicators"]}
    assert indicators["age"] == {
        "indicator": "age",
        "value": None,
        "stage": None,
        "why": "no founding date",
        "reasons": [{"text": "no founding date", "args": {}}],  # the why as a template a viewer translates
    }
    assert indicators["member_growth"]["why"] == "0 of 9 members dated: too few to judge growth"
    assert all(x["stage"] is None for x in cycle["indicators"])
    assert (cycle["suggested_stage"], cycle["agrees"], cycle["votes"]) == (None, None, {})
    assert "asserted –, no evidence" in render_table(analyze(load("structure"), sections=["lifecycle"]))


# ---------------------------------------------------------------- regions


def test_success_factors_side_by_side() -> None:
    regions = analyze(load("regions"), sections=["regions"])["regions"]
    assert regions["factors"][0] == str(AVC.HistoricalCulturalHeritage) and len(regions["factors"]) == 5
    rows = by_iri(regions["regions"], "region")
    assert list(rows) == [i("north"), i("south")]
    north, south = rows[i("north")], rows[i("south")]
    assert north["clusters"] == [{"cluster": i("north-cluster"), "stage": str(AVC.Growth)}]
    latest = {(f["indicator"], f["value"], f["year"]) for f in north["latest"]}
    assert latest == {
        (str(AVC.SectorGDPShare), 1.5, 2021),
        (str(AVC.Population), 661000.0, 2021),
        (str(AVC.SectorEmployment), 2500.0, 2020),
    }
    assert len(north["figures"]) == 4
    employment = next(f for f in north["figures"] if f["indicator"] == str(AVC.SectorEmployment))
    assert employment["factors"] == sorted([str(AVC.CreativeIndustrySize), str(AVC.HumanCapital)])
    assert (employment["unit"], employment["sources"], employment["comment"]) == (
        "jobs",
        [i("s1")],
        "jobs in film and TV",
    )
    assert north["missing_factors"] == [str(AVC.HistoricalCulturalHeritage), str(AVC.BusinessDiversity)]
    assert north["missing_indicators"] == []
    assert sorted(
        (f["value"], f["sources"][0]) for f in south["latest"] if f["indicator"] == str(AVC.SectorGDPShare)
    ) == [(2.1, i("s3")), (2.4, i("s4"))]  # two sources disagree: both kept
    assert south["missing_factors"] == [
        str(AVC.HistoricalCulturalHeritage),
        str(AVC.BusinessDiversity),
        str(AVC.HumanCapital),
    ]
    assert south["missing_indicators"] == [str(AVC.SectorEmployment)]
    in_2020 = by_iri(analyze(load("regions"), at=2020, sections=["regions"])["regions"]["regions"], "region")
    assert str(AVC.TerritorySize) in in_2020[i("north")]["missing_factors"]


# ---------------------------------------------------------------- the report


def test_sections_json_and_table() -> None:
    store = load("structure", "competencies")
    result = analyze(store)
    assert list(result) == ["meta", *SECTIONS, "labels"]
    json.dumps(result, allow_nan=False)
    assert result["labels"][i("b")] == "Broker" and result["labels"][str(AVC.LocationServices)] == "location services"
    assert set(result["meta"]["seconds"]) >= {"read", "projection", "structure", "ties", "competencies"}
    only = analyze(store, sections=["competencies"])
    assert list(only) == ["meta", "competencies", "labels"] and "betweenness" not in only["meta"]
    with pytest.raises(AvclusterError, match="unknown section bogus"):
        analyze(store, sections=["bogus"])
    text = render_table(result)
    for expected in (
        "NETWORK",
        "BROKERS",
        "Broker",
        "COMMUNITIES",
        "OVERLAPS",
        "INAAC & NICDO",
        "possible",
        "GAPS (required, nobody leads): infrastructure, training of specialists",
        "LIFE CYCLE",
    ):
        assert expected in text
    assert render_table(analyze(store, sections=["flows"])).count("\n") < 20


def test_analysis_on_an_empty_store() -> None:
    result = analyze(open_store("memory:"))
    assert result["actors"] == [] and result["communities"] == [] and result["lifecycle"] == []
    assert result["network"]["actors"] == 0 and result["network"]["modularity"] is None
    assert "0 actors" in render_table(result)
