"""bench/bench_graph.py runs on its own, from any folder, as its docstring says: it once read a
figure cached per app outside the app's context and failed unless started by `python -m bench`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_graph.py"


def test_the_graph_bench_runs_on_its_own(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "60"], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| 60 |"))
    assert "60 / " in row  # the nodes drawn, measured
