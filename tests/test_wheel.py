"""The package works as a built wheel, not only from the checkout: built here, installed into a fresh
virtual environment outside the checkout, and used there as a user would (init, questions, analyze,
compare, report, serve with every page answering 200)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "/",
    "/graph",
    "/query",
    "/sparql",
    "/ontology",
    "/competencies",
    "/analysis",
    "/flows",
    "/regions",
    "/compare?target=kaliningrad",
    "/report?region=kaliningrad",
    "/resource/navarra-film-commission",
    "/query?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin/ folder of a fresh virtual environment holding only the wheel and its dependencies."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(where), str(ROOT)],
        check=True,
        timeout=600,
    )
    (wheel,) = where.glob("avcluster-*.whl")
    # no pip of its own and no byte-compiling: this pip installs into it (half the time of the
    # defaults in CI, where nothing is run twice), and the venv still sees nothing of this one
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where / "venv")], check=True, timeout=300)
    bin_dir = where / "venv" / "bin"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "-q", "--no-compile", str(wheel)],
        check=True,
        timeout=900,
    )
    yield bin_dir


def avcluster(bin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [bin_dir / "avcluster", *args], cwd=bin_dir.parent, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_wheel_holds_the_ontology_data_questions_and_web_files(installed: Path) -> None:
    probe = (
        "import avcluster.kg, avcluster.web; from avcluster.kg.namespaces import DATA_DIR, ONTOLOGY_DIR; "
        "from avcluster.kg.questions import questions; "
        "print(avcluster.kg.__file__, DATA_DIR, ONTOLOGY_DIR, len(questions()), sep='\\n')"
    )
    done = subprocess.run(
        [installed / "python", "-c", probe], cwd=installed.parent, capture_output=True, text=True, check=True
    )
    package, data, ontology, count = done.stdout.split()
    for path in (package, data, ontology):
        assert "site-packages" in path and not path.startswith(str(ROOT)), path
    assert (Path(ontology) / "avcluster.ttl").is_file() and (Path(data) / "navarre" / "actors.ttl").is_file()
    assert int(count) >= 15


def test_init_questions_analyze_and_every_page_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    done = avcluster(installed, "--store", store, "init")
    assert done.returncode == 0, done.stderr
    assert "dataset(s) loaded" in done.stdout

    listed = avcluster(installed, "--store", store, "questions")
    assert listed.returncode == 0 and "competency-gaps" in listed.stdout, listed.stderr
    ran = avcluster(installed, "--store", store, "questions", "members-by-type")
    assert ran.returncode == 0, ran.stderr
    assert "Navarra Film Commission" in ran.stdout

    analysed = avcluster(installed, "--store", store, "analyze", "--format", "json")
    assert analysed.returncode == 0, analysed.stderr
    assert {"actors", "brokers", "communities", "competencies", "ties", "flows", "lifecycle"} <= set(
        json.loads(analysed.stdout)
    )

    compared = avcluster(installed, "--store", store, "compare", "--model", "navarre", "--target", "kaliningrad")
    assert compared.returncode == 0 and "COMPETENCY GAPS" in compared.stdout, compared.stderr
    brief = tmp_path / "brief.html"
    reported = avcluster(installed, "--store", store, "report", "--region", "kaliningrad", "-o", str(brief))
    assert reported.returncode == 0 and "what to take from Navarre" in brief.read_text(encoding="utf-8"), (
        reported.stderr
    )

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [installed / "avcluster", "--store", store, "serve", "--port", str(port)],
        cwd=installed.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/sparql", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else "serve exited"
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.3)
        for path in PAGES:
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                assert answer.status == 200, path
                assert answer.read(), path
    finally:
        server.terminate()
        server.wait(timeout=30)
