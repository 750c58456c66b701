"""The network exports carry what Gephi, yEd and a spreadsheet user filter and size by, and GEXF
plays the cluster's history on Gephi's timeline (actors from founding to dissolution, ties from
start to end), on a real store loaded with the bundled data."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx

from avcluster.kg.export import export
from avcluster.kg.stores import Store

NICDO = "https://w3id.org/avcluster/id/nicdo"
INAAC = "https://w3id.org/avcluster/id/inaac"


def test_graphml_nodes_and_edges_carry_their_attributes(bundled: Store) -> None:
    graph = nx.read_graphml(io.BytesIO(export(bundled, "graphml")))
    nicdo = graph.nodes[NICDO]
    assert nicdo["type"] == "PublicEnterprise" and nicdo["sector"] == "public"
    assert "https://w3id.org/avcluster/id/navarre" in nicdo["region"]
    assert nicdo["degree"] > 0 and nicdo["betweenness"] > 0 and "pagerank" in nicdo and "community" in nicdo
    kinds = {d["kind"] for *_, d in graph.edges(data=True)}
    assert {"Funding", "CoProduction", "Governance", "SharedLeadership", "FinancialFlow"} <= kinds
    assert any("start" in d and "end" in d for *_, d in graph.edges(data=True))


def test_gexf_is_dynamic_with_days_gephi_reads(bundled: Store) -> None:
    data = export(bundled, "gexf")
    root = ET.fromstring(data)
    graph_element = next(e for e in root if e.tag.endswith("graph"))
    assert graph_element.get("mode") == "dynamic" and graph_element.get("timeformat") == "date"
    graph = nx.read_gexf(io.BytesIO(data))
    inaac = graph.nodes[INAAC]
    assert inaac["start"] == "2009-01-01" and inaac["end"] == "2014-12-31"  # founded 2009-01, closed in 2014
    dated = [d for *_, d in graph.edges(data=True) if "start" in d]
    assert len(dated) > 200
    assert all(len(d["start"]) == 10 for d in dated), "GEXF dates are whole days"
    assert any(d.get("kind") == "FinancialFlow" and d["start"].endswith("-01-01") for d in dated)


def test_csv_names_both_ends_and_every_tie_attribute(bundled: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export(bundled, "csv").decode())))
    assert {"source", "source_label", "source_type", "target_label", "kind", "start", "end", "amount"} <= set(rows[0])
    assert any(r["source"] == INAAC and r["target_label"] == "Navarra Film Commission" for r in rows)
