"""`/resource/<slug>`: one entity, everything known about it, as a page or (by Accept) as RDF.

The page and the RDF come from the same description (kg.describe): the entity's own statements,
the relationships, flows, assignments, measures and observations about it, and the names and
sources of everything they mention. The page groups that description for a reader; the RDF is
the description itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from flask import Response, current_app, render_template

from avcluster.kg.describe import describe_query
from avcluster.kg.labels import LABEL_PROPERTIES, best_label
from avcluster.kg.namespaces import AVC, DCTERMS, ID, PREFIXES, RDF, RDFS, SCHEMA, shorten
from avcluster.kg.ontology import ontology_triples
from avcluster.kg.stores import GRAPH_FORMATS
from avcluster.kg.terms import Term

from ..i18n import current_language
from . import GRAPH_MEDIA, HTML, Cell, content_type, negotiate, page_blueprint, resource_url, run_limited
from .search import missing

bp = page_blueprint("resource", __name__)

NTRIPLES = "application/n-triples"
RDF_MEDIA = {
    asked: media
    for asked, media in GRAPH_MEDIA.items()
    if media in ("text/turtle", "application/ld+json", NTRIPLES, "application/rdf+xml")
}
LABELS = tuple(ox.NamedNode(p) for p in LABEL_PROPERTIES)
TYPE, SUBCLASS, SOURCE, COMMENT = (
    ox.NamedNode(str(t)) for t in (RDF.type, RDFS.subClassOf, DCTERMS.source, RDFS.comment)
)
# Statements shown in their own tables rather than as plain properties or back-links.
SHOWN_ELSEWHERE = frozenset({TYPE, SOURCE, COMMENT, *LABELS})
MAX_NEIGHBOURS = 150


def avc(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(AVC) + local)


class Triples:
    """A handful of triples (one resource's description), asked as a graph is: objects, subjects, values."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self._store = ox.Store()
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def _match(self, s: Term | None, p: ox.NamedNode | None, o: Term | None) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(s, p, o, ox.DefaultGraph())  # type: ignore[arg-type]

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        return [q.object for q in self._match(subject, predicate, None)]  # type: ignore[misc]

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> list[Term]:
        return [q.subject for q in self._match(None, predicate, obj)]  # type: ignore[misc]

    def value(self, subject: Term, predicate: ox.NamedNode) -> Term | None:
        return next(iter(sorted(self.objects(subject, predicate), key=str)), None)

    def has(self, subject: Term, predicate: ox.NamedNode, obj: Term) -> bool:
        return next(self._match(subject, predicate, obj), None) is not None

    def about(self, subject: Term) -> list[tuple[ox.NamedNode, Term]]:
        return sorted(((q.predicate, q.object) for q in self._match(subject, None, None)), key=str)  # type: ignore[misc]

    def pointing_at(self, obj: Term) -> list[tuple[Term, ox.NamedNode]]:
        return sorted(((q.subject, q.predicate) for q in self._match(None, None, obj)), key=str)  # type: ignore[misc]

    def label(self, node: Term, lang: str) -> str | None:
        candidates = [
            (o.value, o.language or "")
            for p in LABELS
            for o in sorted(self.objects(node, p), key=str)
            if isinstance(o, ox.Literal)
        ]
        return best_label(candidates, lang)


@lru_cache(maxsize=1)
def ontology() -> Triples:
    return Triples(ontology_triples())


@lru_cache(maxsize=16)
def kinds(root: str) -> frozenset[Term]:
    """A class and every class under it in the ontology."""
    found, todo = {ox.NamedNode(root)}, [ox.NamedNode(root)]
    while todo:
        for child in ontology().subjects(SUBCLASS, todo.pop()):
            if child not in found and isinstance(child, ox.NamedNode):
                found.add(child)
                todo.append(child)
    return frozenset(found)


@bp.route("/resource/<path:slug>")
def page(slug: str) -> Any:
    iri = str(ID) + slug
    try:
        query = describe_query(iri)
    except ValueError:
        return missing(slug)
    media = negotiate({HTML: HTML, **RDF_MEDIA}) or HTML
    answer = run_limited(query, accept=NTRIPLES)
    triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    node = ox.NamedNode(iri)
    if not any(t.subject == node or t.object == node for t in triples):
        return missing(slug)
    if media != HTML:
        body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=PREFIXES) or b""
        return Response(body, content_type=content_type(media), headers={"Vary": "Accept"})
    limit = int(current_app.config["MAX_HTML_ROWS"])
    view = Description(Triples(triples), node, limit, current_language()).build()
    html = render_template("resource/page.html", view=view, slug=slug)
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@dataclass
class Description:
    """A resource's description grouped for a reader: tables of cells, in the reader's language."""

    graph: Triples
    entity: ox.NamedNode
    limit: int
    lang: str
    sources: dict[Term, dict[str, Any]] = field(default_factory=dict)
    covered: set[Term] = field(default_factory=set)

    def name(self, node: Term) -> str:
        return self.graph.label(node, self.lang) or ontology().label(node, self.lang) or shorten(str(node.value))

    def cell(self, node: Term | None) -> Cell:
        if node is None:
            return Cell("")
        if isinstance(node, ox.NamedNode):
            text = shorten(node.value)
            label = self.name(node)
            return Cell(text, label if label != text else None, resource_url(node.value), node.value, label.casefold())
        if isinstance(node, ox.Literal):
            title = f"@{node.language}" if node.language else shorten(node.datatype.value)
            return Cell(node.value, title=title, sort=node.value)
        return Cell(str(node))

    def value(self, subject: Term, predicate: ox.NamedNode) -> Cell:
        return self.cell(self.graph.value(subject, predicate))

    def text(self, subject: Term, predicate: ox.NamedNode) -> str:
        found = self.graph.value(subject, predicate)
        return found.value if isinstance(found, ox.NamedNode | ox.Literal) else ""

    def cited(self, subject: Term) -> list[Cell]:
        """The sources of one statement, recorded for the page's list of sources."""
        found = []
        for source in sorted(self.graph.objects(subject, SOURCE), key=str):
            if source not in self.sources:
                self.sources[source] = self.source(source)
            found.append(self.cell(source))
        return found

    def source(self, source: Term) -> dict[str, Any]:
        url = self.text(source, ox.NamedNode(str(SCHEMA.url)))
        quotes = self.graph.objects(source, avc("quote")) + self.graph.objects(source, COMMENT)
        return {
            "link": self.cell(source),
            "title": self.text(source, ox.NamedNode(str(DCTERMS.title))) or shorten(str(source.value)),
            "url": url if url.startswith(("http://", "https://")) else None,
            "date": self.text(source, ox.NamedNode(str(DCTERMS.date))),
            "quotes": sorted(q.value for q in quotes if isinstance(q, ox.Literal)),
        }

    def statements(self, predicates: Iterable[ox.NamedNode], root: str) -> list[Term]:
        """Resources of kind `root` that point at the entity by one of `predicates`."""
        wanted = kinds(root)
        found = {
            s
            for p in predicates
            for s in self.graph.subjects(p, self.entity)
            if any(t in wanted for t in self.graph.objects(s, TYPE))
        }
        self.covered |= found
        return sorted(found, key=str)

    def kind(self, statement: Term, root: str) -> Cell:
        """The most specific type of a statement under `root`."""
        wanted = kinds(root)
        types = [t for t in self.graph.objects(statement, TYPE) if t in wanted]
        specific = [t for t in types if not any(o != t and ontology().has(o, SUBCLASS, t) for o in types)]
        return self.cell(sorted(specific or types, key=str)[0])

    def ties(self, root: str, columns: Callable[[Term], list[Cell]]) -> list[dict[str, Any]]:
        """Relationships or flows of the entity, each with its direction and the actor at the other end."""
        rows = []
        for statement in self.statements((avc("fromActor"), avc("toActor")), root):
            outgoing = self.graph.has(statement, avc("fromActor"), self.entity)
            other = self.graph.value(statement, avc("toActor" if outgoing else "fromActor"))
            rows.append(
                {
                    "statement": statement,
                    "other": other,
                    "outgoing": outgoing,
                    "cells": [self.cell(statement), self.kind(statement, root), self.cell(other), *columns(statement)],
                    "sources": self.cited(statement),
                }
            )
        return rows

    def facts(
        self, predicates: tuple[str, ...], root: str, columns: Callable[[Term], list[Cell]]
    ) -> list[dict[str, Any]]:
        """Assignments, measures or observations about the entity, as rows of cells with their sources."""
        return [
            {"cells": columns(s), "sources": self.cited(s)}
            for s in self.statements([avc(p) for p in predicates], str(AVC[root]))
        ]

    def build(self) -> dict[str, Any]:
        g, e = self.graph, self.entity
        v = self.value
        relationships = self.ties(
            str(AVC.Relationship), lambda s: [v(s, avc("startDate")), v(s, avc("endDate")), v(s, avc("strength"))]
        )
        flows = self.ties(str(AVC.Flow), lambda s: [v(s, avc("year")), v(s, avc("amount")), v(s, avc("currency"))])
        competencies = self.facts(
            ("assignedTo",),
            "CompetencyAssignment",
            lambda s: [v(s, avc(p)) for p in ("competency", "role", "startDate", "endDate")],
        )
        measures = self.facts(
            ("issuedBy", "benefits", "region"),
            "PolicyMeasure",
            lambda s: [
                self.cell(s),
                self.kind(s, str(AVC.PolicyMeasure)),
                *(v(s, avc(p)) for p in ("issuedBy", "rate", "amount", "currency", "startDate", "endDate")),
            ],
        )
        observations = self.facts(
            ("region",), "Observation", lambda s: [v(s, avc(p)) for p in ("indicator", "value", "unit", "year")]
        )
        members = sorted((self.cell(s) for s in g.subjects(avc("memberOf"), e)), key=lambda c: c.sort)
        properties = [[self.cell(p), self.cell(o)] for p, o in g.about(e) if p not in SHOWN_ELSEWHERE]
        referenced = [
            [self.cell(s), self.cell(p)] for s, p in g.pointing_at(e) if s not in self.covered and p != avc("memberOf")
        ]
        self.cited(e)  # the entity's own sources join the list
        sections: dict[str, list[Any]] = {
            "relationships": relationships,
            "flows": flows,
            "competencies": competencies,
            "measures": measures,
            "observations": observations,
            "members": members,
            "properties": properties,
            "referenced": referenced,
        }
        shown = {name: rows[: self.limit] for name, rows in sections.items()}
        return {
            **shown,
            "totals": {name: len(rows) for name, rows in sections.items()},
            "iri": e.value,
            "title": self.name(e),
            "labels": sorted(
                (o.language or "", o.value) for p in LABELS for o in g.objects(e, p) if isinstance(o, ox.Literal)
            ),
            "types": sorted((self.cell(t) for t in g.objects(e, TYPE)), key=lambda c: c.sort),
            "is_source": g.has(e, TYPE, avc("Source")),
            "is_region": g.has(e, TYPE, avc("Region")),
            "comments": sorted(c.value for c in g.objects(e, COMMENT) if isinstance(c, ox.Literal)),
            "quotes": sorted(q.value for q in g.objects(e, avc("quote")) if isinstance(q, ox.Literal)),
            "sources": sorted(self.sources.values(), key=lambda s: s["title"].casefold()),
            "neighbourhood": self.neighbourhood(shown["relationships"] + shown["flows"], shown["members"]),
        }

    def neighbourhood(self, ties: list[dict[str, Any]], members: list[Cell]) -> dict[str, list[dict[str, Any]]]:
        """The entity, the actors it is tied to and its members, for the small graph (at most
        MAX_NEIGHBOURS of them: a hub's whole neighbourhood is no longer small, nor quick to draw)."""
        focus = self.entity.value
        nodes = {focus: {"id": focus, "label": self.name(self.entity), "href": None, "focus": True}}
        edges = []
        for tie in ties:
            other = tie["other"]
            if other is None or (other.value not in nodes and len(nodes) > MAX_NEIGHBOURS):
                continue
            shown = self.cell(other)
            nodes.setdefault(other.value, {"id": other.value, "label": shown.label or shown.text, "href": shown.href})
            ends = (focus, other.value) if tie["outgoing"] else (other.value, focus)
            edges.append({"from": ends[0], "to": ends[1], "label": tie["cells"][1].label or tie["cells"][1].text})
        for member in members:
            if member.title not in nodes and len(nodes) > MAX_NEIGHBOURS:
                break
            nodes.setdefault(
                member.title, {"id": member.title, "label": member.label or member.text, "href": member.href}
            )
            edges.append({"from": member.title, "to": focus, "label": self.name(avc("memberOf"))})
        return {"nodes": list(nodes.values()), "edges": edges}
