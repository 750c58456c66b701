"""The paper's "long-term and strong relationships": how old and how strong the ties are, which
ended, and how many cross the line between public and private actors.

Ties here are the relationships (flows are events of one year, not lasting ties). The reference
point is the year asked for (`at`), else today: a tie is current when its period reaches it,
ended when it closed before it, and not yet begun when it starts after it.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pyoxigraph as ox

from ..stores import Store
from .periods import year_of
from .projection import Network, Tie, complete_rows
from .results import KindCount, TieRow, Ties

LONG_TERM_YEARS = 5
STRONG = 0.7
LIST_LIMIT = 50


def status(tie: Tie, at: int | None, today: date) -> str:
    """ "current", "ended" or "future" relative to year `at`, or to today when `at` is None."""
    if at is None:
        lo, hi = tie.period.widest
        return "ended" if hi < today else "future" if lo > today else "current"
    start, end = year_of(tie.start), year_of(tie.end)
    return "ended" if end is not None and end < at else "future" if start is not None and start > at else "current"


def age(tie: Tie, reference_year: int, state: str) -> int | None:
    """Whole years from the start to the end (ended ties) or to the reference year (current ties)."""
    start = year_of(tie.start)
    if start is None:
        return None
    until = year_of(tie.end) if state == "ended" else reference_year
    return None if until is None else until - start


def cited(store: Store, iris: Iterable[str]) -> dict[str, list[str]]:
    """The sources of a few resources (those a report lists), read only for them."""
    values = " ".join(str(ox.NamedNode(iri)) for iri in sorted(set(iris)))
    found: dict[str, list[str]] = defaultdict(list)
    if values:
        for iri, source in complete_rows(
            store, f"SELECT DISTINCT ?r ?s WHERE {{ VALUES ?r {{ {values} }} ?r dcterms:source ?s }}"
        ):
            found[iri].append(source)
    return {iri: sorted(sources) for iri, sources in found.items()}


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def ties_section(store: Store, network: Network, at: int | None, today: date | None = None) -> Ties:
    today = today or date.today()
    reference = at if at is not None else today.year
    current: list[tuple[Tie, int | None]] = []
    ended: list[tuple[Tie, int | None]] = []
    for tie in network.ties:
        if tie.category != "relationship":
            continue
        state = status(tie, at, today)
        if state == "current":
            current.append((tie, age(tie, reference, state)))
        elif state == "ended":
            ended.append((tie, age(tie, reference, state)))

    by_kind: dict[str, dict[str, list[Any]]] = defaultdict(lambda: {"current": [], "ended": []})
    for state, group in (("current", current), ("ended", ended)):
        for tie, years in group:
            by_kind[tie.kind][state].append((tie, years))
    kinds: list[KindCount] = []
    for kind in sorted(by_kind):
        now = by_kind[kind]["current"]
        ages = [y for _, y in now if y is not None]
        strengths = [t.strength for t, _ in now if t.strength is not None]
        kinds.append(
            {
                "kind": kind,
                "current": len(now),
                "ended": len(by_kind[kind]["ended"]),
                "mean_years": _mean(ages),
                "median_years": _median(ages),
                "mean_strength": _mean(strengths),
                "with_strength": len(strengths),
            }
        )

    long_strong = sorted(
        (
            (t, y)
            for t, y in current
            if y is not None and y >= LONG_TERM_YEARS and t.strength is not None and t.strength >= STRONG
        ),
        key=lambda ty: (-(ty[1] or 0), -(ty[0].strength or 0), ty[0].key),
    )
    ended.sort(key=lambda ty: (ty[0].end or "", ty[0].key), reverse=True)
    listed = long_strong[:LIST_LIMIT] + ended[:LIST_LIMIT]
    sources = cited(store, (t.iri for t, _ in listed if t.iri))

    def tie_row(tie: Tie, years: int | None) -> TieRow:
        return {
            "tie": tie.iri,
            "kind": tie.kind,
            "from": tie.source,
            "to": tie.target,
            "start": tie.start,
            "end": tie.end,
            "strength": tie.strength,
            "years": years,
            "sources": sources.get(tie.iri or "", []),
        }

    ended_by_year = Counter(year_of(t.end) for t, _ in ended)

    sectors = {iri: actor.sector for iri, actor in network.actors.items()}
    mix: Counter[str] = Counter()
    for tie, _ in current:
        pair = sorted(s or "unknown" for s in (sectors.get(tie.source), sectors.get(tie.target)))
        mix["unknown" if "unknown" in pair else "_".join(pair)] += 1
    known = mix["private_public"] + mix["public_public"] + mix["private_private"]
    ages_now = [y for _, y in current if y is not None]
    strengths_now = [t.strength for t, _ in current if t.strength is not None]
    return {
        "reference_year": reference,
        "current": len(current),
        "ended": len(ended),
        "dated": len(ages_now),
        "mean_years": _mean(ages_now),
        "median_years": _median(ages_now),
        "mean_strength": _mean(strengths_now),
        "with_strength": len(strengths_now),
        "by_kind": kinds,
        "long_term_strong": {
            "min_years": LONG_TERM_YEARS,
            "min_strength": STRONG,
            "count": len(long_strong),
            "ties": [tie_row(t, y) for t, y in long_strong[:LIST_LIMIT]],
        },
        "ended_ties": {
            "count": len(ended),
            "by_year": [{"year": y, "count": ended_by_year[y]} for y in sorted(ended_by_year, key=lambda y: y or 0)],
            "ties": [tie_row(t, y) for t, y in ended[:LIST_LIMIT]],
        },
        "public_private": {
            "public_private": mix["private_public"],
            "public_public": mix["public_public"],
            "private_private": mix["private_private"],
            "unknown": mix["unknown"],
            # of the current ties whose two actors are known to be public or private
            "share": mix["private_public"] / known if known else None,
        },
    }
