"""What /graph draws: actors and ties as vis-network nodes and edges, with positions, built once per
version of the store.

Reading the network and measuring it take seconds at tens of thousands of actors, and drawing a
graph in a browser stops being usable long before that (physics never
settles at 5,000 nodes; 47,000 took hours). So everything here is computed on the server once per
version of the store and kept: the reading, the measures (kg.analysis), the layout. Above a size
the viewer starts from an aggregated view (one node per actor type or community, ties summed) and
lets the reader drill into one group.

pyvis holds the nodes and edges (`Network(directed=True)`, lists set directly: its add_node is a
list scan per call) and the vis-network options; its HTML template is not used, because it links
CDNs and inserts titles as HTML. Every label and title here is plain text, which vis-network 9.1.2
puts into its tooltip with innerText."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pyvis.network import Network as PyvisNetwork

from avcluster.kg.analysis.periods import year_of
from avcluster.kg.analysis.projection import FLOW_KINDS, SYMMETRIC_KINDS
from avcluster.kg.namespaces import AVC, ID
from avcluster.kg.stores import Store

from ..cache import cached
from .layout import grouped_layout, layout
from .model import MEASURES, OTHER, Model, labels, model
from .selection import GROUPINGS, Selection, members, selection_text, tie_indices
from .style import HIDE_ON_ZOOM_ABOVE, KIND_COLOURS, KIND_ORDER, OPTIONS, PALETTE, TYPE_COLOURS, colour

# How /graph places actors: one network (communities seeded apart), or one disc per group.
ARRANGEMENTS: tuple[str, ...] = ("network", "community", "type", "region")


def _year_span(m: Model) -> list[int]:
    years = [y for a in m.network.actors.values() for y in (year_of(a.created), year_of(a.dissolved)) if y]
    years += [y for t in m.ties for y in (year_of(t.period.start), year_of(t.period.end)) if y]
    return [min(years), max(years)] if years else []


def _pyvis(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], big: bool
) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """Hand the nodes and edges to pyvis and take back what its template would have been given."""
    net = PyvisNetwork(directed=True)
    net.nodes, net.edges, net.node_ids = nodes, edges, [n["id"] for n in nodes]
    options = json.loads(json.dumps(OPTIONS))
    options["interaction"]["hideEdgesOnZoom"] = big
    net.options = options
    drawn_nodes, drawn_edges, _heading, _height, _width, options_json = net.get_network_data()
    return drawn_nodes, drawn_edges, json.loads(options_json)


@dataclass(frozen=True)
class View:
    """A built view: its JSON (escaped for a `<script>` block, and valid JSON as is) and, for the
    page's own controls, everything but the nodes and edges."""

    json: Markup
    summary: dict[str, Any]


def view(
    store: Store,
    lang: str,
    *,
    selection: Selection = (),
    grouping: str | None = None,
    at: int | None = None,
    limit: int = 3000,
    arrange: str = "network",
) -> View:
    """What /graph draws and /graph.json returns: actors, or groups when there are more than `limit`.

    `grouping` asks for the aggregated view whatever the size; `at` keeps what existed in that year;
    `arrange` places the actors as one network or each group on a disc of its own (ARRANGEMENTS).
    """

    def compute() -> View:
        data = _build_view(store, lang, selection, grouping, at, limit, arrange)
        text = htmlsafe_json_dumps(data, dumps=partial(json.dumps, separators=(",", ":"), ensure_ascii=False))
        return View(text, {k: v for k, v in data.items() if k not in ("nodes", "edges", "options")})

    return cached("view", lang, selection, grouping, at, limit, arrange, compute=compute)


def _build_view(
    store: Store, lang: str, selection: Selection, grouping: str | None, at: int | None, limit: int, arrange: str
) -> dict[str, Any]:
    clock = time.perf_counter()
    m = model(store)
    names = labels(store, lang)
    chosen = members(m, selection, at)
    used = dict(selection)
    by = grouping if grouping in GROUPINGS and grouping not in used else None
    if by is None and len(chosen) > limit:
        by = next((g for g in GROUPINGS if g not in used), None)
    data = _groups(m, names, chosen, selection, by, at) if by else _actors(m, names, chosen, selection, at, arrange)
    data.update(
        {
            "at": at,
            "selection": selection_text(selection),
            "lang": lang,
            "limit": limit,
            "base": str(ID),
            "selection_labels": [_group_label(names, d, v) for d, v in selection],
            "years": _year_span(m),
            "counts": {**data["counts"], "actors_in_store": len(m.iris), "ties_in_store": len(m.ties)},
            "measures": list(MEASURES),
            "seconds": {
                **(m.seconds if data["view"] == "actors" or by == "community" else {"read": m.read_seconds}),
                "view": round(time.perf_counter() - clock, 3),
            },
        }
    )
    return data


def _legends(m: Model, names: dict[str, str], chosen: np.ndarray, ties: np.ndarray) -> dict[str, Any]:
    types = m.types
    type_counts = Counter(types[i] for i in chosen)
    kind_counts = Counter(m.ties[t].kind for t in ties)
    places = m.places
    clustered = {r for c in m.network.clusters.values() for r in c.places}
    region_counts: Counter[str] = Counter(r for i in chosen for r in places[i])
    avc = str(AVC)
    return {
        "types": [
            {"id": t, "label": names.get(avc + t, t), "colour": colour(t, TYPE_COLOURS), "count": c}
            for t, c in sorted(type_counts.items(), key=lambda x: (-x[1], x[0]))
        ],
        "kinds": [
            {
                "id": k,
                "label": names.get(avc + k, k),
                "colour": colour(k, KIND_COLOURS),
                "count": kind_counts[k],
                "flow": k in FLOW_KINDS or k == "Flow",
                "mutual": k in SYMMETRIC_KINDS,
            }
            for k in sorted(kind_counts, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else 99, k))
        ],
        "regions": [
            {"id": r, "label": names.get(r, r), "count": c, "cluster": r in clustered}
            for r, c in sorted(region_counts.items(), key=lambda x: (names.get(x[0], x[0]).lower(), x[0]))
        ],
    }


def _arrangement(
    m: Model,
    legends: dict[str, Any],
    chosen: np.ndarray,
    pairs: np.ndarray,
    selection: Selection,
    at: int | None,
    arrange: str,
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Positions of the chosen actors (cached per selection, year and arrangement: they do not depend
    on the language), and the captioned discs when they are arranged by group."""
    community = m.measured.community[chosen]
    if arrange == "network":
        return cached("layout", selection, at, compute=lambda: layout(len(chosen), pairs, community)), []
    if arrange == "community":
        keys = [str(c) for c in community.tolist()]
        captions = {str(c): f"Community {c + 1}" for c in community.tolist() if c >= 0}
    elif arrange == "type":
        keys = [m.types[i] for i in chosen]
        captions = {t["id"]: t["label"] for t in legends["types"]}
    else:
        size = {r["id"]: r["count"] for r in legends["regions"]}
        places = m.places
        # An actor in two regions (Navarre, and Spain containing it) joins the smaller, more specific one.
        keys = [min(places[i], key=lambda r: (size[r], r)) if places[i] else "" for i in chosen]
        captions = {r["id"]: r["label"] for r in legends["regions"]}
    names, groups = np.unique(np.array(keys, dtype=object), return_inverse=True)
    positions, discs = cached(
        "layout", selection, at, arrange, compute=lambda: grouped_layout(len(chosen), pairs, groups)
    )
    counts = Counter(groups.tolist())
    return positions, [
        {"label": captions.get(names[g], "–"), "x": round(x, 1), "y": round(y, 1), "r": round(r, 1), "count": counts[g]}
        for g, x, y, r in discs
    ]


def _alive(bounds: list[tuple[int | None, int | None]], years: np.ndarray) -> np.ndarray:
    """(items × years): whether each (start year, end year) span holds each year, open ends
    unbounded: Period.contains_year for every pair at once."""
    start = np.array([np.iinfo(np.int64).min if a is None else a for a, _ in bounds], dtype=np.int64)
    end = np.array([np.iinfo(np.int64).max if b is None else b for _, b in bounds], dtype=np.int64)
    return (start[:, None] <= years[None, :]) & (end[:, None] >= years[None, :])


def _per_year(m: Model, chosen: np.ndarray, ties: np.ndarray) -> dict[str, list[int]]:
    """Actors existing and ties current in each year, as the year slider shows them (a tie counts
    when both its actors exist that year)."""
    span = _year_span(m)
    if not span:
        return {"years": [], "actors": [], "ties": []}
    years = np.arange(span[0], span[1] + 1)
    actors = [m.network.actors[m.iris[i]] for i in chosen]
    alive = _alive([(year_of(a.created), year_of(a.dissolved)) for a in actors], years)
    periods = [m.ties[t].period for t in ties]
    current = _alive([(year_of(p.start), year_of(p.end)) for p in periods], years)
    if len(ties):
        local = np.full(len(m.iris), -1, dtype=np.int64)
        local[chosen] = np.arange(len(chosen))
        current &= alive[local[m.ends[ties, 0]]] & alive[local[m.ends[ties, 1]]]
    return {"years": years.tolist(), "actors": alive.sum(axis=0).tolist(), "ties": current.sum(axis=0).tolist()}


def _actors(
    m: Model, names: dict[str, str], chosen: np.ndarray, selection: Selection, at: int | None, arrange: str
) -> dict[str, Any]:
    """One node per actor, one edge per tie, positioned by `layout` (cached per selection)."""
    ties = tie_indices(m, chosen, at)
    legends = _legends(m, names, chosen, ties)
    region_index = {r["id"]: i for i, r in enumerate(legends["regions"])}
    local = np.full(len(m.iris), -1, dtype=np.int64)
    local[chosen] = np.arange(len(chosen))
    measured = m.measured
    pairs = local[m.ends[ties]] if len(ties) else np.zeros((0, 2), np.int64)
    positions, discs = _arrangement(m, legends, chosen, pairs, selection, at, arrange)
    places = m.places
    # Nodes and edges carry data only, and no empty field: graph.js derives tooltips, colours,
    # arrows and dashes from it and the legends. At 5,000 actors that halves the page.
    types = m.types
    nodes = []
    for k, i in enumerate(chosen):
        actor = m.network.actors[m.iris[i]]
        nodes.append(
            _present(
                {
                    "id": int(k),
                    "iri": actor.iri,
                    "label": names.get(actor.iri, actor.iri),
                    "type": types[i],
                    "sector": actor.sector,
                    "regions": sorted(region_index[r] for r in actor.regions),
                    "places": sorted(region_index[r] for r in places[i]),
                    "created": actor.created,
                    "dissolved": actor.dissolved,
                    "createdYear": year_of(actor.created),
                    "dissolvedYear": year_of(actor.dissolved),
                    "community": int(measured.community[i]) if measured.community[i] >= 0 else None,
                    **{name: _round(float(measured.values[name][i])) for name in MEASURES},
                    "value": float(measured.values["degree"][i]),
                    "x": float(positions[k, 0]),
                    "y": float(positions[k, 1]),
                }
            )
        )
    sources: dict[str, int] = {}
    edges = []
    for e, t in enumerate(ties):
        tie = m.ties[t]
        period = tie.period
        edges.append(
            _present(
                {
                    "id": e,
                    "from": int(local[m.ends[t, 0]]),
                    "to": int(local[m.ends[t, 1]]),
                    "iri": tie.iri,
                    "kind": tie.kind,
                    "start": tie.start,
                    "end": tie.end,
                    "year": tie.year,
                    "startYear": year_of(period.start),
                    "endYear": year_of(period.end),
                    "strength": tie.strength,
                    "amount": float(tie.amount) if tie.amount is not None else None,
                    "currency": tie.currency,
                    "sources": [sources.setdefault(s, len(sources)) for s in m.cited.get(tie.iri or "", ())] or None,
                }
            )
        )
    drawn_nodes, drawn_edges, options = _pyvis(nodes, edges, len(edges) > HIDE_ON_ZOOM_ABOVE)
    return {
        "view": "actors",
        "grouping": None,
        "nodes": drawn_nodes,
        "edges": drawn_edges,
        "options": options,
        **legends,
        "sources": [{"iri": s, "title": names.get(s), "url": _web_url(m.sources.get(s))} for s in sources],
        "counts": {"nodes": len(nodes), "edges": len(edges)},
        "arrange": arrange,
        "discs": discs,
        "per_year": _per_year(m, chosen, ties),
    }


def _groups(
    m: Model, names: dict[str, str], chosen: np.ndarray, selection: Selection, by: str, at: int | None
) -> dict[str, Any]:
    """One node per group of actors (`by` type or community), one edge per pair of groups and tie kind."""
    ties = tie_indices(m, chosen, at)
    legends = _legends(m, names, chosen, ties)
    types = m.types
    group_of = [m.group_of(by, int(i)) for i in chosen]
    sizes = Counter(group_of)
    member_types: dict[str, Counter[str]] = defaultdict(Counter)
    for i, g in zip(chosen, group_of, strict=True):
        member_types[g][types[i]] += 1
    where = dict(zip(chosen.tolist(), group_of, strict=True))
    summed: Counter[tuple[str, str, str]] = Counter()
    inside: Counter[str] = Counter()
    for t in ties:
        ga, gb = where[int(m.ends[t, 0])], where[int(m.ends[t, 1])]
        if ga == gb:
            inside[ga] += 1
        else:
            summed[(ga, gb, m.ties[t].kind)] += 1
    order = sorted(sizes, key=lambda g: (-sizes[g], g))
    number = {g: k for k, g in enumerate(order)}
    pairs = np.array([(number[a], number[b]) for a, b, _ in summed], dtype=np.int64).reshape(-1, 2)
    positions = layout(len(order), pairs, np.zeros(len(order), dtype=np.int64)) * 3
    type_labels = {t["id"]: t["label"] for t in legends["types"]}
    nodes = []
    for k, g in enumerate(order):
        label = type_labels[g] if by == "type" else _group_label(names, by, g)
        mix = [{"type": t, "count": c} for t, c in member_types[g].most_common()]
        lines = [label, f"{sizes[g]} actors, {inside[g]} ties inside"]
        if by == "community":
            lines.append(", ".join(f"{type_labels[x['type']]} {x['count']}" for x in mix[:4]))
        nodes.append(
            {
                "id": k,
                "group": f"{by}:{g}",
                "label": f"{label} ({sizes[g]})",
                "title": "\n".join(lines),
                "type": g if by == "type" else None,
                "size_actors": sizes[g],
                "ties_inside": inside[g],
                "types": mix,
                "value": sizes[g],
                "x": float(positions[k, 0]),
                "y": float(positions[k, 1]),
                "color": colour(g, TYPE_COLOURS) if by == "type" else PALETTE[k % len(PALETTE)],
                "shape": "dot",
            }
        )
    kind_labels = {x["id"]: x["label"] for x in legends["kinds"]}
    edges = []
    for e, ((ga, gb, kind), count) in enumerate(
        sorted(summed.items(), key=lambda x: (number[x[0][0]], number[x[0][1]], x[0][2]))
    ):
        edges.append(
            {
                "id": e,
                "from": number[ga],
                "to": number[gb],
                "kind": kind,
                "count": count,
                "value": count,
                "title": f"{nodes[number[ga]]['label']} → {nodes[number[gb]]['label']}\n{kind_labels[kind]}: {count}",
                "color": colour(kind, KIND_COLOURS),
                "dashes": kind in FLOW_KINDS,
            }
        )
    drawn_nodes, drawn_edges, options = _pyvis(nodes, edges, False)
    options["nodes"]["scaling"] = {"min": 10, "max": 60, "label": {"enabled": False}}
    return {
        "view": "groups",
        "grouping": by,
        "nodes": drawn_nodes,
        "edges": drawn_edges,
        "options": options,
        **legends,
        "sources": [],
        "counts": {"nodes": len(nodes), "edges": len(edges), "actors": len(chosen), "ties": len(ties)},
    }


def _group_label(names: dict[str, str], dimension: str, value: str) -> str:
    if dimension == "type":
        return names.get(str(AVC) + value, value)
    return "Other actors" if value == OTHER else f"Community {int(value) + 1}" if value.isdigit() else value


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _web_url(url: str | None) -> str | None:
    """Only http(s) URLs become links: a `javascript:` URL in the data must never be clickable."""
    return url if url and url.lower().startswith(("http://", "https://")) else None
