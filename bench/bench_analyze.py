"""How long `analyze` takes on synthetic clusters of 1,000, 10,000 and 50,000 actors, part by part:
avcluster's measures (igraph's C code) against the networkx calls they replace (the reference the
tests compare them with), on the same projection, measured side by side in one run.

For each size a synthetic cluster (kg.synth, one seed) goes into a store with the ontology and the
direct shortcuts the loader derives. `kg.analysis.analyze` runs once, every section; its own
`meta.seconds` say where the time went. Then the same snapshot is handed to networkx as a plain
user would: a MultiDiGraph, its simple graphs, and the library's calls for each measure. Where a
networkx call would run for many minutes (sampled betweenness with hundreds of sources, Burt's
measures node by node) it runs on a slice and the time is scaled up, marked "est.". `--open`
measures a store that is already loaded (`avcluster load`) instead, `--no-networkx` skips the
reference (at a million actors networkx would take hours). `--measures-only FILE.nt` times the
network measures alone (the structure and flows sections) on the actors and ties of a synthetic
N-Triples file read line by line, with no store: a million actors take hours to load and minutes to
read back, and this separates the measures from the reading.

    python bench/bench_analyze.py [--actors 1000,10000,50000] [--seed 1] [--store memory|disk]
                                  [--open STORE] [--no-networkx] [--measures-only FILE.nt] [--out FILE]

Prints a Markdown table per size; --out also writes them to a file.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from avcluster.kg.analysis import analyze  # noqa: E402
from avcluster.kg.analysis.flows import flows_section  # noqa: E402
from avcluster.kg.analysis.projection import (  # noqa: E402
    FLOW_KINDS,
    RELATIONSHIP_KINDS,
    Actor,
    Snapshot,
    Tie,
    read_network,
    snapshot,
    to_networkx,
)
from avcluster.kg.analysis.structure import (  # noqa: E402
    BETWEENNESS_SAMPLE,
    EXACT_BETWEENNESS_LIMIT,
    SEED,
    actor_rows,
    analyse,
    brokers,
    community_rows,
)
from avcluster.kg.derive import shortcuts  # noqa: E402
from avcluster.kg.ingest import load_ontology  # noqa: E402
from avcluster.kg.namespaces import SYNTHETIC_GRAPH, inferred_graph  # noqa: E402
from avcluster.kg.stores import Store, open_store  # noqa: E402
from avcluster.kg.synth import _PUBLIC, ACTOR_CLASSES, generate  # noqa: E402

SLICE_SOURCES = 16  # sampled sources networkx runs when the full sample would take minutes
SLICE_NODES = 60  # actors networkx measures one by one for the effective size of large graphs
FULL_BURT_UP_TO = 5000  # networkx's matrix form of effective size builds a dense n×n array


def seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def synthetic_store(actors: int, seed: int, where: str) -> tuple[Store, float]:
    """The synthetic cluster loaded as `avcluster load` leaves it (dataset + derived shortcuts)."""
    store = open_store(where)
    load_ontology(store)
    lines = "".join(generate(actors, seed)).encode()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)]
    took, _ = seconds(
        lambda: store.replace_graphs({str(SYNTHETIC_GRAPH): triples, inferred_graph("synthetic"): shortcuts(triples)})
    )
    return store, took


def plain_networkx(store: Store, sampled: int | None) -> dict[str, tuple[float, bool]]:
    """Seconds per part for networkx's own calls on the same snapshot; True where estimated."""
    snap = snapshot(read_network(store))
    parts: dict[str, tuple[float, bool]] = {}
    took, multigraph = seconds(lambda: to_networkx(snap))

    def simple_graphs() -> tuple[nx.Graph, nx.DiGraph]:
        simple = nx.Graph(multigraph.to_undirected())
        simple.remove_edges_from(nx.selfloop_edges(simple))
        directed = nx.DiGraph()
        directed.add_nodes_from(multigraph)
        for u, v, mutual in multigraph.edges(data="mutual"):
            if u != v:
                directed.add_edges_from([(u, v), (v, u)] if mutual else [(u, v)])
        return simple, directed

    more, (simple, directed) = seconds(simple_graphs)
    parts["projection"] = (took + more, False)
    n = simple.number_of_nodes()
    if sampled is None:
        parts["betweenness"] = (seconds(lambda: nx.betweenness_centrality(simple))[0], False)
    else:
        took, _ = seconds(lambda: nx.betweenness_centrality(simple, k=SLICE_SOURCES, seed=SEED))
        parts["betweenness"] = (took * sampled / SLICE_SOURCES, True)
    largest = simple.subgraph(max(nx.connected_components(simple), key=len)) if n else simple
    parts["pagerank_eigenvector"] = (
        seconds(lambda: nx.pagerank(directed))[0] + seconds(lambda: nx.eigenvector_centrality_numpy(largest))[0],
        False,
    )
    constraint = seconds(lambda: nx.constraint(simple))[0]
    if n <= FULL_BURT_UP_TO:
        parts["constraint_effective_size"] = (constraint + seconds(lambda: nx.effective_size(simple))[0], False)
    else:
        some = random.Random(SEED).sample(list(simple), SLICE_NODES)
        took = seconds(lambda: nx.effective_size(simple, nodes=some))[0]
        parts["constraint_effective_size"] = (constraint + took * n / SLICE_NODES, True)
    parts["communities"] = (seconds(lambda: nx.community.louvain_communities(simple, seed=SEED))[0], False)
    parts["cores"] = (seconds(lambda: nx.core_number(simple))[0], False)
    return parts


def table(
    actors: int,
    store_kind: str,
    load_seconds: float | None,
    result: dict[str, Any],
    wall: float,
    plain: dict[str, tuple[float, bool]] | None,
) -> str:
    meta = result["meta"]
    ours = meta["seconds"]
    between = meta["betweenness"]
    how = "exact" if between["exact"] else f"estimated from {between['sources']:,} sampled sources"
    theirs = plain or {}
    rows = [
        ("read the store (SPARQL)", ours["read"], None),
        ("projection at a year, as graphs", ours["projection"] + ours["structure.matrices"], theirs.get("projection")),
        ("  of it, the simple graphs for igraph", ours["structure.matrices"], None),
        ("betweenness", ours["structure.betweenness"], theirs.get("betweenness")),
        ("PageRank + eigenvector", ours["structure.pagerank_eigenvector"], theirs.get("pagerank_eigenvector")),
        (
            "constraint + effective size",
            ours["structure.constraint_effective_size"],
            theirs.get("constraint_effective_size"),
        ),
        ("communities (Leiden; networkx: Louvain; seeded)", ours["structure.communities"], theirs.get("communities")),
        ("k-cores", ours["structure.cores"], theirs.get("cores")),
        *((f"section {name}", ours[name], None) for name in ("ties", "competencies", "flows", "lifecycle", "regions")),
    ]
    load = os.getloadavg()
    loaded = f"loaded in {load_seconds:.1f} s" if load_seconds is not None else "an existing store"
    lines = [
        f"### {actors:,} actors ({store_kind}): {meta['actors']:,} actors in the projection, {meta['ties']:,} ties; "
        f"betweenness {how}; {loaded}; peak RSS {peak_rss_mib():,.0f} MiB so far; "
        f"load average {load[0]:.2f} (1 min), {load[1]:.2f} (5 min) after the run",
        "",
        "| part | avcluster, igraph (s) | networkx (s) | networkx ÷ igraph |",
        "|---|---:|---:|---:|",
    ]
    for name, mine, reference in rows:
        if reference is None:
            lines.append(f"| {name} | {mine:.2f} | | |")
        else:
            took, estimated = reference
            mark = " est." if estimated else ""
            lines.append(
                f"| {name} | {mine:.2f} | {took:.2f}{mark} | {took / mine:.1f}×{mark} |"
                if mine
                else f"| {name} | {mine:.2f} | {took:.2f}{mark} | |"
            )
    if plain is None:
        lines.append(f"| **analyze, every section** | **{wall:.1f}** | | |")
    else:
        plain_total = ours["read"] + sum(t for t, _ in plain.values())
        lines.append(
            f"| **analyze, every section** | **{wall:.1f}** | **{plain_total:.1f}** (read + the calls above) "
            f"| **{plain_total / wall:.1f}×** |"
        )
    return "\n".join(lines)


def peak_rss_mib() -> float:
    """The largest resident set this process has had (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(store: Store, actors: int | None, kind: str, load_seconds: float | None, reference: bool) -> str:
    cpu = time.process_time()
    wall, result = seconds(lambda: analyze(store))
    cpu = time.process_time() - cpu
    plain = None
    if reference:
        plain = plain_networkx(store, None if result["meta"]["betweenness"]["exact"] else BETWEENNESS_SAMPLE)
    block = table(result["meta"]["actors"] if actors is None else actors, kind, load_seconds, result, wall, plain)
    # on a shared machine the wall time depends on the neighbours; the CPU time much less
    return block.replace("\n", f"; analyze used {cpu:.1f} s of CPU\n", 1)


def file_snapshot(path: Path) -> Snapshot:
    """The actors and ties of a synthetic N-Triples file (kg.synth's output: one qualified resource
    per tie, no shortcuts, no dates needed for the whole period), read line by line."""
    avc, rdf_type = "<https://w3id.org/avcluster/ontology#", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    actor_classes = {f"{avc}{c.name}>": c.name for c in ACTOR_CLASSES}
    tie_kinds = {f"{avc}{k}>": k for k in (*RELATIONSHIP_KINDS, *FLOW_KINDS)}
    ends = {f"{avc}fromActor>": 0, f"{avc}toActor>": 1}
    actors: dict[str, str] = {}
    kinds: dict[str, str] = {}
    pairs: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            subject, predicate, rest = line.split(" ", 2)
            if predicate == rdf_type:
                obj = rest[:-3]
                if obj in actor_classes:
                    actors[subject[1:-1]] = actor_classes[obj]
                elif obj in tie_kinds:
                    kinds[subject] = tie_kinds[obj]
            elif predicate in ends:
                pairs.setdefault(subject, ["", ""])[ends[predicate]] = rest[1:-4]
    ties = [
        Tie(
            resource[1:-1],
            resource[1:-1],
            "flow" if kinds[resource] in FLOW_KINDS else "relationship",
            kinds[resource],
            source,
            target,
        )
        for resource, (source, target) in sorted(pairs.items())
        if resource in kinds and source in actors and target in actors
    ]
    sector = {c.name: "public" if c.name in _PUBLIC else "private" for c in ACTOR_CLASSES}
    return Snapshot(
        None,
        None,
        [Actor(iri, iri, kind, sector[kind]) for iri, kind in sorted(actors.items())],
        ties,
    )


def measures_only(path: Path) -> str:
    """Seconds for the measures alone: structure (every part) and the flows section, on the file's network."""
    took, snap = seconds(lambda: file_snapshot(path))
    cpu = time.process_time()
    wall, structure = seconds(lambda: analyse(snap))
    rows, _ = seconds(lambda: (actor_rows(structure), brokers(structure), community_rows(structure)))
    flows, _ = seconds(lambda: flows_section(snap))
    cpu = time.process_time() - cpu
    sampled = structure.sampled_sources
    how = "exact" if sampled is None else f"estimated from {sampled:,} sampled sources"
    load = os.getloadavg()
    lines = [
        f"### measures only, {path.name}: {len(snap.actors):,} actors, {len(snap.ties):,} ties "
        f"(read from the file in {took:.1f} s); betweenness {how}; peak RSS {peak_rss_mib():,.0f} MiB; "
        f"load average {load[0]:.2f} (1 min), {load[1]:.2f} (5 min) after the run",
        "",
        "| part | seconds |",
        "|---|---:|",
        *(f"| structure: {part.replace('_', ' ')} | {s:.2f} |" for part, s in structure.seconds.items()),
        f"| actor, broker and community rows | {rows:.2f} |",
        f"| flows section (information brokers: directed betweenness) | {flows:.2f} |",
        f"| **the measures, together** | **{wall + rows + flows:.1f}** ({cpu:.1f} s of CPU) |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", default="1000,10000,50000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", choices=("memory", "disk"), default="memory")
    parser.add_argument("--open", metavar="STORE", help="analyse this loaded store instead of synthetic ones")
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx reference")
    parser.add_argument("--measures-only", type=Path, metavar="FILE", help="time the measures on a synthetic .nt file")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load = os.getloadavg()
    header = (
        f"avcluster analyze benchmark — {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, igraph {ig.__version__}, networkx {nx.__version__}, pyoxigraph {ox.__version__}; "
        f"exact betweenness up to {EXACT_BETWEENNESS_LIMIT:,} actors, then {BETWEENNESS_SAMPLE} sources; "
        f"load average {load[0]:.2f} (1 min), {load[1]:.2f} (5 min) at the start"
    )
    print(header, flush=True)
    blocks = [header]
    if args.measures_only:
        blocks.append(measures_only(args.measures_only))
        print("\n" + blocks[-1], flush=True)
    elif args.open:
        store = open_store(args.open, read_only=True)  # the analysis only reads; another process may hold it
        blocks.append(measure(store, None, args.open, None, not args.no_networkx))
        print("\n" + blocks[-1], flush=True)
        store.close()
    for actors in () if args.open or args.measures_only else (int(a) for a in args.actors.split(",")):
        with tempfile.TemporaryDirectory(prefix="avcluster-bench-") as folder:
            store, load_seconds = synthetic_store(actors, args.seed, "memory:" if args.store == "memory" else folder)
            blocks.append(measure(store, actors, f"{args.store} store", load_seconds, not args.no_networkx))
            print("\n" + blocks[-1], flush=True)
            store.close()
    if args.out:
        args.out.write_text("\n\n".join(blocks) + "\n")


if __name__ == "__main__":
    main()
