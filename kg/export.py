"""Export: the whole graph as RDF, or the actor network for network tools and spreadsheets.

The network carries what an analyst filters and sizes by in Gephi or yEd: each actor's type,
sector, regions, founding and dissolution dates, degree, betweenness, PageRank and community; each
tie's kind, category, dates, strength, year, amount and currency. GEXF is written in Gephi's dynamic
mode: an actor exists from its founding to its dissolution and a tie from its start to its end, so
Gephi's timeline plays the cluster's history. Dates keep the precision the data states, widened to
days as GEXF needs them (a start in "2014" is 2014-01-01, an end in "2014" is 2014-12-31).
"""

from __future__ import annotations

import calendar
import csv
import io
from typing import BinaryIO

import networkx as nx

from .analysis import analyze, project
from .stores import Store

RDF_EXPORTS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
}
NETWORK_EXPORTS = ("graphml", "gexf", "csv")
MEASURES = ("degree", "betweenness", "pagerank", "community")


def export_to(store: Store, fmt: str, output: BinaryIO) -> None:
    """Write the export to `output`. RDF formats dump the store (N-Quads and TriG as they are read,
    so a store larger than memory exports); graphml, gexf and csv export the actor network of the
    analysis."""
    if fmt in RDF_EXPORTS:
        store.dump_to(RDF_EXPORTS[fmt], output)
        return
    if fmt not in NETWORK_EXPORTS:
        raise ValueError(f"unknown export format {fmt!r}")
    network = network_for_tools(store)
    if fmt == "csv":
        output.write(_edges_csv(network))
    elif fmt == "graphml":
        nx.write_graphml(network, output)
    else:
        nx.write_gexf(_dynamic(network), output)


def export(store: Store, fmt: str) -> bytes:
    """export_to, into memory."""
    buffer = io.BytesIO()
    export_to(store, fmt, buffer)
    return buffer.getvalue()


def network_for_tools(store: Store) -> nx.MultiDiGraph:
    """The actor network with its measures, as strings and numbers only (what GraphML and GEXF hold)."""
    network = project(store)
    measured = {row["iri"]: row for row in analyze(store, sections=["actors"]).get("actors", [])}
    regions = _regions(store)
    plain = nx.MultiDiGraph()
    for node, data in network.nodes(data=True):
        row = measured.get(node)
        extra = {m: row[m] for m in MEASURES if row is not None and row[m] is not None}  # type: ignore[literal-required]
        if node in regions:
            extra["region"] = "; ".join(sorted(regions[node]))
        plain.add_node(node, **{k: _scalar(v) for k, v in {**data, **extra}.items() if v is not None})
    for u, v, key, data in network.edges(keys=True, data=True):
        plain.add_edge(u, v, key=key, **{k: _scalar(val) for k, val in data.items() if val is not None})
    return plain


def _regions(store: Store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    _, rows = store.select_rows("SELECT ?a ?r WHERE { ?a avc:locatedIn ?r }")
    for actor, region in rows:
        if actor is not None and region is not None:
            found.setdefault(actor.value, set()).add(region.value)  # type: ignore[union-attr]
    return found


def _dynamic(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same network with GEXF's start/end on the actors (founded, dissolved) and the ties."""
    dynamic = nx.MultiDiGraph()
    for node, data in network.nodes(data=True):
        spell = _spell(data.get("created"), data.get("dissolved"))
        dynamic.add_node(node, **{k: v for k, v in data.items() if k not in ("start", "end")}, **spell)
    for u, v, key, data in network.edges(keys=True, data=True):
        year = data.get("year")
        begin, finish = (str(year), str(year)) if year is not None and "start" not in data else (None, None)
        spell = _spell(data.get("start", begin), data.get("end", finish))
        rest = {("started" if k == "start" else "ended" if k == "end" else k): val for k, val in data.items()}
        dynamic.add_edge(u, v, key=key, **rest, **spell)
    return dynamic


def _spell(start: object, end: object) -> dict[str, str]:
    spell = {}
    if isinstance(start, str) and (day := _day(start, first=True)):
        spell["start"] = day
    if isinstance(end, str) and (day := _day(end, first=False)):
        spell["end"] = day
    return spell


def _day(value: str, *, first: bool) -> str | None:
    """A partial date as the first or last day it covers."""
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return f"{year:04d}-01-01" if first else f"{year:04d}-12-31"
        month = int(parts[1])
        if len(parts) == 2:
            return (
                f"{year:04d}-{month:02d}-01"
                if first
                else f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
            )
        return f"{year:04d}-{month:02d}-{int(parts[2]):02d}"
    except (ValueError, IndexError):
        return None


def _scalar(value: object) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return str(value)


def _edges_csv(network: nx.MultiDiGraph) -> bytes:
    out = io.StringIO()
    fields = sorted({k for _, _, d in network.edges(data=True) for k in d})
    node_fields = ("label", "type", "region")
    writer = csv.writer(out)
    writer.writerow(
        ["source", *(f"source_{f}" for f in node_fields), "target", *(f"target_{f}" for f in node_fields), *fields]
    )
    for u, v, data in network.edges(data=True):
        writer.writerow(
            [
                u,
                *(network.nodes[u].get(f, "") for f in node_fields),
                v,
                *(network.nodes[v].get(f, "") for f in node_fields),
                *(_scalar(data[f]) if data.get(f) is not None else "" for f in fields),
            ]
        )
    return out.getvalue().encode("utf-8")
