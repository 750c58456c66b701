"""avcluster against the engine's own limit, on synthetic clusters: `python -m bench`.

For each size (default 1,000 / 10,000 / 50,000 actors, `--sizes`, `--quick` for 1,000 only), side by
side in one run:

- load: `avcluster load` (parse, SHACL and vocabulary checks, derived shortcuts, catalog record)
  into a fresh on-disk store, against pyoxigraph's `Store.bulk_load` of the same file into a fresh
  on-disk store; each in its own forked process, whose peak memory is reported too;
- questions: every canned question through avcluster's query API (in-process, and with a timeout,
  which runs it in a forked worker) and through `/sparql` (the Flask app under waitress, real HTTP),
  against pyoxigraph answering the same query text and serializing the same SPARQL JSON; medians;
  each question's first run is stopped at `--question-cap` seconds (reported as over it);
- up to 5 million triples, the same questions on two in-memory pyoxigraph stores, one with the same
  named graphs, one with the same triples in its default graph: what the store on disk costs, and
  what the union of named graphs costs;
- at the smallest size up to 1,000 actors, the same questions on plain rdflib in-memory SPARQL,
  each capped so that none can hang the run;
- `analyze` (kg.analysis.analyze, every section) on the loaded store;
- `/graph` in Chromium, by bench/bench_graph.py where it is present.

The table goes to bench/results/latest.md (ignored by git) and to stdout, with the machine described.
"""
