"""Finding a resource by name: `/search.json` for scripts (the header box's suggestions, /graph's
search; with `kinds=1` also each type's name in the reader's language), `/search` and `/resource?q=` for people (a list of links, or straight to the one resource
whose name is exactly the one typed), and the suggestions on a not-found resource page.

The matching and ranking are kg.search's; the index is built once per version of the store and
language (web.cache), so a query is one scan of the folded names.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from rdflib import URIRef
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from avcluster.kg.namespaces import AVC
from avcluster.kg.ontology import ontology_graph
from avcluster.kg.search import ALL_WORDS, EXACT, Hit, Index, fold, read_names

from ..cache import cached
from ..i18n import current_language
from ..labels import graph_label
from ..render import page, twin, wants_twin
from ..store import get_store
from . import page_blueprint, words
from .search_words import WORDS

bp = page_blueprint("search", __name__)
bp.record_once(lambda state: words.register(WORDS))

DEFAULT_LIMIT = 10  # suggestions a script gets unless it asks for more
PAGE_LIMIT = 100  # links a results page shows
MAX_LIMIT = 500
SUGGESTIONS = 10  # on a not-found page


def index(lang: str | None = None) -> Index:
    """The search index for the reader's language, built once per version of the store."""
    store, lang = get_store(), lang or current_language()
    names = cached("search-names", compute=lambda: read_names(store))
    return cached("search-index", lang, compute=lambda: Index(names, lang))


def limit_argument(default: int) -> int:
    value = request.args.get("limit", "")
    if not value:
        return default
    try:
        return max(1, min(int(value), MAX_LIMIT))
    except ValueError:
        raise BadRequest(f"limit={value!r} is not a number") from None


def the_one(hits: list[Hit]) -> Hit | None:
    """The resource to go straight to: the only one whose name is exactly the one typed."""
    exact = [hit for hit in hits if hit.rank == EXACT]
    return exact[0] if len(exact) == 1 else None


@bp.route("/search.json", endpoint="json")
@bp.route("/search")
def results() -> Response:
    query = request.args.get("q", "").strip()
    kind = request.args.get("type", "").strip() or None
    twin_asked = wants_twin()
    hits = index().search(query, limit_argument(DEFAULT_LIMIT if twin_asked else PAGE_LIMIT), kind)
    if twin_asked:
        answer: dict[str, object] = {"query": query, "results": [hit.as_json() for hit in hits]}
        if request.args.get("kinds"):  # the header's suggestions name each type in the reader's language
            answer["kinds"] = {hit.type: kind_name(hit.type) for hit in hits if hit.type}
        return twin(answer)
    one = the_one(hits)
    if one is not None:
        return redirect(url_for("resource.page", slug=one.slug))
    return page("search/page.html", {"query": query, "hits": hits, "kind": kind or "", "kind_name": kind_name})


@bp.route("/resource")
def lookup() -> Response:
    """`/resource?q=name`: the same search, from the resource pages' own address."""
    return results()


def kind_name(local: str) -> str:
    """A class's label in the reader's language, from its local name (as kg.search gives types)."""
    return graph_label(ontology_graph(), URIRef(str(AVC) + local))


def missing(slug: str) -> Response:
    """A slug that names nothing: the resource whose name it spells exactly, or a 404 with suggestions:
    names holding the whole slug, then those holding its words (the longest first), then the rest."""
    found = index()
    whole = found.search(slug, SUGGESTIONS)
    one = the_one(whole)
    if one is not None and one.slug != slug:
        return redirect(url_for("resource.page", slug=one.slug))
    words = sorted({w for w in fold(slug).split() if len(w) >= 3} - {fold(slug)}, key=lambda w: (-len(w), w))
    by_word = [hit for word in words for hit in found.search(word, SUGGESTIONS)]
    merged: dict[str, Hit] = {}
    for hit in [*(h for h in whole if h.rank < ALL_WORDS), *by_word, *whole]:
        merged.setdefault(hit.iri, hit)
    hits = list(merged.values())[:SUGGESTIONS]
    return page("resource/missing.html", {"slug": slug, "hits": hits, "kind_name": kind_name}, 404)
