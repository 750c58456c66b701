"""Binding parameters to a query in a way every SPARQL engine understands."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Node

from ..errors import QueryError
from .terms import to_ntriples

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """Pre-bind variables by a VALUES block opening the query's outermost WHERE group.

    The values are serialized by the engine's term writer (escaped), never pasted in as text, so a
    parameter cannot change the query's shape.
    """
    match = _WHERE.search(_blank_comments(sparql)) or re.search(r"\{", _blank_comments(sparql))
    if match is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(to_ntriples(value) for value in bindings.values())
    return f"{sparql[: match.end()]} VALUES ({names}) {{ ({values}) }} {sparql[match.end() :]}"


_TOKENS = re.compile(r"""<[^<>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(#[^\n]*)""")


def _blank_comments(sparql: str) -> str:
    """The query with comments blanked out (same length), so a `WHERE {` in a comment is not matched.

    IRIs and strings are matched first, so a `#` inside `<…#>` or a literal does not start a comment.
    """
    return _TOKENS.sub(lambda m: " " * len(m.group(0)) if m.group(1) else m.group(0), sparql)
