"""Finding resources by the names people type: accents, case and punctuation aside, in any of the
three languages and under any alternative name.

`read_names` scans the store once (every name of every resource under the id namespace, and the
types of those resources); `Index` orders that reading for one reader's language; `Index.search`
answers a query with a linear scan of the folded names, ranking an exact name before a name that
starts with the query, before one with a word that starts with it, before one that merely contains
it, before one with words that start with each of the query's words, in any order. Named things (actors, then
clusters and regions, people, projects and the rest) come before what describes them (posts,
sources, then relationships, flows and other statements), whatever the rank; within a rank and
group, by the label shown (numbers in order), so the order is stable. Callers keep the reading and
the index per version of the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from .labels import LABEL_PROPERTIES, choose
from .namespaces import AVC, ID, PREFIXES
from .ontology import ontology_triples
from .stores import Store

# Names a resource is found by: its labels, then its alternative and hidden names.
ALTERNATIVE_PROPERTIES: tuple[str, ...] = (
    PREFIXES["skos"] + "altLabel",
    PREFIXES["skos"] + "hiddenLabel",
    PREFIXES["schema"] + "alternateName",
)
NAME_PROPERTIES = LABEL_PROPERTIES + ALTERNATIVE_PROPERTIES
LANGUAGES = ("en", "es", "ru")

# The order kinds of resource come in within one rank of match: the first root class a resource
# falls under decides; a resource under none of them is an "other named thing".
GROUPS: tuple[tuple[str, ...], ...] = (
    ("Actor",),
    ("Cluster", "Region"),
    ("Person",),
    (),  # projects, measures, concepts and anything else with a name
    ("Post",),
    ("Source",),
    ("Relationship", "Flow", "CompetencyAssignment", "Observation"),
)
OTHER_GROUP = 3
# Groups from here on hold what describes or cites other things rather than a thing with a name
# (a post, a source, a relationship): they come after every match among named things.
DESCRIPTIONS = 4
# Kinds that qualify another rather than name what a resource is (an actor's sector).
QUALIFIERS = frozenset({"PublicActor", "PrivateActor"})

EXACT, PREFIX, WORD_PREFIX, SUBSTRING, ALL_WORDS = range(5)
MAX_QUERY = 200  # characters of a query looked at: enough to tell any two names apart; a pasted page costs no more

_SEPARATORS = re.compile(r"[\W_]+")
_NUMBERS = re.compile(r"\d+")
_TYPE = PREFIXES["rdf"] + "type"
_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
_NAMES_QUERY = "SELECT ?s ?p ?l WHERE { VALUES ?p { " + " ".join(f"<{p}>" for p in NAME_PROPERTIES) + " } ?s ?p ?l }"
_TYPES_QUERY = (
    "SELECT DISTINCT ?s ?t WHERE { VALUES ?p { "
    + " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    + " } ?s ?p ?l . ?s a ?t }"
)


def fold(text: str) -> str:
    """Text as it is matched: compatibility forms unified, accents dropped, case folded (ё as е, й kept),
    and every run of punctuation or spaces made one space."""
    text = text.casefold().replace("ё", "е")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("й", "\0"))
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("\0", "й")
    return _SEPARATORS.sub(" ", text).strip()


def rank(folded_name: str, folded_query: str) -> int | None:
    """How well a folded name matches a folded query (EXACT … SUBSTRING, or ALL_WORDS when a word of
    the name starts with each of the query's words, in any order), None if it does not."""
    at = folded_name.find(folded_query)
    if at < 0:
        words, padded = folded_query.split(" "), f" {folded_name}"
        return ALL_WORDS if len(words) > 1 and all(f" {w}" in padded for w in words) else None
    if at == 0:
        return EXACT if len(folded_name) == len(folded_query) else PREFIX
    return WORD_PREFIX if folded_name[at - 1] == " " or f" {folded_query}" in folded_name else SUBSTRING


@dataclass(frozen=True, slots=True)
class Names:
    """What the store says about named resources, read in one scan: language-independent."""

    names: dict[str, list[tuple[int, str, str]]]  # iri -> (property order, text, language)
    types: dict[str, frozenset[str]]  # iri -> the local names of its classes and their ancestors
    kinds: dict[str, str]  # iri -> the local name of its most specific class


@dataclass(frozen=True, slots=True)
class Hit:
    iri: str
    slug: str
    label: str
    type: str
    matched: str
    rank: int

    def as_json(self) -> dict[str, str]:
        return {"iri": self.iri, "slug": self.slug, "label": self.label, "type": self.type, "matched": self.matched}


@lru_cache(maxsize=1)
def class_ancestors() -> dict[str, frozenset[str]]:
    """Each ontology class (local name) with every class above it, itself included."""
    parents: dict[str, set[str]] = defaultdict(set)
    for t in ontology_triples():
        s, o = t.subject, t.object
        if t.predicate.value == _SUBCLASS and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
            parents[_local(s.value)].add(_local(o.value))
    found: dict[str, frozenset[str]] = {}

    def up(cls: str, seen: frozenset[str]) -> frozenset[str]:
        if cls not in found:
            above = {cls}
            for parent in parents.get(cls, ()):
                if parent not in seen:
                    above |= up(parent, seen | {cls})
            found[cls] = frozenset(above)
        return found[cls]

    return {cls: up(cls, frozenset()) for cls in parents}


def _padded(number: re.Match[str]) -> str:
    """A number in a label as it sorts among others: "company 9" before "company 10"."""
    return number.group().zfill(20)


def _ours(cls: str) -> bool:
    """A class of the project's ontology (or FOAF's person), not a modelling one (owl:Thing, skos:Concept)."""
    return cls.startswith((str(AVC), PREFIXES["foaf"]))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def most_specific(classes: Iterable[str], ancestors: Mapping[str, frozenset[str]]) -> str:
    """The class of a set that no other one is under, naming rather than qualifying; first by name on a tie."""
    given = set(classes)
    specific = [c for c in given if not any(c in ancestors.get(o, ()) and c != o for o in given)]
    preferred = [c for c in specific if c not in QUALIFIERS] or specific
    return min(preferred, default="")


def read_names(store: Store) -> Names:
    """Every name of every resource under the id namespace, and their classes: two queries."""
    prefix, order = str(ID), {p: i for i, p in enumerate(NAME_PROPERTIES)}
    names: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for s, p, name in store.select_rows(_NAMES_QUERY)[1]:
        if not (isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(name, ox.Literal)):
            continue
        if s.value.startswith(prefix) and len(s.value) > len(prefix) and name.value.strip():
            names[s.value].append((order[p.value], name.value, name.language or ""))
    classes: dict[str, set[str]] = defaultdict(set)
    for s, t in store.select_rows(_TYPES_QUERY)[1]:
        if isinstance(s, ox.NamedNode) and s.value in names and isinstance(t, ox.NamedNode) and _ours(t.value):
            classes[s.value].add(_local(t.value))
    ancestors = class_ancestors()
    types = {iri: frozenset().union(*(ancestors.get(c, {c}) for c in found)) for iri, found in classes.items()}
    kinds = {iri: most_specific(found, ancestors) for iri, found in classes.items()}
    return Names(dict(names), types, kinds)


def group(types: frozenset[str]) -> int:
    for number, roots in enumerate(GROUPS):
        if any(root in types for root in roots):
            return number
    return OTHER_GROUP


class Index:
    """The folded names of every named resource, in the order results are shown within a rank."""

    def __init__(self, reading: Names, lang: str) -> None:
        labels = choose(reading.names, lang)
        empty: frozenset[str] = frozenset()

        def order(iri: str) -> tuple[int, str, str]:
            return (group(reading.types.get(iri, empty)), _NUMBERS.sub(_padded, fold(labels[iri])), iri)

        self.resources = sorted(labels, key=order)
        self.labels = [labels[iri] for iri in self.resources]
        self.kinds = [reading.kinds.get(iri, "") for iri in self.resources]
        self.types = [reading.types.get(iri, empty) for iri in self.resources]
        self.tiers = [int(group(found) >= DESCRIPTIONS) for found in self.types]
        # One entry per distinct folded name of a resource: the shown label's first, then by preference.
        self.folded: list[str] = []
        self.owner: list[int] = []
        self.texts: list[str] = []
        for number, iri in enumerate(self.resources):
            seen: set[str] = set()
            for _, text, _ in sorted(reading.names[iri], key=lambda n: (n[1] != labels[iri], n)):
                key = fold(text)
                if key and key not in seen:
                    seen.add(key)
                    self.folded.append(key)
                    self.owner.append(number)
                    self.texts.append(text)

    def __len__(self) -> int:
        return len(self.resources)

    def search(self, query: str, limit: int = 10, kind: str | None = None) -> list[Hit]:
        """The best `limit` resources for `query` (of class `kind` or under it, when given)."""
        wanted = fold(query[:MAX_QUERY])
        if not wanted or limit <= 0:
            return []
        best: dict[int, tuple[int, int]] = {}  # resource -> (rank, entry)
        words = sorted(wanted.split(" "), key=len, reverse=True)  # the longest, likely the rarest, first
        if len(words) > 1:
            first, rest = words[0], words[1:]
            candidates = [i for i, name in enumerate(self.folded) if first in name and all(w in name for w in rest)]
        else:
            candidates = [i for i, name in enumerate(self.folded) if wanted in name]
        for entry in candidates:
            owner = self.owner[entry]
            found = rank(self.folded[entry], wanted)
            if found is None or (kind and kind not in self.types[owner]):
                continue
            if owner not in best or found < best[owner][0]:
                best[owner] = (found, entry)
        chosen = sorted(best.items(), key=lambda item: (self.tiers[item[0]], item[1][0], item[0]))[:limit]
        prefix = str(ID)
        return [
            Hit(
                iri=self.resources[owner],
                slug=self.resources[owner][len(prefix) :],
                label=self.labels[owner],
                type=self.kinds[owner],
                matched=self.texts[entry],
                rank=found,
            )
            for owner, (found, entry) in chosen
        ]


def build(store: Store, lang: str = "en") -> Index:
    """An index over the store's names, labels shown in `lang` (uncached: callers keep it per version)."""
    return Index(read_names(store), lang)
