"""Errors that reach users: each says, in one line, what went wrong and where."""

from __future__ import annotations

from pathlib import Path


class AvclusterError(Exception):
    """Base class: the CLI prints the message alone, with no traceback."""


class InputError(AvclusterError):
    """A file that cannot be loaded: names the file, the line where the format has lines, and the cause."""

    def __init__(self, path: str | Path, cause: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.cause = cause
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {cause}")


class QueryError(AvclusterError):
    """A query the engine refused (syntax, forbidden operation); carries the parser's message."""


class QueryTimeout(QueryError):
    """A query stopped because it ran past a time budget: ours (`seconds`), or a SPARQL server's own
    (`server` names it), which a client must be told the same way."""

    def __init__(self, seconds: float | None = None, *, server: str | None = None) -> None:
        limit = f"the {seconds:g} s limit" if seconds is not None else f"the time limit of {server}"
        super().__init__(f"query stopped: it ran longer than {limit}")


class ResultTooLarge(QueryError):
    """A result larger than the configured cap."""


class StoreLocked(AvclusterError):
    """An embedded store another process holds (an `avcluster serve`, a load under way)."""


class StoreError(AvclusterError):
    """The store cannot be opened or reached."""
