"""Style and types are checked the same way everywhere: here, as part of the test command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ("kg", "web", "tests", "bench")


def run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=cwd, capture_output=True, text=True, timeout=600, env=env
    )


def test_ruff_finds_nothing() -> None:
    done = run("ruff", "check", *CODE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_formatted() -> None:
    done = run("ruff", "format", "--check", *CODE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing(tmp_path: Path) -> None:
    # The folders kg/ and web/ are the packages avcluster.kg and avcluster.web; mypy follows no
    # import hook, so it reads them through links that carry the installed names.
    (tmp_path / "avcluster").mkdir()
    for folder in ("kg", "web"):
        (tmp_path / "avcluster" / folder).symlink_to(ROOT / folder, target_is_directory=True)
    config = str(ROOT / "pyproject.toml")
    env = {"PATH": "/usr/bin:/bin", "MYPYPATH": str(tmp_path), "HOME": str(tmp_path)}
    done = run("mypy", "--config-file", config, "--cache-dir", str(tmp_path / ".mypy_cache"),
               "-p", "avcluster.kg", "-p", "avcluster.web", cwd=tmp_path, env=env)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
