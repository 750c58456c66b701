"""The store for the app's lifetime: opened once, shared by every request (the engine is thread-safe)."""

from __future__ import annotations

from flask import Flask, current_app

from avcluster.kg.stores import Store, open_store


def init_app(app: Flask) -> None:
    configured = app.config.get("STORE")
    app.extensions["avcluster.store"] = configured if isinstance(configured, Store) else open_store(configured)


def get_store() -> Store:
    store: Store = current_app.extensions["avcluster.store"]
    return store
