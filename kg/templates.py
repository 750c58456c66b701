"""Spreadsheet templates: the rows an analyst fills in, mapped to the triples a Turtle file would state.

Analysts who study a region work in spreadsheets, not in Turtle. Each template is one table with
one header row; the header's set of columns says which template it is (the file name does not), so
a renamed or re-exported file still reads the same. Every cell becomes an RDF term built with
pyoxigraph's constructors, never by pasting text into a syntax, so a label such as
`<script>` or `" ; ` stays a literal. Every refusal names the row and the column, because the
person fixing it is looking at a spreadsheet. The columns are documented in data/templates/README.md.

Class and concept names (`FilmCommission`, `Funding`, `LocationServices`, `LeadRole`) are checked
against the ontology files themselves, so the templates accept exactly what the ontology defines.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, URIRef

from .errors import InputError
from .namespaces import AVC, ID, PREFIXES
from .ontology import ontology_graph
from .text_files import MAX_LITERAL, decode_utf8

Row = Mapping[str, str]
Term = ox.NamedNode | ox.Literal


class CellError(ValueError):
    """A cell that cannot be mapped; the caller adds the file, row and column."""


def _iri(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = _iri("rdf", "type")
XSD_DECIMAL = _iri("xsd", "decimal")
XSD_INTEGER = _iri("xsd", "integer")
XSD_ANYURI = _iri("xsd", "anyURI")
_DATE_TYPES = {4: _iri("xsd", "gYear"), 7: _iri("xsd", "gYearMonth"), 10: _iri("xsd", "date")}

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_YEAR = re.compile(r"\d{4}")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
_CURRENCY = re.compile(r"[A-Z]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and line breaks are text
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_WORKBOOK_BYTES = 200_000_000


# --- vocabularies: read from the ontology, so that there is one list of names --------------------

# What a name in a type/kind/competency/role/indicator cell may be: (words for messages, how to find
# the names in the ontology, the class they belong to).
VOCABULARIES: dict[str, tuple[str, str, str]] = {
    "actor": ("actor type", "subclass", "Actor"),
    "relationship": ("relationship kind", "subclass", "Relationship"),
    "flow": ("flow kind", "subclass", "Flow"),
    "measure": ("policy measure type", "subclass", "PolicyMeasure"),
    "competency": ("competency", "member", "Competency"),
    "role": ("role", "member", "Role"),
    "indicator": ("indicator", "member", "Indicator"),
}


@cache
def vocabulary(name: str) -> frozenset[str]:
    """The avc: local names a cell of this vocabulary may hold, as the ontology defines them today."""
    _, how, parent = VOCABULARIES[name]
    graph = ontology_graph()
    top = URIRef(AVC[parent])
    classes = set(graph.transitive_subjects(RDFS.subClassOf, top))
    members = {s for c in classes for s in graph.subjects(RDF.type, c)}
    found = classes - {top} if how == "subclass" else members
    prefix = str(AVC)
    return frozenset(str(t)[len(prefix) :] for t in found if str(t).startswith(prefix))


# --- cells -> terms ---------------------------------------------------------------------------------

Converter = Callable[[str, Row], list[Term]]


def _slug(cell: str) -> ox.NamedNode:
    if not _SLUG.fullmatch(cell):
        ascii_only = unicodedata.normalize("NFKD", cell).encode("ascii", "ignore").decode()
        suggestion = re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")
        hint = f" (e.g. {suggestion})" if suggestion and _SLUG.fullmatch(suggestion) else ""
        raise CellError(f"{cell!r} is not a slug: use lower-case letters a-z, digits and '-' only{hint}")
    return ox.NamedNode(ID[cell])


def ref(cell: str, row: Row) -> list[Term]:
    if ";" in cell:
        raise CellError(f"{cell!r}: this column takes one id, not a list")
    return [_slug(cell)]


def refs(cell: str, row: Row) -> list[Term]:
    """Several ids in one cell, separated by ';' (a trailing ';' is harmless)."""
    return [_slug(part.strip()) for part in cell.split(";") if part.strip()]


def _literal_text(cell: str) -> str:
    """Text as typed: line breaks inside a cell are kept (as \\n, whatever the file's line ends)."""
    cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    if len(cell) > MAX_LITERAL:
        raise CellError(f"{len(cell):,} characters (the limit is {MAX_LITERAL:,})")
    control = _CONTROL.search(cell)
    if control:
        raise CellError(f"control character {control.group()!r} in the text")
    return cell


def text(cell: str, row: Row) -> list[Term]:
    return [ox.Literal(_literal_text(cell))]


def label(cell: str, row: Row) -> list[Term]:
    language = row.get("label_lang", "").lower()
    return [ox.Literal(_literal_text(cell), language=language or None)]


def language_tag(cell: str, row: Row) -> list[Term]:
    """Checked here, used by `label`: a tag such as `es`, `en`, `ru`, `eu`, `pt-br`."""
    if not _LANGUAGE.fullmatch(cell.lower()):
        raise CellError(f"{cell!r} is not a language tag (e.g. en, es, ru, eu)")
    return []


def date_value(cell: str, row: Row) -> list[Term]:
    """As precise as the source: YYYY, YYYY-MM or YYYY-MM-DD; never padded to a false day."""
    valid = bool(_DATE.fullmatch(cell))
    if valid and len(cell) > 4:
        try:
            date.fromisoformat(cell if len(cell) == 10 else cell + "-01")
        except ValueError:
            valid = False
    if not valid:
        raise CellError(f"{cell!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    return [ox.Literal(cell, datatype=_DATE_TYPES[len(cell)])]


def year(cell: str, row: Row) -> list[Term]:
    if not _YEAR.fullmatch(cell):
        raise CellError(f"{cell!r} is not a year: write four digits, e.g. 2019")
    return [ox.Literal(cell, datatype=XSD_INTEGER)]


def decimal(low: Decimal | None = None, high: Decimal | None = None, what: str = "a number") -> Converter:
    def convert(cell: str, row: Row) -> list[Term]:
        if not _DECIMAL.fullmatch(cell):
            hint = ""
            if re.fullmatch(r"[\d.,\s+-]+", cell):
                hint = "; use '.' for decimals and no thousands separators"
            if cell.endswith("%"):
                hint = "; write a fraction: 0.35 for 35 %"
            raise CellError(f"{cell!r} is not {what}{hint}")
        value = Decimal(cell)
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise CellError(f"{cell} is out of range: {what} is {bounds}")
        return [ox.Literal(cell, datatype=XSD_DECIMAL)]

    return convert


def url(cell: str, row: Row) -> list[Term]:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", cell) or _CONTROL.search(cell):
        raise CellError(f"{cell!r} is not a web address: write it in full, starting with https:// or http://")
    return [ox.Literal(cell, datatype=XSD_ANYURI)]


def currency(cell: str, row: Row) -> list[Term]:
    if not _CURRENCY.fullmatch(cell):
        raise CellError(f"{cell!r} is not an ISO 4217 currency code (three capital letters, e.g. EUR, RUB)")
    return [ox.Literal(cell)]


def names(vocab: str, several: bool = False) -> Converter:
    """Class or concept names written without prefix, checked against the ontology."""

    def convert(cell: str, row: Row) -> list[Term]:
        parts = [p.strip() for p in cell.split(";") if p.strip()] if several else [cell]
        known = vocabulary(vocab)
        for part in parts:
            if part not in known:
                raise CellError(_unknown(VOCABULARIES[vocab][0], part, known))
        return [ox.NamedNode(AVC[part]) for part in parts]

    return convert


def _unknown(what: str, given: str, known: frozenset[str]) -> str:
    by_lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(given.lower(), list(by_lower), n=1)
    hint = f"did you mean {by_lower[close[0]]}? " if close else ""
    return f"unknown {what} {given!r}; {hint}known: {', '.join(sorted(known))}"


# --- the templates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    convert: Converter
    predicate: ox.NamedNode | None  # None: the cell qualifies another (id, label_lang)
    required: bool = False
    repeatable: bool = False  # may differ between rows that share an id (a second label, a second quote)


@dataclass(frozen=True)
class Template:
    kind: str
    columns: tuple[Column, ...]
    rdf_type: ox.NamedNode | None  # None when a type/kind column gives the class
    ordered: tuple[tuple[str, str], ...] = ()  # (earlier, later) date columns

    @property
    def names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns)

    def describe(self) -> str:
        return f"{self.kind} ({', '.join(c.name + ('*' if c.required else '') for c in self.columns)})"


DCT_SOURCE = _iri("dcterms", "source")
COMMENT = _iri("rdfs", "comment")
LABEL = _iri("rdfs", "label")
FRACTION = decimal(Decimal(0), Decimal(1), "a fraction")
AMOUNT = decimal(Decimal(0), None, "an amount")
ID_COLUMN = Column("id", ref, None, required=True)
SOURCE_COLUMN = Column("source", refs, DCT_SOURCE, required=True)
COMMENT_COLUMN = Column("comment", text, COMMENT)
PERIOD = (
    Column("start", date_value, _iri("avc", "startDate")),
    Column("end", date_value, _iri("avc", "endDate")),
)
ENDS = (Column("from", ref, _iri("avc", "fromActor"), True), Column("to", ref, _iri("avc", "toActor"), True))

TEMPLATES: dict[str, Template] = {
    t.kind: t
    for t in (
        Template(
            "sources",
            (
                ID_COLUMN,
                Column("title", text, _iri("dcterms", "title"), True),
                Column("url", url, _iri("schema", "url"), True),
                Column("date", date_value, _iri("dcterms", "date")),
                Column("quote", text, COMMENT, repeatable=True),
            ),
            _iri("avc", "Source"),
        ),
        Template(
            "actors",
            (
                ID_COLUMN,
                Column("type", names("actor", several=True), RDF_TYPE, True),
                Column("label", label, LABEL, required=True, repeatable=True),
                Column("label_lang", language_tag, None, repeatable=True),
                Column("created", date_value, _iri("dcterms", "created")),
                Column("dissolved", date_value, _iri("schema", "dissolutionDate")),
                Column("region", ref, _iri("avc", "locatedIn")),
                Column("cluster", refs, _iri("avc", "memberOf")),
                Column("url", url, _iri("schema", "url")),
                COMMENT_COLUMN,
                SOURCE_COLUMN,
            ),
            None,
            (("created", "dissolved"),),
        ),
        Template(
            "relationships",
            (
                ID_COLUMN,
                Column("kind", names("relationship"), RDF_TYPE, True),
                *ENDS,
                *PERIOD,
                Column("strength", FRACTION, _iri("avc", "strength")),
                COMMENT_COLUMN,
                SOURCE_COLUMN,
            ),
            None,
            (("start", "end"),),
        ),
        Template(
            "competencies",
            (
                ID_COLUMN,
                Column("actor", ref, _iri("avc", "assignedTo"), True),
                Column("competency", names("competency"), _iri("avc", "competency"), True),
                Column("role", names("role"), _iri("avc", "role"), True),
                *PERIOD,
                SOURCE_COLUMN,
            ),
            _iri("avc", "CompetencyAssignment"),
            (("start", "end"),),
        ),
        Template(
            "measures",
            (
                ID_COLUMN,
                Column("type", names("measure"), RDF_TYPE, True),
                Column("label", text, LABEL, True),
                Column("issued_by", ref, _iri("avc", "issuedBy")),
                Column("benefits", refs, _iri("avc", "benefits")),
                Column("rate", FRACTION, _iri("avc", "rate")),
                Column("amount", AMOUNT, _iri("avc", "amount")),
                Column("currency", currency, _iri("avc", "currency")),
                Column("cap", AMOUNT, _iri("avc", "cap")),
                *PERIOD,
                Column("region", ref, _iri("avc", "region")),
                Column("legal_basis", text, _iri("avc", "legalBasis")),
                COMMENT_COLUMN,
                SOURCE_COLUMN,
            ),
            None,
            (("start", "end"),),
        ),
        Template(
            "observations",
            (
                ID_COLUMN,
                Column("indicator", names("indicator"), _iri("avc", "indicator"), True),
                Column("region", ref, _iri("avc", "region"), True),
                Column("value", decimal(), _iri("avc", "value"), True),
                Column("unit", text, _iri("avc", "unit"), True),
                Column("year", year, _iri("avc", "year"), True),
                COMMENT_COLUMN,
                SOURCE_COLUMN,
            ),
            _iri("avc", "Observation"),
        ),
        Template(
            "flows",
            (
                ID_COLUMN,
                Column("kind", names("flow"), RDF_TYPE, True),
                *ENDS,
                Column("year", year, _iri("avc", "year"), True),
                Column("amount", AMOUNT, _iri("avc", "amount")),
                Column("currency", currency, _iri("avc", "currency")),
                COMMENT_COLUMN,
                SOURCE_COLUMN,
            ),
            None,
        ),
    )
}


def template_for(header: list[str]) -> Template | None:
    """The template whose columns are exactly these (in any order)."""
    found = frozenset(header)
    return next((t for t in TEMPLATES.values() if t.names == found), None)


# --- tables: what a CSV file or a workbook sheet holds ----------------------------------------------


@dataclass
class Table:
    """Rows of one CSV file or one sheet, each with the line (or sheet row) it starts on."""

    rows: Iterator[tuple[int, list[str]]]
    sheet: str | None = None  # set for workbooks: named in every message
    expected: str | None = None  # the template a sheet's name asks for


def read_template(path: Path, raw: bytes) -> list[ox.Triple]:
    """Every triple the rows of a filled-in template state; the first bad cell raises InputError."""
    tables = _workbook_tables(path, raw) if path.suffix.lower() == ".xlsx" else [_csv_table(path, raw)]
    triples: list[ox.Triple] = []
    rows = 0
    for table in tables:
        count, found = _read_table(path, table)
        rows += count
        triples.extend(found)
    if not rows:
        raise InputError(path, "no data rows under the header" if len(tables) == 1 else "no sheet has data rows")
    return list(dict.fromkeys(triples))  # repeated rows restate their id's type and sources


def _read_table(path: Path, table: Table) -> tuple[int, list[ox.Triple]]:
    where = f"sheet {table.sheet!r}, " if table.sheet is not None else ""

    def fail(line: int, cause: str) -> InputError:
        return InputError(path, where + cause, line=line)

    header_line, header, template = _header(table, fail)
    triples: list[ox.Triple] = []
    seen: dict[str, _Seen] = {}
    count = 0
    for line, cells in table.rows:
        if not any(cells):
            continue
        if len(cells) < len(header):
            raise fail(line, f"{len(cells)} cells where the header (line {header_line}) has {len(header)}")
        if any(cells[len(header) :]):
            raise fail(
                line,
                f"{len(cells)} cells where the header (line {header_line}) has {len(header)}"
                " (a cell that holds the separator, ',' or ';', must be in double quotes)",
            )
        row = dict(zip(header, cells, strict=False))
        count += 1
        try:
            triples.extend(_row_triples(template, row, seen, line))
        except _ColumnError as error:
            raise fail(line, f"column {error.column}: {error}") from None
    return count, triples


class _ColumnError(CellError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class _Seen:
    """The first row of an id, and the label languages its rows have given so far."""

    line: int
    row: Row
    languages: dict[str, int]


def _row_triples(template: Template, row: Row, seen: dict[str, _Seen], line: int) -> list[ox.Triple]:
    subject = _slug_or_error(row["id"])
    repeated = _check_repeat(template, row, seen, line)
    for column in template.columns:
        if column.required and not row[column.name] and (column.repeatable or not repeated):
            raise _ColumnError(column.name, f"empty, but the {template.kind} template requires a value")
    triples = [ox.Triple(subject, RDF_TYPE, template.rdf_type)] if template.rdf_type else []
    # Qualifying cells (label_lang) first, so that a bad one is blamed on its own column.
    for column in sorted(template.columns, key=lambda c: c.predicate is not None):
        cell = row[column.name]
        if not cell:
            continue
        try:
            terms = column.convert(cell, row)
        except CellError as error:
            raise _ColumnError(column.name, str(error)) from None
        if column.predicate is not None:
            triples.extend(ox.Triple(subject, column.predicate, term) for term in terms)
    _check_order(template, row)
    _check_currency(row)
    return triples


def _slug_or_error(cell: str) -> ox.NamedNode:
    if not cell:
        raise _ColumnError("id", "empty; every row needs an id")
    try:
        return _slug(cell)
    except CellError as error:
        raise _ColumnError("id", str(error)) from None


def _check_repeat(template: Template, row: Row, seen: dict[str, _Seen], line: int) -> bool:
    """Whether the id is repeated: a later row adds to it (a label in another language, a quote).

    Its other cells may be left empty; filled, they must agree with the first row. Without this,
    a row copied to start a new entry, whose id was not changed, would merge two resources into one.
    """
    language = row.get("label_lang", "").lower()
    first = seen.setdefault(row["id"], _Seen(line, row, {language: line}))
    if first.line == line:
        return False
    repeatable = [c.name for c in template.columns if c.repeatable]
    if not repeatable:
        raise _ColumnError("id", f"{row['id']!r} is already used on line {first.line}; every row needs its own id")
    for column in template.columns:
        cell, before = row[column.name], first.row[column.name]
        if not column.repeatable and column.name != "id" and cell and cell != before:
            raise _ColumnError(
                column.name,
                f"{cell!r} differs from {before!r} on line {first.line} for the same id {row['id']!r}; "
                f"a repeated id may only add {' and '.join(repeatable)}",
            )
    if "label_lang" in row:
        if language in first.languages:
            raise _ColumnError(
                "label_lang",
                f"{row['id']!r} already has a label {f'in {language!r}' if language else 'with no language'} "
                f"on line {first.languages[language]}; a repeated id is for a label in another language",
            )
        first.languages[language] = line
    return True


def _check_order(template: Template, row: Row) -> None:
    for earlier, later in template.ordered:
        start, end = row[earlier], row[later]
        size = min(len(start), len(end))
        if start and end and start[:size] > end[:size]:
            raise _ColumnError(later, f"{end} is before {earlier} {start}")


def _check_currency(row: Row) -> None:
    amounts = [c for c in ("amount", "cap") if row.get(c)]
    if amounts and not row.get("currency"):
        raise _ColumnError("currency", f"empty, but {' and '.join(amounts)} needs a currency (e.g. EUR)")
    if row.get("currency") and not amounts:
        raise _ColumnError("currency", "a currency with no amount")


def _header(table: Table, fail: Callable[[int, str], InputError]) -> tuple[int, list[str], Template]:
    """Skip `#` comment lines and blank lines above the header, then recognise the template by it."""
    for line, cells in table.rows:
        if not any(cells) or cells[0].startswith("#"):
            continue
        while cells and not cells[-1]:
            cells = cells[:-1]
        header = [c.lower() for c in cells]
        for position, name in enumerate(header, start=1):
            if not name:
                raise fail(line, f"header cell {position} is empty; every column needs its name")
            if header.count(name) > 1:
                raise fail(line, f"column {name} appears {header.count(name)} times in the header")
        template = template_for(header)
        if template is None:
            raise fail(line, _header_problem(header))
        if table.expected and template.kind != table.expected:
            raise fail(line, f"the sheet is named {table.expected}, but the header is of {template.kind}")
        return line, header, template
    raise fail(1, "no header row: the first row that is not a `#` comment must name the columns")


def _header_problem(header: list[str]) -> str:
    """Name the closest template and say what its header lacks or has too many of."""
    given = set(header)
    nearest = min(TEMPLATES.values(), key=lambda t: (len(t.names ^ given), -len(t.names & given)))
    if len(nearest.names & given) * 2 < len(nearest.names):
        known = "; ".join(t.describe() for t in TEMPLATES.values())
        return f"unknown header ({', '.join(header)}); the known templates (* = required) are: {known}"
    problems = []
    missing = [c for c in nearest.columns if c.name not in given]
    required = [c.name for c in missing if c.required]
    optional = [c.name for c in missing if not c.required]
    if required:
        problems.append(f"missing required column(s) {', '.join(required)}")
    if optional:
        problems.append(f"missing column(s) {', '.join(optional)} (keep every column; leave cells empty)")
    for name in header:
        if name not in nearest.names:
            close = difflib.get_close_matches(name, [c.name for c in missing], n=1)
            problems.append(f"unknown column {name!r}" + (f" (did you mean {close[0]}?)" if close else ""))
    return f"{nearest.kind} header with {'; '.join(problems)}; its columns are {nearest.describe()}"


def _csv_table(path: Path, raw: bytes) -> Table:
    content = decode_utf8(path, raw).removeprefix("\ufeff")
    first = next((s for s in io.StringIO(content) if s.strip() and not s.startswith("#")), "")
    # Spreadsheets in Spanish or Russian locales save "CSV" with ';' between cells; a header has
    # neither character in a name, so it tells which one separates the cells.
    delimiter = ";" if ";" in first and "," not in first else ","
    return Table(_csv_rows(path, content, delimiter))


def _csv_rows(path: Path, content: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            open_quote = "end of data" in str(error)
            hint = "is a double quote left open?" if open_quote else 'a " in a cell is written ""'
            raise InputError(path, f"CSV: {error}; {hint}", line=start) from error
        yield start, [c.strip() for c in cells]
        start = reader.line_num + 1


def _workbook_tables(path: Path, raw: bytes) -> list[Table]:
    """The first sheet, or every sheet named after a template (`actors`, `flows`…) when there are such."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_archive(path, raw)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, SyntaxError, OSError) as error:
        raise InputError(path, f"not a readable .xlsx workbook ({error})") from error
    sheets = [s for s in workbook.worksheets if s.title.strip().lower() in TEMPLATES]
    if sheets:
        return [Table(_sheet_rows(path, s), s.title, s.title.strip().lower()) for s in sheets]
    return [Table(_sheet_rows(path, workbook.worksheets[0]), workbook.worksheets[0].title)]


def _check_archive(path: Path, raw: bytes) -> None:
    """A workbook is a zip of XML: refuse what could expand without bound or declare entities.

    The same rule as for RDF/XML (no DOCTYPE or ENTITY declarations), and a cap on the unpacked
    size, so that a small hostile file cannot exhaust memory while it is read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_WORKBOOK_BYTES:
                raise InputError(
                    path, f"the workbook unpacks to {unpacked:,} bytes (the limit is {MAX_WORKBOOK_BYTES:,})"
                )
            for member in members:
                if _DTD.search(archive.read(member)):
                    raise InputError(path, f"XML DOCTYPE/ENTITY declarations are refused (in {member.filename})")
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        ValueError,
        zlib.error,
        EOFError,
    ) as error:
        raise InputError(path, f"not a readable .xlsx workbook ({error})") from error


def _sheet_rows(path: Path, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    try:
        for cells in sheet.iter_rows():
            numbers = [c.row for c in cells if getattr(c, "row", None)]
            if numbers:
                yield numbers[0], [_cell_text(c.value) for c in cells]
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile) as error:  # ParseError is a SyntaxError
        raise InputError(path, f"sheet {sheet.title!r} cannot be read ({error})") from error


def _cell_text(value: object) -> str:
    """A workbook value as the text a CSV export would hold: dates as ISO dates, numbers without exponent."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value).strip()
