"""`/query`: the SPARQL editor, the canned analyst questions with forms, results as a table or a graph.

Everything runs on the server and comes back as an HTML table, so a shared link
(`/query?query=…`, `/query/<question>?param=…`) shows its answer with or without JavaScript; the
editor (CodeMirror 5, served from the npm lockfile's node_modules) only makes typing easier.
Each question also has CSV and JSON twins (`/query/<name>.csv`, `.json`), like `/query.csv?query=…`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Response, abort, current_app, render_template, request, send_from_directory, url_for
from rdflib import URIRef
from werkzeug.exceptions import BadRequest, NotFound

from avcluster.kg.errors import AvclusterError
from avcluster.kg.namespaces import PREFIXES, shorten
from avcluster.kg.ontology import declared_terms, ontology_graph
from avcluster.kg.questions import ParameterError, Question, questions
from avcluster.kg.results import solutions
from avcluster.kg.sparql import QUERY_FORMS
from avcluster.kg.stores import Answer
from avcluster.kg.terms import Term

from ..i18n import LANGUAGES, current_language
from ..labels import graph_label, labels_for
from ..render import status_of
from ..store import get_store
from . import JSON_RESULTS, Cell, cell, content_type, page_blueprint, run_read

bp = page_blueprint("query", __name__)

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
    columns: list[str]
    rows: list[list[Cell]]
    total: int
    kind: str
    graph: dict[str, list[dict[str, Any]]] | None = None

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


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
        return render(Run(asked.sparql, asked, values, asked.bindings(values)))
    except ParameterError as error:  # shown beside the form, where the reader can correct it
        return render(Run(asked.sparql, asked, values), execute=False, error=str(error), status=status_of(error))


def question_download(name: str, suffix: str) -> Response:
    asked = find_question(name)
    if asked is None:
        raise NotFound(f"there is no question named {name!r}")
    values = parameter_values()
    return answer_file(Run(asked.sparql, asked, values, asked.bindings(values)), suffix, name)


def find_question(name: str) -> Question | None:
    return questions().get(name)


def parameter_values() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k not in RESERVED}


def answer_file(run: Run, suffix: str, name: str) -> Response:
    """The whole answer as CSV (SPARQL CSV, or subject/predicate/object for a graph) or JSON."""
    if suffix not in ("csv", "json"):
        abort(404)
    answer = run_read(run.text, "text/csv" if suffix == "csv" else JSON_RESULTS, run.bindings)
    if answer.kind == "graph":
        answer = graph_file(answer, suffix)
    return Response(
        answer.body,
        content_type=content_type(answer.media_type),
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )


def graph_file(answer: Answer, suffix: str) -> Answer:
    if suffix == "json":
        triples = ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
        return Answer("graph", ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"", "application/ld+json")
    names, rows = solutions(answer)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([["" if term is None else getattr(term, "value", str(term)) for term in row] for row in rows])
    return Answer("graph", out.getvalue().encode(), "text/csv")


def render(job: Run, *, execute: bool = True, error: str | None = None, status: int = 200) -> tuple[str, int]:
    result = None
    if execute and error is None:
        try:
            result = result_view(run_read(job.text, None, job.bindings))
        except AvclusterError as failure:  # shown beside the query, where the reader can correct it
            error, status = str(failure), status_of(failure)
    if job.question is not None:
        name, values = job.question.name, dict[str, Any](job.values)
        downloads = {s: url_for("query.question_page", name=f"{name}.{s}", **values) for s in ("csv", "json")}
    else:
        downloads = {s: url_for("query.download", suffix=s, query=job.text) for s in ("csv", "json")}
    page_html = render_template(
        "query/page.html",
        text=job.text,
        current=job.question.name if job.question else None,
        forms=question_forms(job),
        result=result,
        error=error,
        downloads=downloads,
        editor=editor_installed(),
        editor_data={"prefixes": PREFIXES, "completions": completions(current_language()), "keywords": KEYWORDS},
        prefix_lines="\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()),
        max_rows=int(current_app.config["MAX_HTML_ROWS"]),
    )
    return page_html, status


def result_view(answer: Answer) -> ResultView:
    """The first MAX_HTML_ROWS rows as cells with labels; a graph answer also as nodes and edges."""
    names, rows = solutions(answer)
    shown = rows[: int(current_app.config["MAX_HTML_ROWS"])]
    labels = labels_for({t.value for row in shown for t in row if isinstance(t, ox.NamedNode)})
    view = ResultView(names, [[cell(t, labels) for t in row] for row in shown], len(rows), answer.kind)
    if answer.kind == "graph":
        view.graph = graph_data(shown[:MAX_GRAPH_EDGES], labels)
    return view


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
