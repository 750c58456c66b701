"""Dates at the precision the sources give them, and the periods they bound.

A date is xsd:date, xsd:gYearMonth or xsd:gYear (ontology README). "2014" as a start may mean any
day of 2014, so a period has two readings: the widest (start as early, end as late as the date
allows) and the narrowest. Two periods *meet* when their widest readings share a day; the meeting
is *certain* only when their narrowest readings do too. This keeps a hand-over dated "ended 2014,
started 2014" visible as a possible overlap without claiming it as a sure one.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

FIRST = date.min
LAST = date.max


# Both are asked about the same few thousand dates hundreds of thousands of times at scale.
@lru_cache(maxsize=65536)
def year_of(value: str | None) -> int | None:
    """The year of a partial date: its first four characters (ontology README)."""
    if value is None or len(value) < 4 or not value[:4].isdigit():
        return None
    return int(value[:4])


@lru_cache(maxsize=65536)
def bounds(value: str) -> tuple[date, date] | None:
    """The first and last day a partial date can stand for."""
    year = year_of(value)
    if year is None or year < 1:
        return None
    parts = value[:10].split("-")
    try:
        if len(parts) >= 3 and len(parts[2]) == 2:
            day = date(year, int(parts[1]), int(parts[2]))
            return day, day
        if len(parts) >= 2 and len(parts[1]) == 2:
            month = int(parts[1])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        pass
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True)
class Period:
    """A span with optional ends as the data states them; an absent end is open."""

    start: str | None = None
    end: str | None = None

    @property
    def widest(self) -> tuple[date, date]:
        lo = bounds(self.start) if self.start else None
        hi = bounds(self.end) if self.end else None
        return (lo[0] if lo else FIRST, hi[1] if hi else LAST)

    @property
    def narrowest(self) -> tuple[date, date]:
        lo = bounds(self.start) if self.start else None
        hi = bounds(self.end) if self.end else None
        return (lo[1] if lo else FIRST, hi[0] if hi else LAST)

    def contains_year(self, year: int) -> bool:
        """True when the period can include some day of the year (the widest reading)."""
        start, end = year_of(self.start), year_of(self.end)
        return (start is None or start <= year) and (end is None or end >= year)

    def contains_day(self, day: date) -> bool:
        lo, hi = self.widest
        return lo <= day <= hi


def meeting(a: Period, b: Period) -> tuple[bool, bool]:
    """(the periods can share a day, they surely share one)."""
    (a_lo, a_hi), (b_lo, b_hi) = a.widest, b.widest
    possible = max(a_lo, b_lo) <= min(a_hi, b_hi)
    (a_lo, a_hi), (b_lo, b_hi) = a.narrowest, b.narrowest
    return possible, possible and max(a_lo, b_lo) <= min(a_hi, b_hi)


def common_span(a: Period, b: Period) -> Period:
    """The stated dates that bound where two meeting periods overlap (the later start, the earlier end)."""
    starts = [p.start for p in (a, b) if p.start]
    ends = [p.end for p in (a, b) if p.end]
    start = max(starts, key=lambda s: (bounds(s) or (FIRST, FIRST))[0]) if starts else None
    end = min(ends, key=lambda e: (bounds(e) or (LAST, LAST))[1]) if ends else None
    return Period(start, end)
