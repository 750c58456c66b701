"""The direct shortcuts the loader derives from qualified statements.

`avc:funds` between two actors follows from an `avc:Funding` resource that links them; the
undated `avc:responsibleFor` follows from a lead `avc:CompetencyAssignment`. Deriving them at load
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
_WHERE = (
    "  {\n"
    "    VALUES (?kind ?shortcut) { "
    + " ".join(f"(avc:{kind} avc:{prop})" for kind, prop in SHORTCUTS.items())
    + " }\n"
    "    ?rel a ?kind ; avc:fromActor ?from ; avc:toActor ?to .\n"
    "  } UNION {\n"
    "    VALUES (?role ?role_shortcut) { (avc:LeadRole avc:responsibleFor) (avc:ContributorRole avc:contributesTo) }\n"
    "    ?assignment a avc:CompetencyAssignment ; avc:assignedTo ?actor ; avc:competency ?competency ; avc:role ?role .\n"
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
