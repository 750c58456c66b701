"""Loading a synthetic cluster: `avcluster load` (with every check) against pyoxigraph's bulk loader.

Both write a fresh store on disk, on the same disk, each in a process of its own, one after the other in
each run, so that both see the same machine: the ratio is taken run by run (the median of those), and the
load average is read at each run, as other work on the machine changes both numbers.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from avcluster.kg.ingest import load, load_ontology
from avcluster.kg.namespaces import SYNTHETIC_GRAPH
from avcluster.kg.stores import open_store
from avcluster.kg.synth import write

from .measure import in_child, median


@dataclass
class LoadResult:
    actors: int
    triples: int
    megabytes: float
    engine: float  # seconds, median
    ours: float
    engine_peak: float  # MiB
    ours_peak: float
    store: Path  # the last store avcluster loaded, for the questions
    ratio: float = 0.0  # median of ours / engine, run by run
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load average: lowest and highest seen at the runs


def synthetic_file(actors: int, seed: int, folder: Path) -> tuple[Path, int]:
    """The synthetic cluster as N-Triples in `folder`, written unless a previous run left it there
    (kg.synth is deterministic: the same actors and seed give the same file)."""
    path = folder / f"synthetic-{actors}-{seed}.nt"
    if path.exists():
        with path.open("rb") as lines:
            return path, sum(1 for _ in lines)
    with path.open("w", encoding="utf-8") as out:
        triples = write(actors, seed, out)
    return path, triples


def measure_load(actors: int, seed: int, folder: Path, runs: int, sources: Path | None = None) -> LoadResult:
    """Each run loads the file twice, engine first then avcluster, each into a fresh store on disk in
    `folder`; the file itself is written to (or found in) `sources`."""
    path, triples = synthetic_file(actors, seed, sources or folder)
    engine_times, ours_times, engine_peaks, ours_peaks, loads = [], [], [], [], []
    store = folder / f"avcluster-{actors}"
    plain = folder / f"pyoxigraph-{actors}"
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        shutil.rmtree(plain, ignore_errors=True)
        took, peak = in_child(_bulk_load, path, plain)
        engine_times.append(took)
        engine_peaks.append(peak)
        shutil.rmtree(plain, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        took, peak = in_child(_avcluster_load, path, store)
        ours_times.append(took)
        ours_peaks.append(peak)
        loads.append(os.getloadavg()[0])
    return LoadResult(
        actors,
        triples,
        path.stat().st_size / 1024**2,
        median(engine_times),
        median(ours_times),
        max(engine_peaks),
        max(ours_peaks),
        store,
        statistics.median(ours / engine for ours, engine in zip(ours_times, engine_times, strict=True)),
        (min(loads), max(loads)),
    )


def table(loads: list[LoadResult]) -> list[str]:
    """The loading section of the report: one row per size, the ratio run by run, the load average."""
    rows = [
        "| actors | triples | file | pyoxigraph bulk_load | avcluster load | ratio | peak memory: pyoxigraph / avcluster "
        "| load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in loads:
        rows.append(
            f"| {r.actors:,} | {r.triples:,} | {r.megabytes:,.0f} MB | {r.engine:.2f} s | {r.ours:.2f} s "
            f"| {r.ratio:.2f}x | {r.engine_peak:,.0f} / {r.ours_peak:,.0f} MiB "
            f"| {r.load_average[0]:.1f}-{r.load_average[1]:.1f} |"
        )
    rows += [
        "",
        "Both write a fresh store on disk, each in a process of its own, one after the other in every run (medians;",
        "the ratio is the median of the runs' own ratios; the load average is the 1-minute one, lowest and highest",
        "seen at the runs). pyoxigraph: `Store(path).bulk_load(path=FILE, format=N_TRIPLES, to_graph=G)`.",
        "avcluster's load parses the file, checks it against the ontology and every SHACL shape (compiled to SPARQL,",
        "run inside the engine), derives the direct shortcuts, and writes dataset, shortcuts and catalog record all",
        "or nothing: the file is bulk-loaded into a copy of the store while it is checked, and the copy takes the",
        "store's place in one atomic swap of folders (kg/stores/staging.py).",
    ]
    return rows


def _bulk_load(path: Path, folder: Path) -> float:
    engine = ox.Store(str(folder))
    started = time.perf_counter()
    engine.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(SYNTHETIC_GRAPH)))
    engine.flush()
    return time.perf_counter() - started


def _avcluster_load(path: Path, folder: Path) -> float:
    store = open_store(str(folder))
    load_ontology(store)  # what `avcluster init --no-data` does first; not part of the measured load
    started = time.perf_counter()
    load(store, [path], name="synthetic", alone=True)
    store.close()
    return time.perf_counter() - started
