"""The ontology, SKOS schemes and SHACL shapes: a package only so that an installed avcluster finds
them (importlib.resources) wherever pip put it."""
