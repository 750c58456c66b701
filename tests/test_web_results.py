"""Query results like Datasette: facets with counts, chosen values, a filter box and a sort, all in the
URL, and CSV/JSON twins holding exactly the rows the table shows. web.results on its own, then the
app through Flask's test client on a hand-written store."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from avcluster.web.results import View, facets, fold, is_state, selected
from tests.webapp import make_app, web_fixtures

filled, client = web_fixtures("cluster")

# An answer with accents, repeated kinds and years, numbers to sort, and an unbound cell.
PEOPLE = """SELECT ?name ?kind ?year ?org WHERE {
  VALUES (?name ?kind ?year ?org) {
    ("Fundación INAAC" "foundation" 2001 id:w-gov)
    ("Fundacion Navarra" "foundation" 1999 id:w-fc)
    ("ÉCOLE Pamplona" "school" 2001 id:w-gov)
    ("Nicdo" "company" 10 UNDEF)
    ("Estudio Ñ" "company" 2001 id:w-prod)
    ("Zinema" "school" 1999 id:w-fc)
  }
}"""


@dataclass(frozen=True)
class C:
    text: str
    label: str | None = None
    sort: str = ""


def test_fold_strips_accents_and_case() -> None:
    assert fold("Fundación ÉCOLE Ñ") == "fundacion ecole n"
    assert fold("NICDO") == "nicdo"
    assert fold("İstanbul") == "istanbul"  # the dot the lower-casing adds goes too


def test_state_names_are_not_question_parameters() -> None:
    assert is_state("_facet") and is_state("type__exact") and is_state("_sort_desc")
    assert not is_state("cluster") and not is_state("since")


def test_view_round_trips_through_the_url() -> None:
    args = [
        ("_facet", "kind"),
        ("kind__exact", "school"),
        ("kind__exact", "company"),
        ("_search", "pamp"),
        ("_sort_desc", "year"),
    ]
    view = View.from_args(args)
    assert view.where == {"kind": ["school", "company"]}
    assert view.descending and view.sort == "year"
    assert View.from_args(view.args()).args() == view.args() == args
    assert view.toggled("kind", "school").where == {"kind": ["company"]}
    assert view.toggled("kind", "school").toggled("kind", "company").where == {}
    assert View().sorted_by("a").args() == [("_sort", "a")]
    assert View().sorted_by("a").sorted_by("a").args() == [("_sort_desc", "a")]


def test_filters_combine_and_values_of_one_column_are_alternatives() -> None:
    columns = ["name", "kind", "n"]
    rows = [
        [C("a", "Álava"), C("x"), C("2", sort="2")],
        [C("b", "Bilbao"), C("y"), C("10", sort="10")],
        [C("c", "Cádiz"), C("x"), C("b", sort="b")],
        [C("d", "Dénia"), C("z"), C("1", sort="1")],
    ]
    assert selected(columns, rows, View(where={"kind": ["x", "y"]})) == [0, 1, 2]
    assert selected(columns, rows, View(where={"kind": ["x"]}, search="CADIZ")) == [2]
    assert selected(columns, rows, View(search="ALAV  denia")) == []  # every word, in one row
    assert selected(columns, rows, View(search="dénia D")) == [3]  # in the label or the value
    assert selected(columns, rows, View(sort="n")) == [3, 0, 1, 2]  # numbers as numbers, then text
    assert selected(columns, rows, View(sort="n", descending=True)) == [2, 1, 0, 3]
    assert selected(columns, rows, View(sort="kind", descending=True)) == [3, 1, 0, 2]  # ties keep their order
    kind = facets(columns, rows, View(where={"kind": ["x"]}, search="d"))[0]
    assert kind.column == "kind"
    # counted over the rows the other filters keep (the search), this column's own choice aside
    assert [(v.value, v.count, v.chosen) for v in kind.values] == [("x", 1, True), ("z", 1, False)]


class Shown(HTMLParser):
    """The results table's visible rows (cell text), facet links and chips of a query page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.facets: dict[str, list[tuple[str, str, str]]] = {}  # column: (value, href, aria-pressed)
        self.chips: list[str] = []
        self.links: dict[str, str] = {}
        self._in_table = self._in_body = self._hidden = False
        self._cell: list[str] | None = None
        self._column = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and a.get("id") == "results":
            self._in_table = True
        elif tag == "tbody" and self._in_table:
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._hidden = "hidden" in a
            if not self._hidden:
                self.rows.append([])
        elif tag == "td" and self._in_body and not self._hidden:
            self._cell = []
        elif tag == "section" and "facet" in a.get("class", ""):
            self._column = a["data-column"]
            self.facets[self._column] = []
        elif tag == "a" and "facet-value" in a.get("class", ""):
            self.facets[self._column].append((a["data-value"], a["href"], a["aria-pressed"]))
        elif tag == "a" and "chip-remove" in a.get("class", ""):
            self.chips.append(f"{a['data-column']}={a['data-value']}")
        elif tag == "a" and a.get("id", "").startswith("download-"):
            self.links[a["id"]] = a["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._in_table = self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def shown(client: FlaskClient, url: str, args: list[tuple[str, str]]) -> Shown:
    response = client.get(url, query_string=args or None)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Shown(response.get_data(as_text=True))


def csv_rows(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def json_rows(client: FlaskClient, url: str) -> list[dict[str, dict[str, str]]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    return list(response.get_json()["results"]["bindings"])


def test_facets_offer_the_columns_with_few_values_with_counts(client: FlaskClient) -> None:
    page = shown(client, "/query", [("query", PEOPLE)])
    assert set(page.facets) == {"kind", "year", "org"}  # name is all different
    assert [(v, pressed) for v, _, pressed in page.facets["kind"]] == [
        ("company", "false"),
        ("foundation", "false"),
        ("school", "false"),
    ]
    assert "" in [v for v, _, _ in page.facets["org"]]  # unbound is a value too
    assert len(page.rows) == 6


def test_a_facet_and_the_filter_keep_the_same_rows_in_the_page_and_its_twins(client: FlaskClient) -> None:
    args = [("query", PEOPLE), ("year__exact", "2001"), ("_search", "fundacion"), ("_sort", "name")]
    page = shown(client, "/query", args)
    assert [r[0] for r in page.rows] == ["Fundación INAAC"]
    assert page.chips == ["year=2001"]
    looser = shown(client, "/query", [("query", PEOPLE), ("_search", "FUNDACION"), ("_sort_desc", "name")])
    assert [r[0] for r in looser.rows] == ["Fundacion Navarra", "Fundación INAAC"]  # accents and case aside
    for view in (args, [("query", PEOPLE), ("_search", "FUNDACION"), ("_sort_desc", "name")]):
        page = shown(client, "/query", view)
        names = [r[0] for r in page.rows]
        assert [r["name"] for r in csv_rows(client, page.links["download-csv"])] == names
        assert [b["name"]["value"] for b in json_rows(client, page.links["download-json"])] == names


def test_values_of_a_column_are_alternatives_and_columns_combine(client: FlaskClient) -> None:
    args = [("query", PEOPLE), ("kind__exact", "school"), ("kind__exact", "company"), ("_sort", "year")]
    page = shown(client, "/query", args)
    assert [r[0] for r in page.rows] == ["Nicdo", "Zinema", "ÉCOLE Pamplona", "Estudio Ñ"]  # 10 < 1999 < 2001
    assert sorted(page.chips) == ["kind=company", "kind=school"]
    downloaded = csv_rows(client, page.links["download-csv"])
    assert [(r["name"], r["year"], r["org"]) for r in downloaded] == [
        ("Nicdo", "10", ""),
        ("Zinema", "1999", "https://w3id.org/avcluster/id/w-fc"),
        ("ÉCOLE Pamplona", "2001", "https://w3id.org/avcluster/id/w-gov"),
        ("Estudio Ñ", "2001", "https://w3id.org/avcluster/id/w-prod"),
    ]
    bindings = json_rows(client, page.links["download-json"])
    assert bindings[0] == {
        "name": {"type": "literal", "value": "Nicdo"},
        "kind": {"type": "literal", "value": "company"},
        "year": {"type": "literal", "value": "10", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    }
    both = shown(client, "/query", [*args, ("org__exact", "id:w-gov")])
    assert [r[0] for r in both.rows] == ["ÉCOLE Pamplona"]
    # a facet link toggles its value, keeping the rest of the view
    school = next(href for v, href, _ in page.facets["kind"] if v == "school")
    assert [r[0] for r in shown(client, school, []).rows] == ["Nicdo", "Estudio Ñ"]


def test_the_filter_reads_labels_in_the_readers_language(client: FlaskClient) -> None:
    page = shown(client, "/query", [("query", PEOPLE), ("_search", "gobierno"), ("lang", "es")])
    assert [r[0] for r in page.rows] == ["Fundación INAAC", "ÉCOLE Pamplona"]
    assert "lang" not in page.links["download-csv"]


def test_a_canned_questions_twins_carry_its_parameter_and_the_view(client: FlaskClient) -> None:
    args = [
        ("cluster", "id:w-cluster"),
        ("type__exact", "avc:FilmCommission"),
        ("type__exact", "avc:ProductionCompany"),
    ]
    page = shown(client, "/query/members-by-type", [*args, ("_search", "films")])
    assert [r[1] for r in page.rows] == ["Web Test Films"]
    csv_link = page.links["download-csv"]
    assert csv_link.startswith("/query/members-by-type.csv?cluster=id")
    assert [r["label"] for r in csv_rows(client, csv_link)] == ["Web Test Films"]
    assert [b["label"]["value"] for b in json_rows(client, page.links["download-json"])] == ["Web Test Films"]
    two = shown(client, "/query/members-by-type", args)
    assert sorted(r[1] for r in two.rows) == ["Web Test Films", "Webland Film Commission"]
    # the same through /query?question=…
    again = shown(client, "/query", [("question", "members-by-type"), *args])
    assert sorted(r[1] for r in again.rows) == sorted(r[1] for r in two.rows)


def test_without_a_view_the_twins_are_the_engines_own(client: FlaskClient) -> None:
    page = shown(client, "/query", [("query", PEOPLE)])
    assert "_" not in page.links["download-csv"].split("?", 1)[1].split("=")[0]
    assert len(csv_rows(client, page.links["download-csv"])) == 6


def test_a_graph_answer_filters_too(client: FlaskClient) -> None:
    construct = "CONSTRUCT { ?a avc:memberOf ?c } WHERE { ?a avc:memberOf ?c }"
    args = [("query", construct), ("_search", "film")]
    page = shown(client, "/query", args)
    assert len(page.rows) == 2  # Web Test Films, Webland Film Commission
    downloaded = csv_rows(client, "/query.csv?" + page.links["download-csv"].split("?", 1)[1])
    assert sorted(r["subject"].rsplit("/", 1)[1] for r in downloaded) == ["w-fc", "w-prod"]
    as_json = client.get(page.links["download-json"])
    assert as_json.mimetype == "application/ld+json"
    assert "w-prod" in as_json.get_data(as_text=True) and "w-gov" not in as_json.get_data(as_text=True)


@pytest.mark.parametrize("rows", [2, 100])
def test_a_long_answer_is_filtered_on_the_server_before_it_is_cut(filled: object, rows: int) -> None:
    client = make_app(filled, MAX_HTML_ROWS=rows).test_client()
    page = shown(client, "/query", [("query", PEOPLE), ("kind__exact", "school"), ("_sort", "name")])
    assert [r[0] for r in page.rows] == ["ÉCOLE Pamplona", "Zinema"]
    assert [r["name"] for r in csv_rows(client, page.links["download-csv"])] == ["ÉCOLE Pamplona", "Zinema"]


def test_a_long_answer_chosen_by_value_alone_still_shows_its_labels(filled: object) -> None:
    client = make_app(filled, MAX_HTML_ROWS=2).test_client()
    page = shown(client, "/query", [("query", PEOPLE), ("kind__exact", "foundation")])
    assert page.rows == [
        ["Fundación INAAC", "foundation", "2001", "Webland Government id:w-gov"],
        ["Fundacion Navarra", "foundation", "1999", "Webland Film Commission id:w-fc"],
    ]
    org = {v for v, _, _ in page.facets["org"]}
    assert org == {"id:w-gov", "id:w-fc"}  # counted over the rows the view keeps
    assert [r["name"] for r in csv_rows(client, page.links["download-csv"])] == [r[0] for r in page.rows]


def test_facet_by_any_other_column(client: FlaskClient) -> None:
    html = client.get("/query", query_string={"query": PEOPLE}).get_data(as_text=True)
    assert 'class="facet-add" data-column="name"' in html
    page = shown(client, "/query", [("query", PEOPLE), ("_facet", "name")])
    assert len(page.facets["name"]) == 6 and all(count == "false" for _, _, count in page.facets["name"])
    assert all("_facet=name" in href for _, href, _ in page.facets["name"])  # kept as values are chosen
