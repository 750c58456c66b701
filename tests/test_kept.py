"""The network and the assignments read from an on-disk store are kept in files beside it (kg.kept):
the next reading of the same contents comes from the file, and any write to the store, by avcluster
or by anything else that opens the folder, makes the next reading go back to the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from avcluster.kg.analysis import analyze
from avcluster.kg.analysis.projection import Network, read_network
from avcluster.kg.stores import Store, open_store

from .test_analysis import fixture_graphs, i

NEW_ACTOR = "https://w3id.org/avcluster/id/kept-newcomer"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
AVC = "https://w3id.org/avcluster/ontology#"


def filled(path: Path, *contents: dict[str, list[ox.Triple]]) -> Path:
    """A store on disk holding the structure fixture (and `contents`), closed again.

    The tests read it opened read-only, as a command does beside a server: a store just written in
    this process may still be compacting, which changes its files (then a reading keeps nothing,
    rightly, as it cannot tell that from a write) and would make these tests depend on timing."""
    with open_store(str(path)) as store:
        store.replace_graphs(fixture_graphs("structure"))
        for graphs in contents:
            store.replace_graphs(graphs)
    return path


def reading(path: Path) -> Store:
    return open_store(str(path), read_only=True)


def newcomer() -> dict[str, list[ox.Triple]]:
    """An actor tied to one of the fixture's, in a graph of its own."""
    a = ox.NamedNode(NEW_ACTOR)
    rel = ox.NamedNode(NEW_ACTOR + "-tie")
    avc = AVC
    return {
        "https://w3id.org/avcluster/graph/test-newcomer": [
            ox.Triple(
                a, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(avc + "Company")
            ),
            ox.Triple(a, ox.NamedNode(LABEL), ox.Literal("Newcomer")),
            ox.Triple(
                rel, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(avc + "Partnership")
            ),
            ox.Triple(rel, ox.NamedNode(avc + "fromActor"), a),
            ox.Triple(rel, ox.NamedNode(avc + "toActor"), ox.NamedNode(i("p1"))),
        ]
    }


def kept_file(path: Path) -> Path:
    return path.with_name(path.name + ".network.json")


def relabel_kept(path: Path, actor: str, label: str) -> None:
    """Change one actor's label in the kept file, keeping its header: only a reading from the file shows it."""
    place = kept_file(path)
    header, body = place.read_text(encoding="utf-8").split("\n", 1)
    value = json.loads(body)
    for row in value["actors"]:
        if row[0] == actor:
            row[1] = label
    place.write_text(header + "\n" + json.dumps(value), encoding="utf-8")


def same(a: Network, b: Network) -> bool:
    return (
        {k: vars(v) for k, v in a.actors.items()} == {k: vars(v) for k, v in b.actors.items()}
        and [vars(t) for t in a.ties] == [vars(t) for t in b.ties]
        and {k: vars(v) for k, v in a.clusters.items()} == {k: vars(v) for k, v in b.clusters.items()}
        and a.labels == b.labels
    )


def test_the_second_reading_of_the_same_contents_comes_from_the_kept_file(tmp_path: Path) -> None:
    path = filled(tmp_path / "store")
    with reading(path) as store:
        first = read_network(store)
        assert kept_file(path).is_file()
        assert same(first, read_network(store))  # the file holds the network exactly: sets, numbers, amounts
    relabel_kept(path, i("p1"), "Read from the file")
    with reading(path) as store:
        assert read_network(store).actors[i("p1")].label == "Read from the file"


def test_a_write_through_avcluster_is_seen_by_the_next_reading(tmp_path: Path) -> None:
    path = filled(tmp_path / "store")
    with reading(path) as store:
        read_network(store)
    relabel_kept(path, i("p1"), "Stale")
    with open_store(str(path)) as writer:
        writer.replace_graphs(newcomer())
    with reading(path) as store:
        network = read_network(store)
    assert NEW_ACTOR in network.actors and network.actors[i("p1")].label != "Stale"
    assert any(t.source == NEW_ACTOR for t in network.ties)


def test_a_write_by_another_program_is_seen_by_the_next_reading(tmp_path: Path) -> None:
    path = filled(tmp_path / "store")
    with reading(path) as store:
        read_network(store)
    # plain pyoxigraph, in another process, knows nothing of avcluster
    script = (
        "import pyoxigraph as ox, sys\n"
        "s = ox.Store(sys.argv[1])\n"
        f"who, label = ox.NamedNode({i('p1')!r}), ox.NamedNode({LABEL!r})\n"
        "old = list(s.quads_for_pattern(who, label, None))\n"
        "for q in old: s.remove(q)\n"
        "s.add(ox.Quad(who, label, ox.Literal('Renamed elsewhere'), old[0].graph_name))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    with reading(path) as store:
        assert read_network(store).actors[i("p1")].label == "Renamed elsewhere"


def test_a_reader_beside_a_writer_keeps_what_it_saw_under_that_state_only(tmp_path: Path) -> None:
    path = filled(tmp_path / "store")
    writer = open_store(str(path))
    reader = reading(path)
    writer.replace_graphs(newcomer())  # after the reader opened: it does not see this
    assert NEW_ACTOR not in read_network(reader).actors
    reader.close()
    assert NEW_ACTOR in read_network(writer).actors  # what the reader kept is not taken for the new state
    writer.close()
    with reading(path) as later:
        assert NEW_ACTOR in read_network(later).actors


def test_a_damaged_or_foreign_kept_file_is_read_again_from_the_store(tmp_path: Path) -> None:
    path = filled(tmp_path / "store")
    with reading(path) as store:
        expected = read_network(store)
        kept_file(path).write_text("not json at all\n{", encoding="utf-8")
        assert same(read_network(store), expected)
        header, body = kept_file(path).read_text(encoding="utf-8").split("\n", 1)
        kept_file(path).write_text(header.replace('"code": "', '"code": "x') + "\n" + body, encoding="utf-8")
        relabel_kept(path, i("p1"), "From other code")
        assert read_network(store).actors[i("p1")].label != "From other code"


def test_a_region_is_cut_from_the_kept_network_as_from_a_fresh_reading(tmp_path: Path) -> None:
    path = filled(tmp_path / "store", fixture_graphs("regions", classes=False))
    with reading(path) as store:
        cold = analyze(store, region="north")
        assert kept_file(path).is_file()
        warm = analyze(store, region="north")
    for result in (cold, warm):
        del result["meta"]["seconds"], result["meta"]["total_seconds"]
    assert cold == warm and cold["meta"]["actors"] == 3


def test_nothing_is_kept_for_a_store_in_memory_or_where_nothing_can_be_written(tmp_path: Path) -> None:
    memory = open_store("memory:")
    memory.replace_graphs(fixture_graphs("structure"))
    assert memory.contents_key() is None and memory.beside(".network.json") is None
    assert i("p1") in read_network(memory).actors
    path = filled(tmp_path / "store")
    kept_file(path).mkdir()  # in the way: neither read nor replaced
    with reading(path) as store:
        assert i("p1") in read_network(store).actors
    assert kept_file(path).is_dir() and not list(tmp_path.glob("*.part"))


def test_the_map_keeps_the_sources_of_the_ties_beside_the_store(tmp_path: Path) -> None:
    from avcluster.web import create_app

    tie, source = ox.NamedNode(NEW_ACTOR + "-tie"), ox.NamedNode(NEW_ACTOR + "-source")
    cited = [
        ox.Triple(tie, ox.NamedNode("http://purl.org/dc/terms/source"), source),
        ox.Triple(
            source, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(AVC + "Source")
        ),
        ox.Triple(source, ox.NamedNode("https://schema.org/url"), ox.Literal("https://example.org/kept")),
    ]
    path = filled(tmp_path / "store", newcomer(), {"https://w3id.org/avcluster/graph/test-cited": cited})
    answers = []
    for _ in range(2):  # a fresh app each time: the second starts from the kept files
        with reading(path) as store:
            answers.append(create_app({"STORE": store, "TESTING": True}).test_client().get("/graph.json").get_json())
    assert path.with_name("store.tie-sources.json").is_file()
    for answer in answers:
        del answer["seconds"]
    assert answers[0] == answers[1]
    assert [s["url"] for s in answers[1]["sources"]] == ["https://example.org/kept"]


def test_an_analysis_given_the_network_uses_it_rather_than_reading_again(tmp_path: Path) -> None:
    """The viewer hands analyze the reading it already holds; a region is cut from it as from a fresh one."""
    path = filled(tmp_path / "store", fixture_graphs("regions", classes=False))
    with reading(path) as store:
        held = read_network(store)
        expected = analyze(store, region="north")
        given = analyze(store, region="north", network=held)
        held.labels[i("p1")] = "Held by the caller"
        relabelled = analyze(store, sections=["actors"], network=held)
        fresh = analyze(store, sections=["actors"])
    for result in (expected, given):
        del result["meta"]["seconds"], result["meta"]["total_seconds"]
    assert given == expected
    assert relabelled["labels"][i("p1")] == "Held by the caller" != fresh["labels"][i("p1")]
