"""Timing helpers: medians of repeated runs, and one run in a forked process of its own."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


def seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def in_child(work: Callable[..., T], *args: Any) -> tuple[T, float]:
    """work(*args) in a fresh Python process: what it returns (the seconds it took, and what else it
    reports), and that process's peak memory in MiB.

    Spawned, not forked: a fork of a process that has opened a store inherits RocksDB's background
    threads as dead (a bulk load in the child would wait for them for ever), and a fresh process
    makes each peak its own. Not a Pool: its workers are daemonic, and a load forks workers itself."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_measured, args=(send, work, *args))
    child.start()
    send.close()
    try:
        result, peak = receive.recv()
    except EOFError:
        raise RuntimeError(f"the measured process failed (exit status {child.exitcode})") from None
    finally:
        child.join()
    return result, float(peak)


def _measured(send: Connection, work: Callable[..., Any], *args: Any) -> None:
    took = work(*args)
    send.send((took, _peak_mib()))


def _peak_mib() -> float:
    """This process's own peak resident memory. Not getrusage's ru_maxrss: Linux keeps it across the
    exec that starts a spawned child, so a child smaller than its parent would report the parent's."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median(values: list[float]) -> float:
    return statistics.median(values)
