"""`/graph`: the cluster drawn with vis-network, and `/graph.json`, the same data for machines.

The page gets its data as JSON in a `<script type="application/json">` block and draws it with
static/graph.js; filters, the year slider, search and sizes work in the browser on that data.
Above GRAPH_AGGREGATE_ABOVE actors it starts from groups (`?by=type|community`), and
`?group=type:ProductionCompany` (repeatable) drills into one; `?at=YEAR` shows the year given.
"""

from __future__ import annotations

from flask import Response, current_app, request, url_for
from werkzeug.exceptions import BadRequest

from avcluster.kg.analysis.counts import count_name, definition

from .. import render
from ..graph import ARRANGEMENTS, GROUPINGS, MEASURES, View, parse_selection, view
from ..i18n import current_language, gettext
from ..render import wants_twin
from ..store import get_store
from . import page_blueprint, words, year_argument

bp = page_blueprint("graph", __name__)
bp.record_once(lambda state: words.register())

# How each arrangement reads in the "Arrange by" menu (translated by web.i18n).
ARRANGEMENT_NAMES = ("one network", "a disc per community", "a disc per actor type", "a disc per region")

# The words graph.js writes into the page, translated here (web.i18n) and handed over as JSON.
WORDS = (
    "Showing",
    "actors",
    "groups",
    "ties",
    "all years",
    "Type",
    "Sector",
    "public",
    "private",
    "Regions",
    "Founded",
    "Dissolved",
    "degree",
    "betweenness",
    "pagerank",
    "Community",
    "Open its page",
    "Ties",
    "Kind",
    "From",
    "To",
    "Start",
    "End",
    "Year",
    "Strength",
    "Amount",
    "Sources",
    "ties inside",
    "Open this group",
    "no match",
    "no community",
    "no region",
    "Play",
    "Pause",
    "Actors and ties per year",
)


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name) or None
    if value not in (None, *allowed):
        raise BadRequest(f"{name}={value!r}: one of {', '.join(allowed)}")
    return value


def _view(at: int | None) -> View:
    return view(
        get_store(),
        current_language(),
        selection=parse_selection(request.args.getlist("group")),
        grouping=_choice("by", GROUPINGS),
        at=at,
        limit=int(current_app.config["GRAPH_AGGREGATE_ABOVE"]),
        arrange=_choice("layout", ARRANGEMENTS) or "network",
    )


@bp.route("/graph")
def page() -> Response:
    if wants_twin():
        return twin()
    at = year_argument()
    # Actors are filtered by year in the browser, so that page gets every year and starts the
    # slider at `at`; groups are summed on the server, for the year asked.
    built = _view(None)
    if built.summary["view"] == "groups" and at is not None:
        built = _view(at)
    size = request.args.get("size", "degree")
    selection = built.summary["selection"]
    crumbs = [
        {"label": label, "href": url_for("graph.page", group=selection[: k + 1])}
        for k, label in enumerate(built.summary["selection_labels"])
    ]
    return render.page(
        "graph/page.html",
        {
            "data": built.json,
            "view": built.summary,
            "at": at,
            "crumbs": crumbs,
            "size": size if size in MEASURES else "degree",
            "measures": MEASURES,
            "groupings": GROUPINGS,
            "arrangements": dict(zip(ARRANGEMENTS, ARRANGEMENT_NAMES, strict=True)),
            "words": {
                **{word: gettext(word) for word in WORDS},
                # What the counts shown for a region are (kg.analysis.counts, as the cluster pages say).
                **{f"count:{c}": count_name(c, current_language()) for c in ("actors", "located", "ties")},
                **{f"define:{c}": definition(c, current_language(), "{region}") for c in ("actors", "located", "ties")},
            },
            "links": {
                "resource": url_for("resource.page", slug="-")[:-1],
                "graph": url_for("graph.page"),
                "twin": url_for("graph.twin"),
                "search": url_for("search.json") if "search.json" in current_app.view_functions else None,
            },
        },
    )


@bp.route("/graph.json")
def twin() -> Response:
    built = _view(year_argument())
    return Response(str(built.json), mimetype=render.JSON)
