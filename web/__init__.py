"""The avcluster web app: viewer, query UI, resource pages, cluster views and a SPARQL 1.1 endpoint.

`web` uses `kg`'s public functions only; `kg` never imports `web`.
"""

from .app import create_app

__all__ = ["create_app"]
