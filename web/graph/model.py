"""The network /graph draws, read and measured once per version of the store, indexed for drawing."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyoxigraph as ox

from avcluster.kg.analysis import analyze
from avcluster.kg.analysis.projection import Network, Tie, read_network
from avcluster.kg.kept import code_key, kept
from avcluster.kg.labels import DEFAULT_LANGUAGE, all_labels
from avcluster.kg.stores import Store

from ..cache import cached
from ..store import get_store

Measure = Literal["degree", "betweenness", "pagerank"]
MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "pagerank")
# Communities beyond this many (by size) share one "other" group, with the actors in no community.
SHOWN_COMMUNITIES = 60
OTHER = "other"


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

    @property
    def places(self) -> list[frozenset[str]]:
        """Each actor's regions as the cluster pages count them: where it is located, and the
        region of every cluster it is one of the actors of (Network.cluster_actors: members and
        actors located there), so `/graph?region=navarre` shows the overview's Navarre actors."""
        return cached("places", compute=self._places)

    def _places(self) -> list[frozenset[str]]:
        extra: dict[str, set[str]] = defaultdict(set)
        for cluster in self.network.clusters.values():
            for iri in self.network.cluster_actors(cluster):
                extra[iri] |= cluster.places
        return [self.network.actors[iri].regions | extra.get(iri, set()) for iri in self.iris]

    def community_group(self, i: int) -> str:
        c = int(self.measured.community[i])
        return str(c) if 0 <= c < SHOWN_COMMUNITIES else OTHER

    def group_of(self, dimension: str, i: int) -> str:
        return self.types[i] if dimension == "type" else self.community_group(i)


_SOURCE_URLS = "SELECT ?s ?url WHERE { ?s a avc:Source ; schema:url ?url }"
# Every resource's sources, the ties' picked out in Python: joined to avc:fromActor, deduplicated and
# sorted by the engine, the same took 36 s at 50,000 actors against 2.5 s, and over 16 min at a million.
_TIE_SOURCES = "SELECT ?r ?s WHERE { ?r dcterms:source ?s }"


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
    tie_iris = {t.iri for t in ties if t.iri}
    sources, cited = kept(store, ".tie-sources.json", _CODE, lambda: _read_sources(store, tie_iris))
    types = [network.actors[iri].type or "Actor" for iri in iris]
    return Model(store, network, iris, ties, ends, types, sources, cited, round(time.perf_counter() - clock, 3))


def _read_sources(store: Store, ties: set[str]) -> tuple[dict[str, str | None], dict[str, list[str]]]:
    """Every source's URL, and the sources of every tie: read once per state of an on-disk store and
    kept beside it with the network (kg.kept), as reading them at national scale takes minutes."""
    _, found = store.select_rows(_SOURCE_URLS)
    sources: dict[str, str | None] = {
        s.value: u.value for s, u in found if isinstance(s, ox.NamedNode) and isinstance(u, ox.Literal | ox.NamedNode)
    }
    cited: dict[str, set[str]] = defaultdict(set)
    for tie, source in store.select_rows(_TIE_SOURCES)[1]:
        if isinstance(tie, ox.NamedNode) and isinstance(source, ox.NamedNode) and tie.value in ties:
            cited[tie.value].add(source.value)
    return sources, {tie: sorted(found) for tie, found in cited.items()}


_CODE = code_key([__file__])


def measure(store: Store, iris: list[str]) -> Measures:
    """Degree, betweenness, PageRank and Leiden communities from avcluster.kg.analysis, in the model's order."""
    clock = time.perf_counter()
    rows = {row["iri"]: row for row in analyze(store, sections=["actors"], network=actor_network(store))["actors"]}
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
    per thousand IRIs takes tens of seconds at 20,000 actors. In the default language they are the
    network's own (its reading made them the same way and keeps them beside the store): the scan
    took 37 s of the first /graph at a million actors."""
    if lang == DEFAULT_LANGUAGE:
        return actor_network(store).labels
    return cached("labels", lang, compute=lambda: all_labels(store, lang))
