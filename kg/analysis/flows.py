"""What passes between the actors: money, information and material, by kind, by the types and
sectors of the actors at either end, and by year; and the actors through which most information
passes (betweenness on the information flows, direction kept).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

import numpy as np

from .projection import Actor, Snapshot, Tie
from .results import Flows, FlowTally, InformationBroker
from .structure import TOP, adjacency, betweenness, to_igraph


class _Codes:
    """Each distinct value of a field numbered in the order first met: a flow's fields become small
    integers that numpy can group, and the numbers turn back into the values."""

    def __init__(self, values: list[Any]) -> None:
        self.values = list(dict.fromkeys(values))
        number = {value: code for code, value in enumerate(self.values)}
        self.codes = np.fromiter(map(number.__getitem__, values), dtype=np.int64, count=len(values))


def _tallies(
    fields: list[_Codes], currency: _Codes, amounts: list[Decimal | None], names: tuple[str, ...]
) -> list[FlowTally]:
    """A count and a total per currency for each combination of `fields` the flows hold, sorted by
    the combination's text. Totals are sums of the Decimal amounts, exact, then made floats."""
    group = np.zeros(len(amounts), dtype=np.int64)
    for field in fields:
        group = group * len(field.values) + field.codes
    present, group = np.unique(group, return_inverse=True)
    group = group.ravel()
    counts = np.bincount(group, minlength=len(present))
    stated = np.array([a is not None for a in amounts], dtype=bool)
    currencies = max(len(currency.values), 1)
    pot = group[stated] * currencies + currency.codes[stated]
    order = np.argsort(pot, kind="stable")
    pots, firsts = np.unique(pot[order], return_index=True)
    stated_amounts = np.array(amounts, dtype=object)[stated][order]
    totals: dict[int, dict[str, float]] = defaultdict(dict)
    chunks = np.split(stated_amounts, firsts[1:]) if len(pots) else []
    for key, chunk in zip(pots, chunks, strict=True):
        at, code = divmod(int(key), currencies)
        totals[at][currency.values[code]] = float(sum(chunk, Decimal(0)))
    rows = []
    for at, combined in enumerate(present):
        key = []
        for field in reversed(fields):
            combined, code = divmod(int(combined), len(field.values))
            key.append(field.values[code])
        row = dict(zip(names, reversed(key), strict=True))
        rows.append((row, {"count": int(counts[at]), "amount": dict(sorted(totals[at].items()))}))
    rows.sort(key=lambda r: tuple("" if r[0][n] is None else str(r[0][n]) for n in names))
    return [cast(FlowTally, {**row, **tally}) for row, tally in rows]


def information_brokers(flows: list[Tie], actors: dict[str, Actor]) -> list[InformationBroker]:
    """Actors that both receive and pass on information, ranked by directed betweenness."""
    edges = [(t.source, t.target) for t in flows if t.kind == "InformationFlow" and t.source != t.target]
    if not edges:
        return []
    nodes = sorted({x for edge in edges for x in edge})
    index = {iri: i for i, iri in enumerate(nodes)}
    rows = np.array([index[u] for u, _ in edges], dtype=np.int64)
    cols = np.array([index[v] for _, v in edges], dtype=np.int64)
    outflow, inflow = np.bincount(rows, minlength=len(nodes)), np.bincount(cols, minlength=len(nodes))
    scores, _ = betweenness(to_igraph(adjacency(rows, cols, len(nodes)), directed=True))
    through = sorted(
        np.flatnonzero((inflow > 0) & (outflow > 0)).tolist(),
        key=lambda i: (-scores[i], -min(inflow[i], outflow[i]), nodes[i]),
    )
    return [
        {
            "iri": nodes[i],
            "label": actors[nodes[i]].label,
            "betweenness": float(scores[i]),
            "inflows": int(inflow[i]),
            "outflows": int(outflow[i]),
        }
        for i in through[:TOP]
    ]


def flows_section(snap: Snapshot) -> Flows:
    flows = [t for t in snap.ties if t.category == "flow"]
    actors = {a.iri: a for a in snap.actors}
    sources, targets = [actors[t.source] for t in flows], [actors[t.target] for t in flows]
    kind = _Codes([t.kind for t in flows])
    currency = _Codes([t.currency or "" for t in flows])
    amounts = [t.amount for t in flows]
    whole = _tallies([], currency, amounts, ())
    return {
        "count": len(flows),
        "amount": whole[0]["amount"] if whole else {},
        "by_kind": _tallies([kind], currency, amounts, ("kind",)),
        "by_year": _tallies([_Codes([t.year for t in flows]), kind], currency, amounts, ("year", "kind")),
        "by_actor_type": _tallies(
            [kind, _Codes([a.type for a in sources]), _Codes([a.type for a in targets])],
            currency,
            amounts,
            ("kind", "from_type", "to_type"),
        ),
        "by_sector": _tallies(
            [kind, _Codes([a.sector for a in sources]), _Codes([a.sector for a in targets])],
            currency,
            amounts,
            ("kind", "from_sector", "to_sector"),
        ),
        "information_brokers": information_brokers(flows, actors),
    }
