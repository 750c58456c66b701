"""Loading: parse -> check -> derive -> one atomic write per load.

Every file is parsed and validated before anything is written; then all of its graphs (the
dataset, what is derived from it, and its catalog record) are written in one transaction. A load
that fails anywhere leaves the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .derive import shortcuts
from .errors import InputError
from .namespaces import DATA_DIR, ONTOLOGY_DIR, ONTOLOGY_GRAPH, PREFIXES, dataset_graph, inferred_graph
from .ontology import ONTOLOGY_FILES, ontology_triples
from .parsing import RDF_FORMATS, TEMPLATE_SUFFIXES, locate, read_triples
from .stores import Store
from .stores.terms import lexical
from .validation import Problem, shape_problems, unknown_terms

Progress = Callable[[str], None]

CATALOG = "https://w3id.org/avcluster/graph/catalog/"
_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_DCT = PREFIXES["dcterms"]
_PROV = PREFIXES["prov"]
_XSD = PREFIXES["xsd"]
_SLUG = re.compile(r"[^a-z0-9/]+")


@dataclass
class Dataset:
    """One file on its way into the store."""

    name: str
    path: Path
    triples: list[ox.Triple]
    checksum: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def graph(self) -> str:
        return dataset_graph(self.name)


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


def loadable(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in RDF_FORMATS or suffix in TEMPLATE_SUFFIXES


def read_dataset(path: Path, name: str | None = None) -> Dataset:
    raw = path.read_bytes() if path.is_file() else b""
    triples = read_triples(path)
    return Dataset(name or dataset_name(path), path, triples, hashlib.sha256(raw).hexdigest())


def check(store: Store, datasets: Sequence[Dataset], progress: Progress | None = None) -> list[Dataset]:
    """Validate the datasets together with what the store already holds; fills each one's problems."""
    new: list[ox.Triple] = [t for d in datasets for t in d.triples]
    owner = {lexical(t.subject): d for d in datasets for t in d.triples}
    if progress:
        progress(f"checking {len(new):,} triples against the ontology and the shapes")
    context = _context_types(store, new, {d.graph for d in datasets})
    problems = unknown_terms(new) + shape_problems(new + context)
    for problem in problems:
        # Resources already in the store only lend their types; they were checked when they were loaded.
        target = owner.get(problem.focus)
        if target is not None:
            target.problems.append(problem)
    return list(datasets)


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
) -> LoadReport:
    """Parse, validate and write files; raises InputError and writes nothing if any file is bad."""
    started = time.perf_counter()
    report = LoadReport()
    datasets = []
    for path in paths:
        if progress:
            progress(f"reading {path}")
        dataset = read_dataset(path, name)
        if skip_unchanged and _checksum_in_store(store, dataset) == dataset.checksum:
            report.unchanged.append(dataset.graph)
            continue
        datasets.append(dataset)
    _refuse_duplicate_names(datasets)
    if datasets:
        check(store, datasets, progress)
        for dataset in datasets:
            error = first_error(dataset)
            if error:
                raise error
            report.warnings += [f"{dataset.path}: {p.describe()}" for p in dataset.problems]
        contents: dict[str, list[ox.Triple]] = {}
        for dataset in datasets:
            contents[dataset.graph] = dataset.triples
            contents[inferred_graph(dataset.name)] = shortcuts(dataset.triples)
            contents[CATALOG + dataset.name] = _catalog_record(dataset)
        if progress:
            progress(f"writing {sum(len(t) for t in contents.values()):,} triples in one transaction")
        store.replace_graphs(contents)
        report.loaded = [(d.graph, len(d.triples)) for d in datasets]
    report.seconds = time.perf_counter() - started
    return report


def load_ontology(store: Store) -> bool:
    """Put the ontology into its graph; False when the files have not changed since the last time."""
    checksum = hashlib.sha256(b"".join((ONTOLOGY_DIR / name).read_bytes() for name in ONTOLOGY_FILES)).hexdigest()
    ontology = Dataset("ontology", ONTOLOGY_DIR, ontology_triples(), checksum)
    if _checksum_in_store(store, ontology) == checksum:
        return False
    store.replace_graphs({str(ONTOLOGY_GRAPH): ontology.triples, CATALOG + "ontology": _catalog_record(ontology)})
    return True


def bundled_files() -> list[Path]:
    """The sourced datasets that `init` loads: every RDF file under data/ except the templates."""
    return sorted(
        p for p in DATA_DIR.rglob("*") if p.is_file() and p.suffix.lower() in RDF_FORMATS and "templates" not in p.parts
    )


def _refuse_duplicate_names(datasets: list[Dataset]) -> None:
    seen: dict[str, Path] = {}
    for d in datasets:
        if d.name in seen:
            raise InputError(
                d.path, f"dataset name {d.name!r} is also used by {seen[d.name]}; give one --name per load"
            )
        seen[d.name] = d.path


def _context_types(store: Store, new: list[ox.Triple], replaced: set[str]) -> list[ox.Triple]:
    """rdf:type triples already in the store for the resources the new data points at."""
    subjects = {t.subject for t in new}
    targets = sorted(
        {t.object.value for t in new if isinstance(t.object, ox.NamedNode) and t.object not in subjects},
    )
    targets = [
        iri for iri in targets if not iri.startswith(tuple(PREFIXES[p] for p in ("avc", "xsd", "rdf", "rdfs", "owl")))
    ]
    found: list[ox.Triple] = []
    excluded = ", ".join(f"<{g}>" for g in replaced)
    for start in range(0, len(targets), 500):
        values = " ".join(f"<{iri}>" for iri in targets[start : start + 500])
        query = (
            f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s a ?t }} "
            f"FILTER(?g NOT IN ({excluded})) }}"
        )
        _, rows = store.select_rows(query)
        found.extend(
            ox.Triple(s, _RDF_TYPE, t) for s, t in rows if isinstance(s, ox.NamedNode) and isinstance(t, ox.NamedNode)
        )
    return found


def _checksum_in_store(store: Store, dataset: Dataset) -> str | None:
    _, rows = store.select_rows(
        f"SELECT ?id WHERE {{ GRAPH <{CATALOG}{dataset.name}> {{ <{dataset.graph}> dcterms:identifier ?id }} }}"
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
            ox.Literal(str(len(dataset.triples)), datatype=ox.NamedNode(_XSD + "integer")),
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
