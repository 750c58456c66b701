"""Timing helpers: medians of repeated runs, and one run in a forked process of its own."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any


def seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def in_child(work: Callable[..., float], *args: Any) -> tuple[float, float]:
    """work(*args) in a fresh Python process: the seconds it reports, and that process's peak memory in MiB.

    Spawned, not forked: a fork of a process that has opened a store inherits RocksDB's background
    threads as dead (a bulk load in the child would wait for them for ever), and a fresh process
    makes each peak its own."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        took, peak = pool.apply(_measured, (work, *args))
    return float(took), float(peak)


def _measured(work: Callable[..., float], *args: Any) -> tuple[float, float]:
    took = work(*args)
    return took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(values: list[float]) -> float:
    return statistics.median(values)
