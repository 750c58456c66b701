"""The `avcluster` command line. Domain errors become one-line messages here only."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import AvclusterError, QueryError, StoreLocked
from .stores import DEFAULT_LOCATION, Store, open_store

F = TypeVar("F", bound=Callable[..., Any])
QUERY_FORMATS = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
}


class Context:
    """What every command shares: the store setting, opened on first use."""

    def __init__(self, spec: str | None) -> None:
        self.spec = spec
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The store, to write: an embedded store another process holds is refused in one line."""
        if self._store is None:
            self._store = open_store(self.spec)
        return self._store

    @property
    def reader(self) -> Store:
        """The store, to read: an embedded store a server holds is read as it was when opened."""
        if self._store is None:
            try:
                self._store = open_store(self.spec)
            except StoreLocked as locked:
                self._store = open_store(self.spec, read_only=True)
                click.echo(f"note: {locked}; reading the store as it is now, read-only", err=True)
        return self._store

    def close(self) -> None:
        """An embedded store locks its folder: release it when the command ends."""
        if self._store is not None:
            self._store.close()
            self._store = None


def one_line_errors(command: F) -> F:
    """Show an AvclusterError as `error: <file:line: cause>` and exit 1, with no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AvclusterError as error:
            click.echo("error: " + " ".join(str(error).split()), err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def progress(message: str) -> None:
    click.echo(f"… {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="AVCLUSTER_STORE",
    default=None,
    metavar="LOCATION",
    help=f"A folder (embedded Oxigraph, default {DEFAULT_LOCATION}), 'memory:', or an http(s) SPARQL endpoint URL. "
    "Also AVCLUSTER_STORE.",
)
@click.version_option(package_name="avcluster")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """avcluster: a knowledge graph of regional audiovisual clusters.

    Load sourced data, ask the canned analyst questions, analyse the network, and serve the
    viewer and a SPARQL endpoint.
    """
    ctx.obj = Context(store)
    ctx.call_on_close(ctx.obj.close)


pass_context = click.make_pass_decorator(Context)


@cli.command()
@click.option("--no-data", is_flag=True, help="Load the ontology only, not the bundled datasets.")
@pass_context
@one_line_errors
def init(ctx: Context, no_data: bool) -> None:
    """Create the store and load the ontology and the bundled datasets (idempotent)."""
    from .setup import initialise

    report = initialise(ctx.store, with_data=not no_data, progress=progress)
    click.echo(report.summary())


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--name", help="Dataset name (named graph) for a single file; default: the file's stem.")
@pass_context
@one_line_errors
def load(ctx: Context, files: tuple[Path, ...], name: str | None) -> None:
    """Parse, validate and write FILES atomically: nothing is written if any file fails."""
    from .ingest import load as load_files

    if name and len(files) > 1:
        raise click.UsageError("--name takes a single file")
    # the command has the store to itself: a large load may go by a copy switched in whole
    report = load_files(ctx.store, files, name=name, progress=progress, alone=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for graph, count in report.loaded:
        click.echo(f"loaded {count:,} triples into <{graph}>")
    click.echo(f"done in {report.seconds:.2f} s")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_context
@one_line_errors
def validate(ctx: Context, files: tuple[Path, ...]) -> None:
    """Check FILES as `load` would, writing nothing; print every problem in words."""
    from .ingest import check, locate_problem, read_dataset

    datasets = [read_dataset(path) for path in files]
    check(ctx.reader, datasets, progress)
    problems = 0
    for dataset in datasets:
        for problem in dataset.problems:
            problems += problem.severity == "Violation"
            click.echo(f"{locate_problem(dataset, problem)}: {problem.severity.lower()}: {problem.describe()}")
    click.echo(f"{len(datasets)} file(s), {sum(d.size for d in datasets):,} triples, {problems} violation(s)")
    if problems:
        sys.exit(1)


@cli.command()
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from a .rq file.",
)
@click.option("--format", "fmt", type=click.Choice(["table", *QUERY_FORMATS]), default="table", show_default=True)
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds before the query is stopped.")
@pass_context
@one_line_errors
def query(ctx: Context, sparql: str | None, file: Path | None, fmt: str, timeout: float) -> None:
    """Run a SPARQL query (text, or -f FILE.rq) over the union of all graphs."""
    if (sparql is None) == (file is None):
        raise click.UsageError("give a query or -f FILE, not both")
    text = file.read_text(encoding="utf-8") if file else str(sparql)
    from .sparql import forbidden

    refusal = forbidden(text)  # the engine would fetch from any URL a SERVICE or LOAD names
    if refusal:
        raise QueryError(refusal)
    _check_format(text, fmt)
    answer = ctx.reader.query(text, timeout=timeout, accept=QUERY_FORMATS.get(fmt))
    _print_answer(answer, fmt)


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="K=V", help="A parameter value, e.g. region=id:navarre.")
@click.option("--format", "fmt", type=click.Choice(["table", *QUERY_FORMATS]), default="table", show_default=True)
@click.option("--timeout", type=float, default=10.0, show_default=True)
@pass_context
@one_line_errors
def questions(ctx: Context, name: str | None, params: tuple[str, ...], fmt: str, timeout: float) -> None:
    """List the canned analyst questions, or run the one called NAME."""
    from .questions import question
    from .questions import questions as all_questions

    if name is None:
        for q in all_questions().values():
            args = " ".join(f"[{p.name}={p.default or '…'}]" for p in q.parameters)
            click.echo(f"{q.name:28} {q.title}" + (f"  {args}" if args else ""))
        return
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--param {item!r}: write name=value")
        values[key.strip()] = value
    asked = question(name)
    _check_format(asked.sparql, fmt)
    answer = asked.run(ctx.reader, values, timeout=timeout, accept=QUERY_FORMATS.get(fmt))
    _print_answer(answer, fmt)


def _check_format(text: str, fmt: str) -> None:
    """Refuse, before running, a format the answer cannot be written in (a SELECT as Turtle)."""
    from .sparql import operation

    form = operation(text)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if fmt != "table" and form is not None and graph != (fmt == "turtle"):
        wanted = "turtle" if graph else "json, csv or tsv"
        raise QueryError(f"--format {fmt} does not fit a {form} query: use {wanted}, or table")


def _print_answer(answer: Any, fmt: str) -> None:
    from .results import render_table, solutions

    if fmt == "table":
        names, rows = solutions(answer)
        click.echo(render_table(names, rows))
    else:
        sys.stdout.buffer.write(answer.body)
        if not answer.body.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")


@cli.command()
@click.option("--at", type=int, help="The network as it stood in this year.")
@click.option("--region", help="Only the actors of this region (id:navarre, a slug, or its name).")
@click.option("--section", "sections", multiple=True, help="Only these parts (actors, brokers, competencies, ...).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_context
@one_line_errors
def analyze(ctx: Context, at: int | None, region: str | None, sections: tuple[str, ...], fmt: str) -> None:
    """Network analysis: brokers, communities, ties, competency overlaps and gaps, flows, life cycle, regions."""
    from .analysis import SECTIONS, render_table
    from .analysis import analyze as run_analysis

    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise click.UsageError(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    result = run_analysis(ctx.reader, at=at, sections=sections or None, region=region)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if fmt == "json" else render_table(result))


@cli.command()
@click.option("--model", required=True, help="The region to learn from (a slug such as navarre, its IRI or its name).")
@click.option("--target", required=True, help="The region to compare with it.")
@click.option("--at", type=int, help="Both regions as they stood in this year.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_context
@one_line_errors
def compare(ctx: Context, model: str, target: str, at: int | None, fmt: str) -> None:
    """A target region beside a model: factors, missing kinds of actor, competency gaps and who leads them elsewhere, instruments, network, path."""
    from .analysis.compare import compare as run_comparison
    from .analysis.compare_text import render_comparison

    result = run_comparison(ctx.reader, model, target, at=at)
    click.echo(json.dumps(result, indent=2, ensure_ascii=False) if fmt == "json" else render_comparison(result))


@cli.command()
@click.option("--region", required=True, help="The region the brief is for (a slug, its IRI or its name).")
@click.option("--model", default="navarre", show_default=True, help="The region to learn from.")
@click.option("--at", type=int, help="Both regions as they stood in this year.")
@click.option(
    "--lang",
    type=click.Choice(["en", "es", "ru"]),
    default="en",
    show_default=True,
    help="The brief's language (its own words, and each resource's label in it where the data has one).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@pass_context
@one_line_errors
def report(ctx: Context, region: str, model: str, at: int | None, lang: str, output: Path | None) -> None:
    """A self-contained HTML policy brief: the region beside the model, recommendations, actors, ties, sources."""
    from avcluster.web import create_app
    from avcluster.web.report import policy_brief

    store = ctx.reader
    app = create_app({"STORE": store})
    with app.test_request_context("/", query_string={"lang": lang}):  # the brief's words follow ?lang=
        html = policy_brief(store, region, model, at=at, lang=lang)
    if output is None:
        click.echo(html)
    else:
        output.write_text(html, encoding="utf-8")
        progress(f"report: {output} ({len(html):,} characters)")


@cli.command()
@pass_context
@one_line_errors
def reason(ctx: Context) -> None:
    """OWL reasoning (HermiT, or OWL RL without Java): inconsistencies in words, inferences to their own graph."""
    from .setup import run_reasoner

    outcome = run_reasoner(ctx.store)
    if outcome.notice:
        click.echo(outcome.notice, err=True)
    for problem in outcome.inconsistencies:
        click.echo(f"inconsistent: {problem}")
    click.echo(f"{outcome.engine}: {len(outcome.inferred)} inferred triples in {outcome.seconds:.1f} s")
    if outcome.inconsistencies:
        sys.exit(1)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "jsonld", "nt", "nquads", "graphml", "gexf", "csv"]),
    default="turtle",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout."
)
@pass_context
@one_line_errors
def export(ctx: Context, fmt: str, output: Path | None) -> None:
    """Export the graph (RDF), or the actor network for Gephi/yEd (GraphML, GEXF) or spreadsheets (CSV)."""
    from .export import export_to
    from .written import written_whole

    if output is None:
        export_to(ctx.reader, fmt, sys.stdout.buffer)
        return
    try:
        with written_whole(output) as file:  # a failed export leaves no half file
            export_to(ctx.reader, fmt, file)
    except OSError as error:
        raise AvclusterError(f"{output}: cannot write there ({error.strerror})") from error


@cli.command()
@click.option("--actors", type=click.IntRange(min=1), required=True, help="How many actors.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write N-Triples here instead of stdout."
)
@one_line_errors
def synth(actors: int, seed: int, output: Path | None) -> None:
    """A deterministic synthetic cluster as N-Triples (load it with `load --name synthetic`)."""
    from .synth import write

    if output:
        with output.open("w", encoding="utf-8") as out:
            count = write(actors, seed, out)
        click.echo(f"wrote {count:,} triples to {output}", err=True)
    else:
        write(actors, seed, sys.stdout)


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind; 127.0.0.1 keeps it on this machine."
)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--update-token",
    envvar="AVCLUSTER_UPDATE_TOKEN",
    default=None,
    help="Allow SPARQL Update with this bearer token (also AVCLUSTER_UPDATE_TOKEN).",
)
@click.option("--query-timeout", type=float, default=10.0, show_default=True, help="Seconds before a query is stopped.")
@click.option("--threads", type=int, default=8, show_default=True)
@click.option(
    "--behind-proxy",
    type=int,
    default=0,
    show_default=True,
    help="Trust X-Forwarded-For/-Proto/-Host/-Prefix from this many reverse proxies in front.",
)
@click.option(
    "--in-memory",
    is_flag=True,
    help="Answer from a read-only copy of the embedded store in memory (several times faster; up to 10 million "
    "quads): the store stays free for loads, which the server shows after a restart.",
)
@pass_context
@one_line_errors
def serve(
    ctx: Context,
    host: str,
    port: int,
    update_token: str | None,
    query_timeout: float,
    threads: int,
    behind_proxy: int,
    in_memory: bool,
) -> None:
    """Serve the viewer and the SPARQL endpoint with a production WSGI server (waitress)."""
    from .setup import initialise
    from .stores.oxigraph import OxigraphStore, in_memory_copy, serving_file

    if in_memory and update_token:
        raise click.UsageError("--in-memory serves a read-only copy: it takes no --update-token")
    store = ctx.reader if in_memory else ctx.store  # a copy may be taken of a store another process holds
    if store.is_empty():
        click.echo("empty store: running init first", err=True)
        click.echo(initialise(store, with_data=True, progress=progress).summary(), err=True)
    if in_memory:
        if not isinstance(store, OxigraphStore) or ctx.spec == "memory:":
            raise click.UsageError("--in-memory copies an embedded store on disk")
        started = time.perf_counter()
        store = in_memory_copy(store)
        ctx.close()  # the folder is free again: a load may write it while this copy is served
        progress(f"copied into memory in {time.perf_counter() - started:.1f} s")
    from waitress import serve as waitress_serve

    from avcluster.web import create_app

    app = create_app(
        {
            "STORE": store,
            "UPDATE_TOKEN": update_token,
            "QUERY_TIMEOUT": query_timeout,
            "BEHIND_PROXY": behind_proxy,
        }
    )
    click.echo(f"avcluster serving {store.location} at http://{host}:{port}/  (Ctrl+C stops)")
    # Beside an embedded store, say who holds it, so that a command that finds it locked can say so.
    note = (
        serving_file(Path(store.location))
        if isinstance(store, OxigraphStore) and ctx.spec != "memory:" and not in_memory
        else None
    )
    if note is not None:
        note.write_text(f"{os.getpid()} http://{host}:{port}/sparql\n", encoding="utf-8")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="avcluster")
    finally:
        if note is not None:
            note.unlink(missing_ok=True)


def main() -> None:
    cli(prog_name="avcluster")
