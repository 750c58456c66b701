"""`/ontology`: the ontology's classes, properties and concept schemes as browsable trees.

Read from the ontology files (kg.ontology), the source of truth the store is loaded from; each term
has an anchor (`/ontology#Funding`) so that pages can link to it. Turtle by Accept or `?format=`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Response, render_template
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from avcluster.kg.namespaces import AVC, shorten
from avcluster.kg.ontology import ontology_graph

from ..i18n import current_language
from ..labels import best_label, graph_label
from . import GRAPH_MEDIA, HTML, content_type, negotiate, page_blueprint

bp = page_blueprint("ontology", __name__)

RDF_MEDIA = {
    asked: media
    for asked, media in GRAPH_MEDIA.items()
    if media in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
}
SERIALIZERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


@dataclass
class Term:
    iri: str
    label: str
    definition: str
    anchor: str | None
    notes: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)  # (what, [(text, href)])
    children: list[Term] = field(default_factory=list)


@bp.route("/ontology")
def page() -> Any:
    media = negotiate({HTML: HTML, **RDF_MEDIA}) or HTML
    graph = ontology_graph()
    if media != HTML:
        body = graph.serialize(format=SERIALIZERS[media], encoding="utf-8")
        return Response(body, content_type=content_type(media), headers={"Vary": "Accept"})
    trees = Trees(graph, current_language())
    html = render_template(
        "ontology/page.html",
        classes=trees.hierarchy(trees.typed(OWL.Class), RDFS.subClassOf, (("aligned with", RDFS.subClassOf, False),)),
        properties=trees.hierarchy(
            trees.typed(OWL.ObjectProperty) | trees.typed(OWL.DatatypeProperty),
            RDFS.subPropertyOf,
            (("domain", RDFS.domain, True), ("range", RDFS.range, True), ("aligned with", RDFS.subPropertyOf, False)),
        ),
        schemes=trees.schemes(),
    )
    return Response(html, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


class Trees:
    """Terms of the ontology arranged by one hierarchy, each term once with an anchor (later
    appearances under a second parent link back to the first)."""

    def __init__(self, graph: Graph, lang: str) -> None:
        self.graph = graph
        self.lang = lang
        self.anchored: set[str] = set()

    def typed(self, cls: URIRef) -> set[Node]:
        return {s for s in self.graph.subjects(RDF.type, cls) if str(s).startswith(str(AVC))}

    def term(self, node: Node, notes: tuple[tuple[str, URIRef, bool], ...] = ()) -> Term:
        iri = str(node)
        anchor = iri[len(str(AVC)) :] if iri.startswith(str(AVC)) and iri not in self.anchored else None
        if anchor:
            self.anchored.add(iri)
        definitions = [
            (str(o), getattr(o, "language", None) or "")
            for p in (SKOS.definition, RDFS.comment)
            for o in self.graph.objects(node, p)
        ]
        shown = Term(iri, graph_label(self.graph, node, self.lang), best_label(definitions, self.lang) or "", anchor)  # type: ignore[arg-type]
        for what, predicate, include_own in notes:
            values = sorted(
                (v for v in self.graph.objects(node, predicate) if include_own or not str(v).startswith(str(AVC))),
                key=str,
            )
            if values:
                shown.notes.append((what, [self.reference(v) for v in values]))
        return shown

    def reference(self, node: Node) -> tuple[str, str | None]:
        members = self.graph.value(node, OWL.unionOf)
        if isinstance(node, BNode) and members is not None:
            return " or ".join(self.reference(m)[0] for m in Collection(self.graph, members)), None
        iri = str(node)
        if iri.startswith(str(AVC)):
            return graph_label(self.graph, node, self.lang), "#" + iri[len(str(AVC)) :]  # type: ignore[arg-type]
        return shorten(iri), None

    def hierarchy(self, members: set[Node], parent: URIRef, notes: tuple[tuple[str, URIRef, bool], ...]) -> list[Term]:
        children: dict[Node, list[Node]] = {}
        roots = []
        for node in members:
            parents = [p for p in self.graph.objects(node, parent) if p in members and p != node]
            for p in parents:
                children.setdefault(p, []).append(node)
            if not parents:
                roots.append(node)
        return self._grow(roots, children, notes, set())

    def _grow(
        self,
        nodes: list[Node],
        children: dict[Node, list[Node]],
        notes: tuple[tuple[str, URIRef, bool], ...],
        path: set[Node],
    ) -> list[Term]:
        grown = []
        for node in sorted(nodes, key=lambda n: graph_label(self.graph, n, self.lang).casefold()):  # type: ignore[arg-type]
            if node in path:  # a cycle in the data: stop rather than recurse forever
                continue
            shown = self.term(node, notes)
            shown.children = self._grow(children.get(node, []), children, notes, path | {node})
            grown.append(shown)
        return grown

    def schemes(self) -> list[Term]:
        """Each concept scheme with its concepts, arranged by skos:broader."""
        shown = []
        for scheme in sorted(self.typed(SKOS.ConceptScheme), key=str):
            concepts = {c for c in self.graph.subjects(SKOS.inScheme, scheme)} | {
                c for c in self.graph.objects(scheme, SKOS.hasTopConcept)
            }
            term = self.term(scheme)
            term.children = self.hierarchy(concepts, SKOS.broader, (("kind", RDF.type, True),))
            shown.append(term)
        return shown
