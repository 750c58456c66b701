"""`compare`: a target region beside a model, on invented regions whose answers are worked out in
the fixture's comments (tests/fixtures/analysis/compare.ttl), on every store backend; and the
command on the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from avcluster.kg.analysis.compare import compare
from avcluster.kg.cli import cli
from avcluster.kg.namespaces import AVC, ID
from avcluster.kg.stores import Store

from .test_analysis import fixture_graphs


def i(slug: str) -> str:
    return str(ID[slug])


def c(name: str) -> str:
    return str(AVC[name])


@pytest.fixture
def regions(store: Store) -> Store:
    store.replace_graphs(fixture_graphs("compare"))
    return store


def test_the_json_has_the_keys_programs_rely_on(regions: Store) -> None:
    result = compare(regions, "alpha", "beta")
    expected = {"model", "target", "factors", "roles", "missing_roles", "competencies", "competency_gaps"}
    expected |= {"suggestions", "instruments", "network", "timeline", "target_position", "sources"}
    assert expected <= result.keys()
    assert (result["model"], result["target"]) == (i("alpha"), i("beta"))
    json.dumps(result)  # JSON-ready as it is


def test_factors_keep_values_years_sources_ranks_and_say_what_is_missing(regions: Store) -> None:
    factors = {row["factor"]: row for row in compare(regions, "alpha", "beta")["factors"]}
    territory = factors[c("TerritorySize")]
    assert territory["comparable"] is True
    assert territory["model"] == {
        "value": 600000.0,
        "indicator": c("Population"),
        "unit": "persons",
        "year": 2020,
        "source": [i("s-pop-a")],
        "rank": 2,
        "of": 3,
    }
    assert (territory["target"]["value"], territory["target"]["rank"]) == (1000000.0, 1)  # type: ignore[index]
    creative = factors[c("CreativeIndustrySize")]
    assert creative["model"]["value"] == 3000.0 and creative["target"] is None  # type: ignore[index]
    assert creative["comparable"] is False  # a missing figure, never a zero
    assert factors[c("HistoricalCulturalHeritage")] == {
        "factor": c("HistoricalCulturalHeritage"),
        "model": None,
        "target": None,
        "comparable": False,
    }


def test_missing_roles_gaps_and_who_leads_them_elsewhere_latest_first(regions: Store) -> None:
    result = compare(regions, "alpha", "beta")
    assert result["missing_roles"] == [c("FilmCommission"), c("ProductionCompany")]
    assert result["role_examples"][c("FilmCommission")] == [i("alpha-fc")]
    assert result["roles"]["target"] == [c("EducationCentre"), c("PublicAdministration")]
    leads = {row["competency"]: row for row in result["competencies"]}
    assert leads[c("IncentiveAdministration")]["target_leads"] == [i("beta-gov")]
    assert result["competency_gaps"] == [c("LocationServices")]
    assert result["suggestions"] == {c("LocationServices"): [i("gamma-fc"), i("alpha-fc"), i("gamma-old-fc")]}
    in_2020 = compare(regions, "alpha", "beta", at=2020)["suggestions"]
    assert in_2020 == {c("LocationServices"): [i("gamma-fc"), i("alpha-fc")]}  # the old office ended in 2010


def test_instruments_network_and_sources(regions: Store) -> None:
    result = compare(regions, "alpha", "beta")
    model = result["instruments"]["model"]
    assert sorted(model) == [c("Grant"), c("TaxIncentive")]
    assert model[c("TaxIncentive")][0]["rate"] == 0.3 and model[c("TaxIncentive")][0]["sources"] == [i("s-tax")]
    assert model[c("Grant")][0]["measure"] == i("alpha-grant")  # its region through the issuer's
    assert [m["amount"] for m in result["instruments"]["target"][c("Grant")]] == [50000.0]
    assert (result["network"]["model"]["actors"], result["network"]["model"]["ties"]) == (4, 1)
    assert (result["network"]["target"]["actors"], result["network"]["target"]["ties"]) == (2, 1)
    assert result["sources"] == sorted(i(s) for s in ("s-grant-b", "s-jobs-a", "s-lead", "s-pop-a", "s-pop-b", "s-tax"))


def test_the_models_path_and_where_the_target_stands_on_it(regions: Store) -> None:
    result = compare(regions, "alpha", "beta", at=2020)
    steps = [(m["date"], m["kind"], m["iri"]) for m in result["timeline"]]
    assert steps == [
        ("1990", c("EducationCentre"), i("alpha-school")),
        ("2005", c("Cluster"), i("alpha-cluster")),
        ("2006", c("FilmCommission"), i("alpha-fc")),
        ("2007", c("TaxIncentive"), i("alpha-tax")),
        ("2008", c("ProductionCompany"), i("alpha-prod")),
        ("2010", c("Grant"), i("alpha-grant")),
    ]
    position = result["target_position"]
    assert (position["first_year"], position["years_since_first"]) == (2012, 8)
    assert position["reached"] == [c("EducationCentre"), c("Grant")]
    assert position["not_reached"] == [c("Cluster"), c("FilmCommission"), c("TaxIncentive"), c("ProductionCompany")]


def test_an_earlier_year_narrows_both_regions(regions: Store) -> None:
    result = compare(regions, "alpha", "beta", at=2009)
    assert result["competency_gaps"] == [c("IncentiveAdministration"), c("LocationServices")]  # beta's lead began 2015
    assert result["target_position"]["first_year"] is None and result["target_position"]["reached"] == []
    assert [m["date"] for m in result["timeline"]][-1] == "2008"


def test_an_unknown_region_is_a_one_line_error(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    CliRunner().invoke(cli, ["--store", store, "init", "--no-data"], catch_exceptions=False)
    result = CliRunner().invoke(cli, ["--store", store, "compare", "--model", "navarre", "--target", "atlantis"])
    assert result.exit_code != 0
    assert "no region 'navarre'" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_navarre_beside_kaliningrad_from_the_command_line(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    CliRunner().invoke(cli, ["--store", store, "init"], catch_exceptions=False)
    text = CliRunner().invoke(cli, ["--store", store, "compare", "--model", "navarre", "--target", "kaliningrad"])
    assert text.exit_code == 0, text.stderr
    assert "COMPETENCY GAPS" in text.stdout and "Navarra Film Commission" in text.stdout
    answer = CliRunner().invoke(
        cli, ["--store", store, "compare", "--model", "navarre", "--target", "kaliningrad", "--format", "json"]
    )
    result = json.loads(answer.stdout)
    assert result["target"] == i("kaliningrad")
    assert c("ProductionCompany") in result["missing_roles"]  # the bundled Kaliningrad data names no producer
    assert all(result["suggestions"][gap] for gap in result["competency_gaps"])
    assert len(result["sources"]) > 50


def test_the_text_places_the_target_on_the_models_path(regions: Store) -> None:
    from avcluster.kg.analysis.compare_text import render_comparison

    text = render_comparison(compare(regions, "alpha", "beta", at=2020))
    assert "ALPHA'S PATH, AND BETA ON IT: 2 of 6 steps reached, 8 years since its first comparable step (2012)" in text
    assert "1,000,000 persons, 2019 (#1 of 3)" in text and "missing" in text
