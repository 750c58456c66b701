"""A cluster's counts (kg.analysis.counts), defined once: how they relate, that the region filter,
the life cycle, the overview's twin and the README count the same actors and ties, and that every
count has a name and a definition in the viewer's three languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from avcluster.kg.analysis.counts import COUNTS, DEFINITIONS, all_cluster_counts, cluster_counts, definition
from avcluster.kg.analysis.lifecycle import lifecycle_section
from avcluster.kg.analysis.projection import read_network
from avcluster.kg.figures import START, model_cluster_counts
from avcluster.kg.namespaces import ID
from avcluster.kg.stores import Store
from avcluster.web import create_app

NAVARRE = str(ID) + "navarra-audiovisual-cluster"
ROOT = Path(__file__).resolve().parent.parent


def test_the_counts_nest_and_the_actors_are_what_the_analysis_counts_on(bundled: Store) -> None:
    network = read_network(bundled)
    for iri, counts in all_cluster_counts(network).items():
        cluster = network.clusters[iri]
        assert counts.actors == len(network.cluster_actors(cluster))
        assert counts.members <= counts.actors and counts.located <= counts.actors
        assert max(counts.members, counts.located) <= counts.actors <= counts.members + counts.located
        assert counts.ties <= counts.ties_touching and counts.actors <= counts.tied
        assert counts["ties"] == counts.ties and counts.as_dict()["actors"] == counts.actors
    navarre = cluster_counts(network, NAVARRE)
    assert navarre.members > 50 and navarre.actors > navarre.members and navarre.ties > 100


def test_the_region_filter_counts_the_clusters_actors_and_ties(bundled: Store) -> None:
    """`/graph?region=navarre` and `analyze --region navarre` read this network."""
    counts = cluster_counts(read_network(bundled), NAVARRE)
    region = read_network(bundled, "navarre")
    assert (len(region.actors), len(region.ties)) == (counts.actors, counts.ties)


def test_in_a_year_the_counts_are_the_life_cycles(bundled: Store) -> None:
    network = read_network(bundled)
    cycle = next(c for c in lifecycle_section(network, 2020) if c["cluster"] == NAVARRE)
    in_2020 = cluster_counts(network, NAVARRE, at=2020)
    assert in_2020.actors == cycle["members"]  # the actors existing in the reference year
    assert in_2020.actors < cluster_counts(network, NAVARRE).actors


def test_the_overview_and_the_readme_show_these_counts(bundled: Store) -> None:
    counts = model_cluster_counts(bundled)
    assert counts is not None and counts.cluster == NAVARRE
    client = create_app({"STORE": bundled, "TESTING": True}).test_client()
    overview = json.loads(client.get("/index.json").get_data(as_text=True))
    row = next(c for c in overview["clusters"] if c["iri"] == NAVARRE)
    assert (row["members"], row["actors"], row["ties"]) == (counts.members, counts.actors, counts.ties)
    assert row["counts"]["ties_touching"] == counts.ties_touching
    analysis = json.loads(client.get("/analysis.json").get_data(as_text=True))
    cycle = next(c for c in analysis["lifecycle"] if c["cluster"] == NAVARRE)
    assert cycle["counts"] == counts.as_dict()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(START) :]
    assert f"{counts.members} members" in block and f"{counts.actors} actors (members" in block
    assert re.search(rf"\b{counts.ties} ties \(relationships and flows\)", block)


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_every_count_has_a_name_and_a_definition_in_each_language(lang: str) -> None:
    for count in COUNTS:
        name, sentence = DEFINITIONS[count][lang]
        assert name and sentence and "{" not in definition(count, lang, "Navarre")
    assert "Navarre" in definition("located", lang, "Navarre")
    assert "{" not in definition("actors", lang)
