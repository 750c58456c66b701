"""Binding parameters to a query in a way every SPARQL engine understands."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import QueryError
from ..terms import Term
from .text import tokens


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """Pre-bind variables by a VALUES block opening the query's outermost WHERE group.

    The values are written by the engine's own term writer (escaped), never pasted in as text, so
    a parameter cannot change the query's shape. The group is found among the query's tokens, so a
    `WHERE {` inside a comment, a string or an IRI is not taken for it.
    """
    opening = _first_group(sparql)
    if opening is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(value) for value in bindings.values())
    return f"{sparql[: opening + 1]} VALUES ({names}) {{ ({values}) }} {sparql[opening + 1 :]}"


def _first_group(sparql: str) -> int | None:
    """Where the `{` after the first WHERE stands, else the first `{` (`ASK {…}`, `SELECT * {…}`)."""
    first: int | None = None
    after_where = False
    for token in tokens(sparql):
        if token.kind == "punct" and token.text == "{":
            if after_where:
                return token.start
            first = token.start if first is None else first
        after_where = token.kind == "word" and token.text.upper() == "WHERE"
    return first
