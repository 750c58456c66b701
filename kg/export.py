"""Export: the whole graph as RDF, or the actor network for network tools and spreadsheets."""

from __future__ import annotations

import csv
import io

import networkx as nx

from .stores import Store

RDF_EXPORTS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
}


def export(store: Store, fmt: str) -> bytes:
    """RDF formats dump the store; graphml, gexf and csv export the actor network of the analysis."""
    if fmt in RDF_EXPORTS:
        return store.dump(RDF_EXPORTS[fmt])
    from .analysis import project

    network = _plain(project(store))
    if fmt == "csv":
        return _edges_csv(network)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(network, buffer)
    elif fmt == "gexf":
        nx.write_gexf(network, buffer)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return buffer.getvalue()


def _plain(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are strings and numbers only: what GraphML and GEXF can hold."""
    plain = nx.MultiDiGraph()
    for node, data in network.nodes(data=True):
        plain.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in network.edges(keys=True, data=True):
        plain.add_edge(u, v, key=key, **{k: _scalar(val) for k, val in data.items() if val is not None})
    return plain


def _scalar(value: object) -> str | int | float | bool:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return str(value)


def _edges_csv(network: nx.MultiDiGraph) -> bytes:
    out = io.StringIO()
    fields = sorted({k for _, _, d in network.edges(data=True) for k in d})
    writer = csv.writer(out)
    writer.writerow(["source", "source_label", "target", "target_label", *fields])
    for u, v, data in network.edges(data=True):
        writer.writerow(
            [
                u,
                network.nodes[u].get("label", ""),
                v,
                network.nodes[v].get("label", ""),
                *(_scalar(data[f]) if data.get(f) is not None else "" for f in fields),
            ]
        )
    return out.getvalue().encode("utf-8")
