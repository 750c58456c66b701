"""`/query`: the SPARQL editor, the canned analyst questions with forms, results as a table or a graph.

Everything runs on the server and comes back as an HTML table, so a shared link
(`/query?query=…`, `/query/<question>?param=…`) shows its answer with or without JavaScript; the
editor (CodeMirror 5, served from the npm lockfile's node_modules) only makes typing easier.
Each question also has CSV and JSON twins (`/query/<name>.csv`, `.json`), like `/query.csv?query=…`.
Results have facets, a filter and a sort (web.results), kept in the URL; the twins apply the same
view, so a download holds exactly the rows the table shows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response, abort, current_app, render_template, request, send_from_directory, url_for
from rdflib import URIRef
from werkzeug.exceptions import BadRequest, NotFound

from avcluster.kg.errors import AvclusterError
from avcluster.kg.namespaces import PREFIXES, shorten
from avcluster.kg.ontology import declared_terms, ontology_graph
from avcluster.kg.questions import ParameterError, Question, questions
from avcluster.kg.results import Cell as AnswerTerm
from avcluster.kg.results import solutions
from avcluster.kg.sparql import QUERY_FORMS
from avcluster.kg.stores import Answer
from avcluster.kg.terms import Term

from ..i18n import LANGUAGES, current_language
from ..labels import graph_label, labels_for
from ..render import status_of
from ..results import Facet, View, facet_columns, facets, is_state, matcher, ordered, selected, sort_key
from ..store import get_store
from . import JSON_RESULTS, Cell, cell, content_type, page_blueprint, run_read, words
from .query_words import WORDS
from .question_words import WORDS as QUESTION_WORDS

bp = page_blueprint("query", __name__)
bp.record_once(lambda state: words.register(WORDS))
bp.record_once(lambda state: words.register(QUESTION_WORDS))

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
# The editor's files, by the name the page asks for, inside node_modules (package-lock.json pins them).
EDITOR_FILES = {
    "codemirror.js": "codemirror/lib/codemirror.js",
    "codemirror.css": "codemirror/lib/codemirror.css",
    "sparql.js": "codemirror/mode/sparql/sparql.js",
    "show-hint.js": "codemirror/addon/hint/show-hint.js",
    "show-hint.css": "codemirror/addon/hint/show-hint.css",
}
EXAMPLE = """# Every actor with its type. Prefixes (avc:, id:, rdfs:…) are declared already.
SELECT ?actor ?label ?type WHERE {
  ?actor a ?type ; rdfs:label ?label .
  ?type rdfs:subClassOf* avc:Actor .
}
ORDER BY ?label
LIMIT 100
"""
# Where the values of an IRI parameter come from: a graph pattern binding ?x.
CHOICES = {
    "cluster": "?x a avc:Cluster",
    "region": "?x a avc:Region",
    "competency": "?x a avc:Competency",
    "indicator": "?observation avc:indicator ?x",
    "entity": "?x a ?type . ?type rdfs:subClassOf* avc:Actor",
}
MAX_CHOICES = 500
MAX_GRAPH_EDGES = 1000
INPUT_TYPES = {
    "integer": "number",
    "year": "number",
    "decimal": "number",
    "date": "date",
    "string": "text",
    "iri": "text",
}
RESERVED = frozenset({"lang", "question", "query", "format"})
KEYWORDS = sorted(
    QUERY_FORMS
    | {
        "WHERE",
        "PREFIX",
        "DISTINCT",
        "OPTIONAL",
        "FILTER",
        "UNION",
        "MINUS",
        "GRAPH",
        "BIND",
        "VALUES",
        "GROUP BY",
        "ORDER BY",
        "LIMIT",
        "OFFSET",
        "HAVING",
        "COUNT",
        "SAMPLE",
        "GROUP_CONCAT",
        "LANGMATCHES",
        "LANG",
        "STR",
        "REGEX",
        "CONTAINS",
        "STRSTARTS",
        "COALESCE",
        "BOUND",
        "NOT EXISTS",
        "EXISTS",
        "DESC",
        "ASC",
        "AS",
    }
)


@dataclass
class ResultView:
    """An answer as the page shows it: its rows in the view's order, those the view leaves out hidden
    when the whole answer fits on the page (so the browser can filter without asking again), else the
    first MAX_HTML_ROWS rows the view keeps."""

    columns: list[str]
    rows: list[list[Cell]]
    indices: list[int]  # each row's place in the answer
    hidden: list[bool]
    total: int
    matched: int
    kind: str
    view: View
    facets: list[Facet] = field(default_factory=list)
    graph: dict[str, list[dict[str, Any]]] | None = None

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total

    @property
    def truncated(self) -> bool:
        return self.matched > len(self.rows) - sum(self.hidden)

    @property
    def sort_keys(self) -> list[list[str]]:
        return [[sort_key(c) for c in row] for row in self.rows]


@dataclass
class Run:
    """What a request asks to run: free text, or a question with its parameter values."""

    text: str
    question: Question | None = None
    values: dict[str, str] = field(default_factory=dict)
    bindings: Mapping[str, Term] | None = None


@bp.route("/vendor/codemirror/<name>")
def editor_file(name: str) -> Response:
    if name not in EDITOR_FILES:
        abort(404)
    return send_from_directory(NODE_MODULES, EDITOR_FILES[name], max_age=86_400)


def editor_installed() -> bool:
    return all((NODE_MODULES / path).is_file() for path in EDITOR_FILES.values())


@bp.route("/query")
def page() -> tuple[str, int]:
    name = request.args.get("question")
    if name:
        return question_page(name)
    text = request.args.get("query")
    if text is None:
        return render(Run(EXAMPLE), execute=False)
    return render(Run(text))


@bp.route("/query.<suffix>")
def download(suffix: str) -> Response:
    name = request.args.get("question")
    if name:
        return question_download(name, suffix)
    text = request.args.get("query")
    if text is None:
        raise BadRequest("give the query to run as ?query=")
    return answer_file(Run(text), suffix, "query")


@bp.route("/query/<name>")
def question_page(name: str) -> Any:
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in ("csv", "json"):
        return question_download(stem, suffix)
    asked = find_question(name)
    if asked is None:
        return render(Run(EXAMPLE), execute=False, error=f"there is no question named {name!r}", status=404)
    values = parameter_values()
    try:
        return render(_asked(asked, values))
    except ParameterError as error:  # shown beside the form, where the reader can correct it
        return render(Run(asked.sparql, asked, values), execute=False, error=str(error), status=status_of(error))


def question_download(name: str, suffix: str) -> Response:
    asked = find_question(name)
    if asked is None:
        raise NotFound(f"there is no question named {name!r}")
    values = parameter_values()
    return answer_file(_asked(asked, values), suffix, name)


def _asked(asked: Question, values: dict[str, str]) -> Run:
    """A question as run with these values: in its narrowed shape where a given parameter has one."""
    bindings = asked.bindings(values)
    return Run(asked.text(bindings), asked, values, bindings)


def find_question(name: str) -> Question | None:
    return questions().get(name)


def parameter_values() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k not in RESERVED and not is_state(k)}


def view_argument() -> View:
    """The results' view (facets, chosen values, filter, sort) from the URL."""
    return View.from_args(request.args.items(multi=True))


def with_view(url: str, view: View) -> str:
    """`url` with the view's arguments added."""
    extra = urlencode(view.args())
    return f"{url}{'&' if '?' in url else '?'}{extra}" if extra else url


def answer_file(run: Run, suffix: str, name: str) -> Response:
    """The answer as CSV (SPARQL CSV, or subject/predicate/object for a graph) or JSON, with the
    rows the URL's view keeps, in its order: the rows the page shows."""
    if suffix not in ("csv", "json"):
        abort(404)
    view = view_argument()
    if view.active:
        answer = viewed_file(run_read(run.text, None, run.bindings), view, suffix)
    else:
        answer = run_read(run.text, "text/csv" if suffix == "csv" else JSON_RESULTS, run.bindings)
        if answer.kind == "graph":
            answer = graph_file(answer, suffix)
    return Response(
        answer.body,
        content_type=content_type(answer.media_type),
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )


def viewed_file(answer: Answer, view: View, suffix: str) -> Answer:
    """The rows of `answer` that `view` keeps, in its order, written as the twin would write them."""
    names, rows = solutions(answer)
    if answer.kind == "boolean":  # no rows to filter
        return yes_or_no(rows[0][0] == ox.Literal("true"), suffix)
    labelled = None if view.words or view.sort else (lambda n, at: False)  # values alone choose the rows
    kept = [rows[n] for n in selected(names, answer_cells(rows, labelled)[0], view)]
    if answer.kind == "graph":
        if suffix == "csv":
            return Answer("graph", csv_text(names, kept), "text/csv")
        triples = [as_triple(*row) for row in kept]
        return Answer("graph", ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"", "application/ld+json")
    if suffix == "csv":
        return Answer("bindings", csv_text(names, kept), "text/csv")
    bindings = [{n: binding(t) for n, t in zip(names, row, strict=True) if t is not None} for row in kept]
    body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False)
    return Answer("bindings", body.encode(), JSON_RESULTS)


def as_triple(subject: AnswerTerm, predicate: AnswerTerm, obj: AnswerTerm) -> ox.Triple:
    assert isinstance(subject, ox.NamedNode | ox.BlankNode | ox.Triple) and isinstance(predicate, ox.NamedNode)
    assert obj is not None
    return ox.Triple(subject, predicate, obj)


def yes_or_no(value: bool, suffix: str) -> Answer:
    if suffix == "csv":
        return Answer("boolean", csv_text(["result"], [(ox.Literal(str(value).lower()),)]), "text/csv")
    return Answer("boolean", json.dumps({"head": {}, "boolean": value}).encode(), JSON_RESULTS)


def csv_text(names: Sequence[str], rows: Sequence[tuple[AnswerTerm, ...]]) -> bytes:
    """SPARQL 1.1 CSV: IRIs whole, literals as their value, blank nodes as _:id, unbound empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([[csv_value(term) for term in row] for row in rows])
    return out.getvalue().encode()


def csv_value(term: AnswerTerm) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def binding(term: AnswerTerm) -> dict[str, Any]:
    """One term as SPARQL 1.1 results JSON writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != PREFIXES["xsd"] + "string":
            out["datatype"] = term.datatype.value
        return out
    assert isinstance(term, ox.Triple)
    return {
        "type": "triple",
        "value": {
            "subject": binding(term.subject),
            "predicate": binding(term.predicate),
            "object": binding(term.object),
        },
    }


def answer_cells(
    rows: Sequence[tuple[AnswerTerm, ...]], labelled: Callable[[int, int], bool] | None = None
) -> tuple[list[list[Cell]], dict[str, str]]:
    """Every row's cells, with the labels of the IRIs in the answer (the filter and the sort read
    them); only of those in the cells `labelled(row, column)` picks, if given."""
    iris = {
        t.value
        for n, row in enumerate(rows)
        for at, t in enumerate(row)
        if isinstance(t, ox.NamedNode) and (labelled is None or labelled(n, at))
    }
    labels = labels_for(iris)
    made: dict[tuple[AnswerTerm, bool], Cell] = {}  # one cell per term: a term recurs in many rows

    def made_cell(term: AnswerTerm) -> Cell:
        key = (term, isinstance(term, ox.NamedNode) and term.value in iris)
        if key not in made:
            made[key] = cell(term, labels if key[1] else {})
        return made[key]

    return [[made_cell(t) for t in row] for row in rows], labels


def graph_file(answer: Answer, suffix: str) -> Answer:
    if suffix == "json":
        triples = ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
        return Answer("graph", ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"", "application/ld+json")
    names, rows = solutions(answer)
    return Answer("graph", csv_text(names, rows), "text/csv")


def render(job: Run, *, execute: bool = True, error: str | None = None, status: int = 200) -> tuple[str, int]:
    view = view_argument()
    result = None
    if execute and error is None:
        try:
            result = result_view(run_read(job.text, None, job.bindings), view)
        except AvclusterError as failure:  # shown beside the query, where the reader can correct it
            error, status = str(failure), status_of(failure)
    if job.question is not None:
        name, values = job.question.name, dict[str, Any](job.values)
        downloads = {s: url_for("query.question_page", name=f"{name}.{s}", **values) for s in ("csv", "json")}
    else:
        downloads = {s: url_for("query.download", suffix=s, query=job.text) for s in ("csv", "json")}
    base = [(k, v) for k, v in request.args.items(multi=True) if not is_state(k) and k != "lang"]
    page_html = render_template(
        "query/page.html",
        text=job.text,
        current=job.question.name if job.question else None,
        forms=question_forms(job),
        result=result,
        error=error,
        downloads=downloads,
        view=view,
        with_view=with_view,
        base_args=base,
        here=request.path + ("?" + urlencode(base) if base else ""),
        editor=editor_installed(),
        editor_data={"prefixes": PREFIXES, "completions": completions(current_language()), "keywords": KEYWORDS},
        prefix_lines="\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()),
        max_rows=int(current_app.config["MAX_HTML_ROWS"]),
    )
    return page_html, status


def result_view(answer: Answer, view: View) -> ResultView:
    """The answer's rows as cells with labels, in the view's order, with the facets; a graph answer
    also as nodes and edges (of the rows the view keeps)."""
    names, terms = solutions(answer)
    limit = int(current_app.config["MAX_HTML_ROWS"])
    if len(terms) <= limit or view.words or view.sort:
        cells, labels = answer_cells(terms)
    else:  # the rows past the page are only filtered by value and counted: label the shown rows and the facets
        plain, _ = answer_cells(terms, lambda n, at: False)
        first = set(selected(names, plain, view)[:limit])
        faceted = {names.index(c) for c in facet_columns(names, plain, view)}
        cells, labels = answer_cells(terms, lambda n, at: n in first or at in faceted)
    match = matcher(names, view)
    order = ordered(names, cells, view)
    kept = [n for n in order if match(cells[n])]
    shown = order if len(cells) <= limit else kept[:limit]
    result = ResultView(
        names,
        [cells[n] for n in shown],
        shown,
        [not match(cells[n]) for n in shown],
        len(cells),
        len(kept),
        answer.kind,
        view,
        facets(names, cells, view),
    )
    if answer.kind == "graph":
        result.graph = graph_data([terms[n] for n in kept[:MAX_GRAPH_EDGES]], labels)
    return result


def graph_data(rows: list[tuple[Any, ...]], labels: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges for the graph view; literal values stay in the table."""
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for subject, predicate, obj in rows:
        if isinstance(obj, ox.Literal):
            continue
        for term in (subject, obj):
            key = str(term)
            if key not in nodes:
                shown = cell(term, labels)
                nodes[key] = {"id": key, "label": shown.label or shown.text, "href": shown.href}
        edges.append({"from": str(subject), "to": str(obj), "label": shorten(predicate.value)})
    return {"nodes": list(nodes.values()), "edges": edges}


def question_forms(job: Run) -> list[dict[str, Any]]:
    """Every question with its parameters as form fields; IRI parameters become choices from the data."""
    choices: dict[str, list[tuple[str, str]] | None] = {}
    forms = []
    for asked in questions().values():
        fields = []
        for parameter in asked.parameters:
            if job.question is not None and job.question.name == asked.name:
                value = job.values.get(parameter.name, parameter.default or "")
            else:
                value = parameter.default or ""
            options = None
            if parameter.type == "iri" and parameter.name in CHOICES:
                if parameter.name not in choices:
                    choices[parameter.name] = parameter_choices(parameter.name)
                options = choices[parameter.name]
                if options is not None and value and value not in {v for v, _ in options}:
                    options = [(value, value), *options]
            fields.append(
                {
                    "name": parameter.name,
                    "type": parameter.type,
                    "input": INPUT_TYPES[parameter.type],
                    "value": value,
                    "options": options,
                }
            )
        forms.append({"name": asked.name, "title": asked.title, "description": asked.description, "fields": fields})
    return forms


def parameter_choices(name: str) -> list[tuple[str, str]] | None:
    """(value, label) for each resource a parameter can name, by label; None when too many to list."""
    _, rows = get_store().select_rows(
        f"SELECT DISTINCT ?x WHERE {{ {CHOICES[name]} FILTER(isIRI(?x)) }} LIMIT {MAX_CHOICES + 1}"
    )
    iris = [row[0].value for row in rows if isinstance(row[0], ox.NamedNode)]
    if len(iris) > MAX_CHOICES:
        return None
    labels = labels_for(iris)
    return sorted(((shorten(iri), labels.get(iri) or shorten(iri)) for iri in iris), key=lambda o: o[1].casefold())


@lru_cache(maxsize=len(LANGUAGES))
def completions(lang: str) -> list[dict[str, str]]:
    """The ontology's terms for the editor's completion, each with its label in the reader's language."""
    graph = ontology_graph()
    return [
        {"text": shorten(iri), "displayText": f"{shorten(iri)}  {graph_label(graph, URIRef(iri), lang)}"}
        for iri in sorted(declared_terms())
    ]
