"""Stores and apps for the web tests: the ontology plus hand-written fixtures, written straight into
named graphs (the loader's checks are tested elsewhere; these tests are about what pages show)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import dataset_graph
from avcluster.kg.stores import Store, open_store

WEB_FIXTURES = Path(__file__).parent / "fixtures" / "web"


def fill(store: Store, *names: str) -> Store:
    """The ontology and the named fixture files (`cluster`, `hostile`), each in its own graph."""
    load_ontology(store)
    store.replace_graphs(
        {
            dataset_graph(f"web-{name}"): [
                ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(WEB_FIXTURES / f"{name}.ttl"))
            ]
            for name in names
        }
    )
    return store


def make_app(store: Store, **config: Any) -> Flask:
    from avcluster.web import create_app

    return create_app({"STORE": store, "TESTING": True, **config})


def web_fixtures(*names: str) -> tuple[Callable[..., Iterator[Store]], Callable[..., FlaskClient]]:
    """Module-wide fixtures `filled` (an in-memory store holding the named fixture files) and
    `client` (the app over it, default settings): `filled, client = web_fixtures("cluster")`."""

    @pytest.fixture(scope="module")
    def filled() -> Iterator[Store]:
        store = fill(open_store("memory:"), *names)
        yield store
        store.close()

    @pytest.fixture(scope="module")
    def client(filled: Store) -> FlaskClient:
        return make_app(filled).test_client()

    return filled, client
