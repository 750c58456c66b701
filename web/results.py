"""Facets, a filter and a sort over an answer's rows: what the query page shows and what its CSV and
JSON links download, decided in this one place so that the download equals the table.

The state lives in the URL, after Datasette:

- `_facet=COLUMN` (repeatable): show COLUMN's values with their counts, beside the ones offered anyway
  (columns with a few values, some repeated);
- `COLUMN__exact=VALUE` (repeatable): keep the rows whose COLUMN reads VALUE (an IRI as its short
  name, `avc:Company`; a literal as its value; "" for unbound); values of one column are alternatives,
  columns combine;
- `_search=TEXT`: keep the rows that contain every word of TEXT, accent- and case-insensitively, in
  a cell's label or value;
- `_sort=COLUMN` / `_sort_desc=COLUMN`: order by COLUMN, numbers as numbers, ties in the answer's order.

Plain names belong to the question's parameters, so the state's names start with `_` or end with
`__exact`. web/static/results.js applies the same rules in the browser (`fold`, the sort keys, the
facet order): a change to one must be made to the other.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

FACET = "_facet"
SEARCH = "_search"
SORT = "_sort"
SORT_DESC = "_sort_desc"
EXACT = "__exact"
MAX_DISTINCT = 30  # a column with at most this many values, one at least repeated, is offered as a facet
MAX_VALUES = 30  # values listed per facet (the chosen ones always)
NUMBER = re.compile(r"-?[0-9]*\.?[0-9]+(e[-+]?[0-9]+)?", re.IGNORECASE)


class Shown(Protocol):
    """A cell as the page shows it (web.views.Cell): its text, its label if any, its sort key."""

    @property
    def text(self) -> str: ...

    @property
    def label(self) -> str | None: ...

    @property
    def sort(self) -> str: ...


Row = Sequence[Shown]


def fold(text: str) -> str:
    """Text as the filter compares it: decomposed (NFD), lower-cased, without combining marks."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text).lower()
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


@lru_cache(maxsize=65_536)
def _folded_cell(label: str, text: str) -> str:
    return fold(f"{label} {text}")


def is_state(name: str) -> bool:
    """Whether a URL argument belongs to the results' view rather than to the question."""
    return name.startswith("_") or name.endswith(EXACT)


@dataclass
class View:
    """Which facets are shown, which values are chosen, the filter text and the sort."""

    facets: list[str] = field(default_factory=list)
    where: dict[str, list[str]] = field(default_factory=dict)
    search: str = ""
    sort: str = ""
    descending: bool = False

    @classmethod
    def from_args(cls, args: Iterable[tuple[str, str]]) -> View:
        view = cls()
        for name, value in args:
            if name == FACET and value and value not in view.facets:
                view.facets.append(value)
            elif name.endswith(EXACT) and len(name) > len(EXACT):
                chosen = view.where.setdefault(name[: -len(EXACT)], [])
                if value not in chosen:
                    chosen.append(value)
            elif name == SEARCH:
                view.search = value
            elif name in (SORT, SORT_DESC) and value:
                view.sort, view.descending = value, name == SORT_DESC
        return view

    @property
    def active(self) -> bool:
        """Whether the view changes the rows (shown facets alone do not)."""
        return bool(self.where or self.words or self.sort)

    @property
    def words(self) -> list[str]:
        return fold(self.search).split()

    def args(self) -> list[tuple[str, str]]:
        """The view as URL arguments, in a fixed order."""
        out = [(FACET, column) for column in self.facets]
        out += [(column + EXACT, value) for column, values in self.where.items() for value in values]
        if self.search:
            out.append((SEARCH, self.search))
        if self.sort:
            out.append((SORT_DESC if self.descending else SORT, self.sort))
        return out

    def toggled(self, column: str, value: str) -> View:
        """This view with `value` of `column` chosen, or no longer chosen if it was."""
        where = {c: list(v) for c, v in self.where.items()}
        chosen = where.setdefault(column, [])
        if value in chosen:
            chosen.remove(value)
        else:
            chosen.append(value)
        where = {c: v for c, v in where.items() if v}
        return View(list(self.facets), where, self.search, self.sort, self.descending)

    def faceted(self, column: str) -> View:
        """This view with `column`'s facet shown."""
        return View([*self.facets, column], dict(self.where), self.search, self.sort, self.descending)

    def sorted_by(self, column: str) -> View:
        """This view sorted by `column`: ascending, or descending if it was ascending already."""
        descending = self.sort == column and not self.descending
        return View(list(self.facets), dict(self.where), self.search, column, descending)


def sort_key(cell: Shown) -> str:
    """The key a cell sorts by (its data-sort attribute on the page): folded, so that É sorts with E."""
    return fold(cell.sort or cell.text.strip())


def _order(key: str) -> tuple[int, float, str]:
    """Numbers first, by value; then text, by code point."""
    if NUMBER.fullmatch(key):
        return (0, float(key), "")
    return (1, 0.0, key)


def searchable(row: Row) -> str:
    """A row's text for the filter: each cell's label and value."""
    return "\n".join(_folded_cell(c.label or "", c.text) for c in row)


def ordered(columns: Sequence[str], rows: Sequence[Row], view: View) -> list[int]:
    """The rows' indices in the view's order (a stable sort: ties keep the answer's order)."""
    indices = list(range(len(rows)))
    if view.sort in columns:
        at = list(columns).index(view.sort)
        indices.sort(key=lambda n: _order(sort_key(rows[n][at])), reverse=view.descending)
    return indices


def matcher(columns: Sequence[str], view: View, *, ignore: str | None = None) -> Callable[[Row], bool]:
    """Whether a row passes the filter and the chosen values (but those of column `ignore`)."""
    words = view.words
    chosen = [(list(columns).index(c), set(values)) for c, values in view.where.items() if c in columns and c != ignore]

    def match(row: Row) -> bool:
        if any(row[at].text not in values for at, values in chosen):
            return False
        if words:
            text = searchable(row)
            return all(word in text for word in words)
        return True

    return match


def selected(columns: Sequence[str], rows: Sequence[Row], view: View) -> list[int]:
    """The indices of the rows the view shows, in its order."""
    match = matcher(columns, view)
    return [n for n in ordered(columns, rows, view) if match(rows[n])]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class Facet:
    column: str
    values: list[FacetValue]
    more: bool  # values left out of the list


def facet_columns(columns: Sequence[str], rows: Sequence[Row], view: View) -> list[str]:
    """The columns with a facet: asked for, filtered on, or few values over the whole answer."""
    shown = []
    for at, column in enumerate(columns):
        if column in view.facets or column in view.where:
            shown.append(column)
            continue
        distinct: set[str] = set()
        for row in rows:
            distinct.add(row[at].text)
            if len(distinct) > MAX_DISTINCT:
                break
        if 2 <= len(distinct) <= MAX_DISTINCT and len(distinct) < len(rows):
            shown.append(column)
    return shown


def facets(columns: Sequence[str], rows: Sequence[Row], view: View) -> list[Facet]:
    """Each facet column's values, counted over the rows the rest of the view keeps, most first."""
    out = []
    for column in facet_columns(columns, rows, view):
        at = list(columns).index(column)
        match = matcher(columns, view, ignore=column)
        counts: Counter[str] = Counter()
        labels: dict[str, str] = {}
        for row in rows:
            c = row[at]
            labels.setdefault(c.text, c.label or c.text)
            if match(row):
                counts[c.text] += 1
        chosen = view.where.get(column, [])
        values = sorted(counts, key=lambda v: (-counts[v], fold(labels[v]), v))
        listed = values[:MAX_VALUES] + [v for v in chosen if v not in values[:MAX_VALUES]]
        out.append(
            Facet(
                column,
                [FacetValue(v, labels.get(v, v), counts[v], v in chosen) for v in listed],
                len(values) > MAX_VALUES,
            )
        )
    return out
