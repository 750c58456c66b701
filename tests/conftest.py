"""Shared fixtures: real stores (embedded on disk, in memory), a small hand-written dataset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.stores import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each test that takes `store` runs on every embedded backend; the remote one joins in test_remote."""
    opened = open_store("memory:" if request.param == "memory" else str(tmp_path / "store"))
    yield opened
    opened.close()
