"""Who holds the network together: centrality, brokerage, communities, core and periphery.

The measures run on the *simple* graphs of the projection: undirected (two actors are adjacent
when any tie links them) for betweenness, Burt's measures, eigenvector, communities and cores;
directed for PageRank, where a tie of a symmetric kind counts both ways. Betweenness, Burt's
measures, PageRank and eigenvector centrality are computed here on sparse matrices, batched, and
give networkx's values (the tests compare them on every fixture); networkx's own loops would take
minutes at 50,000 actors (bench/bench_analyze.py shows the ratios). Communities (Louvain) and
cores are networkx's.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import ArpackNoConvergence, eigsh

from ..workers import Inline, Worker
from .projection import Actor, Snapshot
from .results import ActorRow, BrokerRow, Brokers, CommunityRow, NetworkFigures

SEED = 42
# Exact betweenness up to this many actors; above it, Brandes from SAMPLE sources drawn with SEED
# (as networkx's `k`), scaled to the whole graph. 500 sources keep the ranking of the top brokers
# stable on the synthetic clusters while 50,000 actors take seconds, not hours.
EXACT_BETWEENNESS_LIMIT = 3000
BETWEENNESS_SAMPLE = 500
_BATCH = 32
TOP = 10
# From this many actors Louvain runs in a forked child beside the other measures and sections.
PARALLEL_FROM = 5000


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
    n = len(nodes)
    rows, cols, mutual = [], [], []
    ties = np.zeros(n, dtype=np.int64)
    for tie in snap.ties:
        i, j = index[tie.source], index[tie.target]
        ties[i] += 1
        if i == j:
            continue
        ties[j] += 1
        rows.append(i)
        cols.append(j)
        mutual.append(tie.mutual)
    r, c, m = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(mutual, dtype=bool)
    return Matrices(
        nodes,
        adjacency(np.concatenate([r, c]), np.concatenate([c, r]), n),
        adjacency(np.concatenate([r, c[m]]), np.concatenate([c, r[m]]), n),
        adjacency(r[~m], c[~m], n),
        ties,
    )


def adjacency(rows: np.ndarray | list[int], cols: np.ndarray | list[int], n: int) -> sp.csr_array:
    """The 0/1 matrix with a 1 at each (row, col), however often a pair repeats."""
    a = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    a.sum_duplicates()
    a.data[:] = 1.0
    return a


# ---------------------------------------------------------------- measures


def _brandes(forward: sp.csr_array, backward: sp.csr_array, sources: np.ndarray, dtype: type) -> np.ndarray:
    """Brandes' dependency sums from many sources at once: one sparse product per BFS level.

    `forward[v, u]` is 1 when u reaches v in one step; `backward` is its transpose. Column j of
    each dense block is the BFS from sources[j]: path counts (sigma) go forward level by level,
    dependencies (delta) come back, exactly as in Brandes (2001) for unweighted graphs. Blocks of
    32 columns stay in cache; float32 halves the memory traffic where an approximation is asked for.
    """
    n = forward.shape[0]
    forward, backward = forward.astype(dtype), backward.astype(dtype)
    total = np.zeros(n)
    for first in range(0, len(sources), _BATCH):
        src = sources[first : first + _BATCH]
        cols = np.arange(len(src))
        level = np.full((n, len(src)), -1, dtype=np.int32)
        sigma = np.zeros((n, len(src)), dtype=dtype)
        level[src, cols] = 0
        sigma[src, cols] = 1.0
        frontier = sigma.copy()
        depth = 0
        while True:
            reach = forward @ frontier
            new = reach > 0
            new &= level < 0
            if not new.any():
                break
            depth += 1
            np.copyto(level, depth, where=new)
            np.copyto(sigma, reach, where=new)
            reach *= new
            frontier = reach
        delta = np.zeros_like(sigma)
        inverse_sigma = np.divide(1.0, sigma, out=np.zeros_like(sigma), where=sigma > 0)
        coefficient = np.empty_like(sigma)
        for d in range(depth, 0, -1):
            np.add(delta, 1.0, out=coefficient)
            coefficient *= inverse_sigma
            coefficient *= level == d
            gathered = backward @ coefficient
            gathered *= sigma
            gathered *= level == d - 1
            delta += gathered
        delta[src, cols] = 0.0
        total += delta.sum(axis=1)
    return total


def betweenness(
    adjacency: sp.csr_array, *, limit: int = EXACT_BETWEENNESS_LIMIT, sample: int = BETWEENNESS_SAMPLE, seed: int = SEED
) -> tuple[np.ndarray, int | None]:
    """Normalized betweenness as networkx computes it, and the number of sampled sources (None: exact).

    Sampling draws the same sources as `networkx.betweenness_centrality(G, k=sample, seed=seed)`
    on a graph whose node order is the matrix order, and rescales as it does.
    """
    n = adjacency.shape[0]
    k = None if n <= limit or sample >= n else sample
    sources = np.arange(n) if k is None else np.array(random.Random(seed).sample(range(n), k), dtype=np.int64)
    raw = _brandes(adjacency.T.tocsr(), adjacency, sources, np.float64 if k is None else np.float32)
    if n < 3:
        return raw, k
    if k is None:
        return raw / ((n - 1) * (n - 2)), k
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return raw * scale, k


def pagerank(directed: sp.csr_array, alpha: float = 0.85, tol: float = 1e-6, max_iter: int = 100) -> np.ndarray:
    """networkx's PageRank (power iteration, dangling actors spread evenly) on the directed matrix."""
    n = directed.shape[0]
    if n == 0:
        return np.zeros(0)
    out = directed.sum(axis=1)
    inverse = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    transition = (sp.diags_array(inverse) @ directed).T.tocsr()
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    uniform = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (transition @ x + x[dangling].sum() * uniform) + (1 - alpha) * uniform
        if np.abs(x - last).sum() < n * tol:
            break
    return x


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


def burt(undirected: sp.csr_array, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Burt's constraint and effective size of every actor (unweighted ties), NaN for isolates.

    With p_ij = 1/d_i, the local constraint is ((1 + Σ_{q common} 1/d_q) / d_i)², and the effective
    size is d_i - 2 t_i / d_i with t_i the ties among i's contacts (Borgatti). Both need, for each
    tie i–j, a sum over the contacts i and j share: products of rows, masked to the ties, in
    chunks so that hubs never make a dense n×n block (networkx's matrix form does).
    """
    n = undirected.shape[0]
    degree = np.asarray(undirected.sum(axis=1)).ravel()
    weighted = sp.diags_array(np.divide(1.0, degree, out=np.zeros(n), where=degree > 0)) @ undirected
    shared_weight = np.zeros(n)  # Σ_j M_ij with M_ij = Σ_{q common} 1/d_q
    shared_weight_sq = np.zeros(n)  # Σ_j M_ij²
    triangles2 = np.zeros(n)  # Σ_j common(i, j) = 2 t_i
    for first in range(0, n, chunk):
        block = undirected[first : first + chunk]
        m = (block @ weighted).multiply(block).tocsr()
        c = (block @ undirected).multiply(block).tocsr()
        shared_weight[first : first + chunk] = m.sum(axis=1)
        shared_weight_sq[first : first + chunk] = m.multiply(m).sum(axis=1)
        triangles2[first : first + chunk] = c.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        constraint = (degree + 2 * shared_weight + shared_weight_sq) / degree**2
        effective = degree - triangles2 / degree
    constraint[degree == 0] = np.nan
    effective[degree == 0] = np.nan
    return constraint, effective


def int_graph(undirected: sp.csr_array) -> nx.Graph:
    """The undirected matrix as a networkx graph on 0..n-1, for the algorithms taken from networkx."""
    graph = nx.Graph()
    graph.add_nodes_from(range(undirected.shape[0]))
    upper = sp.triu(undirected, k=1).tocoo()
    graph.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    return graph


# ---------------------------------------------------------------- the section


@dataclass
class Communities:
    """Louvain groups of two or more actors (indices, largest group first) and what they add up to."""

    groups: list[list[int]]
    membership: np.ndarray  # group number per actor, -1 for an actor in no group
    modularity: float | None
    ties_inside: np.ndarray  # tied pairs inside each group
    seconds: float


def find_communities(undirected: sp.csr_array, simple: nx.Graph, nodes: list[str]) -> Communities:
    """Louvain on `simple` (the undirected matrix as a networkx graph), groups in a stable order."""
    started = time.perf_counter()
    n = len(nodes)
    degree = np.asarray(undirected.sum(axis=1)).ravel()
    found = nx.community.louvain_communities(simple, seed=SEED) if simple.number_of_edges() else []
    groups = sorted(
        (sorted(c, key=lambda i: (-degree[i], nodes[i])) for c in found if len(c) > 1),
        key=lambda c: (-len(c), nodes[c[0]]),
    )
    membership = np.full(n, -1, dtype=np.int64)
    for number, members in enumerate(groups):
        membership[members] = number
    upper = sp.triu(undirected, k=1).tocoo()
    inside = (membership[upper.row] == membership[upper.col]) & (membership[upper.row] >= 0)
    return Communities(
        groups,
        membership,
        nx.community.modularity(simple, found) if found else None,
        np.bincount(membership[upper.row][inside], minlength=len(groups)),
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
    pending: Worker[Communities] | Inline[Communities]
    seconds: dict[str, float] = field(default_factory=dict)
    _communities: Communities | None = None

    def communities(self) -> Communities:
        """Louvain's answer, waited for on first use (it may still be running beside the rest)."""
        if self._communities is None:
            waited = time.perf_counter()
            self._communities = self.pending.result()
            self.seconds["communities"] = self._communities.seconds
            self.seconds["communities_wait"] = round(time.perf_counter() - waited, 4)
            self.network["communities"] = len(self._communities.groups)
            self.network["modularity"] = self._communities.modularity
        return self._communities


def analyse(snap: Snapshot, *, parallel_from: int = PARALLEL_FROM) -> Structure:
    """Every measure but communities, which start first and run in a child process on large networks."""
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
    simple = int_graph(m.undirected)
    runner = Worker if n >= parallel_from else Inline
    pending = runner(lambda: find_communities(m.undirected, simple, m.nodes))
    lap("matrices")
    try:
        between, sampled = betweenness(m.undirected)
        lap("betweenness")
        rank = pagerank(m.directed)
        eigen = eigenvector(m.undirected)
        lap("pagerank_eigenvector")
        constraint, effective = burt(m.undirected)
        lap("constraint_effective_size")
        cores = nx.core_number(simple)
        core = np.array([cores[i] for i in range(n)], dtype=np.int64)
        lap("cores")
    except BaseException:
        pending.close()
        raise

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
        pending,
        seconds,
    )


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _broker_row(s: Structure, i: int) -> BrokerRow:
    actor = s.actors[i]
    return {
        "iri": actor.iri,
        "label": actor.label,
        "type": actor.type,
        "sector": actor.sector,
        "degree": int(s.degree[i]),
        "betweenness": _number(s.betweenness[i]),
        "constraint": _number(s.constraint[i]),
        "effective_size": _number(s.effective_size[i]),
    }


def actor_rows(structure: Structure) -> list[ActorRow]:
    """One record per actor, most central first."""
    s = structure
    membership = s.communities().membership
    order = sorted(range(len(s.nodes)), key=lambda i: (-s.betweenness[i], -s.degree[i], s.nodes[i]))
    return [
        {
            **_broker_row(s, i),
            "ties": int(s.ties[i]),
            "pagerank": _number(s.pagerank[i]),
            "eigenvector": _number(s.eigenvector[i]),
            "community": int(membership[i]) if membership[i] >= 0 else None,
            "core": int(s.core[i]),
        }
        for i in order
    ]


def brokers(structure: Structure) -> Brokers:
    """Actors on many shortest paths with loose ego networks, and those spanning public and private."""
    s = structure
    constraint = np.nan_to_num(s.constraint, nan=np.inf)
    top = sorted(
        (i for i in range(len(s.nodes)) if s.betweenness[i] > 0),
        key=lambda i: (-s.betweenness[i], constraint[i], s.nodes[i]),
    )[:TOP]
    spanning = [i for i in range(len(s.nodes)) if s.public_neighbours[i] and s.private_neighbours[i]]
    spanning.sort(key=lambda i: (-min(s.public_neighbours[i], s.private_neighbours[i]), -s.betweenness[i], s.nodes[i]))
    return {
        "top": [_broker_row(s, i) for i in top],
        "public_private": [
            {
                **_broker_row(s, i),
                "public_neighbours": int(s.public_neighbours[i]),
                "private_neighbours": int(s.private_neighbours[i]),
            }
            for i in spanning[:TOP]
        ],
    }


def community_rows(structure: Structure) -> list[CommunityRow]:
    """Louvain groups of two or more actors, largest first; members most connected first."""
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
