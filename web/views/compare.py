"""/compare: a target region beside the model, for people (charts, tables, links) and as its JSON
twin; /report: the same as a policy brief to download.

The figures are kg.analysis.compare's, unchanged: the page adds the charts' geometry and the
readers' language, never numbers of its own.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from werkzeug.exceptions import BadRequest

from avcluster.kg.analysis import compare
from avcluster.kg.analysis.compare import Comparison

from .. import charts
from ..cache import cached
from ..i18n import current_language
from ..render import page_or_twin
from ..report import comparison_charts, policy_brief
from ..store import get_store
from . import page_blueprint, resource_url, words, year_argument
from .cluster import Names, region_options
from .compare_words import WORDS

bp = page_blueprint("compare", __name__)
bp.record_once(lambda state: words.register(WORDS))

DEFAULT_MODEL = "navarre"  # the founding case the study sets other regions against


def comparison(model: str, target: str, at: int | None) -> Comparison:
    store = get_store()
    return cached("compare", model, target, at, compute=lambda: compare(store, model, target, at=at))


@bp.route("/compare")
@bp.route("/compare.json", endpoint="compare_json")
def page() -> Response:
    names = Names(current_language())
    model = request.args.get("model") or DEFAULT_MODEL
    target = request.args.get("target", "")
    at = year_argument()
    context: dict[str, Any] = {
        "name": names,
        "link": resource_url,
        "number": charts.nice,
        "regions": region_options(names),
        "chosen": {"model": model, "target": target},
        "twin": url_for("compare.compare_json"),
    }
    if not target:  # the form alone, with the model chosen
        return page_or_twin("compare/page.html", {"model": None, "target": None, "at": at}, {}, **context)
    result = comparison(model, target, at)
    context.update(comparison_charts(result, names))
    data = {k: v for k, v in result.items() if k != "labels"}
    labels = {iri: names(iri) for iri in result["labels"]}  # in the reader's language
    return page_or_twin("compare/page.html", data, labels, **context)


@bp.route("/report")
def report() -> Response:
    """The policy brief for `?region=` beside `?model=` (default Navarre), as a file to keep."""
    region = request.args.get("region", "")
    if not region:
        raise BadRequest("give the region to report on as ?region=")
    model = request.args.get("model") or DEFAULT_MODEL
    html = policy_brief(get_store(), region, model, at=year_argument(), lang=current_language())
    filename = f"avcluster-brief-{region.rsplit('/', 1)[-1]}.html"
    return Response(
        html,
        content_type="text/html; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
