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
puts into its tooltip with innerText.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, TypeVar

import numpy as np
import pyoxigraph as ox
from flask import current_app
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pyvis.network import Network as PyvisNetwork
from scipy.spatial import cKDTree

from avcluster.kg.analysis import analyze
from avcluster.kg.analysis.periods import year_of
from avcluster.kg.analysis.projection import FLOW_KINDS, RELATIONSHIP_KINDS, SYMMETRIC_KINDS, Network, Tie, read_network
from avcluster.kg.labels import all_labels
from avcluster.kg.namespaces import AVC, ID
from avcluster.kg.stores import Store

from .store import get_store

T = TypeVar("T")

Measure = Literal["degree", "betweenness", "pagerank"]
MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "pagerank")
GROUPINGS: tuple[str, ...] = ("type", "community")
# Communities beyond this many (by size) share one "other" group, with the actors in no community.
SHOWN_COMMUNITIES = 60
OTHER = "other"
VERSION_SECONDS = 2.0  # how long a store version is trusted before the graphs are counted again
PIXELS = 40.0  # one unit of layout length on the canvas
LAYOUT_ITERATIONS = 40
LAYOUT_SEED = 7

# Colours by actor type (the ontology's classes); an unknown type takes one from PALETTE by its name.
TYPE_COLOURS: dict[str, str] = {
    "PublicAdministration": "#1f77b4",
    "PublicEnterprise": "#6baed6",
    "PublicBroadcaster": "#3182bd",
    "FilmCommission": "#d62728",
    "ClusterOrganization": "#9467bd",
    "Company": "#b5b5b5",
    "ProductionCompany": "#2ca02c",
    "PostProductionCompany": "#98df8a",
    "AnimationStudio": "#bcbd22",
    "DistributionCompany": "#8c564b",
    "Broadcaster": "#17becf",
    "ServiceProvider": "#7f7f7f",
    "EducationCentre": "#ff7f0e",
    "ResearchCentre": "#ffbb78",
    "FinancialInstitution": "#e377c2",
    "Festival": "#f7b6d2",
    "ProfessionalAssociation": "#c49c94",
    "Network": "#dbdb8d",
    "Actor": "#999999",
}
KIND_COLOURS: dict[str, str] = {
    "Funding": "#d62728",
    "Training": "#ff7f0e",
    "CoProduction": "#2ca02c",
    "ServiceSupply": "#7f7f7f",
    "Partnership": "#1f77b4",
    "PublicPrivateDialogue": "#9467bd",
    "KnowledgeTransfer": "#17becf",
    "Governance": "#8c564b",
    "Relationship": "#999999",
    "InformationFlow": "#bcbd22",
    "FinancialFlow": "#e377c2",
    "MaterialFlow": "#c49c94",
    "Flow": "#999999",
}
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
KIND_ORDER = (*RELATIONSHIP_KINDS, "Relationship", *FLOW_KINDS, "Flow")

# vis-network options: positions come from the server, so physics and vis's own layout are off.
OPTIONS: dict[str, Any] = {
    "physics": {
        "enabled": False,
        "solver": "forceAtlas2Based",
        "stabilization": {"enabled": False},
        "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 60},
    },
    "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "navigationButtons": False,
        "multiselect": False,
    },
    "nodes": {
        "shape": "dot",
        "scaling": {"min": 6, "max": 36, "label": {"enabled": False}},
        "font": {"size": 13, "color": "#1f2933"},
        "borderWidth": 1,
    },
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False, "opacity": 0.6},
        "width": 1,
        "selectionWidth": 2,
        "scaling": {"min": 1, "max": 8, "label": {"enabled": False}},
    },
}
# Above this many ties edges hide while zooming too: redrawing them every frame is what stalls.
HIDE_ON_ZOOM_ABOVE = 20_000


# ---------------------------------------------------------------- caching


class Memo:
    """Results computed from one version of the store: an LRU whose keys carry the version.

    A heavy result (a reading of 50,000 actors) is computed by one thread while others asking for
    the same key wait for it, instead of computing it again side by side.
    """

    def __init__(self, size: int = 48) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            value = compute()
            with self._lock:
                self._entries[key] = value
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
                self._pending.pop(key, None)
        return value

    def forget(self, name: str) -> None:
        """Drop every result of one kind (`view`, `layout` …): benchmarks time a rebuild with it."""
        with self._lock:
            for key in [k for k in self._entries if isinstance(k, tuple) and k and k[0] == name]:
                del self._entries[key]


# Built views are the large results (tens of MB of JSON at 20,000 actors): few of them are kept.
HEAVY = frozenset({"view"})


def memo(name: str = "") -> Memo:
    """The app's memo for results of kind `name` (one per app, so test apps never share results)."""
    key = "avcluster.memo.heavy" if name in HEAVY else "avcluster.memo"
    found: Memo = current_app.extensions.setdefault(key, Memo(6 if name in HEAVY else 48))
    return found


def store_version(store: Store | None = None) -> str:
    """A short fingerprint of the store's named graphs and their sizes, trusted for a few seconds.

    Every load replaces whole named graphs (kg.ingest), so a load shows as a changed size or a new
    graph; counting them is cheap next to what is cached under the fingerprint.
    """
    store = store or get_store()
    checked = current_app.extensions.get("avcluster.version")
    now = time.monotonic()
    trusted = float(current_app.config.get("GRAPH_VERSION_SECONDS", VERSION_SECONDS))
    if checked and checked[0] is store and now - checked[1] < trusted:
        return str(checked[2])
    listing = "\n".join(f"{g.iri} {g.triples}" for g in store.graphs())
    version = hashlib.sha256(listing.encode()).hexdigest()[:16]
    current_app.extensions["avcluster.version"] = (store, now, version)
    return version


def cached(name: str, *args: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per version of the store and arguments."""
    return memo(name).get((name, store_version(), *args), compute)


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Measures:
    """Centralities and communities of every actor (kg.analysis), aligned with Model.iris."""

    values: dict[Measure, np.ndarray]
    community: np.ndarray  # -1: in no community of two or more
    seconds: float


@dataclass
class Model:
    """The network as read once: actors in a fixed order, ties as index pairs.

    The measures are computed on first use only: the groups by actor type, where a large graph
    starts, need none, and at 50,000 actors they take a minute.
    """

    store: Store
    network: Network
    iris: list[str]
    ties: list[Tie]
    ends: np.ndarray  # (ties, 2) actor indices
    types: list[str]  # local name of each actor's most specific class
    sources: dict[str, str | None]  # source IRI -> its URL
    cited: dict[str, list[str]]  # tie IRI -> the sources it cites
    read_seconds: float

    @property
    def measured(self) -> Measures:
        return cached("measures", compute=lambda: measure(self.store, self.iris))

    @property
    def seconds(self) -> dict[str, float]:
        return {"read": self.read_seconds, "measure": self.measured.seconds}

    def community_group(self, i: int) -> str:
        c = int(self.measured.community[i])
        return str(c) if 0 <= c < SHOWN_COMMUNITIES else OTHER

    def group_of(self, dimension: str, i: int) -> str:
        return self.types[i] if dimension == "type" else self.community_group(i)


_SOURCE_URLS = "SELECT ?s ?url WHERE { ?s a avc:Source ; schema:url ?url }"
_TIE_SOURCES = "SELECT DISTINCT ?r ?s WHERE { ?r avc:fromActor ?x ; dcterms:source ?s } ORDER BY ?r ?s"


def actor_network(store: Store | None = None) -> Network:
    """The actors, ties and clusters as kg.analysis reads them, once per version of the store."""
    store = store or get_store()
    return cached("network", compute=lambda: read_network(store))


def build_model(store: Store) -> Model:
    """Read the actors and ties and index them for drawing."""
    clock = time.perf_counter()
    network = actor_network(store)
    iris = sorted(network.actors)
    index = {iri: i for i, iri in enumerate(iris)}
    ties = [t for t in network.ties if t.source in index and t.target in index]
    ends = np.array([(index[t.source], index[t.target]) for t in ties], dtype=np.int64).reshape(-1, 2)
    _, found = store.select_rows(_SOURCE_URLS)
    sources: dict[str, str | None] = {
        s.value: u.value for s, u in found if isinstance(s, ox.NamedNode) and isinstance(u, ox.Literal | ox.NamedNode)
    }
    cited: dict[str, list[str]] = defaultdict(list)
    for tie, source in store.select_rows(_TIE_SOURCES)[1]:
        if isinstance(tie, ox.NamedNode) and isinstance(source, ox.NamedNode):
            cited[tie.value].append(source.value)
    types = [network.actors[iri].type or "Actor" for iri in iris]
    return Model(store, network, iris, ties, ends, types, sources, cited, round(time.perf_counter() - clock, 3))


def measure(store: Store, iris: list[str]) -> Measures:
    """Degree, betweenness, PageRank and Louvain communities from avcluster.kg.analysis, in the model's order."""
    clock = time.perf_counter()
    rows = {row["iri"]: row for row in analyze(store, sections=["actors"])["actors"]}
    values = {
        name: np.array([float(rows[iri][name] or 0.0) if iri in rows else 0.0 for iri in iris], dtype=float)
        for name in MEASURES
    }
    community = np.array(
        [c if iri in rows and (c := rows[iri]["community"]) is not None else np.nan for iri in iris], dtype=float
    )
    return Measures(values, np.nan_to_num(community, nan=-1).astype(np.int64), round(time.perf_counter() - clock, 3))


def model(store: Store | None = None) -> Model:
    store = store or get_store()
    return cached("model", compute=lambda: build_model(store))


def labels(store: Store, lang: str) -> dict[str, str]:
    """Every resource's label in the reader's language (kg.labels), one scan kept per version: asking
    per thousand IRIs takes tens of seconds at 20,000 actors."""
    return cached("labels", lang, compute=lambda: all_labels(store, lang))


# ---------------------------------------------------------------- layout

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


# ---------------------------------------------------------------- views


Selection = tuple[tuple[str, str], ...]


def parse_selection(values: Iterable[str]) -> Selection:
    """`type:ProductionCompany`, `community:3`: the groups a reader drilled into, in order."""
    chosen: list[tuple[str, str]] = []
    for value in values:
        dimension, _, name = value.partition(":")
        if dimension in GROUPINGS and name and dimension not in dict(chosen):
            chosen.append((dimension, name))
    return tuple(chosen)


def selection_text(selection: Selection) -> list[str]:
    return [f"{d}:{v}" for d, v in selection]


def members(m: Model, selection: Selection, at: int | None) -> np.ndarray:
    """Indices of the actors in every selected group (and present in year `at`)."""
    keep = np.ones(len(m.iris), dtype=bool)
    types = m.types
    for dimension, value in selection:
        keep &= (
            np.array([m.group_of(dimension, i) == value for i in range(len(m.iris))])
            if dimension == "community"
            else np.array([t == value for t in types])
        )
    if at is not None:
        keep &= np.array([m.network.actors[iri].exists_in(at) for iri in m.iris])
    return np.flatnonzero(keep)


def tie_indices(m: Model, inside: np.ndarray, at: int | None) -> np.ndarray:
    """Ties with both ends among `inside` (and current in year `at`)."""
    mask = np.zeros(len(m.iris), dtype=bool)
    mask[inside] = True
    keep = mask[m.ends[:, 0]] & mask[m.ends[:, 1]] if len(m.ends) else np.zeros(0, dtype=bool)
    if at is not None:
        keep &= np.array([t.period.contains_year(at) for t in m.ties], dtype=bool)
    return np.flatnonzero(keep)


def colour(name: str, table: dict[str, str]) -> str:
    found = table.get(name)
    if found:
        return found
    return PALETTE[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(PALETTE)]


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
) -> View:
    """What /graph draws and /graph.json returns: actors, or groups when there are more than `limit`.

    `grouping` asks for the aggregated view whatever the size; `at` keeps what existed in that year.
    """

    def compute() -> View:
        data = _build_view(store, lang, selection, grouping, at, limit)
        text = htmlsafe_json_dumps(data, dumps=partial(json.dumps, separators=(",", ":"), ensure_ascii=False))
        return View(text, {k: v for k, v in data.items() if k not in ("nodes", "edges", "options")})

    return cached("view", lang, selection, grouping, at, limit, compute=compute)


def _build_view(
    store: Store, lang: str, selection: Selection, grouping: str | None, at: int | None, limit: int
) -> dict[str, Any]:
    clock = time.perf_counter()
    m = model(store)
    names = labels(store, lang)
    chosen = members(m, selection, at)
    used = dict(selection)
    by = grouping if grouping in GROUPINGS and grouping not in used else None
    if by is None and len(chosen) > limit:
        by = next((g for g in GROUPINGS if g not in used), None)
    data = _groups(m, names, chosen, selection, by, at) if by else _actors(m, names, chosen, selection, at)
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
    region_counts: Counter[str] = Counter(r for i in chosen for r in m.network.actors[m.iris[i]].regions)
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
            {"id": r, "label": names.get(r, r), "count": c}
            for r, c in sorted(region_counts.items(), key=lambda x: (names.get(x[0], x[0]).lower(), x[0]))
        ],
    }


def _actors(
    m: Model, names: dict[str, str], chosen: np.ndarray, selection: Selection, at: int | None
) -> dict[str, Any]:
    """One node per actor, one edge per tie, positioned by `layout` (cached per selection)."""
    ties = tie_indices(m, chosen, at)
    legends = _legends(m, names, chosen, ties)
    region_index = {r["id"]: i for i, r in enumerate(legends["regions"])}
    local = np.full(len(m.iris), -1, dtype=np.int64)
    local[chosen] = np.arange(len(chosen))
    measured = m.measured
    positions = cached(
        "layout",
        selection,
        at,
        compute=lambda: layout(
            len(chosen), local[m.ends[ties]] if len(ties) else np.zeros((0, 2), np.int64), measured.community[chosen]
        ),
    )
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


__all__ = [
    "GROUPINGS",
    "KIND_COLOURS",
    "MEASURES",
    "TYPE_COLOURS",
    "Memo",
    "Model",
    "View",
    "actor_network",
    "cached",
    "colour",
    "labels",
    "layout",
    "memo",
    "model",
    "parse_selection",
    "store_version",
    "view",
]
