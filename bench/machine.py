"""The machine a run measured: numbers mean little without it (and without how busy it was)."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LIBRARIES = ("pyoxigraph", "rdflib", "pyshacl", "networkx", "flask", "waitress", "pyvis", "playwright")


def describe() -> list[str]:
    """Markdown list items: CPU, cores, memory, system, Python, the libraries that do the work."""
    load = os.getloadavg()
    return [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores",
        f"- memory: {_memory_gib():.1f} GiB",
        f"- system: {platform.platform()}",
        f"- Python {platform.python_version()}; " + ", ".join(f"{name} {_version(name)}" for name in LIBRARIES),
        f"- load average when the run started: {load[0]:.2f} (1 min), {load[1]:.2f} (5 min)",
    ]


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"
