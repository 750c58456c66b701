"""Read one input file into triples, refusing anything unsafe or malformed with file, line and cause.

Parsing is pyoxigraph's (fast, strict about IRIs); the checks around it close what a parser alone
leaves open: undecodable bytes, XML entity declarations (expansion bombs, external entities),
remote JSON-LD contexts, and literals too large to be data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .namespaces import ID
from .templates import read_template
from .terms import lexical
from .text_files import MAX_LITERAL, decode_utf8, line_of

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
TEMPLATE_SUFFIXES = (".csv", ".xlsx")
SUPPORTED = ", ".join(sorted({*RDF_FORMATS, *TEMPLATE_SUFFIXES}))

# An identifier, not a document: real IRIs are a few hundred characters at most.
MAX_IRI = 4_096
_IRI_KEYWORDS = frozenset({"@id", "@type", "@vocab", "@base", "@reverse"})
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PREFIX_DECLARATION = re.compile(r"@?prefix\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def read_triples(path: Path) -> list[ox.Triple]:
    """Every triple a file holds (named graphs in TriG/N-Quads are merged: the dataset is the file)."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read the file: {error.strerror or error}") from error
    if not raw.strip():
        raise InputError(path, "the file is empty")
    if suffix in TEMPLATE_SUFFIXES:
        return read_template(path, raw)
    fmt = RDF_FORMATS.get(suffix)
    if fmt is None:
        raise InputError(path, f"unknown file type {suffix or '(none)'}; use one of {SUPPORTED}")
    text = decode_utf8(path, raw)
    entity = _ENTITY.search(raw) if fmt == ox.RdfFormat.RDF_XML else None
    if entity:
        raise InputError(
            path,
            "XML DOCTYPE/ENTITY declarations are refused (entity expansion, external entities)",
            line=line_of(raw, entity.start()),
        )
    if fmt == ox.RdfFormat.JSON_LD:
        _check_json_ld(path, text)
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(raw, format=fmt, base_iri=str(ID))]
    except SyntaxError as error:
        raise InputError(path, _clean_message(error), line=_syntax_line(error)) from error
    except MemoryError as error:  # pyoxigraph's cap on a single token (16 MiB), not the machine running out
        raise InputError(path, f"a single line or token is too large to parse ({error})") from error
    if not triples:
        raise InputError(path, "the file holds no triples")
    _check_terms(path, text, triples)
    return triples


def _check_json_ld(path: Path, text: str) -> None:
    """Refuse what JSON-LD processing would do silently: fetch a remote context, or drop a node or
    property whose IRI is not an IRI (a space, a control character) and load the rest without it."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"invalid JSON: {error.msg}", line=error.lineno) from error
    for context in _contexts(document):
        if isinstance(context, str):
            raise InputError(path, f"remote JSON-LD @context {context!r} is not fetched; put the context inline")
        if isinstance(context, dict) and "@import" in context:
            raise InputError(path, f"JSON-LD @import {context['@import']!r} is not fetched; put the context inline")
    for iri in _json_ld_iris(document):
        if _NOT_IN_IRI.search(iri):
            shown = iri if len(iri) <= 200 else iri[:200] + "…"
            raise InputError(
                path, f'{shown!r} is not an IRI: spaces, control characters and <>"{{}}|^`\\ are not allowed'
            )


def _json_ld_iris(node: object, in_context: bool = False) -> Iterator[str]:
    """Strings JSON-LD reads as IRIs: @id, @type, @vocab, @base values, keys written as IRIs, term definitions."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@") and ":" in key:
                yield key
            if key in _IRI_KEYWORDS or (in_context and not key.startswith("@")):
                yield from (v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
            yield from _json_ld_iris(value, in_context or key == "@context")
    elif isinstance(node, list):
        for item in node:
            yield from _json_ld_iris(item, in_context)


def _contexts(node: object) -> Iterator[object]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from value if isinstance(value, list) else [value]
            yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def _check_terms(path: Path, text: str, triples: list[ox.Triple]) -> None:
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode) and len(term.value) > MAX_IRI:
                line = locate(text, term.value)
                raise InputError(path, f"an IRI of {len(term.value):,} characters (the limit is {MAX_IRI:,})", line)
        value = triple.object
        if isinstance(value, ox.Literal) and len(value.value) > MAX_LITERAL:
            line = locate(text, lexical(triple.subject))
            raise InputError(path, f"a literal of {len(value.value):,} characters (the limit is {MAX_LITERAL:,})", line)


def locate(text: str, iri: str) -> int | None:
    """The first line that names a resource (in full, by a prefixed name, or as a CSV cell)."""
    candidates = [f"<{iri}>"]
    for prefix, namespace in _PREFIX_DECLARATION.findall(text):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            candidates.append(f"{prefix}:{iri[len(namespace) :]}")
    if iri.startswith(str(ID)):
        slug = iri[len(str(ID)) :]
        candidates += [f"id:{slug}", f'"{slug}"', f",{slug},", f"\n{slug},", f",{slug}\n", f";{slug}"]
    positions = [p for p in (text.find(c) for c in candidates) if p >= 0]
    if not positions:
        return None
    return text.count("\n", 0, min(positions) + 1) + 1


def _syntax_line(error: SyntaxError) -> int | None:
    if error.lineno:
        return error.lineno
    match = re.search(r"(?:line |at )(\d+)", str(error))
    return int(match.group(1)) if match else None


def _clean_message(error: SyntaxError) -> str:
    message = error.msg if isinstance(error.msg, str) else str(error)
    message = re.sub(r"^Parser error (?:at|between) line .*?: ", "", message)
    message = re.sub(r"^error at \d+:\d+: ", "", message)
    return "syntax error: " + message.replace("\n", " ")
