"""The cluster views: `/competencies`, `/analysis`, `/flows`, `/regions`, each with a JSON twin.

Each page shows one part of kg.analysis (read once per version of the store and kept), for all
years or the year asked (`?at=`), for all regions or one (`?region=` slug). The twin
(`/competencies.json`, or `?format=json`) is the data the page shows, with a label for each IRI
in the reader's language; the page adds charts drawn as SVG (web.charts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

import pyoxigraph as ox
from flask import Response, request
from werkzeug.exceptions import BadRequest

from avcluster.kg.analysis import Analysis, analyze
from avcluster.kg.analysis.counts import COUNTS, cluster_counts, count_name, definition
from avcluster.kg.analysis.lifecycle import verdict
from avcluster.kg.analysis.periods import year_of
from avcluster.kg.analysis.projection import Cluster, Network
from avcluster.kg.analysis.results import AssignmentRow, Change, CompetencyRow, Overlap, Reason
from avcluster.kg.analysis.text_tables import cell
from avcluster.kg.namespaces import AVC, ID, shorten

from .. import charts
from ..cache import cached
from ..graph import actor_network, labels
from ..i18n import current_language, gettext
from ..render import page_or_twin
from ..store import get_store
from . import page_blueprint, resource_url, words, year_argument
from .cluster_words import WORDS as CLUSTER_WORDS

bp = page_blueprint("cluster", __name__)
bp.record_once(lambda state: words.register())
bp.record_once(lambda state: words.register(CLUSTER_WORDS))

MATRIX_ROWS = 150  # actors shown in the competency matrix, most assignments first
TIMELINE_ROWS = 30  # assignments drawn per competency
TOP = 15
_REGIONS = "SELECT DISTINCT ?r WHERE { ?r a avc:Region }"


def region_argument() -> str | None:
    value = request.args.get("region", "")
    return (value if value.startswith(("http://", "https://")) else str(ID) + value) if value else None


def analysis(sections: Collection[str], at: int | None = None, region: str | None = None) -> Analysis:
    """avcluster.kg.analysis for these sections, once per version of the store."""
    store = get_store()
    wanted = tuple(sorted(sections))
    return cached(
        "analysis",
        wanted,
        at,
        region,
        compute=lambda: analyze(store, at=at, sections=wanted, region=region, network=actor_network(store)),
    )


class Names:
    """Labels in the reader's language, for templates (`name(iri)`) and for the twin (`used`)."""

    def __init__(self, lang: str) -> None:
        self._labels = labels(get_store(), lang)
        self.used: dict[str, str] = {}

    def __call__(self, iri: str | None) -> str:
        if not iri:
            return "–"
        label = self._labels.get(iri) or _local(iri)
        self.used[iri] = label
        return label


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if iri.startswith(str(AVC)) else shorten(iri)


def count_words(region: str | None = None) -> dict[str, dict[str, str]]:
    """The name and definition of each cluster count (kg.analysis.counts) in the reader's language,
    for the pages that show them (`region`: the region's name, when one cluster is shown)."""
    lang = current_language()
    return {c: {"name": count_name(c, lang), "definition": definition(c, lang, region)} for c in COUNTS}


def region_options(names: Names) -> list[dict[str, str]]:
    def compute() -> list[str]:
        _, rows = get_store().select_rows(_REGIONS)
        return sorted(r.value for (r,) in rows if isinstance(r, ox.NamedNode))

    found = cached("regions", compute=compute)
    options = [{"iri": r, "slug": r[len(str(ID)) :], "label": names(r)} for r in found if r.startswith(str(ID))]
    return sorted(options, key=lambda o: o["label"].lower())


def respond(
    heading: str, build: Callable[[Names, int | None, str | None], tuple[dict[str, Any], dict[str, Any]]]
) -> Response:
    """The page, or its JSON twin for `.json` paths and `?format=json`.

    `build` returns (data, extra): data is the twin, extra holds what only the page needs (charts).
    """
    names = Names(current_language())
    at, region = year_argument(), region_argument()
    data, extra = build(names, at, region)
    data = {"at": at, "region": region, **data}
    return page_or_twin(
        f"cluster/{heading.lower()}.html",
        data,
        dict(names.used),
        heading=heading,
        name=names,
        link=resource_url,
        number=charts.nice,
        regions=region_options(names),
        twin=request.path.rstrip("/") + ".json",
        **extra,
    )


# ---------------------------------------------------------------- /competencies


def period_text(start: str | None, end: str | None) -> str:
    """A period as people read it: "since 2014", "until 2015", "2009–2015", "2014", "undated"."""
    first, last = year_of(start), year_of(end)
    if first is None and last is None:
        return gettext("undated")
    if last is None:
        return gettext("since {start}").format(start=first)
    if first is None:
        return gettext("until {end}").format(end=last)
    return str(first) if first == last else f"{first}–{last}"


def _period_of(entry: AssignmentRow) -> str:
    return period_text(entry["start"], entry["end"])


MODEL_REGION = str(ID) + "navarre"  # the founding case: its cluster is the one shown first


def cluster_argument(network: Network, region: str | None) -> str | None:
    """`?cluster=<slug>` (or `all`, None): the cluster a page shows. By default the cluster of the
    region asked for, else Navarre's (the founding case), else the first."""
    value = request.args.get("cluster", "")
    if value == "all":
        return None
    if value:
        iri = value if value.startswith(("http://", "https://")) else str(ID) + value
        if iri not in network.clusters:
            raise BadRequest(f"cluster={value!r}: no such cluster (give its id slug, or all)")
        return iri
    for place in (region, MODEL_REGION):
        found = sorted(c.iri for c in network.clusters.values() if place in c.regions)
        if found:
            return found[0]
    return min(network.clusters, default=None)


def cluster_options(network: Network, names: Names) -> list[dict[str, str]]:
    options = [
        {"iri": c, "slug": c[len(str(ID)) :] if c.startswith(str(ID)) else c, "label": names(c)}
        for c in network.clusters
    ]
    return sorted(options, key=lambda o: o["label"].lower())


def competencies_data(names: Names, at: int | None, region: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    network = actor_network()
    chosen = cluster_argument(network, region)
    cluster = network.clusters[chosen] if chosen else None
    scope = network.cluster_actors(cluster) if cluster else set(network.actors)
    section = analysis(["competencies"], at, region)["competencies"]
    rows: list[CompetencyRow] = [
        CompetencyRow(
            competency=r["competency"],
            required_by=r["required_by"],
            leads=[e for e in r["leads"] if e["actor"] in scope],
            contributors=[e for e in r["contributors"] if e["actor"] in scope],
        )
        for r in section["competencies"]
        if cluster is None
        or r["competency"] in cluster.required
        or any(e["actor"] in scope for e in r["leads"] + r["contributors"])
    ]
    overlaps = [o for o in section["overlaps"] if chosen is None or o["cluster"] == chosen]
    changes = [c for c in section["changes"] if chosen is None or c["cluster"] == chosen]
    gaps_by_cluster = [g for g in section["gaps_by_cluster"] if chosen is None or g["cluster"] == chosen]
    gaps = sorted({g for entry in gaps_by_cluster for g in entry["gaps"]})
    overlapping = {(o["competency"], a) for o in overlaps for a in o["actors"]}
    cells: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for role, entries in (("lead", row["leads"]), ("contributor", row["contributors"])):
            for entry in entries:
                cells[entry["actor"]][row["competency"]].append(
                    {
                        "role": role,
                        "start": entry["start"],
                        "end": entry["end"],
                        "sources": entry["sources"],
                        "overlap": role == "lead" and (row["competency"], entry["actor"]) in overlapping,
                    }
                )
    actors = sorted(cells, key=lambda a: (-sum(len(v) for v in cells[a].values()), names(a).lower()))
    columns = [r["competency"] for r in rows]
    matrix = [
        {"actor": a, "label": names(a), "cells": {c: cells[a].get(c, []) for c in columns}}
        for a in actors[:MATRIX_ROWS]
    ]
    for c in columns:
        names(c)
    for change in changes:
        names(change["from"]), names(change["to"])
    for overlap in overlaps:
        names(overlap["cluster"])
    for gap in gaps_by_cluster:
        names(gap["cluster"])
    region_label = ", ".join(names(r) for r in sorted(cluster.places)) if cluster else None
    counted = cluster_counts(network, cluster, at).as_dict() if cluster else None  # in the year shown
    data = {
        "cluster": chosen,
        "clusters": cluster_options(network, names),
        "counts": counted,
        "competencies": [{**r, "label": names(r["competency"]), "gap": r["competency"] in gaps} for r in rows],
        "matrix": {"columns": columns, "rows": matrix, "actors": len(actors), "shown": len(matrix)},
        "overlaps": overlaps,
        "gaps": gaps,
        "gaps_by_cluster": gaps_by_cluster,
        "changes": changes,
    }
    extra = {
        "counts_words": count_words(region_label),
        "gantt": _gantt(rows, overlaps, changes, gaps, cluster, names),
        "period": period_text,
    }
    return data, extra


def _gantt(
    rows: list[CompetencyRow],
    overlaps: list[Overlap],
    changes: list[Change],
    gaps: list[str],
    cluster: Cluster | None,
    names: Names,
) -> charts.Gantt | None:
    """Who led each competency, year by year: hand-overs, overlaps and gaps (web.charts.gantt)."""
    years = [y for r in rows for e in r["leads"] for y in (year_of(e["start"]), year_of(e["end"])) if y]
    founded = year_of(cluster.created) if cluster else None
    if not years and not gaps:
        return None
    first = min([*years, *([founded] if founded else [])], default=_this_year())
    last = max([*years, _this_year()])
    drawn = []
    for r in rows:
        competency = r["competency"]
        if not r["leads"] and competency not in gaps:
            continue
        leads = [
            charts.Lead(names(e["actor"]), year_of(e["start"]), year_of(e["end"]), _period_of(e), e["actor"])
            for e in r["leads"][:TIMELINE_ROWS]
        ]
        marks = [
            (
                year_of(o["from"]) or first,
                year_of(o["to"]),
                " & ".join(names(a) for a in o["actors"])
                + f": {gettext('overlap')} {period_text(o['from'], o['to'])}"
                + ("" if o["certain"] else f" ({gettext('possible')})"),
            )
            for o in overlaps
            if o["competency"] == competency
        ]
        handovers = [
            (ch["year"], f"{names(ch['from'])} → {names(ch['to'])} ({ch['year']})")
            for ch in changes
            if ch["competency"] == competency and ch["year"] is not None
        ]
        stated = gettext("gap: a required competency nobody leads") if competency in gaps and not leads else None
        drawn.append(
            charts.GanttRow(
                names(competency),
                resource_url(competency),
                leads,
                marks,
                handovers,
                stated,
                (founded or first) if cluster and competency in cluster.required else None,
            )
        )
    return charts.gantt(drawn, first=first, last=last, gap_text=gettext("no lead: {years}"))


def _this_year() -> int:
    return date.today().year


@bp.route("/competencies")
@bp.route("/competencies.json", endpoint="competencies_json")
def competencies() -> Response:
    return respond("Competencies", competencies_data)


# ---------------------------------------------------------------- /analysis


def analysis_data(names: Names, at: int | None, region: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    result = analysis(["actors", "network", "brokers", "communities", "ties", "lifecycle"], at, region)
    actors = result["actors"]
    by_rank = sorted(actors, key=lambda a: (-(a["pagerank"] or 0), a["iri"]))[:TOP]
    for a in actors[:TOP] + by_rank:
        names(a["iri"])
    communities: list[dict[str, Any]] = [
        {**c, "members": c["members"][:8], "labels": [names(m) for m in c["members"][:8]]}
        for c in result["communities"][:20]
    ]
    ties = result["ties"]
    for t in ties["long_term_strong"]["ties"][:TOP] + ties["ended_ties"]["ties"][:TOP]:
        names(t["from"]), names(t["to"])
    for b in result["brokers"]["top"] + result["brokers"]["public_private"]:
        names(b["iri"])
    network = actor_network()
    lifecycle: list[dict[str, Any]] = [
        {
            **c,
            # The cluster's counts as every page names them (kg.analysis.counts), over all years;
            # "members" and "ties" above are the life cycle's own: those in force in the reference year.
            "counts": cluster_counts(network, c["cluster"]).as_dict() if c["cluster"] in network.clusters else None,
            "verdict": verdict(c),
            "evidence": [
                {**i, "shown": cell(i["value"]), "because": "".join(_reason(r) for r in i["reasons"])}
                for i in c["indicators"]
            ],
        }
        for c in result["lifecycle"]
    ]
    for c in lifecycle:
        names(c["cluster"]), names(c["asserted_stage"]), names(c["suggested_stage"])
        for stage in c["votes"]:
            names(stage)
    data = {
        "meta": {k: result["meta"][k] for k in ("actors", "ties", "betweenness") if k in result["meta"]},
        "network": result["network"],
        "brokers": result["brokers"],
        "top_betweenness": actors[:TOP],
        "top_pagerank": by_rank,
        "communities": communities,
        "communities_total": len(result["communities"]),
        "ties": {
            **ties,
            "long_term_strong": {**ties["long_term_strong"], "ties": ties["long_term_strong"]["ties"][:TOP]},
            "ended_ties": {**ties["ended_ties"], "ties": ties["ended_ties"]["ties"][:TOP]},
        },
        "lifecycle": lifecycle,
    }
    kind_label = {k["kind"]: names(str(AVC) + k["kind"]) for k in ties["by_kind"]}
    extra = {
        "betweenness_chart": charts.bars(
            [(names(a["iri"]), a["betweenness"] or 0) for a in actors[:TOP]],
            hrefs=[resource_url(a["iri"]) for a in actors[:TOP]],
        ),
        "pagerank_chart": charts.bars(
            [(names(a["iri"]), a["pagerank"] or 0) for a in by_rank], hrefs=[resource_url(a["iri"]) for a in by_rank]
        ),
        "community_chart": charts.bars(
            [(", ".join(c["labels"][:2]) + (" …" if c["size"] > 2 else ""), c["size"]) for c in communities]
        ),
        "kinds_chart": charts.bars(
            [(f"{kind_label[k['kind']]}: {gettext('current')}", k["current"]) for k in ties["by_kind"]]
            + [(f"{kind_label[k['kind']]}: {gettext('ended')}", k["ended"]) for k in ties["by_kind"]],
            colours=[charts.PALETTE[0]] * len(ties["by_kind"]) + [charts.PALETTE[8]] * len(ties["by_kind"]),
        ),
        "ended_chart": charts.lines(
            {
                gettext("ended"): [
                    (y["year"], y["count"]) for y in ties["ended_ties"]["by_year"] if y["year"] is not None
                ]
            }
        ),
        "growth_charts": dict(
            (
                c["cluster"],
                charts.lines(
                    {
                        gettext("actors"): [(s["year"], s["members"]) for s in c["series"]],
                        gettext("relationships"): [(s["year"], s["ties"]) for s in c["series"]],
                    }
                ),
            )
            for c in lifecycle
            if c["series"]
        ),
        "counts_words": count_words(),
    }
    return data, extra


def _reason(reason: Reason) -> str:
    """One reason of the life cycle's evidence in the reader's language (the CLI's words in English)."""
    return gettext(reason["text"]).format(**reason["args"])


@bp.route("/analysis")
@bp.route("/analysis.json", endpoint="analysis_json")
def analysis_page() -> Response:
    return respond("Analysis", analysis_data)


# ---------------------------------------------------------------- /flows


def flows_data(names: Names, at: int | None, region: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    flows = analysis(["flows"], at, region)["flows"]
    kinds = [k["kind"] for k in flows["by_kind"]]
    for k in kinds:
        names(str(AVC) + k)
    types = {t for row in flows["by_actor_type"] for t in (row["from_type"], row["to_type"])}
    type_label = {t: names(str(AVC) + t) if t else "?" for t in types}
    for b in flows["information_brokers"]:
        names(b["iri"])
    sankeys = []
    for kind in kinds:
        links = [
            (type_label[r["from_type"]], type_label[r["to_type"]], float(r["count"]))
            for r in flows["by_actor_type"]
            if r["kind"] == kind
        ]
        sankeys.append((names(str(AVC) + kind), charts.sankey(links)))
    years: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in flows["by_year"]:
        if row["year"] is not None:
            years[names(str(AVC) + row["kind"])].append((row["year"], row["count"]))
    extra = {
        "kinds_chart": charts.bars([(names(str(AVC) + k["kind"]), k["count"]) for k in flows["by_kind"]]),
        "sankeys": sankeys,
        "years_chart": charts.lines(years),
    }
    return {"flows": flows}, extra


@bp.route("/flows")
@bp.route("/flows.json", endpoint="flows_json")
def flows_page() -> Response:
    return respond("Flows", flows_data)


# ---------------------------------------------------------------- /regions


def regions_data(names: Names, at: int | None, region: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    section = analysis(["regions"], at, region)["regions"]
    factors = section["factors"]
    for f in factors:
        names(f)
    rows: list[dict[str, Any]] = []
    for row in section["regions"]:
        names(row["region"])
        cells = {f: [x for x in row["latest"] if f in x["factors"]] for f in factors}
        for figures in cells.values():
            for x in figures:
                names(x["indicator"])
                for s in x["sources"]:
                    names(s)
        for c in row["clusters"]:
            names(c["cluster"]), names(c["stage"])
        rows.append({**row, "by_factor": cells})
    covered = Counter(f for r in rows for f in factors if r["by_factor"][f])
    return {"factors": factors, "indicators": section["indicators"], "regions": rows}, {"covered": covered}


@bp.route("/regions")
@bp.route("/regions.json", endpoint="regions_json")
def regions_page() -> Response:
    return respond("Regions", regions_data)
