"""SHACL shapes compiled into SPARQL SELECT queries, so that validation runs inside the engine.

pyshacl validates in Python, focus node by focus node: 4-14 s for a synthetic cluster of 200 actors,
minutes at 1,000, hours at 50,000. Here each constraint of ontology/shapes.ttl becomes one SELECT
that finds every offending focus node of the whole graph at once, and Oxigraph answers it in
milliseconds to seconds. pyshacl stays the reference: tests/test_shacl_sparql.py runs both on the
fixtures, on a synthetic cluster and on mutations of it, and asserts the same results.

The compiler covers the SHACL Core the shapes use, and a few close relatives: targets (sh:targetClass,
sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf, SHACL-AF sh:SPARQLTarget, implicit class
targets), any SHACL path, sh:minCount/sh:maxCount, sh:qualifiedValueShape with its counts,
sh:hasValue, sh:class, sh:datatype, sh:nodeKind, sh:in, sh:pattern, the four value ranges, and
sh:or/sh:and/sh:not/sh:node over those. Anything else in the sh: namespace stops compilation with
the shape's name: a check that silently did nothing would pass bad data.

Engine notes: FILTER NOT EXISTS is evaluated once per row in Oxigraph (oxigraph#885), so a missing
value is written as OPTIONAL + !BOUND, a value of the wrong class as MINUS (its right side, the
instances of the class, is read once), and counts as GROUP BY + HAVING. Every test on a value is wrapped in COALESCE so
that an error (comparing text with a number, an ill-formed literal) means "does not conform", as in
SHACL, rather than silently dropping the row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import count

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from .errors import AvclusterError
from .namespaces import shorten
from .ontology import shapes_graph
from .terms import to_ntriples
from .workers import run_shared

# Datatypes whose lexical forms the engine can check by casting: an ill-formed literal does not
# conform (SHACL 4.1.2). For others only the datatype IRI is compared, as pyshacl does.
_CASTABLE = {
    XSD[name]
    for name in (
        "integer", "decimal", "float", "double", "boolean", "date", "time", "dateTime", "gYear", "gYearMonth",
        "gMonth", "gDay", "gMonthDay", "duration", "dayTimeDuration", "yearMonthDuration",
    )
}  # fmt: skip
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
_RANGES: dict[Node, str] = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
PROGRESS_SECONDS = 2.0  # a long check says how far it is this often; a short one says nothing
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# Describe a shape without constraining anything.
_META = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.deactivated, SH.defaultValue}
# Constraints on the value nodes themselves: a node shape's focus, or each value of a property shape.
_VALUE_TESTS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.hasValue,
                SH["or"], SH["and"], SH["not"], SH.node, *_RANGES}  # fmt: skip
_COUNTS = {SH.minCount, SH.maxCount, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
           SH.qualifiedValueShapesDisjoint}  # fmt: skip


class ShapeError(AvclusterError):
    """A shape uses SHACL this compiler does not translate; raised when the shapes are compiled."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SELECT returning (?this ?path ?message ?severity) rows.

    Each "instance of class C" test stands in `sparql` as a slot the compiler wrote; `query` fills it
    with the class and its subclasses as the store knows them, as a VALUES list: the same answers as
    the path `rdf:type/rdfs:subClassOf*`, but Oxigraph plans a join over a fixed list far better.
    """

    shape: str
    sparql: str
    instances: tuple[tuple[int, str, str], ...] = ()  # (slot, variable, class IRI as SPARQL)

    def query(self, subclasses: Callable[[str], list[str] | None]) -> str:
        """The runnable SELECT; `subclasses(C)` lists C and its subclasses, or None when they cannot
        be listed (a blank-node subclass), and then the test keeps the path."""
        text = self.sparql
        for slot, var, cls in self.instances:
            listed = subclasses(cls)
            clause = (
                f"VALUES ?_class{slot} {{ {' '.join(listed)} }} {var} {_TYPE} ?_class{slot} ."
                if listed is not None
                else f"{var} {_TYPE}/{_SUBCLASS}* {cls} ."
            )
            text = text.replace(_slot(slot), clause)
        return text


_TYPE, _SUBCLASS = to_ntriples(RDF.type), to_ntriples(RDFS.subClassOf)


def _slot(number: int) -> str:
    """Where the compiler leaves an instance test (never valid SPARQL: a slot left unfilled fails)."""
    return f"#instance-of:{number}#\n"


@dataclass(frozen=True)
class Result:
    """One focus node that fails one check, with the shape's own words."""

    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    path: str | None
    message: str
    severity: str  # Violation | Warning | Info


@dataclass(frozen=True)
class _Test:
    """When a value node (?value) conforms: an expression that is true, or a pattern that matches it.

    Expressions never raise (each test is wrapped in COALESCE); patterns bind ?value themselves, so
    they can stand alone on the right of a MINUS.
    """

    expr: str | None = None
    pattern: str | None = None


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every targeted shape as a query; ShapeError on anything not translated."""
    checks: list[Check] = []
    for shape in sorted(_targeted(shapes), key=str):
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        checks.extend(_Compiler(shapes, shape).checks())
    return checks


@lru_cache(maxsize=1)
def project_checks() -> tuple[Check, ...]:
    """The compiled checks of ontology/shapes.ttl (compiled once per process)."""
    return tuple(compile_shapes(shapes_graph()))


def run(
    store: ox.Store,
    checks: Iterable[Check],
    progress: Callable[[str], None] | None = None,
    *,
    workers: int = 1,
) -> list[Result]:
    """Run the checks over the union of the store's graphs; each (focus, message) once.

    With workers > 1 the checks are shared among forked processes, each reading the same store
    (copy-on-write: the store must not be written meanwhile, and no other thread may use it).
    """
    checks = list(checks)
    shares = [checks[i::workers] for i in range(max(1, workers))]
    jobs = [partial(_results, store, shares[0], progress, len(checks))]
    jobs += [partial(_results, store, share) for share in shares[1:]]
    results = [result for share in run_shared(jobs) for result in share]
    found: dict[tuple[str, str], Result] = {}
    for result in results:
        found.setdefault((str(result.focus), result.message), result)
    return list(found.values())


def _results(
    store: ox.Store, checks: list[Check], progress: Callable[[str], None] | None = None, total: int = 0
) -> list[Result]:
    known: dict[str, list[str] | None] = {}

    def subclasses(cls: str) -> list[str] | None:
        if cls not in known:
            found = store.query(f"SELECT ?k WHERE {{ ?k {_SUBCLASS}* {cls} }}", use_default_graph_as_union=True)
            assert isinstance(found, ox.QuerySolutions)
            classes = [row[0] for row in found]
            iris = all(isinstance(k, ox.NamedNode) for k in classes)
            known[cls] = sorted(str(k) for k in classes) if iris else None
        return known[cls]

    results = []
    said = time.monotonic()
    for number, check in enumerate(checks, 1):
        if progress and time.monotonic() - said > PROGRESS_SECONDS:
            progress(
                f"shape checks: {number} of {len(checks)}"
                + (f" here, of {total} in all" if total > len(checks) else "")
            )
            said = time.monotonic()
        solutions = store.query(check.query(subclasses), use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        for focus, path, message, severity in solutions:
            assert isinstance(focus, ox.NamedNode | ox.BlankNode | ox.Literal)
            assert isinstance(message, ox.Literal) and isinstance(severity, ox.NamedNode)
            path_iri = path.value if isinstance(path, ox.NamedNode) else None
            results.append(Result(focus, path_iri, message.value, severity.value.removeprefix(str(SH))))
    return results


_slots = count()


def _targeted(shapes: Graph) -> set[Node]:
    targeted: set[Node] = {s for p in _TARGETS for s in shapes.subjects(p, None)}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
                targeted.add(shape)  # implicit class target
    return targeted


class _Compiler:
    """Compiles one targeted shape and the property shapes it holds."""

    def __init__(self, shapes: Graph, shape: Node) -> None:
        self.g = shapes
        self.shape = shape
        self.name = _name(shape)
        self.instances: list[tuple[int, str, str]] = []

    def checks(self) -> list[Check]:
        target = self._target()
        checks: list[Check] = []
        if (self.shape, SH.path, None) in self.g:
            checks += self._property(self.shape, target, self._target_predicates())
        else:
            self._allow(self.shape, {*_VALUE_TESTS, *_TARGETS, SH.property, RDF.type, *_META})
            test = self._node_test(self.shape, own=True)
            if test is not None:
                inner = f"{target} BIND(?this AS ?value)"
                checks.append(self._check(self.shape, None, _violations(inner, test)))
        for prop in sorted(self.g.objects(self.shape, SH.property), key=str):
            if (prop, SH.deactivated, Literal(True)) not in self.g:
                checks += self._property(prop, target, self._target_predicates())
        return checks

    # --- targets ---------------------------------------------------------------------------------

    def _target(self) -> str:
        """A pattern binding ?this to each focus node (some more than once)."""
        parts = []
        for cls in self.g.objects(self.shape, SH.targetClass):
            parts.append(self._instance("?this", cls))
        if (self.shape, RDF.type, RDFS.Class) in self.g or (self.shape, RDF.type, OWL.Class) in self.g:
            parts.append(self._instance("?this", self.shape))
        nodes = list(self.g.objects(self.shape, SH.targetNode))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(_term(n) for n in nodes) + " }")
        for predicate in self.g.objects(self.shape, SH.targetSubjectsOf):
            parts.append(f"?this {_iri(predicate)} ?any .")
        for predicate in self.g.objects(self.shape, SH.targetObjectsOf):
            parts.append(f"?any {_iri(predicate)} ?this .")
        for target in self.g.objects(self.shape, SH.target):
            parts.append(self._sparql_target(target))
        # No DISTINCT subquery: Oxigraph joins a subquery row by row; duplicates go at the outer DISTINCT.
        return "{ " + " UNION ".join("{ " + p + " }" for p in parts) + " }"

    def _target_predicates(self) -> set[Node]:
        return set(self.g.objects(self.shape, SH.targetSubjectsOf))

    def _sparql_target(self, target: Node) -> str:
        self._allow(target, {RDF.type, SH.select})
        if (target, RDF.type, SH.SPARQLTarget) not in self.g:
            raise ShapeError(f"{self.name}: only SHACL-AF sh:SPARQLTarget targets are supported")
        select = self.g.value(target, SH.select)
        if select is None or not str(select).lstrip().upper().startswith("SELECT"):
            raise ShapeError(f"{self.name}: a SPARQL target must be a SELECT ?this query without PREFIX lines")
        return "{ " + str(select) + " }"

    # --- property shapes -------------------------------------------------------------------------

    def _property(self, prop: Node, target: str, subject_targets: set[Node]) -> list[Check]:
        self._allow(prop, {SH.path, *_VALUE_TESTS, *_COUNTS, RDF.type, *_META})
        path_node = self.g.value(prop, SH.path)
        path = _path(self.g, path_node, self.name)
        result_path = path_node if isinstance(path_node, URIRef) else None
        values = f"?this {path} ?value ."
        # Checks on values find the offenders among all values first, then keep those whose subject is
        # a focus node (EXISTS, once per offender): valid data has none, and Oxigraph would otherwise
        # join every value with the whole target. Every subject of a target predicate is a focus node.
        implied = path_node in subject_targets

        def focus(candidates: str) -> str:
            return f"{{ {candidates} }}" + ("" if implied else f" FILTER EXISTS {{ {target} }}")

        checks: list[Check] = []

        def add(inner: str) -> None:
            checks.append(self._check(prop, result_path, inner))

        low = self._integer(prop, SH.minCount)
        if low:
            add(_too_few(target, f"?this {path} ?value .", low))
        high = self._integer(prop, SH.maxCount)
        if high is not None:
            add(focus(_too_many(values, high)))
        has = self.g.value(prop, SH.hasValue)
        if has is not None:
            add(f"{target} MINUS {{ ?this {path} {_term(has)} }}")
        qualified = self.g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            if (prop, SH.qualifiedValueShapesDisjoint, Literal(True)) in self.g:
                raise ShapeError(f"{self.name}: sh:qualifiedValueShapesDisjoint is not supported")
            test = self._node_test(qualified, own=False)
            if test is None:
                raise ShapeError(f"{self.name}: an empty sh:qualifiedValueShape")
            matching = f"?this {path} ?value . " + _matching(test)
            q_low = self._integer(prop, SH.qualifiedMinCount)
            q_high = self._integer(prop, SH.qualifiedMaxCount)
            if q_low:
                add(_too_few(target, matching, q_low))
            if q_high is not None:
                add(focus(_too_many(matching, q_high)))
        test = self._node_test(prop, own=True, skip={SH.hasValue})
        if test is not None:
            add(focus(f"SELECT DISTINCT ?this WHERE {{ {_violations(values, test)} }}"))
        return checks

    # --- tests on value nodes --------------------------------------------------------------------

    def _node_test(self, node: Node, *, own: bool, skip: set[Node] | None = None) -> _Test | None:
        """The conjunction of the value tests on a shape; `own` shapes may also hold counts (elsewhere)."""
        if not own:
            self._allow(node, {*_VALUE_TESTS, SH.property, RDF.type, *_META})
        tests: list[_Test] = []
        for predicate, obj in sorted(self.g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
            if skip and predicate in skip:
                continue
            test = self._value_test(node, predicate, obj, own)
            if test is not None:
                tests.append(test)
        return _all(tests) if tests else None

    def _value_test(self, node: Node, predicate: Node, obj: Node, own: bool) -> _Test | None:
        if predicate == SH["class"]:
            return _Test(pattern=self._instance("?value", obj))
        if predicate == SH.datatype:
            return _Test(expr=_datatype(obj))
        if predicate == SH.nodeKind:
            if obj not in _NODE_KINDS:
                raise ShapeError(f"{self.name}: unknown sh:nodeKind {obj}")
            return _Test(expr=_NODE_KINDS[obj])
        if predicate == SH["in"]:
            members = list(Collection(self.g, obj))
            return _Test(expr=_safe(" || ".join(f"sameTerm(?value, {_term(m)})" for m in members) or "false"))
        if predicate == SH.pattern:
            flags = self.g.value(node, SH.flags)
            args = f"{_term(Literal(str(obj)))}" + (f", {_term(Literal(str(flags)))}" if flags else "")
            return _Test(expr=_safe(f"!isBlank(?value) && REGEX(STR(?value), {args})"))
        if predicate in _RANGES:
            return _Test(expr=_safe(f"?value {_RANGES[predicate]} {_term(obj)}"))
        if predicate == SH.hasValue:
            return _Test(expr=f"sameTerm(?value, {_term(obj)})")
        if predicate == SH["or"]:
            return _any([self._required(member) for member in Collection(self.g, obj)], self.name)
        if predicate == SH["and"]:
            return _all([self._required(member) for member in Collection(self.g, obj)])
        if predicate == SH["not"]:
            inner = self._required(obj)
            if inner.expr is None:
                raise ShapeError(f"{self.name}: sh:not over a class or path test is not supported")
            return _Test(expr=f"!({inner.expr})")
        if predicate == SH.node:
            return self._required(obj)
        if predicate == SH.property and not own:
            return self._nested_property(obj)
        return None

    def _required(self, node: Node) -> _Test:
        test = self._node_test(node, own=False)
        if test is None:
            raise ShapeError(f"{self.name}: a nested shape with no constraint ({node})")
        return test

    def _nested_property(self, prop: Node) -> _Test:
        """Inside a nested shape only `[ sh:path P ; sh:hasValue X ]` is translated: the node reaches X by P."""
        self._allow(prop, {SH.path, SH.hasValue, RDF.type, SH.name, SH.description})
        value = self.g.value(prop, SH.hasValue)
        if value is None:
            raise ShapeError(
                f"{self.name}: a property shape inside a nested shape must be [ sh:path … ; sh:hasValue … ]"
            )
        return _Test(pattern=f"?value {_path(self.g, self.g.value(prop, SH.path), self.name)} {_term(value)} .")

    # --- helpers ---------------------------------------------------------------------------------

    def _check(self, holder: Node, path: Node | None, inner: str) -> Check:
        messages = list(self.g.objects(holder, SH.message))
        if len(messages) != 1:
            raise ShapeError(f"{self.name}: every constraint needs exactly one sh:message (found {len(messages)})")
        severity = self.g.value(holder, SH.severity) or SH.Violation
        path_term = _term(path) if path is not None else '""'
        sparql = (
            f"SELECT DISTINCT ?this ({path_term} AS ?path) ({_term(Literal(str(messages[0])))} AS ?message) "
            f"({_term(severity)} AS ?severity) WHERE {{ {inner} }}"
        )
        slots = tuple(entry for entry in self.instances if _slot(entry[0]) in sparql)
        return Check(self.name, sparql, slots)

    def _instance(self, var: str, cls: Node) -> str:
        """A slot for "`var` is an instance of `cls`", filled when the check runs (Check.query)."""
        number = next(_slots)
        self.instances.append((number, var, _term(cls)))
        return _slot(number)

    def _integer(self, node: Node, predicate: URIRef) -> int | None:
        value = self.g.value(node, predicate)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise ShapeError(f"{self.name}: {predicate} must be an integer")
        return int(value.toPython())

    def _allow(self, node: Node, allowed: set[Node]) -> None:
        for predicate in self.g.predicates(node, None):
            if str(predicate).startswith(str(SH)) and predicate not in allowed:
                raise ShapeError(f"{self.name}: {_short(predicate)} is not supported here ({node})")


def _violations(values: str, test: _Test) -> str:
    """Rows of `values` (binding ?this, ?value) whose value does not pass the test."""
    if test.expr is not None and test.pattern is None:
        return f"{values} FILTER(!({test.expr}))"
    return f"{values} MINUS {{ {_matching(test)} }}"


def _matching(test: _Test) -> str:
    """A pattern that matches the value nodes passing the test (with ?value bound by what precedes it)."""
    if test.pattern is None:
        return f"FILTER({test.expr})"
    return test.pattern + (f" FILTER({test.expr})" if test.expr else "")


def _too_few(target: str, values: str, low: int) -> str:
    if low == 1:  # OPTIONAL + !BOUND: Oxigraph looks each focus up, where MINUS would read every value first
        return f"{target} OPTIONAL {{ {values} }} FILTER(!BOUND(?value))"
    return f"{{ SELECT ?this WHERE {{ {target} OPTIONAL {{ {values} }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {low}) }}"


def _too_many(values: str, high: int) -> str:
    """A SELECT of the subjects with more than `high` distinct values."""
    if high == 0:
        return f"SELECT DISTINCT ?this WHERE {{ {values} }}"
    return f"SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {high})"


def _all(tests: list[_Test]) -> _Test:
    exprs = [t.expr for t in tests if t.expr is not None]
    patterns = [t.pattern for t in tests if t.pattern is not None]
    return _Test(
        expr=" && ".join(f"({e})" for e in exprs) if exprs else None,
        pattern=" ".join(patterns) if patterns else None,
    )


def _any(tests: list[_Test], name: str) -> _Test:
    if all(t.pattern is None for t in tests):
        return _Test(expr=" || ".join(f"({t.expr})" for t in tests))
    if all(t.pattern is not None for t in tests):
        return _Test(pattern=" UNION ".join("{ " + _matching(t) + " }" for t in tests))
    raise ShapeError(f"{name}: sh:or mixing class or path tests with value tests is not supported")


def _datatype(datatype: Node) -> str:
    if datatype == RDF.langString:
        return 'COALESCE(isLiteral(?value) && LANG(?value) != "", false)'
    test = f'isLiteral(?value) && LANG(?value) = "" && sameTerm(DATATYPE(?value), {_term(datatype)})'
    if datatype in _CASTABLE:
        test += f" && sameTerm(DATATYPE({_term(datatype)}(STR(?value))), {_term(datatype)})"
    return _safe(test)


def _safe(expr: str) -> str:
    return f"COALESCE({expr}, false)"


def _path(g: Graph, node: Node | None, name: str) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(node, URIRef):
        return _iri(node)
    if not isinstance(node, BNode):
        raise ShapeError(f"{name}: a property shape needs one sh:path")
    if (node, RDF.first, None) in g:
        return "(" + "/".join(_path(g, step, name) for step in Collection(g, node)) + ")"
    for predicate, template in (
        (SH.inversePath, "^({})"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = g.value(node, predicate)
        if inner is not None:
            return template.format(_path(g, inner, name))
    alternatives = g.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(g, step, name) for step in Collection(g, alternatives)) + ")"
    raise ShapeError(f"{name}: unknown kind of sh:path ({node})")


def _iri(node: Node) -> str:
    if not isinstance(node, URIRef):
        raise ShapeError(f"expected an IRI, found {node!r}")
    return to_ntriples(node)


def _term(node: Node) -> str:
    if isinstance(node, BNode):
        raise ShapeError(f"a blank node cannot be a constant in a check ({node})")
    return to_ntriples(node)


def _name(shape: Node) -> str:
    return _short(shape) if isinstance(shape, URIRef) else f"shape {shape}"


def _short(iri: Node) -> str:
    return shorten(str(iri))
