"""Positions computed on the server: communities or types on a sunflower, then a short force-directed
relaxation, so the browser never runs physics (it never settles at 5,000 nodes)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

PIXELS = 40.0  # one unit of layout length on the canvas
LAYOUT_ITERATIONS = 40
LAYOUT_SEED = 7


GOLDEN_ANGLE = float(np.pi * (3 - np.sqrt(5)))


def _sunflower(count: int, inner: float, outer: float) -> np.ndarray:
    """`count` points spread evenly over a disc or ring (Vogel's phyllotaxis)."""
    i = np.arange(count) + 0.5
    r = np.sqrt(inner**2 + (outer**2 - inner**2) * i / max(count, 1))
    angle = i * GOLDEN_ANGLE
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def _accumulate(n: int, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.column_stack([np.bincount(at, values[:, 0], n), np.bincount(at, values[:, 1], n)])


def layout(n: int, edges: np.ndarray, groups: np.ndarray, *, iterations: int = LAYOUT_ITERATIONS) -> np.ndarray:
    """Positions (n × 2, in pixels) for a graph of n nodes, in time linear in its size.

    networkx's spring_layout takes 261 s at 10,000 nodes and its forceatlas2 builds n × n arrays,
    so this is Fruchterman and Reingold's grid variant: attraction along the edges, repulsion only
    between nodes closer than twice the ideal distance (found with a k-d tree), and a pull to the
    centre. Starting each group (a community) on its own disc, groups placed on a spiral by size,
    means a few dozen iterations are enough. Nodes with no edge go on a ring around the rest.
    """
    positions = np.zeros((n, 2))
    if n == 0:
        return positions
    a, b = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    loops = a == b
    a, b = a[~loops], b[~loops]
    tied = np.zeros(n, dtype=bool)
    tied[a] = tied[b] = True
    inner = np.flatnonzero(tied)
    if len(inner):
        local = np.full(n, -1, dtype=np.int64)
        local[inner] = np.arange(len(inner))
        positions[inner] = _force_directed(_seed_positions(groups[inner]), local[a], local[b], iterations)
        positions[inner] -= positions[inner].mean(axis=0)
    alone = np.flatnonzero(~tied)
    if len(alone):
        reach = float(np.sqrt((positions[inner] ** 2).sum(axis=1)).max()) + 1.5 if len(inner) else 0.0
        outer = float(np.sqrt(reach**2 + len(alone) / np.pi))
        positions[alone] = _sunflower(len(alone), reach, outer)
    # Labels are drawn at a fixed size, so a small graph needs more room between its nodes.
    return np.round(positions * PIXELS * max(1.0, 4.0 - float(np.log10(n))), 1)


def grouped_layout(
    n: int, edges: np.ndarray, groups: np.ndarray, *, iterations: int = LAYOUT_ITERATIONS
) -> tuple[np.ndarray, list[tuple[int, float, float, float]]]:
    """Positions (n × 2, in pixels) with each group (a type, a region) on a disc of its own, and
    each disc's group, centre and radius, for its caption.

    Each group is laid out alone (only the ties inside it pull), then the discs are packed around
    the largest, so a reader sees the groups first and the ties between them as long lines.
    """
    positions = np.zeros((n, 2))
    discs: list[tuple[int, float, float, float]] = []
    if n == 0:
        return positions, discs
    values, inverse, sizes = np.unique(groups, return_inverse=True, return_counts=True)
    a, b = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    inside = inverse[a] == inverse[b]
    placed: list[tuple[np.ndarray, float]] = []
    for g in np.argsort(-sizes, kind="stable"):
        members = np.flatnonzero(inverse == g)
        local = np.full(n, -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        mine = inside & (inverse[a] == g)
        seed = _sunflower(len(members), 0.0, 0.6 * np.sqrt(len(members)))
        spread = _force_directed(seed, local[a[mine]], local[b[mine]], iterations) if mine.any() else seed
        spread -= spread.mean(axis=0)
        radius = float(np.sqrt((spread**2).sum(axis=1)).max()) + 1.0
        centre = _free_spot(placed, radius)
        placed.append((centre, radius))
        positions[members] = spread + centre
        discs.append((int(values[g]), float(centre[0]), float(centre[1]), radius))
    scale = PIXELS * max(1.0, 4.0 - float(np.log10(n)))
    return np.round(positions * scale, 1), [(g, x * scale, y * scale, r * scale) for g, x, y, r in discs]


def _free_spot(placed: list[tuple[np.ndarray, float]], radius: float) -> np.ndarray:
    """The first point on a golden-angle spiral where a disc of `radius` overlaps none placed."""
    if not placed:
        return np.zeros(2)
    gap = 1.5
    for k in range(1, 100_000):
        distance = 0.5 * np.sqrt(k) * (radius + gap)
        spot = distance * np.array([np.cos(k * GOLDEN_ANGLE), np.sin(k * GOLDEN_ANGLE)])
        if all(np.hypot(*(spot - c)) >= r + radius + gap for c, r in placed):
            return spot
    raise AssertionError("no free spot on the spiral")  # unreachable: the spiral grows without bound


def _seed_positions(groups: np.ndarray) -> np.ndarray:
    """Each group on a disc of its own, the largest in the middle, the rest on a spiral around it."""
    groups = groups.copy()
    lonely = groups < 0
    groups[lonely] = groups.max(initial=-1) + 1 + np.arange(int(lonely.sum()))
    _, inverse, sizes = np.unique(groups, return_inverse=True, return_counts=True)
    positions = np.zeros((len(groups), 2))
    placed = 0
    for rank, g in enumerate(np.argsort(-sizes, kind="stable")):
        members = np.flatnonzero(inverse == g)
        placed += len(members)
        distance = 0.75 * np.sqrt(placed) if rank else 0.0
        centre = distance * np.array([np.cos(rank * GOLDEN_ANGLE), np.sin(rank * GOLDEN_ANGLE)])
        positions[members] = centre + _sunflower(len(members), 0.0, 0.6 * np.sqrt(len(members)))
    return positions


def _force_directed(positions: np.ndarray, a: np.ndarray, b: np.ndarray, iterations: int) -> np.ndarray:
    n = len(positions)
    step = 1.0
    # Up to a thousand nodes every pair within four units repels, which spreads a small graph out
    # evenly; beyond that twice the ideal distance keeps each iteration linear.
    reach = 4.0 if n <= 1000 else 2.0
    gravity = 1.0 / max(np.sqrt(n), 10.0)  # a pull to the centre that grows with the distance
    for _ in range(iterations):
        pairs = cKDTree(positions).query_pairs(r=reach, output_type="ndarray")
        i, j = pairs[:, 0], pairs[:, 1]
        apart = positions[i] - positions[j]
        push = apart / np.maximum((apart**2).sum(axis=1), 1e-4)[:, None]  # k² / d along the unit vector, k = 1
        move = _accumulate(n, i, push) - _accumulate(n, j, push)
        along = positions[a] - positions[b]
        pull = along * np.sqrt((along**2).sum(axis=1))[:, None]  # d² / k
        move += _accumulate(n, b, pull) - _accumulate(n, a, pull)
        move -= gravity * positions
        length = np.sqrt((move**2).sum(axis=1))
        positions = positions + move * (np.minimum(length, step) / np.maximum(length, 1e-9))[:, None]
        step = max(step * 0.95, 0.05)
    return positions
