"""What the largest sizes cost beside the questions: `analyze` and the grouped /graph, each in a
process of its own on the store the load left, so that each reports its own peak memory."""

from __future__ import annotations

import time
from pathlib import Path

from .measure import in_child


def analyse(store: Path) -> tuple[tuple[float, str], float]:
    """`analyze` (every section): (seconds, what it estimated rather than computed, as its output
    says), and peak MiB."""
    return in_child(_analyse, store)


def _analyse(store: Path) -> tuple[float, str]:
    from avcluster.kg.analysis import analyze
    from avcluster.kg.stores import open_store

    opened = open_store(str(store), read_only=True)
    started = time.perf_counter()
    result = analyze(opened)
    took = time.perf_counter() - started
    opened.close()
    betweenness = result["meta"]["betweenness"]
    if betweenness["exact"]:
        return took, "exact"
    return took, f"betweenness estimated from {betweenness['sources']} sampled sources (seed {betweenness['seed']})"


def grouped_view(store: Path) -> tuple[float, float]:
    """The first /graph?by=type on a fresh app (how /graph starts above its drawing limit), seconds
    and peak MiB: reading the network, grouping and the page; what a browser then draws is a few
    dozen nodes."""
    return in_child(_grouped_view, store)


def _grouped_view(store: Path) -> float:
    from avcluster.kg.stores import open_store
    from avcluster.web import create_app

    app = create_app({"STORE": open_store(str(store), read_only=True)})
    client = app.test_client()
    started = time.perf_counter()
    response = client.get("/graph?by=type")
    took = time.perf_counter() - started
    if response.status_code != 200 or b'data-view="groups"' not in response.data:
        raise RuntimeError(f"/graph answered {response.status_code} without the grouped view")
    return took
