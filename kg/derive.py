"""The direct shortcuts the loader derives from qualified statements (design §4).

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

_RULES = (
    "CONSTRUCT { ?from ?shortcut ?to . ?actor ?role_shortcut ?competency } WHERE {\n"
    "  {\n"
    "    VALUES (?kind ?shortcut) { "
    + " ".join(f"(avc:{kind} avc:{prop})" for kind, prop in SHORTCUTS.items())
    + " }\n"
    "    ?rel a ?kind ; avc:fromActor ?from ; avc:toActor ?to .\n"
    "  } UNION {\n"
    "    VALUES (?role ?role_shortcut) { (avc:LeadRole avc:responsibleFor) (avc:ContributorRole avc:contributesTo) }\n"
    "    ?assignment a avc:CompetencyAssignment ; avc:assignedTo ?actor ; avc:competency ?competency ; avc:role ?role .\n"
    "  }\n"
    "}"
)


def shortcuts(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The shortcut triples that a dataset's own qualified statements imply (and it does not state)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return shortcuts_in(scratch, ox.DefaultGraph())


def shortcuts_in(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
    """shortcuts() of the triples one graph of a store holds, derived inside the engine."""
    derived = store.query(_RULES, prefixes=PREFIXES, default_graph=graph)
    assert isinstance(derived, ox.QueryTriples)
    return [t for t in derived if ox.Quad(t.subject, t.predicate, t.object, graph) not in store]
