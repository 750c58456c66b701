"""Answers as rows of text: for the terminal table, CSV twins and HTML tables alike."""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import shorten
from .stores import Answer
from .stores.base import GRAPH_FORMATS, RESULT_FORMATS

Cell = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def solutions(answer: Answer) -> tuple[list[str], list[tuple[Cell, ...]]]:
    """Variables and rows of a SELECT answer; a boolean answer is one row with ?result."""
    if answer.kind == "graph":
        triples = list(ox.parse(answer.body, format=GRAPH_FORMATS[answer.media_type]))
        return ["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in triples]
    parsed = ox.parse_query_results(answer.body, format=RESULT_FORMATS[answer.media_type])
    if isinstance(parsed, ox.QueryBoolean):
        return ["result"], [(ox.Literal("true" if bool(parsed) else "false"),)]
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return names, [tuple(s[n] for n in names) for s in parsed]


def text(term: Cell) -> str:
    """How a term reads to a person: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render_table(names: list[str], rows: list[tuple[Cell, ...]], width: int = 48) -> str:
    """A fixed-width table for the terminal; long cells are cut with an ellipsis."""
    cells = [[_cut(text(c), width) for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cut(value: str, width: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1] + "…"
