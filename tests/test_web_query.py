"""/query: the editor page, canned questions with their forms, answers as HTML tables without
JavaScript, CSV/JSON twins, and errors in words. Flask's test client on a hand-written store."""

from __future__ import annotations

import csv
import io
import json
from html import unescape
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from avcluster.kg.questions import questions
from avcluster.kg.stores import Store
from tests.webapp import make_app, web_fixtures

MEMBERS = (
    "SELECT ?actor ?label WHERE { ?actor avc:memberOf id:w-cluster ; rdfs:label ?label FILTER(LANG(?label) = 'en') } "
    "ORDER BY ?label"
)


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class Page(HTMLParser):
    """The parts of a page the tests read: tables by id (cell text), elements by id, selects, scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.selects: dict[str, list[tuple[str, str, bool]]] = {}
        self.scripts: list[dict[str, str | None]] = []
        self.texts: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._script: str | None = None
        self._open: list[tuple[str, str | None, list[str]]] = []  # elements open, with their ids
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "select":
            self._select = a.get("name") or ""
            self.selects[self._select] = self.selects.get(self._select, [])
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value") or "", "selected" in a)
        elif tag == "script":
            self.scripts.append(a)
            self._script = a.get("id")
        if tag not in VOID:
            self._open.append((tag, a.get("id") if tag not in ("table", "script") else None, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "select":
            self._select = None
        elif tag == "script":
            self._script = None
        while self._open:
            opened, name, parts = self._open.pop()
            if name:
                self.texts[name] = " ".join("".join(parts).split())
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._option is not None and self._select is not None:
            self.selects[self._select].append((self._option[0], data.strip(), self._option[1]))
            self._option = None
        if self._script:
            self.texts[self._script] = self.texts.get(self._script, "") + data
        for _, name, parts in self._open:
            if name:
                parts.append(data)


filled, client = web_fixtures("cluster")


def test_the_editor_page_lists_every_question_with_a_form(client: FlaskClient) -> None:
    response = client.get("/query")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = Page(html)
    for question in questions().values():
        assert f'action="/query/{question.name}"' in html
        assert question.title in html
    assert 'id="query-text"' in html
    assert "results" not in page.tables  # nothing run yet
    clusters = page.selects["cluster"]
    assert ("id:w-cluster", "Webland audiovisual cluster", False) in clusters
    assert clusters[0][0] == ""  # "any" leaves the parameter open
    regions = page.selects["region"]
    assert ("id:w-region", "Webland", False) in regions


def test_editor_data_offers_prefixes_and_the_ontologys_terms(client: FlaskClient) -> None:
    page = Page(client.get("/query").get_data(as_text=True))
    data = json.loads(page.texts["editor-data"])
    assert data["prefixes"]["avc"] == "https://w3id.org/avcluster/ontology#"
    texts = {c["text"] for c in data["completions"]}
    assert {"avc:Actor", "avc:FilmCommission", "avc:fromActor"} <= texts
    assert "PREFIX avc: <https://w3id.org/avcluster/ontology#>" in unescape(client.get("/query").get_data(as_text=True))


def test_query_in_the_url_is_run_and_shown_as_a_table(client: FlaskClient) -> None:
    response = client.get("/query", query_string={"query": MEMBERS})
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    rows = page.tables["results"]
    assert rows[0] == ["actor", "label"]
    assert rows[1] == ["Web Test Films id:w-prod", "Web Test Films"]  # label beside the IRI
    assert len(rows) == 1 + 3
    assert "/resource/w-gov" in page.links
    assert page.texts["result-count"] == "3"
    assert MEMBERS in unescape(response.get_data(as_text=True))  # the editor holds the query that ran


def test_labels_follow_the_chosen_language_and_it_is_remembered(filled: Store) -> None:
    client = make_app(filled).test_client()
    response = client.get("/query", query_string={"query": "SELECT ?x WHERE { VALUES ?x { id:w-gov } }", "lang": "es"})
    assert "Gobierno de Webland" in Page(response.get_data(as_text=True)).tables["results"][1][0]
    assert "lang=es" in response.headers["Set-Cookie"]
    again = client.get("/query", query_string={"query": "SELECT ?x WHERE { VALUES ?x { id:w-gov } }"})
    assert "Gobierno de Webland" in again.get_data(as_text=True)
    russian = client.get("/query", query_string={"query": "SELECT ?x WHERE { VALUES ?x { id:w-gov } }", "lang": "ru"})
    assert "Правительство Вебландии" in russian.get_data(as_text=True)
    fallback = client.get("/query", query_string={"query": "SELECT ?x WHERE { VALUES ?x { id:w-fc } }", "lang": "ru"})
    assert "Webland Film Commission" in fallback.get_data(as_text=True)  # no Russian label: English


@pytest.mark.parametrize("url", ["/query/members-by-type", "/query"])
def test_a_question_runs_with_its_parameters(client: FlaskClient, url: str) -> None:
    args = (
        {"cluster": "id:w-cluster"} if url != "/query" else {"question": "members-by-type", "cluster": "id:w-cluster"}
    )
    response = client.get(url, query_string=args)
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    rows = page.tables["results"]
    assert rows[0] == ["actor", "label", "type", "sector", "created"]
    assert {r[1] for r in rows[1:]} == {"Webland Government", "Webland Film Commission", "Web Test Films"}
    assert ("id:w-cluster", "Webland audiovisual cluster", True) in page.selects["cluster"]
    assert 'id="question-members-by-type" open' in response.get_data(as_text=True)


def test_question_twins_csv_and_json(client: FlaskClient) -> None:
    as_csv = client.get("/query/members-by-type.csv", query_string={"cluster": "id:w-cluster"})
    assert as_csv.status_code == 200
    assert as_csv.mimetype == "text/csv"
    assert 'filename="members-by-type.csv"' in as_csv.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert {r["label"] for r in rows} == {"Webland Government", "Webland Film Commission", "Web Test Films"}
    as_json = client.get("/query/members-by-type.json", query_string={"cluster": "id:w-cluster"})
    assert as_json.mimetype == "application/sparql-results+json"
    assert len(as_json.get_json()["results"]["bindings"]) == 3


def test_free_query_twins(client: FlaskClient) -> None:
    as_csv = client.get("/query.csv", query_string={"query": MEMBERS}).get_data(as_text=True)
    assert as_csv.splitlines()[0] == "actor,label"
    construct = "CONSTRUCT { ?a avc:memberOf ?c } WHERE { ?a avc:memberOf ?c }"
    graph_csv = client.get("/query.csv", query_string={"query": construct}).get_data(as_text=True)
    assert graph_csv.splitlines()[0] == "subject,predicate,object"
    assert len(graph_csv.splitlines()) == 4
    graph_json = client.get("/query.json", query_string={"query": construct})
    assert graph_json.mimetype == "application/ld+json"
    assert "w-cluster" in graph_json.get_data(as_text=True)
    assert client.get("/query.csv").status_code == 400
    assert client.get("/query.xml", query_string={"query": MEMBERS}).status_code == 404


def test_construct_answers_come_with_a_graph(client: FlaskClient) -> None:
    query = "CONSTRUCT { ?from avc:funds ?to } WHERE { ?rel a avc:Funding ; avc:fromActor ?from ; avc:toActor ?to }"
    page = Page(client.get("/query", query_string={"query": query}).get_data(as_text=True))
    assert page.tables["results"][0] == ["subject", "predicate", "object"]
    graph = json.loads(page.texts["result-graph-data"])
    assert {n["label"] for n in graph["nodes"]} == {"Webland Government", "Web Test Films"}
    assert graph["edges"] == [
        {
            "from": "<https://w3id.org/avcluster/id/w-gov>",
            "to": "<https://w3id.org/avcluster/id/w-prod>",
            "label": "avc:funds",
        }
    ]
    assert any(s.get("src") == "/assets/vis-network.min.js" for s in page.scripts)


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        ({"query": "SELECT ?x WHERE { ?x"}, 400, "error at 1:"),
        (
            {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
            400,
            "SERVICE (federated query) is not allowed",
        ),
        ({"query": "INSERT DATA { id:x rdfs:label 'x' }"}, 400, "this is a SPARQL Update"),
        ({"question": "oldest-strongest-ties", "since": "last year"}, 400, "'last year' is not a valid year"),
        ({"question": "members-by-type", "colour": "red"}, 400, "has no parameter colour"),
        ({"question": "no-such-question"}, 404, "there is no question named"),
    ],
)
def test_errors_are_shown_in_words(client: FlaskClient, args: dict[str, str], status: int, words: str) -> None:
    response = client.get("/query", query_string=args)
    assert response.status_code == status
    page = Page(response.get_data(as_text=True))
    assert words in page.texts["query-error"]


def test_question_twin_errors(client: FlaskClient) -> None:
    assert client.get("/query/no-such-question.csv").status_code == 404
    bad = client.get("/query/oldest-strongest-ties.json", query_string={"since": "x"})
    assert bad.status_code == 400
    assert "not a valid year" in bad.get_data(as_text=True)


def test_long_answers_are_cut_for_the_page_and_whole_in_the_download(filled: Store) -> None:
    client = make_app(filled, MAX_HTML_ROWS=2).test_client()
    response = client.get("/query", query_string={"query": MEMBERS})
    page = Page(response.get_data(as_text=True))
    assert len(page.tables["results"]) == 1 + 2
    assert "the first 2 shown" in response.get_data(as_text=True)
    assert len(client.get("/query.csv", query_string={"query": MEMBERS}).get_data(as_text=True).splitlines()) == 4


def test_a_runaway_query_is_stopped_and_said_so(filled: Store) -> None:
    client = make_app(filled, QUERY_TIMEOUT=0.5).test_client()
    response = client.get(
        "/query", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
    )
    assert response.status_code == 503
    assert "ran longer than the 0.5 s limit" in Page(response.get_data(as_text=True)).texts["query-error"]


def test_editor_files_come_from_node_modules_and_nothing_else(client: FlaskClient, editor_files: None) -> None:
    script = client.get("/vendor/codemirror/codemirror.js")
    assert script.status_code == 200
    assert "CodeMirror" in script.get_data(as_text=True)[:2000]
    assert client.get("/vendor/codemirror/sparql.js").status_code == 200
    for name in ("package.json", "..%2Fpackage.json", "../codemirror/package.json", "codemirror.min.js"):
        assert client.get(f"/vendor/codemirror/{name}").status_code == 404


def test_a_question_given_its_cluster_runs_and_shows_its_narrowed_shape(client: FlaskClient) -> None:
    """The editor shows the query that answered: with a cluster, the shape that starts from its members."""
    response = client.get("/query/competency-leads", query_string={"cluster": "id:w-cluster"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = Page(html).tables["results"]
    assert [r[1] for r in rows[1:]] == ["location services"] and "id:w-fc" in rows[1][3]
    assert "?actor avc:memberOf ?cluster ." in unescape(html.split('id="query-text"')[1].split("</textarea>")[0])
    open_text = client.get("/query/competency-leads").get_data(as_text=True).split('id="query-text"')[1]
    assert "?actor avc:memberOf ?cluster ." not in unescape(open_text.split("</textarea>")[0])
