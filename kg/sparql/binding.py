"""Binding parameters to a query in a way every SPARQL engine understands."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import QueryError
from ..terms import Term
from .text import Token, tokens


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """Pre-bind variables by a VALUES block opening the query's outermost WHERE group, and each
    subquery's group that names one of them.

    A subquery sees none of the outer query's bindings (SPARQL evaluates it first), yet a parameter
    is one value for the whole question: a question that ranks in a subquery and labels outside it
    (the oldest ties: the top 50 first, then 50 look-ups of labels rather than millions) must still
    rank only what the parameter keeps. Binding it everywhere it is named is what rdflib's
    initBindings and SEP-0007's pre-binding do too.

    The values are written by the engine's own term writer (escaped), never pasted in as text, so
    a parameter cannot change the query's shape. The groups are found among the query's tokens, so a
    `WHERE {` inside a comment, a string or an IRI is not taken for one.
    """
    found = list(tokens(sparql))
    opening = _first_group(found)
    if opening is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    insertions = [(opening, dict(bindings))]
    for group, named in _subquery_groups(found):
        inner = {name: value for name, value in bindings.items() if name in named}
        if inner:
            insertions.append((group, inner))
    text = sparql
    for position, values in sorted(insertions, key=lambda insertion: insertion[0], reverse=True):
        text = text[: position + 1] + _values(values) + text[position + 1 :]
    return text


def _values(bindings: Mapping[str, Term]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(value) for value in bindings.values())
    return f" VALUES ({names}) {{ ({values}) }} "


def _first_group(found: list[Token]) -> int | None:
    """Where the `{` after the first WHERE stands, else the first `{` (`ASK {…}`, `SELECT * {…}`)."""
    first: int | None = None
    after_where = False
    for token in found:
        if token.kind == "punct" and token.text == "{":
            if after_where:
                return token.start
            first = token.start if first is None else first
        after_where = token.kind == "word" and token.text.upper() == "WHERE"
    return first


def _subquery_groups(found: list[Token]) -> list[tuple[int, set[str]]]:
    """Each subquery's WHERE group: where its `{` stands and the variable names inside it."""
    groups: list[tuple[int, set[str]]] = []
    open_groups: list[tuple[int, set[str]] | None] = []  # one per `{` open; a subquery's holds its names
    # after a SELECT inside braces, the first `{` outside parentheses opens its group (one inside
    # them belongs to an EXISTS in the projection); None when no subquery's group is awaited
    parentheses: int | None = None
    for token in found:
        if token.kind == "word" and token.text.upper() == "SELECT" and open_groups:
            parentheses = 0
        elif token.kind == "punct" and token.text in "()" and parentheses is not None:
            parentheses += 1 if token.text == "(" else -1
        elif token.kind == "punct" and token.text == "{":
            opens_subquery = parentheses == 0
            open_groups.append((token.start, set()) if opens_subquery else None)
            parentheses = None if opens_subquery else parentheses
        elif token.kind == "punct" and token.text == "}" and open_groups:
            closed = open_groups.pop()
            if closed is not None:
                groups.append(closed)
        elif token.kind == "var":
            for group in open_groups:
                if group is not None:
                    group[1].add(token.text[1:])
    return groups
