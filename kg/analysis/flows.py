"""What passes between the actors: money, information and material, by kind, by the types and
sectors of the actors at either end, and by year; and the actors through which most information
passes (betweenness on the information flows, direction kept).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

import numpy as np

from .projection import Snapshot, Tie
from .results import Flows, FlowTally, InformationBroker
from .structure import TOP, adjacency, betweenness, to_igraph


class _Tally:
    """A count and a sum per currency, for one group of flows."""

    def __init__(self) -> None:
        self.count = 0
        self.amounts: dict[str, Decimal] = defaultdict(Decimal)

    def add(self, flow: Tie) -> None:
        self.count += 1
        if flow.amount is not None:
            self.amounts[flow.currency or ""] += flow.amount

    def row(self, **key: Any) -> FlowTally:
        amount = {currency: float(total) for currency, total in sorted(self.amounts.items())}
        return cast(FlowTally, {**key, "count": self.count, "amount": amount})


def _rows(tallies: dict[tuple[Any, ...], _Tally], names: tuple[str, ...]) -> list[FlowTally]:
    return [
        tallies[key].row(**dict(zip(names, key, strict=True)))
        for key in sorted(tallies, key=lambda k: tuple("" if v is None else str(v) for v in k))
    ]


def information_brokers(snap: Snapshot) -> list[InformationBroker]:
    """Actors that both receive and pass on information, ranked by directed betweenness."""
    edges = [(t.source, t.target) for t in snap.ties if t.kind == "InformationFlow" and t.source != t.target]
    if not edges:
        return []
    nodes = sorted({x for edge in edges for x in edge})
    index = {iri: i for i, iri in enumerate(nodes)}
    inflow, outflow = np.zeros(len(nodes), dtype=np.int64), np.zeros(len(nodes), dtype=np.int64)
    rows, cols = [], []
    for u, v in edges:
        rows.append(index[u])
        cols.append(index[v])
        outflow[index[u]] += 1
        inflow[index[v]] += 1
    scores, _ = betweenness(to_igraph(adjacency(rows, cols, len(nodes)), directed=True))
    through = [i for i in range(len(nodes)) if inflow[i] and outflow[i]]
    through.sort(key=lambda i: (-scores[i], -min(inflow[i], outflow[i]), nodes[i]))
    labels = {a.iri: a.label for a in snap.actors}
    return [
        {
            "iri": nodes[i],
            "label": labels[nodes[i]],
            "betweenness": float(scores[i]),
            "inflows": int(inflow[i]),
            "outflows": int(outflow[i]),
        }
        for i in through[:TOP]
    ]


def flows_section(snap: Snapshot) -> Flows:
    total = _Tally()
    by_kind: dict[tuple[Any, ...], _Tally] = defaultdict(_Tally)
    by_year: dict[tuple[Any, ...], _Tally] = defaultdict(_Tally)
    by_type: dict[tuple[Any, ...], _Tally] = defaultdict(_Tally)
    by_sector: dict[tuple[Any, ...], _Tally] = defaultdict(_Tally)
    actors = {a.iri: a for a in snap.actors}
    for tie in snap.ties:
        if tie.category != "flow":
            continue
        kind, source, target = tie.kind, actors[tie.source], actors[tie.target]
        for tally in (
            total,
            by_kind[(kind,)],
            by_year[(tie.year, kind)],
            by_type[(kind, source.type, target.type)],
            by_sector[(kind, source.sector, target.sector)],
        ):
            tally.add(tie)
    whole = total.row()
    return {
        "count": whole["count"],
        "amount": whole["amount"],
        "by_kind": _rows(by_kind, ("kind",)),
        "by_year": _rows(by_year, ("year", "kind")),
        "by_actor_type": _rows(by_type, ("kind", "from_type", "to_type")),
        "by_sector": _rows(by_sector, ("kind", "from_sector", "to_sector")),
        "information_brokers": information_brokers(snap),
    }
