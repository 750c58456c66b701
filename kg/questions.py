"""Canned analyst questions: SPARQL files with a title, a description and typed parameters.

A question's header is comment lines (`# title:`, `# description:`, `# param name: type = default`),
so each file stays a plain, runnable .rq (as does its narrowed shape, if it has one: NARROWED_DIR).
Parameters are bound by the engine as RDF terms, never by pasting text into the query, so a value
cannot change what the query does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .errors import AvclusterError
from .namespaces import ID, PREFIXES
from .stores import Answer, Store
from .terms import Term

QUESTIONS_DIR = Path(__file__).parent / "canned"
# `narrowed/NAME.PARAM.rq`: question NAME as asked when PARAM is given. A listing over a whole register
# filters on an open parameter only after it has read (and labelled) every row; a query that starts
# from the parameter's value cannot also answer with it open. Tests hold both shapes to one answer.
NARROWED_DIR = QUESTIONS_DIR / "narrowed"
PARAM_TYPES = ("iri", "string", "integer", "year", "decimal", "date")
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:?\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*:\s*(\w+)\s*(?:=\s*(\S.*?))?\s*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_INTEGER, _XSD_DECIMAL, _XSD_DATE = (ox.NamedNode(_XSD + t) for t in ("integer", "decimal", "date"))


class ParameterError(AvclusterError):
    """A parameter value that does not fit its declared type."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None

    def bind(self, text: str) -> Term:
        """The RDF term for a user-given value, or ParameterError saying what was expected."""
        text = text.strip()
        try:
            if self.type == "iri":
                return _iri(text)
            if self.type in ("integer", "year"):
                return ox.Literal(str(int(text)), datatype=_XSD_INTEGER)
            if self.type == "decimal":
                return ox.Literal(format(Decimal(text), "f"), datatype=_XSD_DECIMAL)
            if self.type == "date":
                return ox.Literal(date.fromisoformat(text).isoformat(), datatype=_XSD_DATE)
        except (ValueError, InvalidOperation) as error:
            raise ParameterError(f"parameter {self.name}: {text!r} is not a valid {self.type}") from error
        return ox.Literal(text)


@dataclass(frozen=True)
class Question:
    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    # name of a parameter -> the question's text when that parameter is given (see NARROWED_DIR)
    narrowed: Mapping[str, str] = field(default_factory=dict)

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, Term]:
        """Given values over defaults; unknown names are refused, empty values leave a parameter open."""
        values = dict(values or {})
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParameterError(
                f"question {self.name} has no parameter {', '.join(unknown)} (it takes: {', '.join(sorted(known)) or 'none'})"
            )
        bound: dict[str, Term] = {}
        for p in self.parameters:
            text = values.get(p.name, p.default)
            if text is not None and text.strip():
                bound[p.name] = p.bind(text)
        return bound

    def text(self, bindings: Mapping[str, Term]) -> str:
        """The query to run with these bindings: a narrowed shape where one of them has one."""
        return next((self.narrowed[name] for name in bindings if name in self.narrowed), self.sparql)

    def run(self, store: Store, values: Mapping[str, str] | None = None, **options: object) -> Answer:
        bindings = self.bindings(values)
        return store.query(self.text(bindings), bindings=bindings, **options)  # type: ignore[arg-type]


def _iri(text: str) -> ox.NamedNode:
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return ox.NamedNode(PREFIXES[prefix] + local)
    if _SLUG.match(text):
        return ox.NamedNode(str(ID) + text)
    if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", text):
        return ox.NamedNode(text)
    raise ValueError(text)


def parse_question(path: Path) -> Question:
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if not match:
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, value = match.groups()
        if key == "param":
            spec = _PARAM.match(value)
            if not spec or spec.group(2) not in PARAM_TYPES:
                raise AvclusterError(f"{path}: bad parameter line {value!r}; write '# param name: type = default'")
            params.append(Parameter(spec.group(1), spec.group(2), spec.group(3)))
        else:
            meta[key] = value.strip()
    return Question(
        path.stem,
        meta.get("title", path.stem),
        meta.get("description", ""),
        path.read_text(encoding="utf-8"),
        tuple(params),
        _narrowed(path, {p.name for p in params}),
    )


def _narrowed(path: Path, parameters: set[str]) -> dict[str, str]:
    shapes = {}
    for narrowed in sorted(NARROWED_DIR.glob(f"{path.stem}.*.rq")):
        name = narrowed.name.removeprefix(path.stem + ".").removesuffix(".rq")
        if name not in parameters:
            raise AvclusterError(f"{narrowed}: {path.stem} has no parameter {name!r} to narrow by")
        shapes[name] = narrowed.read_text(encoding="utf-8")
    return shapes


@lru_cache(maxsize=1)
def questions() -> dict[str, Question]:
    """Every canned question, by name."""
    return {p.stem: parse_question(p) for p in sorted(QUESTIONS_DIR.glob("*.rq"))}


def question(name: str) -> Question:
    try:
        return questions()[name]
    except KeyError:
        raise AvclusterError(f"no question named {name!r}; `avcluster questions` lists them") from None
