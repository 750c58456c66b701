"""How fast /graph is at 500, 5,000 and 20,000 actors: built on the server, and interactive in Chromium.

For each size a synthetic cluster (kg.synth, one seed) goes into an in-memory store with the
ontology. Then, side by side in one run:

- server: the first /graph request on a fresh app (reading and measuring the network with
  kg.analysis, the layout, the page), and a second one (served from the cache);
- build: turning the same actors and ties into the page, ours (node and edge dicts handed to pyvis,
  JSON, our template) against pyvis's own way (add_node/add_edge on Network(directed=True), then
  generate_html), and the layout alone;
- browser: time from navigation to the first frame drawn (`window.graphDrawnAt`) in Debian's
  Chromium, and from unticking an actor type to the next frame, for the actor view (every actor
  drawn) and for the aggregated view the app starts from above GRAPH_AGGREGATE_ABOVE.

    python bench/bench_graph.py [--sizes 500,5000,20000] [--seed 1] [--out results.md]

Prints a Markdown table; --out also writes it to a file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pyoxigraph as ox
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from avcluster.kg.ingest import load_ontology  # noqa: E402
from avcluster.kg.namespaces import SYNTHETIC_GRAPH  # noqa: E402
from avcluster.kg.stores import Store, open_store  # noqa: E402
from avcluster.kg.synth import generate  # noqa: E402
from avcluster.web.cache import memo  # noqa: E402
from avcluster.web.graph import layout, model, view  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402

ALL_ACTORS = 10**9  # a GRAPH_AGGREGATE_ABOVE no cluster reaches: every actor drawn
REPEATS = 3


def seconds(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def best(work: Callable[[], Any], repeats: int = REPEATS) -> float:
    return min(seconds(work)[0] for _ in range(repeats))


def synthetic_store(actors: int, seed: int) -> Store:
    store = open_store("memory:")
    load_ontology(store)
    lines = "".join(generate(actors, seed)).encode()
    store.replace_graphs(
        {
            str(SYNTHETIC_GRAPH): [
                ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)
            ]
        }
    )
    return store


def pyvis_page(data: dict[str, Any]) -> str:
    """The same nodes and edges through pyvis's own API and template, with the tooltips and colours
    graph.js gives them in the browser made here, as a pyvis user would."""
    from pyvis.network import Network

    types = {t["id"]: t for t in data["types"]}
    kinds = {k["id"]: k for k in data["kinds"]}
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    net = Network(directed=True, cdn_resources="remote")
    for node in data["nodes"]:
        kind = types[node["type"]]
        net.add_node(
            node["id"],
            label=node["label"],
            title=f"{node['label']}\n{kind['label']}",
            color=kind["colour"],
            value=node["value"],
            x=node["x"],
            y=node["y"],
        )
    for edge in data["edges"]:
        kind = kinds[edge["kind"]]
        net.add_edge(
            edge["from"],
            edge["to"],
            title=f"{labels[edge['from']]} → {labels[edge['to']]}\n{kind['label']}",
            color=kind["colour"],
        )
    net.toggle_physics(False)
    html: str = net.generate_html()
    return html


def server_side(app: Flask, store: Store) -> dict[str, float]:
    """Cold and warm /graph, and the build alone, ours against pyvis's."""
    import json

    app.config["GRAPH_AGGREGATE_ABOVE"] = ALL_ACTORS
    client = app.test_client()
    cold, response = seconds(lambda: client.get("/graph"))
    assert response.status_code == 200
    warm = best(lambda: client.get("/graph"))
    with app.test_request_context("/graph"):
        built = model(store)
        data = json.loads(str(view(store, "en", limit=ALL_ACTORS).json))
        placing = best(lambda: layout(len(built.iris), built.ends, built.measured.community), repeats=1)

        def rebuild() -> None:
            memo("view").forget("view")  # the model and the layout stay cached: this times the page alone
            assert client.get("/graph").status_code == 200

        ours = best(rebuild)
        spent = built.seconds  # the model's figures are cached per app: read them inside its context
    theirs = best(lambda: pyvis_page(data), repeats=1)
    return {
        "cold": cold,
        "warm": warm,
        "read": spent["read"],
        "measure": spent["measure"],
        "layout": placing,
        "ours": ours,
        "pyvis": theirs,
        "html_mb": len(response.data) / 1e6,
        "nodes": len(data["nodes"]),
        "edges": len(data["edges"]),
    }


def browser_side(server: LiveServer, limit: int) -> dict[str, Any]:
    """Navigation to first frame, and a filter change to the next frame, median of REPEATS."""
    from playwright.sync_api import sync_playwright

    server.app.config["GRAPH_AGGREGATE_ABOVE"] = limit
    with urlopen(server.url + "/graph", timeout=3600) as response:  # the server builds and keeps the page
        response.read()
    interactive, redraw, drawn = [], [], []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Playwright's polling of `window.graphDrawnAt` evaluates a string, which the app's CSP
        # forbids; bypassing the CSP changes nothing about how the page loads or draws.
        page = chromium.new_page(viewport={"width": 1440, "height": 960}, bypass_csp=True)
        page.set_default_timeout(600_000)
        for _ in range(REPEATS):
            page.goto(server.url + "/graph", wait_until="commit")
            page.wait_for_function("window.graphDrawnAt !== undefined")
            interactive.append(page.evaluate("window.graphDrawnAt") / 1000)
            drawn.append(page.evaluate("window.network.body.data.nodes.length"))
            redraw.append(
                page.evaluate("""() => new Promise(done => {
                const box = document.querySelector('#type-filter input');
                const started = performance.now();
                window.network.once('afterDrawing', () => done((performance.now() - started) / 1000));
                box.click();
            })""")
            )
        view_kind = page.evaluate("document.querySelector('.graph-page').dataset.view")
        chromium.close()
    return {
        "interactive": statistics.median(interactive),
        "redraw": statistics.median(redraw),
        "view": view_kind,
        "drawn": drawn[0],
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| actors | nodes / edges | first /graph (read + measure + layout) | cached /graph | page build: ours | "
        "page build: pyvis add_node/add_edge + generate_html | pyvis / ours | layout | HTML | interactive (all actors) | "
        "filter redraw | interactive (aggregated, drawn) |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        s, full, grouped = r["server"], r["full"], r["grouped"]
        if not s:
            lines.append(
                f"| {r['actors']:,} | – | – | – | – | – | – | – | – | – | – | {grouped['interactive']:.2f} s "
                f"({grouped['view']}, {grouped['drawn']}; first request {grouped['first']:.0f} s) |"
            )
            continue
        lines.append(
            f"| {r['actors']:,} | {s['nodes']:,} / {s['edges']:,} | {s['cold']:.2f} s ({s['read']:.1f} + {s['measure']:.1f}"
            f" + {s['layout']:.1f}) | {s['warm'] * 1000:.0f} ms | {s['ours']:.2f} s | {s['pyvis']:.2f} s | "
            f"{s['pyvis'] / s['ours']:.1f}x | {s['layout']:.2f} s | {s['html_mb']:.1f} MB | {full['interactive']:.2f} s | "
            f"{full['redraw']:.2f} s | {grouped['interactive']:.2f} s ({grouped['view']}, {grouped['drawn']}) |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--all-up-to",
        type=int,
        default=20_000,
        help="above this many actors only the aggregated view is measured (50,000 drawn at once would freeze)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    for actors in (int(s) for s in args.sizes.split(",")):
        print(f"… {actors:,} actors", file=sys.stderr)
        store = synthetic_store(actors, args.seed)
        live = LiveServer(store)
        try:
            everything = actors <= args.all_up_to
            server = server_side(live.app, store) if everything else {}
            print(f"  server {server}", file=sys.stderr)
            full = browser_side(live, ALL_ACTORS) if everything else {}
            started = time.perf_counter()
            grouped = browser_side(live, 3000)
            grouped["first"] = time.perf_counter() - started
            print(f"  browser {full} {grouped}", file=sys.stderr)
        finally:
            live.stop()
        rows.append({"actors": actors, "server": server, "full": full, "grouped": grouped})
        store.close()
    result = table(rows)
    print(result)
    if args.out:
        args.out.write_text(result + "\n")


if __name__ == "__main__":
    main()
