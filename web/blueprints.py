"""Where every page family is registered: one blueprint each, in its own module."""

from __future__ import annotations

import importlib

from flask import Flask

BLUEPRINTS = (
    "web.views.sparql",
    "web.views.query",
    "web.views.resource",
    "web.views.ontology",
    "web.views.graph",
    "web.views.overview",
    "web.views.cluster",
    "web.views.assets",
)


def register(app: Flask) -> None:
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
