"""The analysis machinery: igraph's measures against networkx (the reference) on the fixtures, the
bundled Navarre data and a synthetic cluster; Leiden seeded and stable; every store backend; and
the real ontology in place of the fixtures' class axioms."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest

from avcluster.kg.analysis import analyze, structure
from avcluster.kg.analysis.projection import Snapshot, read_network, snapshot, to_networkx
from avcluster.kg.analysis.structure import SEED, analyse, betweenness, burt, leiden, pagerank, to_igraph
from avcluster.kg.derive import shortcuts
from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import AVC, ONTOLOGY_DIR, SYNTHETIC_GRAPH, inferred_graph
from avcluster.kg.stores import Store, open_store
from avcluster.kg.synth import generate

from .test_analysis import fixture_graphs, i
from .test_analysis import load as load_fixture

EXACT = {"rel": 1e-9, "abs": 1e-12}
# Community detection is heuristic: igraph's Leiden and networkx's Louvain (the reference) visit the
# actors in different random orders and may stop at different local optima. igraph's partition must
# be as good, give or take this much.
MODULARITY_MARGIN = 0.01


def matrix(graph: nx.Graph) -> np.ndarray:
    return nx.to_scipy_sparse_array(graph, nodelist=list(graph), format="csr", dtype=float)


def reference_graphs(snap: Snapshot) -> tuple[nx.Graph, nx.DiGraph]:
    """The snapshot as a plain networkx user builds it, on nodes 0..n-1 in the analysis's order:
    the simple undirected graph, and the directed one with symmetric kinds both ways."""
    multigraph = nx.relabel_nodes(to_networkx(snap), {a.iri: n for n, a in enumerate(snap.actors)})
    simple = nx.Graph()
    simple.add_nodes_from(range(len(snap.actors)))
    simple.add_edges_from((u, v) for u, v in multigraph.edges() if u != v)
    directed = nx.DiGraph()
    directed.add_nodes_from(range(len(snap.actors)))
    for u, v, mutual in multigraph.edges(data="mutual"):
        if u != v:
            directed.add_edges_from([(u, v), (v, u)] if mutual else [(u, v)])
    return simple, directed


def as_array(values: dict[int, float], n: int) -> np.ndarray:
    return np.array([values[v] for v in range(n)], dtype=float)


def assert_equals_networkx(snap: Snapshot) -> None:
    """Every measure of `analyse` against networkx's call on the same graph."""
    simple, directed = reference_graphs(snap)
    n = simple.number_of_nodes()
    found = analyse(snap)
    assert found.nodes == [a.iri for a in snap.actors]
    assert found.sampled_sources is None  # these graphs are small enough for exact betweenness
    assert found.betweenness == pytest.approx(as_array(nx.betweenness_centrality(simple), n), **EXACT)
    reference_rank = nx.pagerank(directed, tol=1e-16, max_iter=100_000)  # networkx stops at a tolerance: a tight one
    assert found.pagerank == pytest.approx(as_array(reference_rank, n), **EXACT)
    constraint, effective = as_array(nx.constraint(simple), n), as_array(nx.effective_size(simple), n)
    assert np.array_equal(np.isnan(found.constraint), np.isnan(constraint))
    assert found.constraint[~np.isnan(constraint)] == pytest.approx(constraint[~np.isnan(constraint)], **EXACT)
    assert np.array_equal(np.isnan(found.effective_size), np.isnan(effective))
    assert found.effective_size[~np.isnan(effective)] == pytest.approx(effective[~np.isnan(effective)], **EXACT)
    assert found.core.tolist() == [nx.core_number(simple)[v] for v in range(n)]
    ours = found.network["modularity"]
    theirs = nx.community.modularity(simple, nx.community.louvain_communities(simple, seed=SEED))
    assert ours is not None and ours >= theirs - MODULARITY_MARGIN
    groups = [set(g) for g in found.communities().groups]
    singles = [{v} for v in range(n) if found.communities().membership[v] < 0]
    assert ours == pytest.approx(nx.community.modularity(simple, groups + singles), **EXACT)
    again = analyse(snap)
    assert again.communities().groups == found.communities().groups  # seeded: the same on every run


@pytest.fixture(scope="module")
def synthetic() -> Snapshot:
    """A synthetic cluster of 1,500 actors as `avcluster load` leaves it (dataset + derived shortcuts)."""
    store = open_store("memory:")
    load_ontology(store)
    lines = "".join(generate(1500, 7)).encode()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)]
    store.replace_graphs({str(SYNTHETIC_GRAPH): triples, inferred_graph("synthetic"): shortcuts(triples)})
    snap = snapshot(read_network(store))
    store.close()
    return snap


# ---------------------------------------------------------------- against networkx


def test_every_measure_equals_networkx_on_the_bundled_data(bundled: Store) -> None:
    assert_equals_networkx(snapshot(read_network(bundled)))
    assert_equals_networkx(snapshot(read_network(bundled), 2010))


def test_every_measure_equals_networkx_on_a_synthetic_cluster(synthetic: Snapshot) -> None:
    assert len(synthetic.actors) == 1500 and len(synthetic.ties) > 3000
    assert_equals_networkx(synthetic)


def test_sampled_betweenness_draws_networkx_sources_and_scales_as_it_does(synthetic: Snapshot) -> None:
    simple, _ = reference_graphs(synthetic)
    n = simple.number_of_nodes()
    values, k = betweenness(to_igraph(matrix(simple), directed=False), limit=100, sample=60)
    assert k == 60
    assert values == pytest.approx(as_array(nx.betweenness_centrality(simple, k=60, seed=SEED), n), **EXACT)


def test_sampled_betweenness_shared_among_forked_children_is_the_same(
    synthetic: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    simple, _ = reference_graphs(synthetic)
    graph = to_igraph(matrix(simple), directed=False)
    alone, _ = betweenness(graph, limit=100, sample=60)
    monkeypatch.setattr(structure, "PARALLEL_WORK", 1)  # every core takes a share, however small the graph
    shared, k = betweenness(graph, limit=100, sample=60)
    assert k == 60 and shared == pytest.approx(alone, **EXACT)
    reference = as_array(nx.betweenness_centrality(simple, k=60, seed=SEED), simple.number_of_nodes())
    assert shared == pytest.approx(reference, **EXACT)


@pytest.mark.parametrize("seed", [1, 2])
def test_sampled_and_directed_betweenness_equal_networkx(seed: int) -> None:
    graph = nx.gnm_random_graph(70, 160, seed=seed)
    values, k = betweenness(to_igraph(matrix(graph), directed=False), limit=10, sample=25)
    reference = nx.betweenness_centrality(graph, k=25, seed=42)
    assert k == 25 and values == pytest.approx([reference[v] for v in graph], **EXACT)
    digraph = nx.gnm_random_graph(60, 200, seed=seed, directed=True)
    values, k = betweenness(to_igraph(matrix(digraph), directed=True))
    reference = nx.betweenness_centrality(digraph)
    assert k is None and values == pytest.approx([reference[v] for v in digraph], **EXACT)


def test_burt_and_pagerank_equal_networkx_with_isolates_and_dangling_actors() -> None:
    graph = nx.gnm_random_graph(50, 120, seed=3)
    graph.add_nodes_from([100, 101])
    constraint, effective = burt(to_igraph(matrix(graph), directed=False))
    expected_c, expected_e = nx.constraint(graph), nx.effective_size(graph)
    assert np.allclose(constraint, [expected_c[v] for v in graph], rtol=1e-9, atol=0, equal_nan=True)
    assert np.allclose(effective, [expected_e[v] for v in graph], rtol=1e-9, atol=0, equal_nan=True)
    digraph = nx.gnm_random_graph(80, 150, seed=4, directed=True)  # some actors have no way out
    rank = pagerank(to_igraph(matrix(digraph), directed=True))
    expected = nx.pagerank(digraph, tol=1e-16, max_iter=100_000)
    assert rank == pytest.approx([expected[v] for v in digraph], **EXACT)


def test_leiden_is_seeded_and_leaves_the_global_generator_alone() -> None:
    graph = to_igraph(matrix(nx.gnm_random_graph(300, 900, seed=5)), directed=False)
    state = random.getstate()
    first = leiden(graph)
    assert all(leiden(graph) == first for _ in range(3))
    assert random.getstate() == state  # the seeded generator is Leiden's own
    random.seed(0)
    unseeded = graph.community_multilevel().membership  # igraph is back on the module's generator
    random.seed(0)
    assert graph.community_multilevel().membership == unseeded


# ---------------------------------------------------------------- stores and ontology


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
