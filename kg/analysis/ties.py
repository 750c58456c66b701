"""The paper's "long-term and strong relationships": how old and how strong the ties are, which
ended, and how many cross the line between public and private actors.

Ties here are the relationships (flows are events of one year, not lasting ties). The reference
point is the year asked for (`at`), else today: a tie is current when its period reaches it,
ended when it closed before it, and not yet begun when it starts after it.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import numpy as np
import pyoxigraph as ox

from ..stores import Store
from .columns import NONE, SECTORS
from .projection import Network, complete_rows
from .results import KindCount, TieRow, Ties

LONG_TERM_YEARS = 5
STRONG = 0.7
LIST_LIMIT = 50


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


def _mean(values: np.ndarray) -> float | None:
    """The mean as statistics.fmean gives it (exactly rounded), whatever the array's length."""
    return math.fsum(values.tolist()) / len(values) if len(values) else None


def _median(values: np.ndarray) -> float | None:
    return float(statistics.median(values.tolist())) if len(values) else None


def ties_section(store: Store, network: Network, at: int | None, today: date | None = None) -> Ties:
    today = today or date.today()
    reference = at if at is not None else today.year
    c = network.columns
    # current, ended or not yet begun at year `at`, or at today's date when `at` is None
    if at is None:
        ended = c.relationship & (c.last_day < today.toordinal())
        future = c.relationship & ~ended & (c.first_day > today.toordinal())
    else:
        ended = c.relationship & (c.end < at)
        future = c.relationship & ~ended & (c.start > at)
    current = c.relationship & ~ended & ~future
    # whole years from the start to the end (ended ties) or to the reference year (current ones)
    dated = c.start != NONE
    years = np.where(ended, c.end, reference) - c.start
    now = np.flatnonzero(current)
    gone = np.flatnonzero(ended)

    kinds: list[KindCount] = []
    for code in np.unique(c.kind[np.concatenate([now, gone])]):
        here = now[c.kind[now] == code]
        ages = years[here[dated[here]]]
        strengths = c.strength[here]
        strengths = strengths[~np.isnan(strengths)]
        kinds.append(
            {
                "kind": c.kinds[code],
                "current": len(here),
                "ended": int(np.count_nonzero(c.kind[gone] == code)),
                "mean_years": _mean(ages),
                "median_years": _median(ages),
                "mean_strength": _mean(strengths),
                "with_strength": len(strengths),
            }
        )

    # The longest first, then the strongest, then by key: the ties are in the order of their keys.
    long_strong = now[dated[now] & (years[now] >= LONG_TERM_YEARS) & (c.strength[now] >= STRONG)]
    long_strong = long_strong[np.lexsort((long_strong, -c.strength[long_strong], -years[long_strong]))]
    # The latest end first (as its text sorts), then the key, both descending.
    end_text = np.array([network.ties[i].end or "" for i in gone], dtype=object)
    _, end_rank = np.unique(end_text, return_inverse=True) if len(gone) else (None, np.zeros(0, dtype=np.int64))
    gone_listed = gone[np.lexsort((-gone, -end_rank.ravel()))][:LIST_LIMIT]
    listed = [network.ties[i] for i in (*long_strong[:LIST_LIMIT], *gone_listed)]
    sources = cited(store, (t.iri for t in listed if t.iri))

    def tie_row(i: int) -> TieRow:
        tie = network.ties[i]
        return {
            "tie": tie.iri,
            "kind": tie.kind,
            "from": tie.source,
            "to": tie.target,
            "start": tie.start,
            "end": tie.end,
            "strength": tie.strength,
            "years": int(years[i]) if dated[i] else None,
            "sources": sources.get(tie.iri or "", []),
        }

    end_years, per_year = np.unique(c.end[gone], return_counts=True)
    # the public/private mix of the current ties whose two actors' sectors are known
    ends = np.stack([c.sector[c.source[now]], c.sector[c.target[now]]])
    unknown = (ends == 0).any(axis=0)
    public = (ends == SECTORS.index("public")).sum(axis=0)
    public_private, public_public, private_private = (
        int(np.count_nonzero(~unknown & (public == publics))) for publics in (1, 2, 0)
    )
    known = public_private + public_public + private_private
    ages_now = years[now[dated[now]]]
    strengths_now = c.strength[now]
    strengths_now = strengths_now[~np.isnan(strengths_now)]
    return {
        "reference_year": reference,
        "current": len(now),
        "ended": len(gone),
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
            "ties": [tie_row(i) for i in long_strong[:LIST_LIMIT]],
        },
        "ended_ties": {
            "count": len(gone),
            "by_year": [{"year": int(y), "count": int(n)} for y, n in zip(end_years, per_year, strict=True)],
            "ties": [tie_row(i) for i in gone_listed],
        },
        "public_private": {
            "public_private": public_private,
            "public_public": public_public,
            "private_private": private_private,
            "unknown": int(np.count_nonzero(unknown)),
            # of the current ties whose two actors are known to be public or private
            "share": public_private / known if known else None,
        },
    }
