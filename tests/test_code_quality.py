"""Style and types are checked the same way everywhere: here, as part of the test command."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import networkx as nx

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


def _module_names() -> dict[str, Path]:
    found = {}
    for folder, package in (("kg", "avcluster.kg"), ("web", "avcluster.web")):
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The avcluster modules a module imports, wherever the import statement stands (a cycle hidden
    by an import inside a function is still a cycle)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            if node.level == 0:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in modules else target)
    return {m for m in found if m in modules and m != name}


def test_no_import_cycles() -> None:
    modules = _module_names()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        graph.add_edges_from((name, other) for other in _imports(name, path, set(modules)))
    cycles = [c for c in nx.simple_cycles(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles[:5]}"
    assert graph.has_edge("avcluster.kg.parsing", "avcluster.kg.templates")  # the reading sees imports at all
    # kg never imports web, but for the command line starting the web app for `avcluster serve`
    upward = [
        (a, b)
        for a, b in graph.edges
        if a.startswith("avcluster.kg") and b.startswith("avcluster.web") and a != "avcluster.kg.cli"
    ]
    assert not upward, f"kg imports web: {upward}"


def test_every_package_folder_is_in_the_distribution() -> None:
    """pyproject lists the packages by hand (the folders map onto avcluster.*): a new one must be added."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("avcluster", *init.parent.relative_to(ROOT).parts))
        for folder in ("kg", "web", "ontology", "data")
        for init in (ROOT / folder).rglob("__init__.py")
    }
    assert found == listed
