"""Who holds the network together: centrality, brokerage, communities, core and periphery.

The measures run on the *simple* graphs of the projection: undirected (two actors are adjacent
when any tie links them) for betweenness, Burt's measures, eigenvector, communities and cores;
directed for PageRank, where a tie of a symmetric kind counts both ways. The hot paths are
igraph's C code (betweenness, Burt's constraint, triangles, PageRank, Leiden communities, cores); networkx
stays the face people know (`kg.analysis.project`, the exports) and the reference: the tests
compare every measure with networkx's on the fixtures, the bundled data and a synthetic cluster.
Eigenvector centrality is scipy's sparse eigensolver. bench/bench_analyze.py measures igraph
against the networkx calls in the same run.
"""

from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from typing import cast

import igraph as ig
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from ..workers import run_shared
from .projection import Actor, Snapshot
from .results import ActorRow, BrokerRow, Brokers, CommunityRow, NetworkFigures

SEED = 42
# Exact betweenness up to this many actors; above it, Brandes from sampled sources drawn with SEED
# (the sources networkx's `betweenness_centrality(G, k=..., seed=SEED)` draws), scaled to the whole
# graph as networkx scales them. Each source costs one breadth-first search over the whole graph
# (~10 ms at 50,000 actors, ~0.3 s at a million), so the number of sources is what the graph's size
# allows within BETWEENNESS_WORK actors and ties visited: BETWEENNESS_SAMPLE up to ~300,000 actors,
# then fewer, never under BETWEENNESS_MIN_SAMPLE. The output states the number used. Measured against
# exact betweenness on the synthetic cluster of 50,000 actors (1,458 s on one core): 500 sources find
# 8 of its top 10 brokers and 43 of its top 50 in 3.3 s; 250 find 7 and 41, 1,000 find 9 and 45.
EXACT_BETWEENNESS_LIMIT = 3000
BETWEENNESS_SAMPLE = 500
BETWEENNESS_MIN_SAMPLE = 100
BETWEENNESS_WORK = 200_000_000
# Sampled betweenness forks one child per core when its searches visit more than this many actors
# and ties in all (about 1 s of work; a fork of the analysing process costs tens of milliseconds).
PARALLEL_WORK = 20_000_000
TOP = 10
# igraph draws its random numbers from one process-wide generator: Leiden swaps in a seeded one
# under this lock, so that two analyses in two threads never share it.
_RNG_LOCK = threading.Lock()


@dataclass
class Matrices:
    """The projection as index-aligned sparse adjacency matrices (no self-loops, 0/1 entries)."""

    nodes: list[str]
    undirected: sp.csr_array
    directed: sp.csr_array  # every tie as stated, symmetric kinds both ways
    one_way: sp.csr_array  # ties of kinds with a direction only: what reciprocity is about
    ties: np.ndarray  # ties per actor, counted in the multigraph (self-ties once)


def matrices(snap: Snapshot) -> Matrices:
    nodes = [a.iri for a in snap.actors]
    index = {iri: i for i, iri in enumerate(nodes)}
    n, count = len(nodes), len(snap.ties)
    sources = np.fromiter((index[t.source] for t in snap.ties), dtype=np.int64, count=count)
    targets = np.fromiter((index[t.target] for t in snap.ties), dtype=np.int64, count=count)
    mutual = np.fromiter((t.mutual for t in snap.ties), dtype=bool, count=count)
    between = sources != targets  # a self-tie counts once among its actor's ties and is no edge
    ties = np.bincount(sources, minlength=n) + np.bincount(targets[between], minlength=n)
    r, c, m = sources[between], targets[between], mutual[between]
    return Matrices(
        nodes,
        adjacency(np.concatenate([r, c]), np.concatenate([c, r]), n),
        adjacency(np.concatenate([r, c[m]]), np.concatenate([c, r[m]]), n),
        adjacency(r[~m], c[~m], n),
        ties.astype(np.int64),
    )


def adjacency(rows: np.ndarray | list[int], cols: np.ndarray | list[int], n: int) -> sp.csr_array:
    """The 0/1 matrix with a 1 at each (row, col), however often a pair repeats."""
    a = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    a.sum_duplicates()
    a.data[:] = 1.0
    return a


def to_igraph(matrix: sp.csr_array, *, directed: bool) -> ig.Graph:
    """The 0/1 matrix as an igraph graph on 0..n-1: one edge per nonzero (per pair when undirected)."""
    coo = (matrix if directed else sp.triu(matrix, k=1)).tocoo()
    graph = ig.Graph(n=matrix.shape[0], directed=directed)
    # add_edges takes the array as it is, where the constructor went through it edge by edge: 2.5x
    # faster with 4 million edges
    graph.add_edges(np.column_stack([coo.row, coo.col]).astype(np.int64))
    return graph


# ---------------------------------------------------------------- measures


def sample_size(graph: ig.Graph, sample: int = BETWEENNESS_SAMPLE) -> int:
    """How many sources sampled betweenness uses on this graph: `sample`, or fewer on a graph so large
    that they would take minutes (BETWEENNESS_WORK), never under BETWEENNESS_MIN_SAMPLE."""
    affordable = BETWEENNESS_WORK // max(graph.vcount() + graph.ecount(), 1)
    return max(min(sample, affordable), min(sample, BETWEENNESS_MIN_SAMPLE))


def betweenness(
    graph: ig.Graph, *, limit: int = EXACT_BETWEENNESS_LIMIT, sample: int = BETWEENNESS_SAMPLE, seed: int = SEED
) -> tuple[np.ndarray, int | None]:
    """Normalized betweenness as networkx computes it, and the number of sampled sources (None: exact).

    networkx counts ordered pairs and divides by (n-1)(n-2) in both directed and undirected graphs;
    igraph counts an undirected pair once, hence the 2. Above `limit` actors it samples
    k = sample_size(graph, sample) sources, the ones networkx draws for
    `betweenness_centrality(G, k=k, seed=seed)` on a graph whose node order is 0..n-1, sums their
    dependencies (igraph's betweenness restricted to those sources) and rescales as networkx 3.5+
    does: n/k for the actors, n/(k-1) for the sources themselves (a source never counts its own paths).
    """
    n = graph.vcount()
    pairs = 1.0 if graph.is_directed() else 2.0
    k = None if n <= limit or sample >= n else sample_size(graph, sample)
    if n < 3:
        return np.zeros(n), k
    if k is None:
        return pairs * np.array(graph.betweenness(directed=True)) / ((n - 1) * (n - 2)), k
    sources = random.Random(seed).sample(range(n), k)
    # the sources' searches are independent: shared among the cores, each share in a forked child
    # (python-igraph holds the GIL, so threads gain nothing; two children measured 2x on two cores)
    shares = max(1, min(os.cpu_count() or 1, k * (n + graph.ecount()) // PARALLEL_WORK))
    jobs = [partial(_dependencies, graph, sources[i::shares]) for i in range(shares)]
    raw = pairs * np.sum(run_shared(jobs), axis=0)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return raw * scale, k


def _dependencies(graph: ig.Graph, sources: list[int]) -> np.ndarray:
    """Each actor's share of the shortest paths from `sources` (Brandes' sums, not yet scaled)."""
    return np.array(graph.betweenness(directed=True, sources=sources))


def pagerank(directed: ig.Graph, alpha: float = 0.85) -> np.ndarray:
    """PageRank of the directed graph, dangling actors spread evenly (networkx's definition, solved
    exactly by PRPACK where networkx stops its power iteration at a tolerance)."""
    if directed.vcount() == 0:
        return np.zeros(0)
    return np.array(directed.pagerank(directed=True, damping=alpha))


def eigenvector(undirected: sp.csr_array) -> np.ndarray:
    """The leading eigenvector of the adjacency matrix, non-negative and of unit length.

    On a disconnected graph it is the component with the largest eigenvalue that scores (networkx
    refuses such graphs; an analyst still wants the core of the largest group to stand out).
    """
    n = undirected.shape[0]
    if undirected.nnz == 0:
        return np.zeros(n)
    if n < 200:
        _, vectors = np.linalg.eigh(undirected.toarray())
        vector = vectors[:, -1]
    else:
        try:
            _, vectors = eigsh(undirected, k=1, which="LA", v0=np.ones(n), tol=1e-9, maxiter=5000)
            vector = vectors[:, 0]
        except ArpackNoConvergence as error:  # keep the best estimate rather than fail the whole report
            vector = error.eigenvectors[:, 0] if error.eigenvectors.size else np.zeros(n)
    vector = np.abs(vector)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def burt(graph: ig.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every actor (unweighted ties), NaN for isolates.

    Constraint is igraph's (Burt 1992, p_ij = 1/d_i on a simple graph, as networkx). The effective
    size is d_i - 2 t_i / d_i with t_i the ties among i's contacts (Borgatti): t_i counts the
    triangles at i, which igraph lists.
    """
    n = graph.vcount()
    degree = np.array(graph.degree(), dtype=float)
    constraint = np.array(graph.constraint(), dtype=float) if n else np.zeros(0)
    triangles = np.array(graph.list_triangles(), dtype=np.int64).reshape(-1, 3)
    at = np.bincount(triangles.ravel(), minlength=n).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = degree - 2 * at / degree
    constraint[degree == 0] = np.nan
    effective[degree == 0] = np.nan
    return constraint, effective


# ---------------------------------------------------------------- the section


@dataclass
class Communities:
    """Leiden groups of two or more actors (indices, largest group first) and what they add up to."""

    groups: list[list[int]]
    membership: np.ndarray  # group number per actor, -1 for an actor in no group
    modularity: float | None
    ties_inside: np.ndarray  # tied pairs inside each group
    seconds: float


def leiden(graph: ig.Graph, *, seed: int = SEED) -> list[int]:
    """igraph's Leiden membership of the undirected graph, maximising modularity, the same on every run.

    Leiden rather than Louvain: on the synthetic cluster of 50,000 actors it found a partition of higher
    modularity (0.817 against 0.799) in a sixth of the time, and its communities are connected, which
    Louvain's need not be (Traag, Waltman & van Eck 2019). It visits the actors in a random order;
    igraph draws it from its process-wide generator, swapped here for one seeded with `seed` and
    swapped back after.
    """
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            return list(graph.community_leiden(objective_function="modularity", n_iterations=2).membership)
        finally:
            ig.set_random_number_generator(random)


def find_communities(graph: ig.Graph, nodes: list[str]) -> Communities:
    """Leiden on the undirected graph, groups of two or more in a stable order."""
    started = time.perf_counter()
    n = len(nodes)
    if graph.ecount() == 0:
        return Communities([], np.full(n, -1, dtype=np.int64), None, np.zeros(0, dtype=np.int64), 0.0)
    found = leiden(graph)
    degree = np.array(graph.degree())
    members: dict[int, list[int]] = {}
    for i, community in enumerate(found):
        members.setdefault(community, []).append(i)
    groups = sorted(
        (sorted(c, key=lambda i: (-degree[i], nodes[i])) for c in members.values() if len(c) > 1),
        key=lambda c: (-len(c), nodes[c[0]]),
    )
    membership = np.full(n, -1, dtype=np.int64)
    for number, group in enumerate(groups):
        membership[group] = number
    ends = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    inside = (membership[ends[:, 0]] == membership[ends[:, 1]]) & (membership[ends[:, 0]] >= 0)
    return Communities(
        groups,
        membership,
        graph.modularity(found),
        np.bincount(membership[ends[:, 0]][inside], minlength=len(groups)),
        round(time.perf_counter() - started, 4),
    )


@dataclass
class Structure:
    """Per-actor measures aligned with `nodes`, plus the network-wide figures."""

    nodes: list[str]
    actors: list[Actor]
    degree: np.ndarray
    ties: np.ndarray
    betweenness: np.ndarray
    pagerank: np.ndarray
    eigenvector: np.ndarray
    constraint: np.ndarray
    effective_size: np.ndarray
    core: np.ndarray
    network: NetworkFigures
    sampled_sources: int | None
    public_neighbours: np.ndarray
    private_neighbours: np.ndarray
    found: Communities
    seconds: dict[str, float] = field(default_factory=dict)

    def communities(self) -> Communities:
        """Leiden's groups."""
        return self.found


def analyse(snap: Snapshot) -> Structure:
    """Every measure of the structure section, from one reading of the snapshot."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 4)
        clock = now

    m = matrices(snap)
    n = len(m.nodes)
    degree = np.asarray(m.undirected.sum(axis=1)).ravel().astype(np.int64)
    simple = to_igraph(m.undirected, directed=False)
    lap("matrices")
    between, sampled = betweenness(simple)
    lap("betweenness")
    rank = pagerank(to_igraph(m.directed, directed=True))
    eigen = eigenvector(m.undirected)
    lap("pagerank_eigenvector")
    constraint, effective = burt(simple)
    lap("constraint_effective_size")
    found = find_communities(simple, m.nodes)
    lap("communities")
    core = np.array(simple.coreness(), dtype=np.int64)
    lap("cores")

    sectors = [a.sector for a in snap.actors]
    public = m.undirected @ np.array([s == "public" for s in sectors], dtype=float)
    private = m.undirected @ np.array([s == "private" for s in sectors], dtype=float)
    pairs = m.undirected.nnz // 2
    components, labels = connected_components(m.undirected, directed=False) if n else (0, np.zeros(0))
    one_way = m.one_way.nnz
    max_core = int(core.max()) if n else 0
    network: NetworkFigures = {
        "actors": n,
        "ties": len(snap.ties),
        "relationships": sum(1 for t in snap.ties if t.category == "relationship"),
        "flows": sum(1 for t in snap.ties if t.category == "flow"),
        "tied_pairs": pairs,
        "density": 2 * pairs / (n * (n - 1)) if n > 1 else 0.0,
        "average_degree": 2 * pairs / n if n else 0.0,
        # of the ties that have a direction (funding, training…), the share answered by one back
        "reciprocity": m.one_way.multiply(m.one_way.T).nnz / one_way if one_way else None,
        "components": int(components),
        "largest_component": int(np.bincount(labels).max()) if n else 0,
        "isolates": int((degree == 0).sum()),
        "max_core": max_core,
        "core_actors": int((core == max_core).sum()) if n and max_core else 0,
        "communities": len(found.groups),
        "modularity": found.modularity,
    }
    lap("summary")
    return Structure(
        m.nodes,
        snap.actors,
        degree,
        m.ties,
        between,
        rank,
        eigen,
        constraint,
        effective,
        core,
        network,
        sampled,
        public.astype(np.int64),
        private.astype(np.int64),
        found,
        seconds,
    )


def _numbers(values: np.ndarray) -> list[float | None]:
    """Python floats, None for NaN (an isolate's constraint): one conversion for the whole column."""
    return [None if v != v else v for v in values.tolist()]


def _broker_rows(s: Structure, indices: np.ndarray) -> list[BrokerRow]:
    """The broker record of each actor at `indices`, columns converted once rather than per cell."""
    return [
        {
            "iri": actor.iri,
            "label": actor.label,
            "type": actor.type,
            "sector": actor.sector,
            "degree": degree,
            "betweenness": between,
            "constraint": constraint,
            "effective_size": effective,
        }
        for actor, degree, between, constraint, effective in zip(
            [s.actors[i] for i in indices.tolist()],
            s.degree[indices].tolist(),
            _numbers(s.betweenness[indices]),
            _numbers(s.constraint[indices]),
            _numbers(s.effective_size[indices]),
            strict=True,
        )
    ]


def _ranked(*keys: np.ndarray) -> np.ndarray:
    """Actor indices sorted by the first key, then the next, ..., then the IRI (the node order)."""
    return np.lexsort((np.arange(len(keys[0])), *reversed(keys)))


def actor_rows(structure: Structure) -> list[ActorRow]:
    """One record per actor, most central first."""
    s = structure
    order = _ranked(-s.betweenness, -s.degree)
    membership = s.communities().membership[order].tolist()
    return [
        cast(  # zip of six columns gives untyped tuples
            ActorRow,
            {
                **row,
                "ties": ties,
                "pagerank": pagerank,
                "eigenvector": eigenvector,
                "community": community if community >= 0 else None,
                "core": core,
            },
        )
        for row, ties, pagerank, eigenvector, community, core in zip(
            _broker_rows(s, order),
            s.ties[order].tolist(),
            _numbers(s.pagerank[order]),
            _numbers(s.eigenvector[order]),
            membership,
            s.core[order].tolist(),
            strict=True,
        )
    ]


def brokers(structure: Structure) -> Brokers:
    """Actors on many shortest paths with loose ego networks, and those spanning public and private."""
    s = structure
    constraint = np.nan_to_num(s.constraint, nan=np.inf)
    top = _ranked(-s.betweenness, constraint)
    top = top[s.betweenness[top] > 0][:TOP]
    span = np.minimum(s.public_neighbours, s.private_neighbours)
    spanning = _ranked(-span, -s.betweenness)
    spanning = spanning[span[spanning] > 0][:TOP]
    return {
        "top": _broker_rows(s, top),
        "public_private": [
            {
                **row,
                "public_neighbours": int(s.public_neighbours[i]),
                "private_neighbours": int(s.private_neighbours[i]),
            }
            for row, i in zip(_broker_rows(s, spanning), spanning.tolist(), strict=True)
        ],
    }


def community_rows(structure: Structure) -> list[CommunityRow]:
    """Leiden groups of two or more actors, largest first; members most connected first."""
    found = structure.communities()
    rows: list[CommunityRow] = []
    for number, members in enumerate(found.groups):
        size, inside = len(members), int(found.ties_inside[number])
        rows.append(
            {
                "id": number,
                "size": size,
                "ties_inside": inside,
                "density": 2 * inside / (size * (size - 1)),
                "members": [structure.nodes[i] for i in members],
            }
        )
    return rows
