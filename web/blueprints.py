"""Where every page family is registered: one blueprint each, in its own module."""

from __future__ import annotations

import importlib

from flask import Flask

BLUEPRINTS = (
    "avcluster.web.views.sparql",
    "avcluster.web.views.query",
    "avcluster.web.views.resource",
    "avcluster.web.views.search",
    "avcluster.web.views.ontology",
    "avcluster.web.views.graph",
    "avcluster.web.views.overview",
    "avcluster.web.views.cluster",
    "avcluster.web.views.compare",
    "avcluster.web.views.assets",
)


def register(app: Flask) -> None:
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
