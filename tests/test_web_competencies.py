"""/competencies for people, through Flask's test client on the bundled data: one cluster by default
(Navarre's), another or all by `?cluster=`, readable periods in three languages, the Gantt chart of
who led each competency (hand-overs, overlaps, gaps), and the life-cycle panel of /analysis that
explains its suggestion with the evidence the command line prints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from avcluster.kg.analysis import analyze, render_table
from avcluster.kg.namespaces import ID
from avcluster.kg.stores import Store
from avcluster.web import charts, create_app

NAVARRE = str(ID) + "navarra-audiovisual-cluster"


@pytest.fixture(scope="module")
def app(bundled: Store) -> Flask:
    return create_app({"STORE": bundled, "TESTING": True})


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    yield app.test_client()


def twin(client: FlaskClient, url: str, **args: Any) -> Any:
    response = client.get(url, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.loads(response.get_data(as_text=True))


def test_one_cluster_by_default_another_or_all_by_the_url(client: FlaskClient) -> None:
    navarre = twin(client, "/competencies.json")
    assert navarre["cluster"] == NAVARRE
    assert navarre["counts"]["actors"] > navarre["counts"]["members"] > 0
    assert {g["cluster"] for g in navarre["gaps_by_cluster"]} == {NAVARRE}
    assert all(o["cluster"] == NAVARRE for o in navarre["overlaps"] + navarre["changes"])
    in_2012 = twin(client, "/competencies.json", at=2012)["counts"]
    assert in_2012["at"] == 2012 and in_2012["actors"] < navarre["counts"]["actors"]  # the year shown
    moscow = twin(client, "/competencies.json", cluster="moscow-film-cluster")
    assert moscow["cluster"] == str(ID) + "moscow-film-cluster" and moscow["counts"]["actors"] < 30
    everything = twin(client, "/competencies.json", cluster="all")
    assert everything["cluster"] is None and everything["counts"] is None
    assert len(everything["gaps_by_cluster"]) == len(everything["clusters"]) > 5
    assert everything["matrix"]["actors"] > navarre["matrix"]["actors"]
    assert twin(client, "/competencies.json", region="galicia")["cluster"] == str(ID) + "galician-audiovisual-cluster"
    assert client.get("/competencies", query_string={"cluster": "atlantis"}).status_code == 400


@pytest.mark.parametrize(
    ("lang", "since", "undated"),
    [("en", "since 2014", "undated"), ("es", "desde 2014", "sin fecha"), ("ru", "с 2014", "без даты")],
)
def test_periods_read_as_people_write_them(client: FlaskClient, lang: str, since: str, undated: str) -> None:
    html = client.get("/competencies", query_string={"lang": lang}).get_data(as_text=True)
    assert since in html and undated in html and "2009–2014" in html
    assert "lead 2009 – 2014" not in html and "… –" not in html


def test_the_gantt_shows_hand_overs_overlaps_and_gaps(client: FlaskClient) -> None:
    html = client.get("/competencies").get_data(as_text=True)
    gantt = html[html.index('id="competency-gantt"') :]
    gantt = gantt[: gantt.index("</svg>")]
    assert "NICDO: since 2014" in gantt and "Fundación INAAC: 2009–2014" in gantt
    assert 'class="gantt-handover"' in gantt and "Fundación INAAC → NICDO (2014)" in gantt
    assert 'class="gantt-overlap"' in gantt and 'class="gantt-gap"' in gantt
    assert gantt.count('class="gantt-stated-gap"') == 3  # post-production, infrastructure, distribution
    assert "<script" not in gantt


def test_leads_that_meet_take_two_lanes_and_years_without_a_lead_are_gaps() -> None:
    rows = [
        charts.GanttRow(
            "location services",
            None,
            [charts.Lead("A", 2009, 2014, "2009–2014"), charts.Lead("B", 2014, None, "since 2014")],
            gaps_from=2005,
        ),
        charts.GanttRow(
            "training",
            None,
            [charts.Lead("C", 2009, 2012, "2009–2012"), charts.Lead("D", 2016, 2018, "")],
            gaps_from=2009,
        ),
        charts.GanttRow("post-production", None, [], stated_gap="gap"),
    ]
    chart = charts.gantt(rows, first=2005, last=2020, gap_text="no lead: {years}")
    one, two, three = chart.rows
    assert one.bars[0].y != one.bars[1].y and one.height > two.height  # an overlap stacks
    assert two.bars[0].y == two.bars[1].y  # successive leads share a lane
    assert [g.text for g in one.gaps] == ["no lead: 2005–2008"]
    assert [g.text for g in two.gaps] == ["no lead: 2013–2015", "no lead: 2019–2020"]
    assert three.stated_gap == "gap" and not three.bars
    assert one.bars[1].open_end and not one.bars[0].open_end
    assert one.bars[0].label == "A: 2009–2014"


def test_a_label_is_shortened_to_its_room_keeping_what_follows_it() -> None:
    assert charts.fit("film commission", 400, after=" (3)") == "film commission (3)"
    short = charts.fit("государственная телерадиокомпания", 120, after=" (12)")
    assert short.endswith("… (12)") and "государственная".startswith(short[:-6])
    assert charts.text_width(short) <= 120 < charts.text_width("государственная телерадиокомпания (12)")
    assert charts.text_width("государство") > charts.text_width("governments")  # wider letter for letter
    assert charts.fit("anything", 10, after=" (12)") == "(12)"  # not even a letter: the count alone


def test_the_life_cycle_panel_shows_the_evidence_the_command_line_prints(client: FlaskClient, bundled: Store) -> None:
    data = twin(client, "/analysis.json")
    navarre = next(c for c in data["lifecycle"] if c["cluster"] == NAVARRE)
    assert navarre["verdict"] == "suggested" and navarre["counts"]["actors"] > 100
    html = client.get("/analysis").get_data(as_text=True)
    panel = html[html.index('id="evidence-navarra-audiovisual-cluster"') :]
    panel = panel[: panel.index("</section>")]
    printed = render_table(analyze(bundled, sections=["lifecycle"]))
    for indicator in navarre["indicators"]:
        assert indicator["why"] in printed
        assert indicator["why"] in panel
    split = next(c for c in data["lifecycle"] if c["verdict"] != "suggested")
    other = html[html.index(f'id="evidence-{split["cluster"].rsplit("/", 1)[-1]}"') :]
    assert "No suggestion" in other[: other.index("</section>")]


def test_the_evidence_reads_in_the_readers_language(client: FlaskClient) -> None:
    data = twin(client, "/analysis.json")
    navarre = next(c for c in data["lifecycle"] if c["cluster"] == NAVARRE)
    for indicator in navarre["indicators"]:  # the English why is its reasons filled in
        assert indicator["why"] == "".join(r["text"].format(**r["args"]) for r in indicator["reasons"])
    html = client.get("/analysis", query_string={"lang": "ru"}).get_data(as_text=True)
    panel = html[html.index('id="evidence-navarra-audiovisual-cluster"') :]
    panel = panel[: panel.index("</table>")]
    assert "за 5 лет" in panel and "Данные указывают" in panel
    assert not any(i["why"] in panel for i in navarre["indicators"])  # no English reason left
