"""Results computed from one version of the store, kept per app: the reading, the measures, the
layout and the built views of /graph, and the analyses the cluster pages show."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from avcluster.kg.stores import Store

from .store import get_store

T = TypeVar("T")

VERSION_SECONDS = 2.0  # how long a store version is trusted before the graphs are counted again


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
    """A short fingerprint of the store's contents, trusted for a few seconds.

    The store's own fingerprint where it has one (Store.contents_key: an on-disk store's files,
    which every write changes; a few milliseconds whatever the size). Elsewhere the named graphs and
    their sizes: every load replaces whole named graphs (kg.ingest), so a load shows as a changed
    size or a new graph. Counting is cheap in memory and on a server that keeps counts, but on disk
    it reads every quad: over a minute for each page at a million actors.
    """
    store = store or get_store()
    checked = current_app.extensions.get("avcluster.version")
    now = time.monotonic()
    trusted = float(current_app.config.get("GRAPH_VERSION_SECONDS", VERSION_SECONDS))
    if checked and checked[0] is store and now - checked[1] < trusted:
        return str(checked[2])
    listing = store.contents_key() or "\n".join(f"{g.iri} {g.triples}" for g in store.graphs())
    version = hashlib.sha256(listing.encode()).hexdigest()[:16]
    current_app.extensions["avcluster.version"] = (store, now, version)
    return version


def forget_version() -> None:
    """After a write through the app: the next page counts again rather than trust the version for its
    remaining seconds, so a client that writes and then reads sees its write."""
    current_app.extensions.pop("avcluster.version", None)


def cached(name: str, *args: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per version of the store and arguments."""
    return memo(name).get((name, store_version(), *args), compute)
