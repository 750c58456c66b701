"""Search by name (kg.search): folding, ranking, languages and alternative names on the bundled data,
and the time a query takes on 20,000 synthetic actors."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from itertools import pairwise

import pyoxigraph as ox
import pytest

from avcluster.kg.ingest import load_ontology
from avcluster.kg.namespaces import ID, SYNTHETIC_GRAPH
from avcluster.kg.search import (
    ALL_WORDS,
    DESCRIPTIONS,
    EXACT,
    PREFIX,
    SUBSTRING,
    WORD_PREFIX,
    Index,
    Names,
    fold,
    group,
    rank,
    read_names,
)
from avcluster.kg.stores import Store, open_store
from avcluster.kg.synth import generate


@pytest.fixture(scope="module")
def names(bundled: Store) -> Names:
    return read_names(bundled)


@pytest.fixture(scope="module")
def english(names: Names) -> Index:
    return Index(names, "en")


def iris(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [hit.iri for hit in hits]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Fundación INAAC", "fundacion inaac"),
        ("NICDO", "nicdo"),
        ("Ópera Prima", "opera prima"),
        ("Navarra  Film-Commission (NFC)!", "navarra film commission nfc"),
        ("D'Artacán y los tres mosqueperros", "d artacan y los tres mosqueperros"),
        ("Ёлки", "елки"),
        ("ЙОШКАР-ОЛА", "йошкар ола"),  # й is a letter of its own, not an и with a mark
        ("Straße", "strasse"),
        ("ﬁlm Ｎａｖａｒｒａ", "film navarra"),  # compatibility forms: a ligature, full-width letters
        ("  ", ""),
    ],
)
def test_folding_drops_accents_case_and_punctuation(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_ranks_from_exact_to_all_words() -> None:
    assert rank("nicdo", "nicdo") == EXACT
    assert rank("navarra film commission", "navarra") == PREFIX
    assert rank("navarra film commission", "film") == WORD_PREFIX
    assert rank("navarra film commission", "ilm") == SUBSTRING
    assert rank("navarra film commission", "commission navarra") == ALL_WORDS
    assert rank("navarra film commission", "commission navarre") is None
    assert EXACT < PREFIX < WORD_PREFIX < SUBSTRING < ALL_WORDS


def test_an_accent_free_name_finds_the_accented_one(english: Index) -> None:
    hits = english.search("fundacion", 50)
    assert str(ID["inaac"]) in iris(hits)
    inaac = next(hit for hit in hits if hit.iri == str(ID["inaac"]))
    assert (inaac.label, inaac.type, inaac.matched, inaac.slug) == (
        "Fundación INAAC",
        "PublicEnterprise",
        "Fundación INAAC",
        "inaac",
    )
    assert english.search("FUNDACIÓN inaac")[0].iri == str(ID["inaac"])


def test_case_does_not_matter_and_the_exact_name_comes_first(english: Index) -> None:
    hits = english.search("nicdo", 20)
    assert hits[0].iri == str(ID["nicdo"]) and hits[0].rank == EXACT
    assert [hit.iri for hit in hits if hit.rank == EXACT] == [str(ID["nicdo"])]
    assert english.search("Nicdo")[0].iri == str(ID["nicdo"])


def test_alternative_names_are_found_and_said(english: Index) -> None:
    (hit,) = english.search("Navarra de Infraestructuras de Cultura")
    assert hit.iri == str(ID["nicdo"]) and hit.label == "NICDO"
    assert hit.matched == "Navarra de Infraestructuras de Cultura, Deporte y Ocio"
    inaac = english.search("inaac")[0]  # an acronym given as an alternative name, exactly
    assert (inaac.iri, inaac.rank, inaac.matched) == (str(ID["inaac"]), EXACT, "INAAC")


def test_labels_in_every_language_are_searched_and_shown_in_the_readers(names: Names, english: Index) -> None:
    hit = english.search("наварра")[0]
    assert hit.iri == str(ID["navarre"]) and hit.label == "Navarre" and hit.matched == "Наварра"
    russian = Index(names, "ru")
    hit = russian.search("navarre")[0]
    assert hit.iri == str(ID["navarre"]) and hit.label == "Наварра" and hit.matched == "Navarre"
    spanish = Index(names, "es").search("department of culture and sport")[0]
    assert spanish.label == "Departamento de Cultura y Deporte"


def test_named_things_come_before_statements_about_them(names: Names, english: Index) -> None:
    hits = english.search("nicdo", 40)
    describing = [group(names.types.get(hit.iri, frozenset())) >= DESCRIPTIONS for hit in hits]
    assert describing == sorted(describing) and describing[0] is False and describing[-1] is True
    person = english.search("ayerdi")  # the person before the sources and posts that name him
    assert person[0].iri == str(ID["person-manu-ayerdi"])


def test_within_a_rank_actors_come_first_then_by_label(english: Index) -> None:
    hits = english.search("fundacion", 100)
    named = [hit for hit in hits if hit.rank == PREFIX and hit.type not in ("Source", "Funding", "Partnership")]
    labels = [fold(hit.label) for hit in named]
    assert labels == sorted(labels)
    assert all(hit.rank <= later.rank for hit, later in pairwise(hits) if hit.type == later.type)


def test_type_limits_the_results_to_a_class_and_those_under_it(english: Index) -> None:
    assert {hit.type for hit in english.search("navarr", 100, "Region")} == {"Region"}
    actors = english.search("nicdo", 100, "Actor")
    assert iris(actors) == [str(ID["nicdo"])]
    assert english.search("nicdo", 100, "NoSuchClass") == []


def test_limits_and_empty_queries(english: Index) -> None:
    assert len(english.search("a", 7)) == 7
    assert english.search("", 10) == english.search(" -- ", 10) == []
    assert english.search("nicdo", 0) == []
    assert english.search("zzzzqqq") == []
    started = time.perf_counter()
    assert english.search("nicdo " * 10_000)[0].iri == str(ID["nicdo"])  # a pasted text is cut, not scanned whole
    assert time.perf_counter() - started < 1


def test_the_order_is_stable(english: Index) -> None:
    assert english.search("film", 60) == english.search("film", 60)


@pytest.fixture(scope="module")
def synthetic() -> Iterator[Store]:
    store = open_store("memory:")
    load_ontology(store)
    text = "".join(generate(20_000, seed=3)).encode()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
    store.replace_graphs({str(SYNTHETIC_GRAPH): triples})
    yield store
    store.close()


@pytest.mark.slow
def test_a_query_stays_fast_on_twenty_thousand_actors(synthetic: Store) -> None:
    started = time.perf_counter()
    index = Index(read_names(synthetic), "en")
    built = time.perf_counter() - started
    assert len(index) > 20_000
    assert built < 10, f"building the index took {built:.1f} s"
    timings = {}
    for query in ("synthetic", "s", "production company 17", "company 1234 synthetic", "Animación", "zzz"):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            hits = index.search(query, 10)
            runs.append(time.perf_counter() - started)
        timings[query] = statistics.median(runs)
        assert len(hits) <= 10
    assert max(timings.values()) < 0.2, timings  # a linear scan: tens of ms here, with room for a busy machine
    some = index.labels[len(index) // 2]  # a name among many that start the same way is still found first
    assert (index.search(some, 1)[0].label, index.search(some, 1)[0].rank) == (some, EXACT)
    print(", ".join(f"{q!r} {1000 * t:.1f} ms" for q, t in timings.items()), f"(index built in {built:.2f} s)")
