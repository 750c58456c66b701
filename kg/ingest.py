"""Loading: parse -> check -> derive -> one atomic write per load.

Every file is parsed and validated before anything is written; then all of its graphs (the
dataset, what is derived from it, and its catalog record) are written in one transaction. A load
that fails anywhere leaves the store exactly as it was.

The triples stay inside the engine on the way: files are parsed into a scratch store (in memory; on
disk for a load of hundreds of megabytes), checked there with SPARQL, and handed to the store as a
whole (Store.write_graphs), so that a file of millions of triples never becomes millions of Python
objects. On disk a large load goes through the engine's bulk loader into a copy of the store that
takes the store's place in one step (kg.stores.staging): all or nothing at every size. A large
N-Triples or Turtle file starts loading into that copy before it is even parsed for the checks
(Store.stage), so the bulk load runs beside them; a refused file only throws the copy away.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .derive import derive_into
from .errors import InputError
from .namespaces import DATA_DIR, ID, ONTOLOGY_DIR, ONTOLOGY_GRAPH, PREFIXES, dataset_graph, inferred_graph
from .ontology import ONTOLOGY_FILES, ontology_triples
from .parsing import MAX_IRI, RDF_FORMATS, locate, read_triples
from .source_files import SourceFile
from .stores import Store
from .stores.staging import StagedFile, Staging
from .terms import lexical
from .text_files import MAX_LITERAL
from .validation import Problem, add_context, named_terms, remove_context, store_problems, unknown_terms_in

Progress = Callable[[str], None]
# From this size on, N-Triples and Turtle are parsed by the engine into the scratch store directly.
ENGINE_PARSE_BYTES = 8 * 1024 * 1024
# The longest token (a comment too) pyoxigraph's transactional parser takes; its bulk loader has no cap.
ENGINE_TOKEN_BYTES = 16 * 1024 * 1024
# From this size of a load on (about 100,000 actors of synthetic data), its scratch store is on disk.
SCRATCH_ON_DISK_BYTES = 512 * 1024 * 1024

CATALOG = "https://w3id.org/avcluster/graph/catalog/"
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_DCT = PREFIXES["dcterms"]
_PROV = PREFIXES["prov"]
_XSD = PREFIXES["xsd"]
_SLUG = re.compile(r"[^a-z0-9/]+")


@dataclass
class Dataset:
    """One file on its way into the store.

    Its triples stay inside the engine, in the named graph `graph` of a scratch store (several
    datasets of one load share one): a file of millions of triples is never a list of Python objects.
    """

    name: str
    path: Path
    scratch: ox.Store
    checksum: str
    size: int
    problems: list[Problem] = field(default_factory=list)
    iri: str | None = None  # the graph, when a client names it rather than the file

    @property
    def graph(self) -> str:
        return self.iri or dataset_graph(self.name)

    @property
    def node(self) -> ox.NamedNode:
        return ox.NamedNode(self.graph)

    @property
    def triples(self) -> list[ox.Triple]:
        """Every triple of the file, as Python objects (built when asked for)."""
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.scratch.quads_for_pattern(None, None, None, self.node)
        ]


@dataclass
class LoadReport:
    loaded: list[tuple[str, int]] = field(default_factory=list)  # (graph, triples)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def dataset_name(path: Path) -> str:
    """`navarre/actors` for a bundled file, the file's own stem for anything else."""
    resolved = path.resolve()
    try:
        stem = resolved.relative_to(DATA_DIR).with_suffix("").as_posix()
    except ValueError:
        stem = resolved.stem
    return _SLUG.sub("-", stem.lower()).strip("-") or "dataset"


def read_dataset(
    path: Path, name: str | None = None, scratch: ox.Store | None = None, graph: str | None = None
) -> Dataset:
    """Parse a file into its graph of a scratch store (a new one unless given), refusing bad input.
    The graph is the dataset's own (`graph/<name>`) unless `graph` names another."""
    return _parse(SourceFile.read(path), name or dataset_name(path), scratch or ox.Store(), graph)


def _parse(source: SourceFile, name: str, scratch: ox.Store, iri: str | None = None) -> Dataset:
    path = source.path
    graph = ox.NamedNode(iri or dataset_graph(name))
    fmt = _engine_format(source)
    if fmt is not None:
        # A large file in a bulk format: the engine parses it straight into the graph, with no Python
        # object per triple. Wherever the engine refuses it (bytes that are not UTF-8 too), or it holds
        # nothing, or a literal or an IRI too long, read_triples (the careful parser) names file, line and cause.
        try:
            # the bulk loader: no transaction to hold in memory, and a scratch store has no reader
            scratch.bulk_load(path=str(path), format=fmt, base_iri=str(ID), to_graph=graph)
        except (SyntaxError, MemoryError) as error:  # MemoryError: pyoxigraph's 16 MiB cap on one token
            read_triples(path)
            raise InputError(path, f"syntax error: {error}") from error
        size = _size(scratch, graph)
        if size == 0 or _maybe_too_long(scratch, graph, fmt, source):
            read_triples(path)
    else:
        triples = read_triples(path)
        scratch.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        size = _size(scratch, graph)
    source.unchanged()
    return Dataset(name, path, scratch, source.checksum, size, iri=iri)


@contextmanager
def _scratch(size: int) -> Iterator[ox.Store]:
    """The scratch store of a load of `size` bytes: in memory, or from SCRATCH_ON_DISK_BYTES on, on
    disk. In memory the engine keeps every index of every quad: a load of a million actors (30 million
    triples) was killed at 18.8 GB with it there, and peaked at 11 GB with it on disk (the file's own
    bytes included), at the price of slower checks."""
    if size < SCRATCH_ON_DISK_BYTES:
        yield ox.Store()
        return
    with tempfile.TemporaryDirectory(prefix="avcluster-load-") as folder:
        yield ox.Store(folder)


def _engine_format(source: SourceFile) -> ox.RdfFormat | None:
    """The format the engine parses a file in itself: a large file in a bulk format (else None)."""
    fmt = RDF_FORMATS.get(source.path.suffix.lower())
    return fmt if source.size >= ENGINE_PARSE_BYTES and fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE) else None


def check(store: Store, datasets: Sequence[Dataset], progress: Progress | None = None) -> list[Dataset]:
    """Validate the datasets together with what the store already holds; fills each one's problems.

    Everything runs inside the engine: the vocabulary check and the shapes (compiled to SPARQL) over
    one scratch store holding the new data, the ontology, and the types of the resources in the store
    that the data points at.
    """
    scratch = _together(datasets)
    graphs = [d.node for d in datasets]
    if progress:
        progress(f"checking {sum(d.size for d in datasets):,} triples against the ontology and the shapes")
    predicates, objects = named_terms(scratch, graphs)
    problems = unknown_terms_in(scratch, graphs, [*predicates, *objects])
    lent = _context_types(store, _pointed_at(scratch, graphs, objects), {d.graph for d in datasets})
    add_context(scratch, lent)
    try:
        problems += store_problems(scratch, progress, triples=sum(d.size for d in datasets))
    finally:
        remove_context(scratch)
    # Resources already in the store only lend their types; they were checked when they were loaded.
    described = {t.subject for t in lent}
    for problem in problems:
        owner = _owner(scratch, datasets, problem.node, described)
        if owner is not None:
            owner.problems.append(problem)
    return list(datasets)


def _together(datasets: Sequence[Dataset]) -> ox.Store:
    """The one scratch store holding every dataset's graph (a copy only when they were read apart)."""
    stores = {id(d.scratch): d.scratch for d in datasets}
    if len(stores) <= 1:
        return datasets[0].scratch if datasets else ox.Store()
    together = ox.Store()
    for d in datasets:
        together.extend(d.scratch.quads_for_pattern(None, None, None, d.node))
    return together


def _owner(
    scratch: ox.Store, datasets: Sequence[Dataset], node: object, described: Container[object]
) -> Dataset | None:
    """The dataset a problem belongs to: the one that describes its focus, else one that names it."""
    if not isinstance(node, ox.NamedNode | ox.BlankNode | ox.Literal):
        return None
    if not isinstance(node, ox.Literal):
        for d in datasets:
            if next(scratch.quads_for_pattern(node, None, None, d.node), None) is not None:
                return d
    if node in described:
        return None
    for d in datasets:
        if next(scratch.quads_for_pattern(None, None, node, d.node), None) is not None:
            return d
    return None


def first_error(dataset: Dataset) -> InputError | None:
    """The first violation of a dataset as a one-line error naming file, line and cause."""
    violations = [p for p in dataset.problems if p.severity == "Violation"]
    if not violations:
        return None
    problem = violations[0]
    more = f" (and {len(violations) - 1} more; `avcluster validate` lists all)" if len(violations) > 1 else ""
    return InputError(dataset.path, problem.describe() + more, line=_line(dataset, problem))


def locate_problem(dataset: Dataset, problem: Problem) -> str:
    """`file:line` for a problem, as far as the file's text shows where its resource is."""
    line = _line(dataset, problem)
    return f"{dataset.path}:{line}" if line else str(dataset.path)


def _line(dataset: Dataset, problem: Problem) -> int | None:
    text = dataset.path.read_text(encoding="utf-8", errors="replace") if dataset.path.is_file() else ""
    return locate(text, problem.focus)


def load(
    store: Store,
    paths: Iterable[Path],
    *,
    name: str | None = None,
    skip_unchanged: bool = False,
    progress: Progress | None = None,
    alone: bool = False,
) -> LoadReport:
    """Parse, validate and write files; raises InputError and writes nothing if any file is bad.

    `alone`: nothing else in this process uses the store meanwhile (a command's load; not a web app
    serving it from other threads). Only then may a large load go by a copy of the store that takes its
    place (Store.stage): the switch closes and reopens the engine under any other user."""
    started = time.perf_counter()
    report = LoadReport()
    chosen: list[tuple[SourceFile, str]] = []
    seen: dict[str, Path] = {}
    for path in paths:
        named = name or dataset_name(path)
        _refuse_duplicate_name(named, path, seen)
        source = SourceFile.read(path)
        if skip_unchanged and _checksum_in_store(store, named) == source.checksum:
            report.unchanged.append(dataset_graph(named))
            continue
        chosen.append((source, named))
    staging = _stage(store, chosen, progress) if chosen and alone else None
    # every file of the load, each in its graph, then what is derived from them
    with _scratch(sum(source.size for source, _ in chosen)) as scratch:
        try:
            datasets = []
            for source, named in chosen:
                if progress:
                    progress(f"reading {source.path}")
                datasets.append(_parse(source, named, scratch))
            if datasets:
                _write(store, scratch, datasets, report, staging, progress)
        finally:
            if staging is not None:
                staging.discard()
    report.seconds = time.perf_counter() - started
    return report


def _stage(store: Store, chosen: Sequence[tuple[SourceFile, str]], progress: Progress | None) -> Staging | None:
    """A copy of the store for the load to go into (on stores that can; see Store.stage), the large
    files the engine parses itself already bulk-loading into it, beside the parse and the checks. With
    no such file, the store decides at the write whether the load is large enough to go by the copy."""
    files = [
        StagedFile(dataset_graph(named), source, fmt, str(ID))
        for source, named in chosen
        if (fmt := _engine_format(source)) is not None
    ]
    replaced = [g for _, named in chosen for g in (dataset_graph(named), inferred_graph(named), CATALOG + named)]
    staging = store.stage(files, replaced)
    if staging is not None and files and progress:
        progress(f"bulk loading {len(files)} file(s) into a copy of the store, beside the checks")
    return staging


def _write(
    store: Store,
    scratch: ox.Store,
    datasets: Sequence[Dataset],
    report: LoadReport,
    staging: Staging | None,
    progress: Progress | None,
) -> None:
    """Check the parsed datasets, refuse the load at the first violation, derive, and write it all."""
    check(store, datasets, progress)
    for dataset in datasets:
        error = first_error(dataset)
        if error:
            raise error
        report.warnings += [f"{dataset.path}: {p.describe()}" for p in dataset.problems]
    written = sum(d.size for d in datasets)
    for dataset in datasets:
        derived = ox.NamedNode(inferred_graph(dataset.name))
        derive_into(scratch, dataset.node, derived)
        written += _size(scratch, derived)
    if progress:
        progress(f"writing {written:,} triples")
    store.write_graphs(scratch, {CATALOG + d.name: _catalog_record(d) for d in datasets}, staging)
    report.loaded = [(d.graph, d.size) for d in datasets]


def load_ontology(store: Store) -> bool:
    """Put the ontology into its graph; False when the files have not changed since the last time."""
    checksum = hashlib.sha256(b"".join((ONTOLOGY_DIR / name).read_bytes() for name in ONTOLOGY_FILES)).hexdigest()
    if _checksum_in_store(store, "ontology") == checksum:
        return False
    triples = ontology_triples()
    ontology = Dataset("ontology", ONTOLOGY_DIR, ox.Store(), checksum, len(triples))
    store.replace_graphs({str(ONTOLOGY_GRAPH): triples, CATALOG + "ontology": _catalog_record(ontology)})
    return True


def bundled_files() -> list[Path]:
    """The sourced datasets that `init` loads: every RDF file under data/ except the templates."""
    return sorted(
        p for p in DATA_DIR.rglob("*") if p.is_file() and p.suffix.lower() in RDF_FORMATS and "templates" not in p.parts
    )


def _refuse_duplicate_name(name: str, path: Path, seen: dict[str, Path]) -> None:
    if name in seen:
        raise InputError(path, f"dataset name {name!r} is also used by {seen[name]}; give one --name per load")
    seen[name] = path


def _pointed_at(scratch: ox.Store, graphs: Sequence[ox.NamedNode], objects: Iterable[ox.NamedNode]) -> list[str]:
    """IRIs the new data points at without describing them (vocabulary aside): they may be in the store."""
    vocabulary = tuple(PREFIXES[p] for p in ("avc", "xsd", "rdf", "rdfs", "owl"))
    return sorted(
        o.value
        for o in objects
        if not o.value.startswith(vocabulary)
        and not any(next(scratch.quads_for_pattern(o, None, None, g), None) is not None for g in graphs)
    )


def _context_types(store: Store, targets: list[str], replaced: set[str]) -> list[ox.Triple]:
    """rdf:type triples already in the store (outside the graphs being replaced) for the given IRIs.

    Asked 200 IRIs at a time, and the graphs left out in Python: a SPARQL server compiles a query
    into code of its own, and Virtuoso refuses one whose code grows past 10,000 lines.
    """
    found: set[ox.Triple] = set()
    for start in range(0, len(targets), 200):
        values = " ".join(f"<{iri}>" for iri in targets[start : start + 200])
        _, rows = store.select_rows(
            f"SELECT DISTINCT ?s ?t ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s a ?t }} }}"
        )
        found.update(
            ox.Triple(s, _RDF_TYPE, t)
            for s, t, g in rows
            if isinstance(s, ox.NamedNode) and isinstance(t, ox.NamedNode) and g is not None and g.value not in replaced  # type: ignore[union-attr]
        )
    return sorted(found, key=str)


def _size(scratch: ox.Store, graph: ox.NamedNode) -> int:
    """Triples in one graph of a scratch store, counted by the engine."""
    solutions = scratch.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(lexical(next(iter(solutions))[0]))


def _maybe_too_long(scratch: ox.Store, graph: ox.NamedNode, fmt: ox.RdfFormat, source: SourceFile) -> bool:
    """Whether a literal may be over MAX_LITERAL, an IRI over MAX_IRI, or a line longer than the
    engine's own parser takes. N-Triples has one triple a line, so line lengths tell; a false alarm
    only costs the careful parse."""
    if fmt == ox.RdfFormat.N_TRIPLES:
        return source.longest_line > min(MAX_IRI, MAX_LITERAL)
    if source.longest_line > ENGINE_TOKEN_BYTES:
        return True  # the bulk loader takes it; the transactional parser, and so the careful one, does not
    too_long = (
        f"GRAPH {graph} {{ ?s ?p ?o FILTER((isLiteral(?o) && STRLEN(STR(?o)) > {MAX_LITERAL}) || "
        f"(!isLiteral(?o) && STRLEN(STR(?o)) > {MAX_IRI}) || STRLEN(STR(?s)) > {MAX_IRI} || STRLEN(STR(?p)) > {MAX_IRI}) }}"
    )
    return bool(scratch.query(f"ASK {{ {too_long} }}"))


def _checksum_in_store(store: Store, name: str) -> str | None:
    _, rows = store.select_rows(
        f"SELECT ?id WHERE {{ GRAPH <{CATALOG}{name}> {{ <{dataset_graph(name)}> dcterms:identifier ?id }} }}"
    )
    return lexical(rows[0][0]).removeprefix("sha256:") if rows and rows[0][0] is not None else None


def _catalog_record(dataset: Dataset) -> list[ox.Triple]:
    graph = ox.NamedNode(dataset.graph)
    source = dataset.path.resolve()
    try:
        shown = source.relative_to(DATA_DIR.parent).as_posix()
    except ValueError:
        shown = source.name
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return [
        ox.Triple(graph, _RDF_TYPE, ox.NamedNode(_PROV + "Entity")),
        ox.Triple(graph, ox.NamedNode(_DCT + "title"), ox.Literal(dataset.name)),
        ox.Triple(graph, ox.NamedNode(_DCT + "identifier"), ox.Literal("sha256:" + dataset.checksum)),
        ox.Triple(graph, ox.NamedNode(_PROV + "wasDerivedFrom"), ox.Literal(shown)),
        ox.Triple(
            graph,
            ox.NamedNode(_DCT + "extent"),
            ox.Literal(str(dataset.size), datatype=ox.NamedNode(_XSD + "integer")),
        ),
        ox.Triple(
            graph, ox.NamedNode(_PROV + "generatedAtTime"), ox.Literal(now, datatype=ox.NamedNode(_XSD + "dateTime"))
        ),
    ]


__all__ = [
    "Dataset",
    "LoadReport",
    "bundled_files",
    "check",
    "dataset_name",
    "first_error",
    "load",
    "load_ontology",
    "locate_problem",
    "read_dataset",
]
