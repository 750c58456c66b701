"""Chart geometry for the cluster views, drawn as SVG by templates/cluster/charts.html.

The pages must work offline under a CSP that allows no inline script, and the charts are small:
bars, lines over years, a Sankey-like diagram of flows and a timeline of who held a competency.
Computing their coordinates here and letting Jinja write the SVG (escaping every label) needs no
chart library and no JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LABEL_WIDTH = 230
PALETTE = ("#1f5f8b", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22")


def nice(value: float) -> str:
    """A number as a chart label: thousands separated, at most three decimals, no trailing zeros."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


@dataclass
class Bar:
    label: str
    value: float
    y: float
    width: float
    text: str
    href: str | None = None
    colour: str = PALETTE[0]


@dataclass
class Bars:
    width: int
    height: int
    bar: int
    left: int
    bars: list[Bar]


def bars(
    rows: Sequence[tuple[str, float]],
    *,
    hrefs: Sequence[str | None] | None = None,
    colours: Sequence[str] | None = None,
    width: int = 640,
    bar: int = 18,
) -> Bars:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    top = max((v for _, v in rows), default=0) or 1
    room = width - LABEL_WIDTH - 70
    drawn = [
        Bar(
            label,
            value,
            6 + k * (bar + 6),
            max(room * value / top, 1 if value else 0),
            nice(value),
            hrefs[k] if hrefs else None,
            colours[k] if colours else PALETTE[0],
        )
        for k, (label, value) in enumerate(rows)
    ]
    return Bars(width, 12 + len(rows) * (bar + 6), bar, LABEL_WIDTH, drawn)


@dataclass
class Line:
    name: str
    colour: str
    points: str  # SVG polyline points
    dots: list[tuple[float, float, str]]  # x, y, tooltip text


@dataclass
class Lines:
    width: int
    height: int
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    left: int = 50
    bottom: int = 0


def lines(series: Mapping[str, Sequence[tuple[int, float]]], *, width: int = 640, height: int = 220) -> Lines:
    """One polyline per named series of (year, value) points, on shared axes."""
    points = [p for s in series.values() for p in s]
    left, pad, bottom = 50, 12, height - 24
    if not points:
        return Lines(width, height, [], [], [], left, bottom)
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y1 = max(max(p[1] for p in points), 1)
    span = max(x1 - x0, 1)

    def x(year: float) -> float:
        return round(left + (width - left - pad) * (year - x0) / span, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - pad) * value / y1, 1)

    drawn = []
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        drawn.append(
            Line(
                name,
                colour,
                " ".join(f"{x(a)},{y(b)}" for a, b in values),
                [(x(a), y(b), f"{name}: {nice(b)} ({a})") for a, b in values],
            )
        )
    step = max(1, round(span / 8))
    x_ticks = [(x(year), str(year)) for year in range(x0, x1 + 1, step)]
    y_ticks = [(y(v), nice(v)) for v in (0, y1 / 2, y1)]
    return Lines(width, height, drawn, x_ticks, y_ticks, left, bottom)


@dataclass
class Band:
    source: str
    target: str
    value: float
    path: str
    thickness: float
    colour: str
    text: str


@dataclass
class Block:
    label: str
    x: float
    y: float
    height: float
    value: float
    side: str  # "from" | "to"


@dataclass
class Sankey:
    width: int
    height: int
    blocks: list[Block] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)


def sankey(
    links: Sequence[tuple[str, str, float]],
    *,
    width: int = 760,
    height: int = 360,
    colours: dict[str, str] | None = None,
) -> Sankey:
    """Two columns (where flows come from, where they go) joined by bands as thick as their value.

    A source and a target with the same name are two blocks, one per side, so the diagram never
    loops back on itself.
    """
    links = [link for link in links if link[2] > 0]
    if not links:
        return Sankey(width, 60)
    total = sum(v for *_, v in links)
    gap, node_width, margin = 8, 14, 190
    left_names = sorted({s for s, _, _ in links}, key=lambda n: -sum(v for s, _, v in links if s == n))
    right_names = sorted({t for _, t, _ in links}, key=lambda n: -sum(v for _, t, v in links if t == n))
    height = min(height, 30 + 44 * max(len(left_names), len(right_names)))
    usable = height - gap * (max(len(left_names), len(right_names)) + 1)
    scale = usable / total
    blocks: dict[tuple[str, str], Block] = {}
    for side, names, x in (("from", left_names, margin), ("to", right_names, width - margin - node_width)):
        y = float(gap)
        for name in names:
            value = sum(v for s, t, v in links if (s if side == "from" else t) == name)
            blocks[(side, name)] = Block(name, x, y, value * scale, value, side)
            y += value * scale + gap
    out_offset = {name: 0.0 for name in left_names}
    in_offset = {name: 0.0 for name in right_names}
    bands = []
    for k, (s, t, v) in enumerate(
        sorted(links, key=lambda link: (left_names.index(link[0]), right_names.index(link[1])))
    ):
        a, b = blocks[("from", s)], blocks[("to", t)]
        thick = v * scale
        y0 = a.y + out_offset[s] + thick / 2
        y1 = b.y + in_offset[t] + thick / 2
        out_offset[s] += thick
        in_offset[t] += thick
        x0, x1 = a.x + node_width, b.x
        middle = (x0 + x1) / 2
        path = f"M{x0:.1f},{y0:.1f} C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        colour = (colours or {}).get(s) or PALETTE[k % len(PALETTE)]
        bands.append(Band(s, t, v, path, max(thick, 1.0), colour, f"{s} → {t}: {nice(v)}"))
    return Sankey(width, height, list(blocks.values()), bands)


@dataclass
class Span:
    label: str
    x: float
    width: float
    y: float
    role: str  # "lead" | "contributor"
    text: str
    open_start: bool
    open_end: bool


@dataclass
class Timeline:
    width: int
    height: int
    spans: list[Span]
    ticks: list[tuple[float, str]]
    left: int


def timeline(
    rows: Sequence[tuple[str, int | None, int | None, str, str]],
    *,
    first: int,
    last: int,
    width: int = 760,
    row: int = 20,
) -> Timeline:
    """One bar per (label, start year, end year, role, text) between `first` and `last`.

    A missing start or end runs to the edge of the chart and is marked open: the data states
    no date there, and an undated assignment holds in every period.
    """
    left, pad = LABEL_WIDTH, 10
    span = max(last - first + 1, 1)

    def x(year: float) -> float:
        return round(left + (width - left - pad) * (year - first) / span, 1)

    spans = []
    for k, (label, start, end, role, text) in enumerate(rows):
        a = x(start if start is not None else first)
        b = x((end if end is not None else last) + 1)
        spans.append(Span(label, a, max(b - a, 2), 6 + k * (row + 4), role, text, start is None, end is None))
    step = max(1, round(span / 10))
    ticks = [(x(year), str(year)) for year in range(first, last + 1, step)]
    return Timeline(width, 30 + len(rows) * (row + 4), spans, ticks, left)
