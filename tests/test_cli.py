"""The command line as users run it: a real store on disk, real files, exit codes and output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from avcluster.kg.cli import cli

from .conftest import FIXTURES

SMALL = FIXTURES / "core" / "small.ttl"


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = str(tmp_path / "store")

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--store", store, *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert (command.help and command.help.split("\n")[0] in " ".join(result.output.split())) or command.help[
            :20
        ] in result.output


def test_python_dash_m_kg_is_the_same_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "avcluster.kg", "--help"], capture_output=True, text=True, check=True)
    assert "avcluster" in done.stdout and "questions" in done.stdout


def test_init_no_data_then_load_query_and_questions(run) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("init", "--no-data")
    assert code == 0 and "ontology loaded" in out
    code, out, _ = run("init", "--no-data")
    assert code == 0 and "ontology unchanged" in out
    code, out, _ = run("load", str(SMALL))
    assert code == 0 and "loaded 186 triples" in out
    code, out, _ = run("query", "SELECT ?a WHERE { ?a avc:memberOf id:t-cluster } ORDER BY ?a", "--format", "json")
    assert code == 0
    assert len(json.loads(out)["results"]["bindings"]) == 7
    code, out, _ = run("query", "SELECT ?a WHERE { ?a avc:memberOf id:t-cluster } ORDER BY ?a", "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1] == ["https://w3id.org/avcluster/id/t-assoc"]
    code, out, _ = run("query", "SELECT ?a WHERE { ?a avc:memberOf id:t-cluster }")
    assert "id:t-gov" in out and "(7 rows)" in out
    code, out, _ = run("query", "CONSTRUCT WHERE { id:t-gov ?p ?o }", "--format", "turtle")
    assert code == 0 and "Testland Government" in out
    code, out, _ = run("questions")
    assert code == 0 and "competency-gaps" in out
    code, out, _ = run("questions", "competency-gaps", "--param", "cluster=t-cluster")
    assert code == 0 and "avc:SpecialistTraining" in out


def test_query_from_a_file_and_errors_in_one_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("init", "--no-data")
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a owl:Class }")
    code, out, _ = run("query", "-f", str(rq))
    assert code == 0 and "(1 row)" in out
    code, _, err = run("query", "SELECT * WHERE {")
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1
    code, _, err = run("questions", "no-such-question")
    assert code == 1 and "no question named" in err


def test_load_refuses_bad_files_with_file_line_and_cause(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("init", "--no-data")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix e: <https://e.org/> .\ne:a e:p e:b ;\n")
    code, _, err = run("load", str(bad))
    assert code == 1
    assert err.splitlines()[-1].startswith(f"error: {bad}:3: syntax error")


def test_validate_lists_problems_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("init", "--no-data")
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        SMALL.read_text(encoding="utf-8").replace("avc:strength 0.8 ; dcterms:source id:t-source", "avc:strength 3")
    )
    code, out, _ = run("validate", str(broken))
    assert code == 1 and "violation" in out and "id:rel-t1" in out
    code, out, _ = run("validate", str(SMALL))
    assert code == 0 and "0 violation(s)" in out
    code, out, _ = run("query", "ASK { id:t-gov ?p ?o }", "--format", "json")
    assert json.loads(out)["boolean"] is False


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "nt", "nquads", "graphml", "gexf", "csv"])
def test_export_formats(run, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    run("init", "--no-data")
    run("load", str(SMALL))
    out_file = tmp_path / f"export.{fmt}"
    code, _, _ = run("export", "--format", fmt, "-o", str(out_file))
    assert code == 0
    data = out_file.read_text(encoding="utf-8")
    assert "t-prod1" in data
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data)))
        assert any(r["source"].endswith("t-gov") and r["target"].endswith("t-prod1") for r in rows)


def test_analyze_for_one_region_as_json(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "--no-data")
    run("load", str(SMALL))
    code, out, _ = run("analyze", "--region", "t-region", "--section", "competencies", "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert result["competencies"]["gaps"] == ["https://w3id.org/avcluster/ontology#SpecialistTraining"]
    code, _, err = run("analyze", "--section", "nonsense")
    assert code != 0 and "nonsense" in err


def test_a_format_the_answer_cannot_take_is_refused_in_one_line(run) -> None:  # type: ignore[no-untyped-def]
    run("init", "--no-data")
    code, out, err = run("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert code != 0 and not out
    assert err.strip().count("\n") == 0 and "does not fit a SELECT query" in err
    code, out, _ = run("query", "CONSTRUCT WHERE { ?s a owl:Class } LIMIT 1", "--format", "turtle")
    assert code == 0 and "owl" in out.lower()
