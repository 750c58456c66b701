"""The policy brief: one self-contained HTML file a regional administration can read, print or save
as PDF, with nothing to fetch and no script.

It is the comparison of kg.analysis.compare written for a reader, with the recommendations of
kg.analysis.recommend, the target region's actors, ties and competency matrix, and the sources.
Styles and charts are inline (SVG drawn by the same macros as the pages); links go only to the
sources' own addresses, so the file works wherever it is opened. Rendered inside an application
context, for `avcluster report` and for the /report download alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import render_template

from avcluster.kg.analysis import analyze
from avcluster.kg.analysis.compare import Comparison, FactorRow, Instrument, compare
from avcluster.kg.analysis.projection import read_network
from avcluster.kg.analysis.recommend import recommendations
from avcluster.kg.labels import labels_for, namer
from avcluster.kg.namespaces import AVC
from avcluster.kg.stores import Store

from . import charts

_SOURCES = """SELECT ?s ?title ?url ?date WHERE {
  VALUES ?s { %s }
  OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s schema:url ?url } OPTIONAL { ?s dcterms:date ?date }
}"""


def _described_sources(store: Store, iris: list[str], labels: dict[str, str]) -> list[dict[str, str | None]]:
    if not iris:
        return []
    values = " ".join(f"<{iri}>" for iri in iris)
    found: dict[str, dict[str, str | None]] = {}
    for s, title, url, when in store.select_rows(_SOURCES % values)[1]:
        if s is None:
            continue
        entry = found.setdefault(s.value, {"iri": s.value, "title": None, "url": None, "date": None})  # type: ignore[union-attr]
        entry["title"] = entry["title"] or (title.value if title is not None else None)  # type: ignore[union-attr]
        address = url.value if url is not None else None  # type: ignore[union-attr]
        if address and address.startswith(("http://", "https://")):
            entry["url"] = entry["url"] or address
        entry["date"] = entry["date"] or (when.value if when is not None else None)  # type: ignore[union-attr]
    rows = [found.get(iri, {"iri": iri, "title": None, "url": None, "date": None}) for iri in iris]
    for row in rows:
        row["title"] = row["title"] or labels.get(str(row["iri"])) or row["iri"]
    return sorted(rows, key=lambda r: str(r["title"]).casefold())


def _factor_chart(row: FactorRow, regions: tuple[str, str]) -> charts.Bars | None:
    """Two bars on one scale, only where both regions measure the same thing."""
    if not row["comparable"] or row["model"] is None or row["target"] is None:
        return None
    values = [row["model"]["value"] or 0.0, row["target"]["value"] or 0.0]
    return charts.bars(
        list(zip(regions, values, strict=True)), colours=[charts.PALETTE[0], charts.PALETTE[3]], width=560
    )


def _measures_by_year(instruments: dict[str, list[Instrument]]) -> list[tuple[int, float]]:
    """How many of a region's dated measures had started by each year: its instruments over time."""
    years = sorted(m["year"] for measures in instruments.values() for m in measures if m["year"] is not None)
    return [(year, float(sum(1 for y in years if y <= year))) for year in sorted(set(years))]


def comparison_charts(comparison: Comparison, name: Callable[[str | None], str]) -> dict[str, Any]:
    """The charts /compare and the brief draw: factor bars, and each region's measures over time."""
    regions = (name(comparison["model"]), name(comparison["target"]))
    series = {
        region: _measures_by_year(comparison["instruments"][side])
        for region, side in zip(regions, ("model", "target"), strict=True)
    }
    return {
        "factor_charts": {row["factor"]: _factor_chart(row, regions) for row in comparison["factors"]},
        "instrument_chart": charts.lines({k: v for k, v in series.items() if v}),
    }


def policy_brief(store: Store, region: str, model: str, *, at: int | None = None, lang: str = "en") -> str:
    """The brief for `region` set beside `model`, as one HTML document."""
    comparison = compare(store, model, region, at=at)
    advice = recommendations(comparison)
    network = read_network(store, comparison["target"])
    matrix = analyze(store, at=at, sections=["competencies"], region=comparison["target"])["competencies"]
    mentioned = set(comparison["labels"]) | set(network.actors) | {str(AVC[t.kind]) for t in network.ties}
    mentioned |= {str(AVC[a.type]) for a in network.actors.values() if a.type}
    mentioned |= {a["actor"] for row in matrix["competencies"] for a in row["leads"] + row["contributors"]}
    mentioned |= {row["competency"] for row in matrix["competencies"]}
    sources = sorted(set(comparison["sources"]) | {s for r in advice for s in r["sources"]})
    labels = labels_for(store, mentioned | set(sources), lang)
    described = _described_sources(store, sources, labels)
    addresses = {str(s["iri"]): s["url"] for s in described}

    name = namer(labels)

    def link(iri: str | None) -> str | None:
        return addresses.get(iri or "")

    actors = sorted(network.actors.values(), key=lambda a: a.label.casefold())
    return render_template(
        "report/brief.html",
        data=comparison,
        advice=advice,
        actors=actors,
        ties=sorted(network.ties, key=lambda t: (t.start or "", t.key)),
        term=lambda local: str(AVC[local]) if local else None,
        matrix=matrix,
        sources=described,
        **comparison_charts(comparison, name),
        name=name,
        names=lambda iris: ", ".join(name(iri) for iri in iris),  # text, escaped once where it is written
        link=link,
        number=charts.nice,
        today=date.today().isoformat(),
    )
