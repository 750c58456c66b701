"""The analysis machinery: the sparse measures against networkx, the child process for Louvain, every
store backend, and the real ontology in place of the fixtures' class axioms."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from avcluster.kg.analysis import analyze
from avcluster.kg.analysis.projection import read_network, snapshot
from avcluster.kg.analysis.structure import analyse, betweenness, burt
from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import AVC, ONTOLOGY_DIR
from avcluster.kg.stores import Store

from .test_analysis import fixture_graphs, i
from .test_analysis import load as load_fixture


def matrix(graph: nx.Graph) -> np.ndarray:
    return nx.to_scipy_sparse_array(graph, nodelist=list(graph), format="csr", dtype=float)


@pytest.mark.parametrize("seed", [1, 2])
def test_sampled_and_directed_betweenness_equal_networkx(seed: int) -> None:
    graph = nx.gnm_random_graph(70, 160, seed=seed)
    values, k = betweenness(matrix(graph), limit=10, sample=25)
    reference = nx.betweenness_centrality(graph, k=25, seed=42)
    assert k == 25 and values == pytest.approx([reference[v] for v in graph], rel=1e-4)
    digraph = nx.gnm_random_graph(60, 200, seed=seed, directed=True)
    values, k = betweenness(matrix(digraph))
    reference = nx.betweenness_centrality(digraph)
    assert k is None and values == pytest.approx([reference[v] for v in digraph])


def test_burt_equals_networkx_with_isolates_and_small_chunks() -> None:
    graph = nx.gnm_random_graph(50, 120, seed=3)
    graph.add_nodes_from([100, 101])
    constraint, effective = burt(matrix(graph), chunk=7)
    expected_c, expected_e = nx.constraint(graph), nx.effective_size(graph)
    assert np.allclose(constraint, [expected_c[v] for v in graph], equal_nan=True)
    assert np.allclose(effective, [expected_e[v] for v in graph], equal_nan=True)


def test_louvain_in_a_child_gives_what_it_gives_inline() -> None:
    snap = snapshot(read_network(load_fixture("structure")))
    inline, forked = analyse(snap), analyse(snap, parallel_from=0)
    assert inline.communities().groups == forked.communities().groups
    assert forked.network["modularity"] == pytest.approx(334 / 784)


def test_same_answers_on_every_store_backend(store: Store) -> None:
    store.replace_graphs(fixture_graphs("structure", "competencies"))
    result = analyze(store, sections=["brokers", "network", "competencies"])
    assert result["brokers"]["top"][0]["iri"] == i("b")
    assert result["network"]["modularity"] == pytest.approx(334 / 784)
    assert len(result["competencies"]["overlaps"]) == 2
    assert result["competencies"]["gaps"] == [str(AVC.Infrastructure), str(AVC.SpecialistTraining)]


@pytest.mark.skipif(not (ONTOLOGY_DIR / "avcluster.ttl").exists(), reason="the ontology is not written yet")
def test_the_real_ontology_gives_the_same_sectors_and_broker() -> None:
    store = load_fixture("structure", "ties", classes=False)
    load_ontology(store)
    result = analyze(store, sections=["actors", "brokers"], at=2020)
    actors = {a["iri"]: a for a in result["actors"]}
    assert (actors[i("fc")]["type"], actors[i("fc")]["sector"]) == ("FilmCommission", "public")
    assert (actors[i("c4")]["type"], actors[i("c4")]["sector"]) == ("DistributionCompany", "private")
    assert result["brokers"]["top"][0]["iri"] == i("b")
