"""IRIs shared by every part of avcluster: namespaces, named graphs and the prefixes users see."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

ONTOLOGY_IRI = "https://w3id.org/avcluster/ontology"
AVC = Namespace(ONTOLOGY_IRI + "#")
ID = Namespace("https://w3id.org/avcluster/id/")
SCHEMA = Namespace("https://schema.org/")
GRAPH = Namespace("https://w3id.org/avcluster/graph/")

# Named graphs: one per loaded dataset under GRAPH, derived triples under INFERRED so that they
# can never be mistaken for (or mixed with) asserted facts.
ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED = "https://w3id.org/avcluster/graph/inferred/"
REASONER_GRAPH = INFERRED + "owl"
SYNTHETIC_GRAPH = GRAPH["synthetic"]

PREFIXES: dict[str, str] = {
    "avc": str(AVC),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "sh": str(SH),
}

# Where pip put them: inside the installed distribution, or the checkout's folders in an editable install.
ONTOLOGY_DIR = Path(str(resources.files("avcluster.ontology")))
DATA_DIR = Path(str(resources.files("avcluster.data")))


def sparql_prologue() -> str:
    """PREFIX lines for every known prefix, for engines that take no prefix map (remote servers)."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def dataset_graph(name: str) -> str:
    """The named graph that holds one loaded dataset."""
    return str(GRAPH[name])


def inferred_graph(name: str) -> str:
    """The graph holding what the loader derives from one dataset (its direct shortcuts)."""
    return INFERRED + name


def shorten(iri: str) -> str:
    """A prefixed name where a known prefix fits: messages stay on one line and readable."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
