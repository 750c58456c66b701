"""OWL reasoning over the cluster graph: what the ontology entails, and where data contradicts it.

HermiT (through owlready2, needs Java) is the reasoner of record: it decides OWL 2 DL
consistency and finds entailed class memberships and object-property values. Without Java the
same call falls back to OWL 2 RL forward chaining (owlrl, pure Python), which infers less but
needs nothing installed.

Neither reasoner says *why* data is inconsistent (owlready2 only raises), so the culprits are
found here, engine-independently, by deriving what each individual must be (its asserted types
and the domains and ranges of the properties it takes part in) and looking for disjoint classes
among them, and by counting values of functional properties. Both engines therefore give the
same explanations.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal as TypingLiteral

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .namespaces import ID, ONTOLOGY_IRI, PREFIXES

_ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # where owlrl puts its errors
_INFERENCES_ONTOLOGY = "http://inferrences/"  # owlready2's (sic) ontology for reasoner output
# Instances read as `id/slug`, vocabulary terms as prefixed names.
_PREFIXES = {str(ID): "id/"} | {namespace: f"{prefix}:" for prefix, namespace in PREFIXES.items() if prefix != "id"}
_BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
_BUILTIN_ANNOTATIONS = frozenset(
    {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo, OWL.deprecated}
)
# Types that make a resource part of the vocabulary rather than an individual of the domain.
_META_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.TransitiveProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.Ontology,
        OWL.Restriction,
        OWL.AllDisjointClasses,
        OWL.AllDifferent,
        OWL.AllDisjointProperties,
        RDF.List,
    }
)
_TRIVIAL_TYPES = frozenset({OWL.Thing, OWL.NamedIndividual, RDFS.Resource})

Engine = TypingLiteral["auto", "hermit", "owlrl"]
Triple = tuple[Node, Node, Node]
_HERMIT_LOCK = threading.Lock()
_JAVA_OPTIONS = "JAVA_TOOL_OPTIONS"


@dataclass
class Reasoning:
    """The outcome of one reasoning run. `inferred` is empty whenever `inconsistencies` is not:
    an inconsistent graph entails everything, and a functional property with two values makes
    OWL merge them into one individual (owl:sameAs), whose copied facts are not worth storing."""

    inferred: Graph
    inconsistencies: list[str]
    engine: str
    seconds: float
    notice: str | None = None


def reason(data: Graph, ontology: Graph, *, engine: Engine = "auto") -> Reasoning:
    """Reason over `data` with `ontology` (avcluster.ttl and concepts.ttl).

    `inferred` holds only triples that are new (not asserted in either graph) and worth storing:
    class memberships along subclass axioms and entailed property values of individuals.
    """
    started = time.perf_counter()
    if engine not in ("auto", "hermit", "owlrl"):
        raise ValueError(f"unknown reasoning engine {engine!r}: use auto, hermit or owlrl")
    java = shutil.which("java")
    notice = None
    if engine == "auto":
        engine = "hermit" if java else "owlrl"
        if not java:
            notice = "Java not found, so HermiT cannot run: reasoning with OWL 2 RL (owlrl) instead."
    if engine == "hermit" and not java:
        raise RuntimeError("HermiT needs Java: install a Java runtime (e.g. openjdk-17-jre-headless)")

    asserted = _without_annotations(data, ontology)
    stated = set(asserted)
    model = _Model(asserted)
    problems = model.functional_clashes()
    errors: list[str] = []
    if engine == "hermit":
        found = _hermit(asserted, java or "java")
        consistent = found is not None
        entailed = model.with_closure(stated | found) if found is not None else set()
        clashes = [] if consistent else model.disjointness_clashes()
    else:
        entailed, errors = _owlrl(asserted)
        clashes = model.disjointness_clashes()
        consistent = not clashes and not errors
    if not consistent:
        problems += clashes or _unexplained(problems, errors)
    inferred = Graph()
    if consistent and not problems:
        for triple in _worth_keeping(entailed - stated, model):
            inferred.add(triple)
    for prefix, namespace in ontology.namespaces():
        inferred.bind(prefix, namespace)
    return Reasoning(
        inferred=inferred,
        inconsistencies=sorted(set(problems)),
        engine=engine,
        seconds=time.perf_counter() - started,
        notice=notice,
    )


def _without_annotations(data: Graph, ontology: Graph) -> Graph:
    """Union of both graphs without annotation triples: they entail nothing in OWL, and
    labels in three languages would otherwise make up a third of what the reasoner reads."""
    annotation = set(_BUILTIN_ANNOTATIONS)
    annotation.update(ontology.subjects(RDF.type, OWL.AnnotationProperty))  # type: ignore[arg-type]
    graph = Graph()
    for source in (ontology, data):
        for s, p, o in source:
            if p not in annotation:
                graph.add((s, p, o))
    return graph


@contextmanager
def _hermit_process() -> Iterator[None]:
    """The process setting HermiT runs in, which owlready2 gives no parameter for.

    owlready2 writes HermiT's input with NamedTemporaryFile(delete=False) and leaves it behind
    when HermiT fails, so `tempfile` points at a directory removed afterwards. The JVM runs with
    its quick (C1) compiler only: HermiT runs are short, and measured here it halves the time
    (3.2 s to 1.6 s for ~200 individuals, 12.8 s to 6.6 s for ~5,000). Both settings are
    process-wide, hence the lock; they are restored at once.
    """
    with _HERMIT_LOCK, tempfile.TemporaryDirectory(prefix="avcluster-hermit-") as private:
        previous_tempdir = tempfile.tempdir
        previous_options = os.environ.get(_JAVA_OPTIONS)
        tempfile.tempdir = private
        os.environ[_JAVA_OPTIONS] = " ".join(filter(None, [previous_options, "-XX:TieredStopAtLevel=1"]))
        try:
            yield
        finally:
            tempfile.tempdir = previous_tempdir
            if previous_options is None:
                del os.environ[_JAVA_OPTIONS]
            else:
                os.environ[_JAVA_OPTIONS] = previous_options


def _hermit(asserted: Graph, java: str) -> set[Triple] | None:
    """HermiT's inferences as owlready2 reports them, or None when HermiT finds the graph inconsistent."""
    import owlready2

    owlready2.JAVA_EXE = java
    triples = asserted.serialize(format="nt", encoding="utf-8")
    world = owlready2.World()
    try:
        ontology = world.get_ontology(ONTOLOGY_IRI)
        ontology.load(fileobj=io.BytesIO(triples), format="ntriples")
        with _hermit_process():
            try:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
                )
            except owlready2.OwlReadyInconsistentOntologyError:
                return None
            except (owlready2.OwlReadyJavaError, subprocess.SubprocessError) as error:
                lines = [ln for ln in str(error).splitlines()[1:] if ln.strip() and not ln.startswith("Picked up")]
                detail = lines[0] if lines else str(error)
                raise RuntimeError(f"HermiT failed: {detail.strip()}") from error
        output = io.BytesIO()
        world.get_ontology(_INFERENCES_ONTOLOGY).save(file=output, format="ntriples")
    finally:
        world.close()
    return set(Graph().parse(data=output.getvalue(), format="nt"))


def _owlrl(asserted: Graph) -> tuple[set[Triple], list[str]]:
    """Asserted plus its OWL 2 RL closure, and the inconsistencies owlrl found (it records them
    as err:error nodes in the graph)."""
    from owlrl import DeductiveClosure, OWLRL_Semantics

    closure = Graph()
    closure += asserted
    DeductiveClosure(OWLRL_Semantics, improved_datatypes=False).expand(closure)
    return set(closure), sorted(str(message) for message in closure.objects(None, _ERR.error))


def _unexplained(problems: list[str], errors: list[str]) -> list[str]:
    """Words for an inconsistency that no disjointness clash explains. A functional property
    with two values that are known to differ (e.g. two roles) explains it already."""
    if problems:
        return []
    if errors:
        return [f"OWL RL: {error}" for error in errors]
    return [
        "HermiT found the data inconsistent with the ontology, but no clash of disjoint "
        "classes or functional properties explains it"
    ]


def _worth_keeping(new: set[Triple], model: _Model) -> Iterator[Triple]:
    """Triples about individuals: memberships of named classes and values of the domain's
    properties; no blank nodes, no owl:Thing or owl:sameAs noise, nothing about the vocabulary."""
    for s, p, o in new:
        if s not in model.individuals or isinstance(o, BNode):
            continue
        if p == RDF.type:
            if o in model.classes and o not in _TRIVIAL_TYPES:
                yield s, p, o
        elif not str(p).startswith(_BUILTIN_NAMESPACES) and (isinstance(o, Literal) or o in model.individuals):
            yield s, p, o


def _short(node: Node) -> str:
    """`id/slug` for instances, `avc:Term` and other known prefixes for the vocabulary."""
    text = str(node)
    for namespace, prefix in _PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace) :]
    return f"<{text}>" if isinstance(node, URIRef) else text


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeio" else "a"


@dataclass(frozen=True)
class _Requirement:
    """A class an individual must belong to (one of `classes`, when a domain or range is a
    union) and, in words, why."""

    classes: frozenset[URIRef]
    why: str
    asserted: bool = False


class _Model:
    """The parts of the ontology that decide membership and disjointness, read from one graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.classes: set[Node] = set()
        vocabulary: set[Node] = set()
        for s, o in graph.subject_objects(RDF.type):
            if o in _META_TYPES:
                vocabulary.add(s)
                if o in (OWL.Class, RDFS.Class):
                    self.classes.add(s)
        self.superclasses = _closure(graph, (RDFS.subClassOf, OWL.equivalentClass))
        self.superproperties = _closure(graph, (RDFS.subPropertyOf, OWL.equivalentProperty))
        self.domains = self._class_sets(RDFS.domain)
        self.ranges = self._class_sets(RDFS.range)
        self.disjoint: set[frozenset[Node]] = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.disjointWith)}
        for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = list(Collection(graph, graph.value(group, OWL.members)))  # type: ignore[arg-type]
            self.disjoint.update(frozenset((a, b)) for a in members for b in members if a != b)
        self.functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty))
        self.symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))
        self.inverse: dict[Node, set[Node]] = defaultdict(set)
        for a, b in graph.subject_objects(OWL.inverseOf):
            self.inverse[a].add(b)
            self.inverse[b].add(a)
        self.individuals: set[Node] = set()
        for s, p, o in graph:
            if s in vocabulary or isinstance(s, BNode):
                continue
            if p == RDF.type and o not in _META_TYPES:
                self.individuals.add(s)
            elif not str(p).startswith(_BUILTIN_NAMESPACES):
                self.individuals.add(s)
                if isinstance(o, URIRef) and o not in vocabulary:
                    self.individuals.add(o)

    def _class_sets(self, axiom: URIRef) -> dict[Node, frozenset[URIRef]]:
        """Named class, or the named members of a union, per property."""
        found: dict[Node, frozenset[URIRef]] = {}
        for prop, cls in self.graph.subject_objects(axiom):
            if isinstance(cls, URIRef):
                found[prop] = frozenset({cls})
            elif (union := self.graph.value(cls, OWL.unionOf)) is not None:
                members = Collection(self.graph, union)
                found[prop] = frozenset(m for m in members if isinstance(m, URIRef))
        return found

    def with_closure(self, triples: set[Triple]) -> set[Triple]:
        """Add values along sub-, symmetric and inverse properties, then every superclass
        membership: HermiT's output through owlready2 has only the most specific types and
        (in its "known instances") no sub-property values."""
        closed = set(triples)
        todo = [t for t in closed if t[1] in self.superproperties or t[1] in self.symmetric or t[1] in self.inverse]
        while todo:
            s, p, o = todo.pop()
            for prop in self.superproperties.get(p, {p}):
                implied = [(s, prop, o)]
                if prop in self.symmetric:
                    implied.append((o, prop, s))
                implied += [(o, inverse, s) for inverse in self.inverse.get(prop, ())]
                for triple in implied:
                    if triple not in closed:
                        closed.add(triple)
                        todo.append(triple)
        memberships = {
            (s, RDF.type, sup)
            for s, p, cls in closed
            if p == RDF.type and s in self.individuals
            for sup in self.superclasses.get(cls, ())
        }
        return closed | memberships

    def _requirements(self) -> dict[Node, list[_Requirement]]:
        required: dict[Node, list[_Requirement]] = defaultdict(list)
        for s, p, o in self.graph:
            if s not in self.individuals:
                continue
            if p == RDF.type:
                if isinstance(o, URIRef) and o not in _META_TYPES and o not in _TRIVIAL_TYPES:
                    required[s].append(_Requirement(frozenset({o}), f"typed {_short(o)}", asserted=True))
                continue
            for prop in self.superproperties.get(p, {p}):
                if prop in self.domains:
                    classes = self.domains[prop]
                    required[s].append(_Requirement(classes, f"the subject of {_short(p)} (so {_either(classes)})"))
                if prop in self.ranges and not isinstance(o, Literal):
                    classes = self.ranges[prop]
                    why = f"the {_short(p)} of {_short(s)} (so {_either(classes)})"
                    required[o].append(_Requirement(classes, why))
        return required

    def _disjoint_pairs(self, one: frozenset[URIRef], other: frozenset[URIRef]) -> list[tuple[Node, Node]] | None:
        """The declared disjoint pairs that rule out every combination, or None if some is possible."""
        pairs: list[tuple[Node, Node]] = []
        for a in one:
            for b in other:
                found = [
                    (x, y)
                    for x in self.superclasses.get(a, {a})
                    for y in self.superclasses.get(b, {b})
                    if frozenset((x, y)) in self.disjoint
                ]
                if not found:
                    return None
                pairs.extend(found[:1])
        return pairs

    def disjointness_clashes(self) -> list[str]:
        clashes = []
        for node, requirements in self._requirements().items():
            requirements = self._most_specific(requirements)
            for i, first in enumerate(requirements):
                for second in requirements[i + 1 :]:
                    pairs = self._disjoint_pairs(first.classes, second.classes)
                    if pairs is None:
                        continue
                    clashes.append(f"{_short(node)} is {_both(first, second)}, which are disjoint: {_no_member(pairs)}")
        return clashes

    def _most_specific(self, requirements: list[_Requirement]) -> list[_Requirement]:
        """Drop asserted types implied by other asserted types, and repeated reasons."""
        asserted = {next(iter(r.classes)) for r in requirements if r.asserted}
        kept: dict[str, _Requirement] = {}
        for r in requirements:
            cls = next(iter(r.classes))
            implied = r.asserted and any(other != cls and cls in self.superclasses.get(other, ()) for other in asserted)
            if not implied:
                kept.setdefault(r.why, r)
        return sorted(kept.values(), key=lambda r: (not r.asserted, r.why))

    def functional_clashes(self) -> list[str]:
        clashes = []
        for prop in sorted(self.functional, key=str):
            values: dict[Node, set[Node]] = defaultdict(set)
            for s, o in self.graph.subject_objects(prop):
                values[s].add(o)
            for s, objects in values.items():
                if len(objects) > 1:
                    listed = ", ".join(sorted(_short(o) for o in objects))
                    clashes.append(
                        f"{_short(s)} has {len(objects)} values of {_short(prop)} ({listed}), "
                        f"but {_short(prop)} is functional: it takes one value"
                    )
        return clashes


def _both(first: _Requirement, second: _Requirement) -> str:
    if first.asserted and second.asserted:
        return f"typed both {first.why.removeprefix('typed ')} and {second.why.removeprefix('typed ')}"
    return f"{first.why} and {second.why}"


def _either(classes: Iterable[Node]) -> str:
    return " or ".join(sorted(_short(c) for c in classes))


def _no_member(pairs: list[tuple[Node, Node]]) -> str:
    by_first: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        by_first[_short(a)].add(_short(b))
    return "; ".join(
        f"no {first} is " + " or ".join(f"{_article(b)} {b}" for b in sorted(others))
        for first, others in sorted(by_first.items())
    )


def _closure(graph: Graph, axioms: tuple[URIRef, ...]) -> dict[Node, set[Node]]:
    """Reflexive-transitive closure of named sub-class (or sub-property) links, equivalence both ways."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for axiom in axioms:
        for child, parent in graph.subject_objects(axiom):
            if isinstance(child, URIRef) and isinstance(parent, URIRef):
                parents[child].add(parent)
                if axiom in (OWL.equivalentClass, OWL.equivalentProperty):
                    parents[parent].add(child)
    closure: dict[Node, set[Node]] = {}
    for start in list(parents):
        seen = {start}
        todo = [start]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        closure[start] = seen
    return closure
