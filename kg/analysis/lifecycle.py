"""The evidence for where each cluster stands in its life cycle, beside the stage its sources assert.

Each indicator is a figure from the data, the stage it points to and why, so an analyst can weigh
them rather than trust one verdict. The rules follow the cluster life-cycle literature (an
emerging cluster is young and forms ties fast; a growing one gains members and ties; a mature one
stops growing but thickens its ties; a declining one loses more ties than it forms; a renewing one
forms ties again after losing them). The thresholds are the constants below.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Literal

import numpy as np

from ..namespaces import AVC
from .columns import ALL, NONE, NetworkColumns
from .periods import year_of
from .projection import Cluster, Network
from .results import Indicator, Lifecycle, Reason, YearRow

WINDOW = 5  # years compared: the last WINDOW against the WINDOW before
YOUNG, ESTABLISHED = 5, 15  # age in years below which a cluster is emerging / growing
GROWING = 0.10  # annual growth of members or ties that counts as growth
SHRINKING = -0.02  # below this annual change, decline
NEW_SHARE_HIGH, NEW_SHARE_LOW = 0.5, 0.15  # share of current ties formed in the last WINDOW years
DENSER = 1.1  # density change by this factor counts as a change
MIN_DATED = 5  # fewer dated members or ties than this show no trend
STAGES = tuple(str(AVC[s]) for s in ("Emergence", "Growth", "Maturity", "Decline", "Renewal"))
EMERGENCE, GROWTH, MATURITY, DECLINE, RENEWAL = STAGES


def _annual_growth(before: float, now: float) -> float | None:
    return (now / before) ** (1 / WINDOW) - 1 if before > 0 else None


def _reason(template: str, **args: str | int) -> Reason:
    """One sentence of an indicator's why: a template (the same words every time, so a viewer can
    translate it) and the figures that fill it."""
    return {"text": template, "args": args}


def _indicator(name: str, value: float | None, stage: str | None, *reasons: Reason) -> Indicator:
    why = "".join(r["text"].format(**r["args"]) for r in reasons)
    return {"indicator": name, "value": value, "stage": stage, "why": why, "reasons": list(reasons)}


def _growth_indicator(name: str, what: str, before: int, now: int, undated: int) -> Indicator:
    """Growth over the window; undated members or ties count in every year, so they damp it."""
    rate = _annual_growth(before, now)

    def reason(template: str, **args: str | int) -> Reason:
        return _reason(template.replace("{what}", what), **args)

    note = (
        [reason("; {undated} of {now} {what} have no date and count in every year", undated=undated, now=now)]
        if undated
        else []
    )
    dated = now - undated
    if now and (dated < MIN_DATED or 2 * undated > now):  # undated ones count in every year: no trend shows
        return _indicator(
            name, rate, None, reason("{dated} of {now} {what} dated: too few to judge growth", dated=dated, now=now)
        )
    if rate is None:
        stage = EMERGENCE if now > 0 else None
        why = (
            reason("no {what} {window} years earlier, {now} now", window=WINDOW, now=now)
            if now
            else reason("no {what}")
        )
    else:
        stage = GROWTH if rate >= GROWING else MATURITY if rate >= SHRINKING else DECLINE
        why = reason(
            "{before} → {now} {what} in {window} years ({rate} a year)",
            before=before,
            now=now,
            window=WINDOW,
            rate=f"{rate:+.1%}",
        )
    return _indicator(name, rate, stage, why, *note)


def _active(starts: np.ndarray, ends: np.ndarray, years: np.ndarray) -> np.ndarray:
    """How many of the spans [start, end] (whole years, inclusive) include each of `years`: those
    begun by the year less those over before it (a span ending before it starts never counts)."""
    proper = starts <= ends
    begun = np.searchsorted(np.sort(starts[proper]), years, side="right")
    over = np.searchsorted(np.sort(ends[proper]), years, side="left")
    return begun - over


def _pairs_active(
    low: np.ndarray, high: np.ndarray, starts: np.ndarray, ends: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """How many distinct pairs of actors (positions low < high) have a tie active in each of `years`:
    each pair's spans merged where they overlap, so a pair tied twice at once counts once."""
    keep = (low != high) & (starts <= ends)  # a self-tie is no pair; a span ending before it starts, no span
    pair = np.unique(low[keep] * (int(high.max(initial=0)) + 1) + high[keep], return_inverse=True)[1].ravel()
    starts, ends = starts[keep], ends[keep]
    order = np.lexsort((starts, pair))
    pair, starts, ends = pair[order], starts[order], ends[order]
    # the latest end so far within each pair: the pairs' numbers lifted apart so one running maximum serves all
    lift = (ALL - NONE + 1) * pair
    reach = np.maximum.accumulate(ends - NONE + lift) + NONE - lift
    opens = np.ones(len(pair), dtype=bool)
    opens[1:] = (pair[1:] != pair[:-1]) | (starts[1:] > reach[:-1])
    closes = np.append(opens[1:], True) if len(opens) else opens
    return _active(starts[opens], reach[closes], years)


def _series(c: NetworkColumns, scope: np.ndarray, ties: np.ndarray, first: int, last: int) -> list[YearRow]:
    years = np.arange(first, last + 1)
    members = _active(c.created[scope], c.dissolved[scope], years)
    start, end = c.start[ties], c.end[ties]
    active = _active(start, end, years)
    low = np.minimum(c.source[ties], c.target[ties])
    high = np.maximum(c.source[ties], c.target[ties])
    pairs = _pairs_active(low, high, start, end, years)
    began = np.bincount(start[(start >= first) & (start <= last)] - first, minlength=len(years))
    ended = np.bincount(end[(end >= first) & (end <= last)] - first, minlength=len(years))
    return [
        {
            "year": int(year),
            "members": int(m),
            "ties": int(a),
            "new_ties": int(b),
            "ended_ties": int(e),
            "density": 2 * int(p) / (int(m) * (int(m) - 1)) if m > 1 else None,
        }
        for year, m, a, b, e, p in zip(years, members, active, began, ended, pairs, strict=True)
    ]


def cluster_lifecycle(cluster: Cluster, network: Network, reference: int) -> Lifecycle:
    c = network.columns
    scope = c.mask_of(network.cluster_actors(cluster))
    ties = np.flatnonzero(c.relationship & scope[c.source] & scope[c.target])
    founded = year_of(cluster.created)
    # The series starts when the cluster or its first tie does: an old university joining it later
    # says nothing about the cluster's own first years.
    starts = c.start[ties]
    earliest = int(starts[starts != NONE].min(initial=ALL))
    known = [y for y in (founded, earliest) if y is not None and y <= reference]
    first = min([*known, reference - 2 * WINDOW])
    series = _series(c, scope, ties, first, reference)
    at = {row["year"]: row for row in series}
    now, then = at[reference], at[reference - WINDOW]

    indicators: list[Indicator] = []
    if founded is None:
        indicators.append(_indicator("age", None, None, _reason("no founding date")))
    else:
        age = reference - founded
        stage = EMERGENCE if age < YOUNG else GROWTH if age < ESTABLISHED else MATURITY
        why = _reason(
            "founded {created}, {age} years before {reference}",
            created=str(cluster.created),
            age=age,
            reference=reference,
        )
        indicators.append(_indicator("age", age, stage, why))
    undated_members = int(np.count_nonzero(c.created[scope] == NONE))
    undated_ties = int(np.count_nonzero((starts == NONE) & (c.end[ties] == ALL)))
    indicators.append(_growth_indicator("member_growth", "members", then["members"], now["members"], undated_members))
    indicators.append(_growth_indicator("tie_growth", "ties", then["ties"], now["ties"], undated_ties))

    dated_now = starts[(starts != NONE) & (starts <= reference) & (c.end[ties] >= reference)]
    recent = int(np.count_nonzero(dated_now > reference - WINDOW))
    if len(dated_now) >= MIN_DATED:
        share = recent / len(dated_now)
        stage = GROWTH if share >= NEW_SHARE_HIGH else MATURITY if share >= NEW_SHARE_LOW else DECLINE
        why = _reason(
            "{recent} of {dated} dated current ties began in the last {window} years",
            recent=recent,
            dated=len(dated_now),
            window=WINDOW,
        )
        indicators.append(_indicator("new_tie_share", share, stage, why))
    else:
        why = _reason(
            "only {dated} dated current ties (at least {needed} needed)", dated=len(dated_now), needed=MIN_DATED
        )
        indicators.append(_indicator("new_tie_share", recent / len(dated_now) if len(dated_now) else None, None, why))

    def window_sum(key: Literal["new_ties", "ended_ties"], last: int) -> int:
        return sum(at[y][key] for y in range(last - WINDOW + 1, last + 1) if y in at)

    started, ended = window_sum("new_ties", reference), window_sum("ended_ties", reference)
    started_before, ended_before = (
        window_sum("new_ties", reference - WINDOW),
        window_sum("ended_ties", reference - WINDOW),
    )
    turnover = DECLINE if ended > started else RENEWAL if ended_before > started_before and started > ended else None
    why = _reason(
        "{started} ties began and {ended} ended in the last {window} years "
        "({started_before} and {ended_before} in the {window} before)",
        started=started,
        ended=ended,
        window=WINDOW,
        started_before=started_before,
        ended_before=ended_before,
    )
    indicators.append(_indicator("turnover", started - ended, turnover, why))

    density_now, density_then = now["density"], then["density"]
    member_rate = _annual_growth(then["members"], now["members"])
    density_stage = None
    if density_now is not None and density_then:
        if density_now > density_then * DENSER and (member_rate or 0) < GROWING:
            density_stage = MATURITY
        elif density_now * DENSER < density_then and (member_rate or 0) >= GROWING:
            density_stage = GROWTH
    why = (
        _reason(
            "density {then} → {now} in {window} years",
            then=f"{density_then:.3f}",
            now=f"{density_now:.3f}",
            window=WINDOW,
        )
        if density_now is not None and density_then is not None
        else _reason("too few members to measure density")
    )
    indicators.append(_indicator("density", density_now, density_stage, why))

    votes = Counter(i["stage"] for i in indicators if i["stage"])
    leaders = [s for s in STAGES if votes and votes[s] == max(votes.values())]
    suggested = leaders[0] if len(leaders) == 1 else None  # a split vote is reported as such, not settled
    return {
        "cluster": cluster.iri,
        "created": cluster.created,
        "reference_year": reference,
        "age": reference - founded if founded is not None else None,
        "members": now["members"],
        "ties": now["ties"],
        "density": density_now,
        "asserted_stage": cluster.stage,
        "suggested_stage": suggested,
        "agrees": (suggested == cluster.stage) if suggested and cluster.stage else None,
        "votes": {s: votes[s] for s in STAGES if votes[s]},
        "indicators": indicators,
        "series": series,
    }


Verdict = Literal["suggested", "split", "none"]


def verdict(cycle: Lifecycle) -> Verdict:
    """Why a cluster has the suggestion it has: one stage won the vote of the indicators
    ("suggested"), several tied ("split", reported as such rather than settled) or no indicator
    pointed to any stage ("none": too few dated members or ties, no founding date)."""
    if cycle["suggested_stage"]:
        return "suggested"
    return "split" if cycle["votes"] else "none"


def lifecycle_section(network: Network, at: int | None, today: date | None = None) -> list[Lifecycle]:
    reference = at if at is not None else (today or date.today()).year
    return [cluster_lifecycle(c, network, reference) for c in sorted(network.clusters.values(), key=lambda c: c.iri)]
