"""Loading a synthetic cluster: `avcluster load` (with every check) against pyoxigraph's bulk loader."""

from __future__ import annotations

import shutil
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


def synthetic_file(actors: int, seed: int, folder: Path) -> tuple[Path, int]:
    path = folder / f"synthetic-{actors}-{seed}.nt"
    with path.open("w", encoding="utf-8") as out:
        triples = write(actors, seed, out)
    return path, triples


def measure_load(actors: int, seed: int, folder: Path, runs: int) -> LoadResult:
    """Each run loads the file twice, engine first then avcluster, each into a fresh store on disk."""
    path, triples = synthetic_file(actors, seed, folder)
    engine_times, ours_times, engine_peaks, ours_peaks = [], [], [], []
    store = folder / f"avcluster-{actors}"
    plain = folder / f"pyoxigraph-{actors}"
    for _ in range(runs):
        shutil.rmtree(plain, ignore_errors=True)
        took, peak = in_child(_bulk_load, path, plain)
        engine_times.append(took)
        engine_peaks.append(peak)
        shutil.rmtree(plain, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        took, peak = in_child(_avcluster_load, path, store)
        ours_times.append(took)
        ours_peaks.append(peak)
    return LoadResult(
        actors,
        triples,
        path.stat().st_size / 1024**2,
        median(engine_times),
        median(ours_times),
        max(engine_peaks),
        max(ours_peaks),
        store,
    )


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
    load(store, [path], name="synthetic")
    store.close()
    return time.perf_counter() - started
