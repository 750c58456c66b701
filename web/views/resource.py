"""`/resource/<slug>`: one entity, everything known about it, as a page or (by Accept) as RDF.

The page and the RDF come from the same description (kg.describe): the entity's own statements,
the relationships, flows, assignments, measures and observations about it, and the names and
sources of everything they mention. The page groups that description for a reader; the RDF is
the description itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from flask import Response, current_app, render_template
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from avcluster.kg.describe import describe_query
from avcluster.kg.errors import AvclusterError
from avcluster.kg.namespaces import AVC, ID, PREFIXES, SCHEMA
from avcluster.kg.ontology import ontology_graph
from avcluster.kg.stores import GRAPH_FORMATS
from avcluster.kg.validation import shorten

from ..labels import LABEL_PROPERTIES, graph_label
from . import GRAPH_MEDIA, HTML, Cell, content_type, error_status, negotiate, page_blueprint, resource_url, run_limited

bp = page_blueprint("resource", __name__)

NTRIPLES = "application/n-triples"
RDF_MEDIA = {
    asked: media
    for asked, media in GRAPH_MEDIA.items()
    if media in ("text/turtle", "application/ld+json", NTRIPLES, "application/rdf+xml")
}
LABELS = frozenset(URIRef(p) for p in LABEL_PROPERTIES)
# Statements shown in their own tables rather than as plain properties or back-links.
SHOWN_ELSEWHERE = frozenset({RDF.type, DCTERMS.source, RDFS.comment, *LABELS})
MAX_NEIGHBOURS = 150


@lru_cache(maxsize=16)
def kinds(root: str) -> frozenset[Node]:
    """A class and every class under it in the ontology."""
    graph = ontology_graph()
    return frozenset(n for n in graph.transitive_subjects(RDFS.subClassOf, URIRef(root)) if n is not None)


@bp.route("/resource/<path:slug>")
def page(slug: str) -> Any:
    iri = str(ID) + slug
    try:
        query = describe_query(iri)
    except ValueError:
        return missing(slug)
    media = negotiate({HTML: HTML, **RDF_MEDIA}) or HTML
    try:
        answer = run_limited(query, accept=NTRIPLES)
    except AvclusterError as error:
        return render_template("resource/error.html", slug=slug, error=str(error)), error_status(error)
    triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    node = ox.NamedNode(iri)
    if not any(t.subject == node or t.object == node for t in triples):
        return missing(slug)
    if media != HTML:
        body = ox.serialize(triples, format=GRAPH_FORMATS[media], prefixes=PREFIXES) or b""
        return Response(body, content_type=content_type(media), headers={"Vary": "Accept"})
    graph = Graph()
    graph.parse(data=answer.body.decode("utf-8"), format="nt")
    view = Description(graph, URIRef(iri), int(current_app.config["MAX_HTML_ROWS"])).build()
    html = render_template("resource/page.html", view=view, slug=slug)
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def missing(slug: str) -> tuple[str, int]:
    return render_template("resource/missing.html", slug=slug), 404


@dataclass
class Description:
    """A resource's description grouped for a reader: tables of cells, in the reader's language."""

    graph: Graph
    entity: URIRef
    limit: int
    sources: dict[Node, dict[str, Any]] = field(default_factory=dict)
    covered: set[Node] = field(default_factory=set)

    def name(self, node: Node) -> str:
        named = graph_label(self.graph, node)  # type: ignore[arg-type]
        return named if named != shorten(str(node)) else graph_label(ontology_graph(), node)  # type: ignore[arg-type]

    def cell(self, node: Node | None) -> Cell:
        if node is None:
            return Cell("")
        if isinstance(node, URIRef):
            text = shorten(str(node))
            label = self.name(node)
            return Cell(text, label if label != text else None, resource_url(str(node)), str(node), label.casefold())
        if isinstance(node, Literal):
            title = f"@{node.language}" if node.language else shorten(str(node.datatype or ""))
            return Cell(str(node), title=title, sort=str(node))
        return Cell(str(node))

    def value(self, subject: Node, predicate: URIRef) -> Cell:
        return self.cell(self.graph.value(subject, predicate))

    def cited(self, subject: Node) -> list[Cell]:
        """The sources of one statement, recorded for the page's list of sources."""
        found = []
        for source in sorted(self.graph.objects(subject, DCTERMS.source), key=str):
            if source not in self.sources:
                self.sources[source] = self.source(source)
            found.append(self.cell(source))
        return found

    def source(self, source: Node) -> dict[str, Any]:
        url = self.graph.value(source, SCHEMA.url)
        return {
            "link": self.cell(source),
            "title": str(self.graph.value(source, DCTERMS.title) or shorten(str(source))),
            "url": str(url) if url is not None and str(url).startswith(("http://", "https://")) else None,
            "date": str(self.graph.value(source, DCTERMS.date) or ""),
            "quotes": sorted(str(q) for q in self.graph.objects(source, RDFS.comment)),
        }

    def statements(self, predicates: Iterable[URIRef], root: str) -> list[Node]:
        """Resources of kind `root` that point at the entity by one of `predicates`."""
        wanted = kinds(root)
        found = {
            s
            for p in predicates
            for s in self.graph.subjects(p, self.entity)
            if any(t in wanted for t in self.graph.objects(s, RDF.type))
        }
        self.covered |= found
        return sorted(found, key=str)

    def kind(self, statement: Node, root: str) -> Cell:
        """The most specific type of a statement under `root`."""
        wanted = kinds(root)
        types = [t for t in self.graph.objects(statement, RDF.type) if t in wanted]
        specific = [t for t in types if not any(o != t and (o, RDFS.subClassOf, t) in ontology_graph() for o in types)]
        return self.cell(sorted(specific or types, key=str)[0])

    def ties(self, root: str, columns: Callable[[Node], list[Cell]]) -> list[dict[str, Any]]:
        """Relationships or flows of the entity, each with its direction and the actor at the other end."""
        rows = []
        for statement in self.statements((AVC.fromActor, AVC.toActor), root):
            outgoing = (statement, AVC.fromActor, self.entity) in self.graph
            other = self.graph.value(statement, AVC.toActor if outgoing else AVC.fromActor)
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

    def build(self) -> dict[str, Any]:
        g, e = self.graph, self.entity
        relationships = self.ties(
            str(AVC.Relationship),
            lambda s: [self.value(s, AVC.startDate), self.value(s, AVC.endDate), self.value(s, AVC.strength)],
        )
        flows = self.ties(
            str(AVC.Flow),
            lambda s: [self.value(s, AVC.year), self.value(s, AVC.amount), self.value(s, AVC.currency)],
        )
        competencies = [
            {
                "cells": [
                    self.value(s, AVC.competency),
                    self.value(s, AVC.role),
                    self.value(s, AVC.startDate),
                    self.value(s, AVC.endDate),
                ],
                "sources": self.cited(s),
            }
            for s in self.statements((AVC.assignedTo,), str(AVC.CompetencyAssignment))
        ]
        measures = [
            {
                "cells": [
                    self.cell(s),
                    self.kind(s, str(AVC.PolicyMeasure)),
                    self.value(s, AVC.issuedBy),
                    self.value(s, AVC.rate),
                    self.value(s, AVC.amount),
                    self.value(s, AVC.currency),
                    self.value(s, AVC.startDate),
                    self.value(s, AVC.endDate),
                ],
                "sources": self.cited(s),
            }
            for s in self.statements((AVC.issuedBy, AVC.benefits, AVC.region), str(AVC.PolicyMeasure))
        ]
        observations = [
            {
                "cells": [
                    self.value(s, AVC.indicator),
                    self.value(s, AVC.value),
                    self.value(s, AVC.unit),
                    self.value(s, AVC.year),
                ],
                "sources": self.cited(s),
            }
            for s in self.statements((AVC.region,), str(AVC.Observation))
        ]
        members = sorted((self.cell(s) for s in g.subjects(AVC.memberOf, e)), key=lambda c: c.sort)
        properties = [
            [self.cell(p), self.cell(o)]
            for p, o in sorted(g.predicate_objects(e), key=lambda po: (str(po[0]), str(po[1])))
            if p not in SHOWN_ELSEWHERE
        ]
        referenced = [
            [self.cell(s), self.cell(p)]
            for s, p in sorted(g.subject_predicates(e), key=lambda sp: (str(sp[0]), str(sp[1])))
            if s not in self.covered and p != AVC.memberOf
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
            "iri": str(e),
            "title": self.name(e),
            "labels": sorted(
                ((o.language or "", str(o)) for p in LABELS for o in g.objects(e, p) if isinstance(o, Literal)),
            ),
            "types": sorted((self.cell(t) for t in g.objects(e, RDF.type)), key=lambda c: c.sort),
            "is_source": (e, RDF.type, AVC.Source) in g,
            "comments": sorted(str(c) for c in g.objects(e, RDFS.comment)),
            "sources": sorted(self.sources.values(), key=lambda s: s["title"].casefold()),
            "neighbourhood": self.neighbourhood(shown["relationships"] + shown["flows"], shown["members"]),
        }

    def neighbourhood(self, ties: list[dict[str, Any]], members: list[Cell]) -> dict[str, list[dict[str, Any]]]:
        """The entity, the actors it is tied to and its members, for the small graph (at most
        MAX_NEIGHBOURS of them: a hub's whole neighbourhood is no longer small, nor quick to draw)."""
        focus = str(self.entity)
        nodes = {focus: {"id": focus, "label": self.name(self.entity), "href": None, "focus": True}}
        edges = []
        for tie in ties:
            other = tie["other"]
            if other is None or (str(other) not in nodes and len(nodes) > MAX_NEIGHBOURS):
                continue
            shown = self.cell(other)
            nodes.setdefault(str(other), {"id": str(other), "label": shown.label or shown.text, "href": shown.href})
            ends = (focus, str(other)) if tie["outgoing"] else (str(other), focus)
            edges.append({"from": ends[0], "to": ends[1], "label": tie["cells"][1].label or tie["cells"][1].text})
        for member in members:
            if member.title not in nodes and len(nodes) > MAX_NEIGHBOURS:
                break
            nodes.setdefault(
                member.title, {"id": member.title, "label": member.label or member.text, "href": member.href}
            )
            edges.append({"from": member.title, "to": focus, "label": self.name(AVC.memberOf)})
        return {"nodes": list(nodes.values()), "edges": edges}
