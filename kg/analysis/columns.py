"""The network's actors and ties as index-aligned arrays, for the sections that count over every tie.

The ties and life-cycle sections ask the same few questions of every tie (is it a relationship,
when did it start and end, between which actors) once per tie or once per tie and cluster: in
Python that was a minute and a half each at a million actors. Here the answers are read out of the
Tie objects once, and each question becomes one array operation. A missing date keeps its meaning
through sentinels: an undated start is before every year (NONE), an undated end after every year
(ALL), and the widest reading of a partial date (kg.analysis.periods) is its first or last day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .periods import FIRST, LAST, bounds, year_of

NONE, ALL = -(10**6), 10**6  # the year of an undated start, of an undated end
SECTORS = (None, "public", "private")  # the codes of NetworkColumns.sector


class ActorFields(Protocol):
    """What the columns read of an actor (kg.analysis.projection.Actor)."""

    created: str | None
    dissolved: str | None
    sector: str | None


class TieFields(Protocol):
    """What the columns read of a tie (kg.analysis.projection.Tie)."""

    category: str
    kind: str
    source: str
    target: str
    start: str | None
    end: str | None
    strength: float | None


@dataclass(frozen=True)
class NetworkColumns:
    """Arrays over the network's actors (in its order, then any tie end it does not list) and over
    its ties (in its order, which is the order of their keys)."""

    index: dict[str, int]  # actor IRI -> position
    created: np.ndarray  # year, NONE when undated
    dissolved: np.ndarray  # year, ALL when not dissolved or undated
    sector: np.ndarray  # code into SECTORS
    source: np.ndarray  # actor position of each tie's ends
    target: np.ndarray
    relationship: np.ndarray  # True for relationships, False for flows
    kind: np.ndarray  # code into `kinds`
    kinds: tuple[str, ...]
    start: np.ndarray  # year, NONE when undated
    end: np.ndarray  # year, ALL when undated
    first_day: np.ndarray  # ordinal of the earliest day the start allows (date.min when undated)
    last_day: np.ndarray  # ordinal of the latest day the end allows (date.max when undated)
    strength: np.ndarray  # NaN when not stated

    @classmethod
    def of(cls, actors: Mapping[str, ActorFields], ties: Sequence[TieFields]) -> NetworkColumns:
        index = {iri: i for i, iri in enumerate(actors)}
        sources, targets = [t.source for t in ties], [t.target for t in ties]
        try:
            source, target = _positions(index, sources), _positions(index, targets)
        except KeyError:  # a network built by hand may tie actors it does not list: they follow the listed ones
            for iri in sorted((set(sources) | set(targets)) - index.keys()):
                index[iri] = len(index)
            source, target = _positions(index, sources), _positions(index, targets)
        listed = list(actors.values())
        unlisted = len(index) - len(listed)
        sector_code = {s: code for code, s in enumerate(SECTORS)}
        kinds = tuple(sorted({t.kind for t in ties}))
        kind_code = {k: code for code, k in enumerate(kinds)}
        return cls(
            index=index,
            created=_padded(_years([a.created for a in listed], NONE), unlisted, NONE),
            dissolved=_padded(_years([a.dissolved for a in listed], ALL), unlisted, ALL),
            sector=_padded(np.array([sector_code.get(a.sector, 0) for a in listed], dtype=np.int8), unlisted, 0),
            source=source,
            target=target,
            relationship=np.array([t.category == "relationship" for t in ties], dtype=bool),
            kind=np.array([kind_code[t.kind] for t in ties], dtype=np.int32),
            kinds=kinds,
            start=_years([t.start for t in ties], NONE),
            end=_years([t.end for t in ties], ALL),
            first_day=_days([t.start for t in ties], first=True),
            last_day=_days([t.end for t in ties], first=False),
            strength=np.array([np.nan if t.strength is None else t.strength for t in ties], dtype=float),
        )

    def mask_of(self, actors: set[str]) -> np.ndarray:
        """A mask over the actors: True for those in `actors`."""
        mask = np.zeros(len(self.index), dtype=bool)
        mask[[self.index[a] for a in actors if a in self.index]] = True
        return mask


def _positions(index: dict[str, int], iris: list[str]) -> np.ndarray:
    return np.fromiter(map(index.__getitem__, iris), dtype=np.int64, count=len(iris))


def _years(values: list[str | None], missing: int) -> np.ndarray:
    """The year of each partial date (its first four digits), `missing` where there is none."""
    known: dict[str | None, int] = {}
    for value in set(values):
        year = year_of(value)
        known[value] = missing if year is None else year
    return np.fromiter(map(known.__getitem__, values), dtype=np.int64, count=len(values))


def _days(values: list[str | None], *, first: bool) -> np.ndarray:
    """The first (or last) day each partial date allows, as a date ordinal; open where there is none."""
    open_end = (FIRST if first else LAST).toordinal()
    known: dict[str | None, int] = {}
    for value in set(values):
        span = bounds(value) if value else None
        known[value] = open_end if span is None else span[0 if first else 1].toordinal()
    return np.fromiter(map(known.__getitem__, values), dtype=np.int64, count=len(values))


def _padded(values: np.ndarray, extra: int, fill: int) -> np.ndarray:
    return np.concatenate([values, np.full(extra, fill, dtype=values.dtype)]) if extra else values
