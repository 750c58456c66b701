"""The same data for people who work in notebooks: an rdflib Dataset over the store, and answers as
pandas DataFrames.

avcluster itself speaks pyoxigraph inside; rdflib is the API most Python RDF users know. So the
embedded store is handed to rdflib through oxrdflib (the same engine, no copy: rdflib's SPARQL is
answered by Oxigraph), and a SPARQL server through rdflib's own SPARQLStore. Both see the union of
the named graphs as their default graph, as avcluster's own queries do:

    >>> from avcluster.kg.notebook import dataset, frame
    >>> data = dataset(".avcluster/store")
    >>> data.query("SELECT ?a WHERE { ?a a avc:FilmCommission }")
    >>> frame(data, "SELECT ?actor ?label WHERE { ?actor rdfs:label ?label }")   # a DataFrame

pandas is not a dependency of avcluster: `pip install avcluster[notebook]` brings it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Dataset, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from .errors import AvclusterError
from .namespaces import PREFIXES, shorten
from .results import solutions, text
from .stores import Store, open_store
from .stores.oxigraph import OxigraphStore
from .stores.remote import RemoteStore

if TYPE_CHECKING:
    import pandas


def dataset(store: Store | str | None = None) -> Dataset:
    """The store as an rdflib Dataset (default graph: the union of every named graph).

    `store` is an open avcluster store, or a setting as `--store` takes it (a folder, `memory:`, an
    http(s) SPARQL endpoint); None reads AVCLUSTER_STORE. An embedded store on disk can be open in
    one process at a time: stop `avcluster serve` first, or point the notebook at the server's URL.
    """
    opened = open_store(store) if store is None or isinstance(store, str) else store
    if isinstance(opened, OxigraphStore):
        from oxrdflib import OxigraphStore as RdflibOxigraph

        data = Dataset(store=RdflibOxigraph(store=opened.shared_engine()), default_union=True)
    elif isinstance(opened, RemoteStore):
        data = Dataset(store=SPARQLStore(query_endpoint=opened.url, returnFormat="json"), default_union=True)
    else:
        raise AvclusterError(f"no rdflib view of a {type(opened).__name__}")
    for prefix, namespace in PREFIXES.items():
        data.bind(prefix, namespace, override=True)
    data._avcluster_store = opened  # type: ignore[attr-defined]  # keeps the engine open as long as the view
    return data


def frame(source: Dataset | Store, sparql: str) -> pandas.DataFrame:
    """A SELECT's answer as a DataFrame in one call: one column per variable, IRIs shortened to their
    prefixed names, literals as their text, unbound cells as None."""
    try:
        import pandas
    except ImportError as error:
        raise AvclusterError("frame() needs pandas: pip install 'avcluster[notebook]'") from error
    if isinstance(source, Store):
        names, rows = solutions(source.query(sparql))
        return pandas.DataFrame([[text(c) if c is not None else None for c in row] for row in rows], columns=names)
    result: Any = source.query(sparql, initNs=PREFIXES)
    names = [str(v) for v in result.vars or []]
    return pandas.DataFrame([[_text(value) for value in row] for row in result], columns=names)


def _text(value: object) -> str | None:
    if value is None:
        return None
    return shorten(str(value)) if isinstance(value, URIRef) else str(value)
