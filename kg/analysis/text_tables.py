"""Plain-text tables for the terminal, shared by `analyze` and `compare`."""

from __future__ import annotations

from typing import Any


def cell(value: Any) -> str:
    """A value in a column: none as a dash, small measures to four places, large ones with separators."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def figure(value: float | None) -> str:
    """An amount or an observed value as people write it: 661,000 · 50,000.50 · 1.5."""
    if value is None:
        return "–"
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 100 else f"{value:.4g}"


def table(headers: list[str], rows: list[list[Any]], width: int = 38) -> str:
    if not rows:
        return "(none)"
    cells = [[cell(v) for v in row] for row in rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [headers, ["-" * w for w in widths], *cells]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines)
