"""The direct shortcuts the loader derives from qualified statements.

`avc:funds` between two actors follows from an `avc:Funding` resource that links them; the
undated `avc:responsibleFor` follows from a lead `avc:CompetencyAssignment`; `avc:sharesLeaderWith`
follows from one person's leading posts in two organisations in periods that meet, within the
dataset that states the posts (the analysis reads such pairs across the whole store). Deriving them at load
time keeps simple questions simple queries, and writing them to the dataset's own inferred graph
keeps them apart from what the sources assert.
"""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import PREFIXES

SHORTCUTS: dict[str, str] = {
    "Funding": "funds",
    "Training": "trains",
    "CoProduction": "coProducesWith",
    "ServiceSupply": "suppliesServicesTo",
    "Partnership": "partnersWith",
    "PublicPrivateDialogue": "dialoguesWith",
    "KnowledgeTransfer": "transfersKnowledgeTo",
    "Governance": "governs",
}

_TEMPLATE = "?from ?shortcut ?to . ?actor ?role_shortcut ?competency"
# Two leading posts of one person, in two organisations, whose periods meet (compared by year: an
# undated end or start meets everything). The analysis reads the same pairs store-wide (projection).
SHARED_LEADERS = (
    "?first a avc:LeadershipPost ; avc:holder ?person ; avc:postIn ?from .\n"
    "    ?second a avc:LeadershipPost ; avc:holder ?person ; avc:postIn ?to .\n"
    "    FILTER(?from != ?to)\n"
    "    OPTIONAL { ?first avc:startDate ?start1 } OPTIONAL { ?first avc:endDate ?end1 }\n"
    "    OPTIONAL { ?second avc:startDate ?start2 } OPTIONAL { ?second avc:endDate ?end2 }\n"
    "    FILTER((!BOUND(?end1) || !BOUND(?start2) || SUBSTR(STR(?end1), 1, 4) >= SUBSTR(STR(?start2), 1, 4))\n"
    "        && (!BOUND(?end2) || !BOUND(?start1) || SUBSTR(STR(?end2), 1, 4) >= SUBSTR(STR(?start1), 1, 4)))\n"
)
_WHERE = (
    "  {\n"
    "    VALUES (?kind ?shortcut) { "
    + " ".join(f"(avc:{kind} avc:{prop})" for kind, prop in SHORTCUTS.items())
    + " }\n"
    "    ?rel a ?kind ; avc:fromActor ?from ; avc:toActor ?to .\n"
    "  } UNION {\n"
    "    VALUES (?role ?role_shortcut) { (avc:LeadRole avc:responsibleFor) (avc:ContributorRole avc:contributesTo) }\n"
    "    ?assignment a avc:CompetencyAssignment ; avc:assignedTo ?actor ; avc:competency ?competency ; avc:role ?role .\n"
    "  } UNION {\n"
    "    BIND(avc:sharesLeaderWith AS ?shortcut)\n"
    f"    {SHARED_LEADERS}"
    "  }\n"
)
_RULES = f"CONSTRUCT {{ {_TEMPLATE} }} WHERE {{\n{_WHERE}}}"


def shortcuts(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The shortcut triples that a dataset's own qualified statements imply (and it does not state)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    stated = set(triples)
    derived = scratch.query(_RULES, prefixes=PREFIXES)
    assert isinstance(derived, ox.QueryTriples)
    return [t for t in derived if t not in stated]


def derive_into(store: ox.Store, source: ox.NamedNode, target: ox.NamedNode) -> None:
    """shortcuts() of the graph `source` of a store, written into its graph `target` by the engine
    alone: for a large dataset, no Python object per derived triple."""
    store.update(
        f"INSERT {{ GRAPH {target} {{ {_TEMPLATE} }} }} WHERE {{ GRAPH {source} {{\n{_WHERE}}} }}", prefixes=PREFIXES
    )
    shortcut = " ".join(f"avc:{p}" for p in (*SHORTCUTS.values(), "responsibleFor", "contributesTo"))
    if store.query(f"ASK {{ GRAPH {source} {{ VALUES ?p {{ {shortcut} }} ?s ?p ?o }} }}", prefixes=PREFIXES):
        # what the data states itself is not derived
        store.update(
            f"DELETE {{ GRAPH {target} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }} GRAPH {source} {{ ?s ?p ?o }} }}"
        )
