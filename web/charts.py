"""Chart geometry for the cluster views, drawn as SVG by templates/cluster/charts.html.

The pages must work offline under a CSP that allows no inline script, and the charts are small:
bars, lines over years, a Sankey-like diagram of flows and a Gantt chart of who led each competency when.
Computing their coordinates here and letting Jinja write the SVG (escaping every label) needs no
chart library and no JavaScript.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LABEL_WIDTH = 230
LEGEND_STEP = 150  # pixels from one series' key to the next under a chart of lines
PALETTE = ("#1f5f8b", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22")


def text_width(text: str, size: float = 12.0) -> float:
    """How wide `text` may be drawn at `size` pixels, over-estimated: the server has no font metrics
    and the visitor's system-ui font varies, so each letter counts at the width of a wide sans-serif
    (DejaVu Sans, Chromium's on Debian): narrow marks, capitals, other letters, wider outside ASCII."""
    return size * sum(_em(c) for c in text)


def _em(c: str) -> float:
    if c in _NARROW:
        return 0.4
    if c.isupper() or c in "mw":
        return 0.82
    return 0.64 if c.isascii() else 0.72


_NARROW = frozenset(" .,:;'|!()[]-ijlrtf")


def fit(text: str, room: float, *, size: float = 12.0, after: str = "") -> str:
    """`text` and then `after` in `room` pixels: the text shortened with an ellipsis where it must be
    (the whole stays in the element's tooltip), `after` (a count, a period) kept whole."""
    if text_width(text + after, size) <= room:
        return text + after
    keep = len(text)
    while keep and text_width(text[:keep].rstrip() + "…" + after, size) > room:
        keep -= 1
    return text[:keep].rstrip() + "…" + after if keep else after.lstrip(" :")


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
    short: str = ""  # the label as it fits left of the bar


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
            fit(label, LABEL_WIDTH - 12),
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
    short: str = ""  # the name as it fits in its place in the legend


@dataclass
class Lines:
    width: int
    height: int
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    left: int = 50
    bottom: int = 0
    legend_step: int = LEGEND_STEP


def lines(series: Mapping[str, Sequence[tuple[int, float]]], *, width: int = 640, height: int = 220) -> Lines:
    """One polyline per named series of (year, value) points, on shared axes."""
    points = [p for s in series.values() for p in s]
    left, pad, bottom = 50, 18, height - 24  # pad: room for half the last year under the axis
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
                fit(name, LEGEND_STEP - 34),
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
    text: str = ""  # label and count, as they fit beside the block


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
    gap, node_width = 8, 14
    values: dict[tuple[str, str], float] = defaultdict(float)  # each block's total, by (side, name)
    for s, t, v in links:
        values[("from", s)] += v
        values[("to", t)] += v
    left_names = sorted({s for s, _, _ in links}, key=lambda n: -values[("from", n)])
    right_names = sorted({t for _, t, _ in links}, key=lambda n: -values[("to", n)])
    # room for the labels beside the blocks: as wide as the widest needs, up to a third of the chart
    labels = {key: f" ({int(value)})" for key, value in values.items()}
    margin = min(max(max(text_width(name + count) for (_, name), count in labels.items()) + 12, 90), width // 3)
    height = min(height, 30 + 44 * max(len(left_names), len(right_names)))
    usable = height - gap * (max(len(left_names), len(right_names)) + 1)
    scale = usable / total
    blocks: dict[tuple[str, str], Block] = {}
    for side, names, x in (("from", left_names, margin), ("to", right_names, width - margin - node_width)):
        y = float(gap)
        for name in names:
            value = values[(side, name)]
            text = fit(name, margin - 12, after=labels[(side, name)])
            blocks[(side, name)] = Block(name, x, y, value * scale, value, side, text)
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


BAR_COLOURS = tuple(c for c in PALETTE if c != "#d62728")  # red marks overlaps and gaps


@dataclass(frozen=True)
class Lead:
    """One lead period of one actor, in years (None: the data states no date at that end)."""

    actor: str  # the actor's label
    start: int | None
    end: int | None
    text: str  # the readable period ("since 2014"), drawn in the bar and its tooltip
    colour_key: str = ""  # the actor's IRI: one actor keeps one colour on every row


@dataclass(frozen=True)
class GanttRow:
    label: str
    href: str | None
    leads: Sequence[Lead]
    overlaps: Sequence[tuple[int, int | None, str]] = ()  # (from, to, text): two leads at once
    handovers: Sequence[tuple[int, str]] = ()  # (year, text): a lead handed to another actor
    stated_gap: str | None = None  # the sources' gap: a required competency nobody leads (its text)
    gaps_from: int | None = None  # years with no lead are gaps from this year (the cluster's founding)


@dataclass
class GanttBar:
    x: float
    y: float
    width: float
    colour: str
    label: str  # what fits inside the bar
    text: str  # the tooltip
    open_start: bool
    open_end: bool


@dataclass
class GanttMark:
    x: float
    y: float
    width: float
    height: float
    text: str


@dataclass
class GanttLine:
    label: str
    href: str | None
    y: float
    height: float
    bars: list[GanttBar]
    overlaps: list[GanttMark]
    gaps: list[GanttMark]
    handovers: list[GanttMark]
    stated_gap: str | None
    short: str = ""  # the label as it fits left of the chart


@dataclass
class Gantt:
    width: int
    height: int
    left: int
    right: float
    lane: int
    rows: list[GanttLine]
    ticks: list[tuple[float, str]]
    axis: float  # y of the year axis


def _lanes(leads: Sequence[Lead], first: int, last: int) -> list[int]:
    """A lane for each lead so that leads whose years meet never share one (the fewest lanes)."""
    ends: list[int] = []  # the last year each lane is taken
    lane_of = [0] * len(leads)
    for k in sorted(range(len(leads)), key=lambda k: (leads[k].start or first, leads[k].end or last)):
        start, end = leads[k].start or first, leads[k].end or last
        free = next((i for i, taken in enumerate(ends) if taken < start), None)
        if free is None:
            ends.append(end)
            free = len(ends) - 1
        ends[free] = end
        lane_of[k] = free
    return lane_of


def _fit(actor: str, period: str, width: float) -> str:
    """`actor: period` in `width` pixels of 11px text, shortening the actor's name first (to no fewer
    than four letters), then the period alone; '' when not even that fits."""
    room = width - 8
    if text_width(f"{actor[:4]}…: {period}", 11) <= room:
        return fit(actor, room, size=11, after=f": {period}")
    return period if text_width(period, 11) <= room else ""


def gantt(
    rows: Sequence[GanttRow],
    *,
    first: int,
    last: int,
    width: int = 980,
    lane: int = 22,
    gap_text: str = "no lead: {years}",
) -> Gantt:
    """One row per competency with one bar per lead period between `first` and `last`.

    Leads whose years meet take separate lanes of their row, so an overlap shows as two bars one
    above the other (and a band behind them); a hand-over is a mark where the next lead begins;
    years from `gaps_from` with no lead are gaps (hatched); a required competency nobody leads is
    the sources' gap, across the row. An open end runs to the edge of the chart, marked open.
    """
    left, pad = LABEL_WIDTH, 12
    span = max(last - first + 1, 1)

    def x(year: float) -> float:
        return round(left + (width - left - pad) * (year - first) / span, 1)

    def years_text(a: int, b: int) -> str:
        return str(a) if a == b else f"{a}–{b}"

    palette: dict[str, str] = {}
    drawn: list[GanttLine] = []
    y = 6.0
    for row in rows:
        lanes = _lanes(row.leads, first, last)
        height = max(max(lanes, default=0) + 1, 1) * lane + 6
        bars = []
        for lead, k in zip(row.leads, lanes, strict=True):
            colour = palette.setdefault(lead.colour_key or lead.actor, BAR_COLOURS[len(palette) % len(BAR_COLOURS)])
            a = x(lead.start if lead.start is not None else first)
            b = x((lead.end if lead.end is not None else last) + 1)
            text = f"{lead.actor}: {lead.text}"
            bars.append(
                GanttBar(
                    a,
                    y + 3 + k * lane,
                    max(b - a, 3),
                    colour,
                    _fit(lead.actor, lead.text, b - a),
                    text,
                    lead.start is None,
                    lead.end is None,
                )
            )
        overlaps = [
            GanttMark(x(a), y, x((b if b is not None else last) + 1) - x(a), height, text)
            for a, b, text in row.overlaps
        ]
        handovers = [GanttMark(x(year), y, 0, height, text) for year, text in row.handovers]
        gaps: list[GanttMark] = []
        if row.leads and row.gaps_from is not None:
            held = {
                year
                for lead in row.leads
                for year in range(
                    lead.start if lead.start is not None else first, (lead.end if lead.end is not None else last) + 1
                )
            }
            run: list[int] = []
            for year in [*range(max(first, row.gaps_from), last + 1), None]:
                if year is not None and year not in held:
                    run.append(year)
                    continue
                if run:
                    gaps.append(
                        GanttMark(
                            x(run[0]),
                            y,
                            x(run[-1] + 1) - x(run[0]),
                            height,
                            gap_text.format(years=years_text(run[0], run[-1])),
                        )
                    )
                    run = []
        short = fit(row.label, left - 12)
        drawn.append(GanttLine(row.label, row.href, y, height, bars, overlaps, gaps, handovers, row.stated_gap, short))
        y += height + 4
    step = max(1, round(span / 12))
    ticks = [(x(year), str(year)) for year in range(first, last + 1, step)]
    return Gantt(width, int(y) + 24, left, x(last + 1), lane, drawn, ticks, y + 2)
