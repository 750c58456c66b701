"""Reading SPARQL text without running it: which operation it is, and whether it reaches outside.

An endpoint must refuse `SERVICE` (the engine would fetch from any URL the query names: pyoxigraph
does) and `LOAD` before the engine sees them. Searching the text for the words would refuse a
query that only mentions them in a comment, a string or an IRI, and would miss them spelt with
escapes; so the text is split into the tokens of the SPARQL 1.1 grammar, and only bare keywords
count. SPARQL lets `\\uXXXX` escapes stand anywhere in a query (SPARQL 1.1 §19.2), which some engines honour
outside strings and others do not, so a query is refused if either reading shows a forbidden word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_OPERATIONS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
# What an endpoint serving one store to many people must never run.
FORBIDDEN = {
    "SERVICE": "SERVICE (federated query) is not allowed here: this endpoint does not call other servers",
    "LOAD": "LOAD is not allowed here: this endpoint does not fetch data from other servers",
}

_PN_CHARS_BASE = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"(?:%[0-9A-Fa-f]{{2}}|{_PN_LOCAL_ESC})"
_PN_LOCAL = rf"(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"

# Alternatives in the order a tokenizer must try them at one position.
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<space>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
            r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\')',
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            rf"(?P<var>[?$][{_PN_CHARS}]+)",
            rf"(?P<bnode>_:[{_PN_CHARS}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|.)",
        ]
    ),
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str  # space and comments are dropped; the rest keep the group name above
    text: str
    start: int


# A query is read several times on its way to the engine (its operation, forbidden words, prefixes,
# its dataset), and the canned questions over and over: the tokens of recent texts up to this many
# characters are kept (tokens are immutable), so each is split once.
_KEPT_UP_TO = 16_384


def tokens(sparql: str) -> Iterator[Token]:
    """The significant tokens of a query or update; an unterminated string or IRI falls apart into
    single characters, so nothing the engine could read as code is ever hidden inside one."""
    return iter(_kept(sparql)) if len(sparql) <= _KEPT_UP_TO else _split(sparql)


@lru_cache(maxsize=64)
def _kept(sparql: str) -> tuple[Token, ...]:
    return tuple(_split(sparql))


def _split(sparql: str) -> Iterator[Token]:
    position = 0
    while position < len(sparql):
        match = _TOKEN.match(sparql, position)
        assert match is not None and match.lastgroup is not None  # the last alternative takes any character
        if match.lastgroup not in ("space", "comment"):
            yield Token(match.lastgroup, match.group(), position)
        position = match.end()


def keywords(sparql: str) -> list[str]:
    """Bare words in upper case: the grammar's keywords, and names such as `a` or function names."""
    if len(sparql) <= _KEPT_UP_TO:
        return list(_kept_keywords(sparql))
    return [t.text.upper() for t in tokens(sparql) if t.kind == "word"]


@lru_cache(maxsize=64)
def _kept_keywords(sparql: str) -> tuple[str, ...]:
    return tuple(t.text.upper() for t in tokens(sparql) if t.kind == "word")


def operation(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK for a query, UPDATE for an update, None when neither shows."""
    for word in keywords(sparql):
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_OPERATIONS:
            return "UPDATE"
    return None


def undeclared_prefixes(sparql: str, predeclared: Iterable[str]) -> list[str]:
    """Prefixes the text uses (`foo:` of `foo:bar`) that it does not declare and the caller does not
    predeclare: the engine's own message for them names a grammar rule, not the prefix."""
    known = set(predeclared)
    found: list[str] = []
    previous: Token | None = None
    for token in tokens(sparql):
        if token.kind == "pname":
            prefix = token.text.partition(":")[0]
            if previous is not None and previous.kind == "word" and previous.text.upper() == "PREFIX":
                known.add(prefix)
            elif prefix not in known and prefix not in found:
                found.append(prefix)
        previous = token
    return found


def with_using(update: str, default: Iterable[str], named: Iterable[str]) -> str:
    """An update whose every DELETE/INSERT … WHERE reads the graphs the Protocol's using-graph-uri
    and using-named-graph-uri name, as USING / USING NAMED clauses before its WHERE.

    ValueError when the update names its own (USING or WITH): the Protocol makes that an error.
    """
    clauses = " ".join([*(f"USING <{g}>" for g in default), *(f"USING NAMED <{g}>" for g in named)])
    if not clauses:
        return update
    pieces: list[str] = []
    depth, position, previous = 0, 0, ""
    for token in tokens(update):
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("USING", "WITH"):
            raise ValueError(f"the update names its graphs itself ({word}): send it without using-graph-uri")
        if token.kind == "punct" and token.text == "{":
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth -= 1
        elif word == "WHERE" and depth == 0 and previous != "DELETE":  # DELETE WHERE takes no USING
            pieces += [update[position : token.start], clauses + " "]
            position = token.start
        previous = word or token.text
    return "".join([*pieces, update[position:]])


def names_its_dataset(sparql: str) -> bool:
    """Whether a query chooses its own graphs (FROM or FROM NAMED), rather than reading the default."""
    return "FROM" in keywords(sparql)


def forbidden(sparql: str) -> str | None:
    """Why the text may not run here (it calls out with SERVICE or LOAD), or None."""
    readings = {sparql, unescape(sparql)}
    for reading in readings:
        for word in keywords(reading):
            if word in FORBIDDEN:
                return FORBIDDEN[word]
    return None


def unescape(sparql: str) -> str:
    """The text with its `\\u`/`\\U` codepoint escapes replaced, as SPARQL 1.1 §19.2 reads them."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()

    return _ESCAPE.sub(one, sparql)
