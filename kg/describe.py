"""Everything about one entity, as one SPARQL CONSTRUCT: what a resource page shows and serves as RDF.

An actor's facts mostly live on other resources (a relationship, a flow, a competency assignment,
a policy measure, an observation) that point at it, so a description limited to the entity's own
triples (DESCRIBE's usual answer) would leave out its relationships. This one takes:
- the entity's own statements, and every statement that points at it;
- every statement of the resources that are about it (those that point at it by one of ABOUT);
- the name, type, URL and date of everything those statements mention, and the quotes of the
  sources they cite, so that a reader (or a client) needs no second query to show them.
"""

from __future__ import annotations

import pyoxigraph as ox

# Properties by which a statement-like resource says which entity it is about.
ABOUT = (
    "avc:fromActor",
    "avc:toActor",
    "avc:assignedTo",
    "avc:issuedBy",
    "avc:benefits",
    "avc:region",
    "avc:participant",
    "avc:competency",
)
# What is fetched of every resource mentioned, so it can be named and linked.
NAMING = "rdf:type, rdfs:label, skos:prefLabel, schema:name, dcterms:title, schema:url, dcterms:date"


def describe_query(iri: str) -> str:
    """The CONSTRUCT for one entity; raises ValueError for a string that is not an IRI."""
    entity = str(ox.NamedNode(iri))  # validated and written by the engine's term writer
    about = "|".join(ABOUT)
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ BIND({entity} AS ?s) ?s ?p ?o }}
  UNION {{ ?s ?p {entity} BIND({entity} AS ?o) }}
  UNION {{ ?s {about} {entity} . ?s ?p ?o }}
  UNION {{
    {{ SELECT DISTINCT ?s WHERE {{
      {{ {entity} ?via ?s }} UNION {{ ?s ?via {entity} }} UNION {{ ?statement {about} {entity} . ?statement ?via ?s }}
    }} }}
    ?s ?p ?o FILTER(?p IN ({NAMING}))
  }}
  UNION {{
    {{ {entity} dcterms:source ?s }} UNION {{ ?statement {about} {entity} ; dcterms:source ?s }}
    ?s rdfs:comment ?o BIND(rdfs:comment AS ?p)
  }}
}} }}"""
