"""The application factory: defaults, then AVCLUSTER_* environment, then the caller's config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import blueprints, compression, render, security, store

DEFAULTS: dict[str, Any] = {
    "STORE": None,  # a kg Store, or a store location string; None means AVCLUSTER_STORE / the default folder
    "UPDATE_TOKEN": None,  # SPARQL Update over HTTP is off unless a token is set
    "QUERY_TIMEOUT": 10.0,  # seconds before a query is stopped
    "MAX_RESULT_BYTES": 50_000_000,  # cap on a protocol answer
    "MAX_HTML_ROWS": 2_000,  # rows shown in an HTML table
    "MAX_QUERY_BYTES": 100_000,  # a longer query text is refused with 413
    "MAX_GRAPH_BYTES": 50_000_000,  # a larger graph sent over the Graph Store Protocol is refused with 413
    "GRAPH_AGGREGATE_ABOVE": 3_000,  # above this many actors /graph starts from an aggregated view
    "GRAPH_VERSION_SECONDS": 2.0,  # how long /graph trusts the store's version before counting graphs again
    "BEHIND_PROXY": 0,  # proxies in front whose X-Forwarded-For/-Proto/-Host/-Prefix headers are trusted
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("AVCLUSTER")
    if config:
        app.config.update(config)

    store.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    blueprints.register(app)
    render.register(app)
    proxies = int(app.config["BEHIND_PROXY"])
    if proxies:  # only when told: otherwise any client could claim another host in the service description
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)  # type: ignore[method-assign]
    return app
