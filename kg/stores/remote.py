"""Any SPARQL 1.1 Query/Update server (Virtuoso, Fuseki, GraphDB, QLever) as the store.

Queries go out with every avcluster prefix declared, so the same .rq files run unchanged.
The server must query the union of its named graphs by default (Virtuoso does; Fuseki needs
`tdb2:unionDefaultGraph true`); the README says how to set that up for each server.
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from typing import BinaryIO

import pyoxigraph as ox

from ..errors import QueryError, QueryTimeout, ResultTooLarge, StoreError
from ..namespaces import sparql_prologue
from ..sparql import bind_values, operation
from ..terms import Term, lexical
from .base import GRAPH_FORMATS, JSON_RESULTS, NTRIPLES, RESULT_FORMATS, Answer, GraphInfo, QueryDataset, Store
from .oxigraph import Row

# Writes are split so no single request exceeds what servers accept; each part is its own transaction.
_UPDATE_CHUNK = 1_000  # triples per INSERT: Virtuoso compiles each into SQL, and refuses one over 10,000 lines
# A server that stopped a query at its own time limit: SQL state S1T00 is ODBC's "timeout expired"
# (Virtuoso 7.2: "Virtuoso S1T00 Error SR171: Transaction timed out", with status 500).
_SERVER_TIMEOUT = re.compile(r"\bS1T00\b|Transaction timed out")
_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


class RemoteStore(Store):
    def __init__(self, url: str, *, update_url: str | None = None, timeout: float = 300.0) -> None:
        # user:password@ in the URL becomes Basic authentication, kept out of the URL we show
        parsed = urllib.parse.urlsplit(url)
        self._auth: str | None = None
        if parsed.username:
            token = f"{urllib.parse.unquote(parsed.username)}:{urllib.parse.unquote(parsed.password or '')}"
            self._auth = "Basic " + base64.b64encode(token.encode()).decode()
            netloc = (parsed.hostname or "") + (f":{parsed.port}" if parsed.port else "")
            url = urllib.parse.urlunsplit((parsed.scheme, netloc, parsed.path, parsed.query, parsed.fragment))
        self.url = url
        self.update_url = update_url or url
        self.location = url
        self._timeout = timeout

    def _post(
        self, url: str, form: list[tuple[str, str]], accept: str, timeout: float | None, max_bytes: int | None
    ) -> tuple[bytes, str]:
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Accept", accept)
        if self._auth:
            request.add_header("Authorization", self._auth)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self._timeout) as response:
                self._refuse_cut(response.status, response.headers.get("X-SPARQL-MaxRows"))
                body = response.read(max_bytes + 1 if max_bytes else -1)
                if max_bytes is not None and len(body) > max_bytes:
                    raise ResultTooLarge(f"result larger than the {max_bytes:,} byte limit; add a LIMIT")
                return body, response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace").strip().splitlines() or [""]
            if _SERVER_TIMEOUT.search(detail[0]):
                raise QueryTimeout(server=f"{self.url} ({detail[0][:120]})") from error
            raise QueryError(f"{self.url} answered {error.code}: {detail[0][:300]}") from error
        except TimeoutError as error:
            raise QueryTimeout(timeout or self._timeout) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise QueryTimeout(timeout or self._timeout) from error
            raise StoreError(f"{self.url}: cannot reach the SPARQL server: {error.reason}") from error

    def _refuse_cut(self, status: int, rows: str | None) -> None:
        """A server that stopped an answer part-way still says 200 or 206: a cut answer would pass for
        the whole one (the virtuoso.ini Virtuoso ships as a sample stops every SELECT at 10,000 rows,
        saying so in one header)."""
        if rows is not None:
            raise ResultTooLarge(
                f"{self.url} cut the answer at {rows} rows (its ResultSetMaxRows, in the [SPARQL] section of "
                "virtuoso.ini): raise that limit, or add a LIMIT"
            )
        if status == 206:
            raise ResultTooLarge(f"{self.url} answered only part of the result (206, its own time or row limit)")

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        timeout: float | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
        dataset: QueryDataset | None = None,
    ) -> Answer:
        text = sparql_prologue() + (bind_values(sparql, bindings) if bindings else sparql)
        form_fields = [("query", text)]
        if dataset is not None:
            form_fields += [("default-graph-uri", g) for g in dataset.default]
            form_fields += [("named-graph-uri", g) for g in dataset.named]
        form = operation(sparql)
        if form in ("CONSTRUCT", "DESCRIBE"):
            media = accept if accept in GRAPH_FORMATS else NTRIPLES
            kind = "graph"
        else:
            media = accept if accept in RESULT_FORMATS else JSON_RESULTS
            kind = "boolean" if form == "ASK" else "bindings"
        if kind == "boolean":
            body, _ = self._post(self.url, form_fields, JSON_RESULTS, timeout, max_bytes)
            return boolean_answer(_ask_value(body), media)
        body, _ = self._post(self.url, form_fields, media, timeout, max_bytes)
        return Answer(kind, body, media)  # type: ignore[arg-type]

    def select_rows(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> tuple[list[str], list[Row]]:
        answer = self.query(sparql, bindings=bindings)
        solutions = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in solutions.variables]
        return names, [tuple(s[n] for n in names) for s in solutions]

    def update(self, sparql: str) -> None:
        self._post(self.update_url, [("update", sparql_prologue() + sparql)], "*/*", None, None)

    def replace_graphs(self, contents: Mapping[str, Iterable[ox.Triple]]) -> None:
        # INSERT { … } WHERE {} rather than INSERT DATA: Virtuoso 7 refuses blank nodes in DATA blocks,
        # while every engine keeps them, one fresh node per label, in an INSERT template.
        for graph, triples in contents.items():
            listed = list(triples)
            blank = [t for t in listed if _has_blank_node(t)]
            plain = [t for t in listed if not _has_blank_node(t)]
            # a blank node's triples share one request, or the server would make several nodes of it
            batches = ([blank] if blank else []) + [
                plain[i : i + _UPDATE_CHUNK] for i in range(0, len(plain), _UPDATE_CHUNK)
            ]
            self.update(f"DROP SILENT GRAPH <{graph}>")
            for batch in batches:
                body = "\n".join(f"{t.subject} {t.predicate} {_written(t.object)} ." for t in batch)
                self.update(f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{}}")

    def graph_triples(self, graph: str) -> set[ox.Triple]:
        _, rows = self.select_rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return self._whole_graph(graph, int(lexical(rows[0][0])) if rows and rows[0][0] is not None else 0)

    def _whole_graph(self, graph: str, held: int) -> set[ox.Triple]:
        """The graph's triples, refused if fewer than the `held` it counts: Virtuoso cuts a CONSTRUCT
        at its row limit without a word."""
        answer = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        triples = {
            ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
        }
        if len(triples) < held:
            raise ResultTooLarge(
                f"{self.url} sent {len(triples):,} of the {held:,} triples of <{graph}> (its row limit, "
                "ResultSetMaxRows in virtuoso.ini): raise that limit"
            )
        return triples

    def graphs(self) -> list[GraphInfo]:
        _, rows = self.select_rows(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/avcluster/')) } GROUP BY ?g ORDER BY ?g"
        )
        return [GraphInfo(lexical(g), int(lexical(n))) for g, n in rows if g is not None and n is not None]

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        for graph in graphs:
            self.update(f"DROP SILENT GRAPH <{graph}>")

    def dump_to(self, media_type: str, output: BinaryIO) -> None:
        fmt = GRAPH_FORMATS[media_type]
        quads = fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
        union: set[ox.Triple] = set()
        for info in self.graphs():
            held = self._whole_graph(info.iri, info.triples)  # graphs() has counted them already
            if quads:  # one graph at a time: the largest graph is what is held, not the store
                name = ox.NamedNode(info.iri)
                ox.serialize((ox.Quad(t.subject, t.predicate, t.object, name) for t in held), output, format=fmt)
            else:
                union |= held
        if not quads:
            ox.serialize(sorted(union, key=str), output, format=fmt)


def _written(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """Virtuoso 7 stores "120"^^xsd:decimal (Oxigraph's canonical form of 120.0) as an integer; with a
    fraction digit it keeps the decimal."""
    if isinstance(term, ox.Literal) and term.datatype == _DECIMAL and term.value.lstrip("+-").isdigit():
        return str(ox.Literal(term.value + ".0", datatype=_DECIMAL))
    return str(term)


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _ask_value(body: bytes) -> bool:
    """ASK's answer, also from servers that send it as a one-cell table (Virtuoso 7's __ASK_RETVAL)."""
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    rows = list(parsed)
    return bool(rows) and rows[0][0] is not None and rows[0][0].value not in ("0", "false")


def boolean_answer(value: bool, media: str) -> Answer:
    word = "true" if value else "false"
    if media == "application/sparql-results+xml":
        body = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head></head><boolean>{word}</boolean></sparql>\n"
        ).encode()
        return Answer("boolean", body, media)
    return Answer("boolean", f'{{"head":{{}},"boolean":{word}}}'.encode(), JSON_RESULTS)
