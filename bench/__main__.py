"""`python -m bench [--sizes 1000,10000,50000 | --quick] [--runs 5] [--seed 1] [--out FILE]`."""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from avcluster.kg.stores.oxigraph import OxigraphStore

from . import __doc__ as about
from .loading import LoadResult, measure_load
from .loading import table as loading_table
from .machine import describe
from .querying import IN_MEMORY_TRIPLES, LONG, SLOW, QuestionResult, RoundTrip, measure_questions, measure_round_trip
from .scale import analyse, grouped_view

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.md"
GRAPH_BENCH = ROOT / "bench" / "bench_graph.py"
RDFLIB_UP_TO = 1000  # actors: plain rdflib is the untuned baseline at the small size only
# Sizes bench_graph.py draws in Chromium (it builds its own in-memory store); above, the grouped
# /graph is measured on the loaded store on disk.
CHROMIUM_UP_TO = 50_000
ONE_LOAD_FROM = 1_000_000  # actors from which each loader runs once: one load of 30M triples takes many minutes


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=(about or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="actors per synthetic cluster, comma-separated")
    parser.add_argument("--quick", action="store_true", help="1,000 actors only")
    parser.add_argument(
        "--runs", type=int, default=5, help="rounds per question, more for fast ones (the median is reported)"
    )
    parser.add_argument("--load-runs", type=int, default=3, help="loads per size (2 from 50,000 actors on)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rdflib-cap", type=float, default=60.0, help="seconds before an rdflib query is stopped")
    parser.add_argument(
        "--question-cap",
        type=float,
        default=120.0,
        help="seconds before a canned question is stopped on the engine (then reported as over it)",
    )
    parser.add_argument("--no-graph", action="store_true", help="skip bench/bench_graph.py (Chromium)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the synthetic files here and reuse them (a million actors take minutes to write)",
    )
    args = parser.parse_args()
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]

    lines = ["# avcluster benchmark", "", f"Run {time.strftime('%Y-%m-%d %H:%M')}, seed {args.seed}.", "", *describe()]
    loads: list[LoadResult] = []
    scale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="avcluster-bench-") as scratch:
        folder = Path(scratch)
        sources = args.keep or folder
        sources.mkdir(parents=True, exist_ok=True)
        sections = []
        for actors in sizes:
            say(f"{actors:,} actors: loading")
            load_runs = args.load_runs if actors < 50_000 else 1 if actors >= ONE_LOAD_FROM else min(args.load_runs, 2)
            loaded = measure_load(actors, args.seed, folder, load_runs, sources)
            loads.append(loaded)
            store = OxigraphStore(loaded.store)
            try:
                say(f"{actors:,} actors: questions")
                rdflib_file = sources / f"synthetic-{actors}-{args.seed}.nt" if actors <= RDFLIB_UP_TO else None
                answers, stand_ins = measure_questions(
                    store, args.runs, rdflib_file, args.rdflib_cap, args.question_cap, loaded.triples
                )
                trip = measure_round_trip(store)
            finally:
                store.close()
            say(f"{actors:,} actors: analyze, and the grouped /graph")
            (analysed, approximation), analyse_peak = analyse(loaded.store)  # reads the store, keeps the reading
            (again, _), again_peak = analyse(loaded.store)
            viewed, view_peak = grouped_view(loaded.store)
            scale.append(
                f"| {actors:,} | {loaded.triples:,} | {analysed:.1f} s | {analyse_peak:,.0f} MiB "
                f"| {again:.1f} s | {again_peak:,.0f} MiB | {approximation} | {viewed:.1f} s | {view_peak:,.0f} MiB |"
            )
            sections.append(questions_table(actors, answers, stand_ins, (analysed, again), trip))
            if actors != sizes[-1]:  # a long run keeps what it has measured if a later size fails
                write(args.out, [*lines, "", f"(Partial: the sizes up to {actors:,} actors.)"], loads, scale, sections)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    closing = ["", f"Peak memory of the benchmark process (questions, server): {peak:,.0f} MiB."]
    drawn = [s for s in sizes if s <= CHROMIUM_UP_TO]
    if GRAPH_BENCH.exists() and not args.no_graph and drawn:
        say("/graph in Chromium (bench/bench_graph.py)")
        closing += ["", "## /graph in Chromium (bench/bench_graph.py)", "", *graph_bench(drawn, args.seed)]
    print(write(args.out, lines, loads, scale, sections, closing))


def write(
    out: Path,
    head: list[str],
    loads: list[LoadResult],
    scale: list[str],
    sections: list[list[str]],
    closing: Sequence[str] = (),
) -> str:
    """Writes the report as measured so far, and returns it."""
    lines = [*head, "", "## Loading, with every check, against pyoxigraph's bulk loader", "", *loading_table(loads)]
    lines += ["", "## Analysis and the grouped map, each in a process of its own", "", *scale_table(scale)]
    for section in sections:
        lines += ["", *section]
    report = "\n".join([*lines, *closing]) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report


def scale_table(rows: list[str]) -> list[str]:
    return [
        "| actors | triples | `analyze` (every section), first | its peak memory | `analyze` again | its peak memory "
        "| approximation | first /graph (grouped by type) | its peak memory |",
        "|---:|---:|---:|---:|---:|---:|---|---:|---:|",
        *rows,
        "",
        "Each on the store avcluster loaded, opened read-only in a fresh process. The first `analyze` reads the",
        "network from the store and keeps the reading beside it (kg/kept.py); the second, and the first /graph",
        "after them, start from the kept reading. /graph groups the network; the browser then draws one node per",
        "actor type.",
    ]


def questions_table(
    actors: int,
    answers: list[QuestionResult],
    stand_ins: dict[str, str],
    analysed: tuple[float, float],
    trip: RoundTrip,
) -> list[str]:
    with_rdflib = any(a.rdflib is not None for a in answers)
    with_memory = any(a.memory_named is not None for a in answers)
    head = (
        "| question | rows | pyoxigraph | API in-process | API with timeout | /sparql (HTTP) "
        "| API with timeout, a fork per query (before) | /sparql, a fork per query (before) |"
    )
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|"
    if with_memory:
        head += " in memory, named graphs (on disk ÷ in memory) | in memory, one graph (named ÷ one) |"
        rule += "---:|---:|"
    if with_rdflib:
        head += " rdflib |"
        rule += "---:|"
    rows = [f"## {actors:,} actors: canned questions (median ms, and ratio to pyoxigraph)", "", head, rule]
    for a in answers:
        if a.stopped:
            rows.append(
                f"| {a.name} | — | over {a.engine:,.0f} s (stopped) |" + " — |" * (5 + 2 * with_memory + with_rdflib)
            )
            continue
        paths = (a.api, a.forked, a.http, a.fresh, a.http_fresh)
        row = f"| {a.name} | {a.rows:,} | {ms(a.engine)} | " + " | ".join(ratio(p, a.engine) for p in paths) + " |"
        if with_memory:
            row += (
                " — | — |"
                if a.memory_named is None or a.memory_one is None
                else (
                    f" {ms(a.memory_named)} ({a.engine / a.memory_named:.2f}x) | {ms(a.memory_one)}"
                    f" ({a.memory_named / a.memory_one:.2f}x) |"
                )
            )
        if with_rdflib:
            if a.rdflib is None:
                row += " |"
            elif a.rdflib_capped:
                row += f" over {a.rdflib:.0f} s (stopped) |"
            else:
                row += f" {ms(a.rdflib)} ({a.rdflib / a.engine:.0f}x) |"
        rows.append(row)
    rows += [
        "",
        "pyoxigraph: the same query text on `Store.query`, its solutions serialized as SPARQL JSON (what the API returns).",
        "With a timeout (the API's `timeout=`, and every `/sparql` query) a query runs in a spare process forked",
        "ahead of time; the last two columns run it, in the same run, in a process forked for each query as before.",
        f"A question over {SLOW:g} s on the engine is measured once on each path after a warm-up, and not as before",
        f"(—): at a million actors five rounds of every path would take most of a day; one over {LONG:g} s once on",
        "the engine and once over HTTP (the paths between differ by milliseconds on minutes). Each question's first",
        "run, on the engine in a forked copy of this process, is stopped at the cap.",
        "In memory: two in-memory pyoxigraph stores, one holding the same quads in the same named graphs (their"
        " union queried, as on disk), one the same triples in its default graph, each answering the same query"
        " text in turn with the other paths: the first ratio is what the store on disk costs, the second what"
        f" named graphs cost. Not above {IN_MEMORY_TRIPLES:,} triples loaded: Oxigraph keeps every index in memory.",
        f"`ASK {{ ?s ?p ?o }}` over HTTP: {ms(trip.ask)} ms against {ms(trip.page)} ms for `{trip.page_path}`, "
        f"the app's cheapest page: {trip.ask / trip.page:.2f}x. Spares: {trip.spare_memory}.",
        "Parameters: defaults, with synthetic stand-ins for defaults that name a Navarre resource"
        + (": " + ", ".join(f"{k} = <{v}>" for k, v in stand_ins.items()) if stand_ins else "")
        + ".",
        "",
        f"`analyze` (every section): {analysed[0]:.1f} s reading the store, {analysed[1]:.1f} s from the kept reading.",
    ]
    return rows


def graph_bench(sizes: list[int], seed: int) -> list[str]:
    """bench/bench_graph.py's own table (it measures in Chromium through Playwright)."""
    with tempfile.NamedTemporaryFile(suffix=".md") as out:
        done = subprocess.run(
            [
                sys.executable,
                str(GRAPH_BENCH),
                "--sizes",
                ",".join(map(str, sizes)),
                "--seed",
                str(seed),
                "--out",
                out.name,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if "Error" in line.split(":", 1)[0]]
            return [f"bench_graph.py failed (exit {done.returncode}): {(errors or ['no error line'])[-1]}"]
        return Path(out.name).read_text(encoding="utf-8").splitlines()


def ratio(value: float | None, engine: float) -> str:
    """Milliseconds and the ratio to the engine; a dash for a path not measured (a slow question)."""
    return "—" if value is None else f"{ms(value)} ({value / engine:.2f}x)"


def ms(value: float) -> str:
    return f"{value * 1000:,.1f}"


def say(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
