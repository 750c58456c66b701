"""Store backends, chosen by one setting: a folder path, `memory:`, or an http(s) SPARQL endpoint URL."""

from __future__ import annotations

import os
from pathlib import Path

from .base import GRAPH_FORMATS, RESULT_FORMATS, Answer, GraphInfo, QueryDataset, Store

DEFAULT_LOCATION = "./.avcluster/store"


def open_store(spec: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store a user named; None means AVCLUSTER_STORE or the default folder. `read_only`
    opens a store on disk that another process holds (StoreLocked otherwise)."""
    spec = spec or os.environ.get("AVCLUSTER_STORE") or DEFAULT_LOCATION
    if spec == "memory:":
        from .oxigraph import OxigraphStore

        return OxigraphStore()
    if spec.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(spec)
    from .oxigraph import OxigraphStore

    return OxigraphStore(Path(spec), read_only=read_only)


__all__ = [
    "DEFAULT_LOCATION",
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Answer",
    "GraphInfo",
    "QueryDataset",
    "Store",
    "open_store",
]
