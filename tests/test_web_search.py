"""Search by name over HTTP: /search.json (the contract scripts rely on), /search and /resource?q=
(a page, or straight to the one exact match), the suggestions of a not-found resource page, and the
search box in the header of every page, on the bundled data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from avcluster.kg.stores import Store, open_store
from tests.webapp import fill, make_app


@pytest.fixture(scope="module")
def client(bundled: Store) -> FlaskClient:
    return make_app(bundled).test_client()


@pytest.fixture(scope="module")
def hostile() -> Iterator[FlaskClient]:
    store = fill(open_store("memory:"), "cluster", "hostile")
    yield make_app(store).test_client()
    store.close()


def test_search_json_has_the_contracted_shape(client: FlaskClient) -> None:
    response = client.get("/search.json", query_string={"q": "fundacion", "limit": 50})
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["query"] == "fundacion"
    assert all(set(hit) == {"iri", "slug", "label", "type", "matched"} for hit in data["results"])
    inaac = next(hit for hit in data["results"] if hit["slug"] == "inaac")
    assert inaac == {
        "iri": "https://w3id.org/avcluster/id/inaac",
        "slug": "inaac",
        "label": "Fundación INAAC",
        "type": "PublicEnterprise",
        "matched": "Fundación INAAC",
    }
    assert client.get(f"/resource/{inaac['slug']}").status_code == 200


def test_search_json_takes_a_limit_a_type_and_the_readers_language(client: FlaskClient) -> None:
    nicdo = client.get("/search.json?q=NICDO&type=Actor").get_json()["results"]
    assert [hit["slug"] for hit in nicdo] == ["nicdo"]
    assert len(client.get("/search.json?q=a&limit=3").get_json()["results"]) == 3
    assert len(client.get("/search.json?q=a").get_json()["results"]) == 10
    region = client.get("/search.json?q=navarre&type=Region&lang=ru").get_json()["results"][0]
    assert (region["label"], region["matched"]) == ("Наварра", "Navarre")
    asked = {"q": "наварра", "type": "Region", "lang": "en"}
    english = client.get("/search.json", query_string=asked).get_json()["results"][0]
    assert (english["label"], english["matched"]) == ("Navarre", "Наварра")
    assert client.get("/search.json?q=").get_json() == {"query": "", "results": []}
    bad = client.get("/search.json?q=x&limit=many")
    assert bad.status_code == 400 and "limit" in bad.get_json()["error"]
    assert client.get("/search?q=nicdo&format=json").get_json()["results"][0]["slug"] == "nicdo"


def test_the_header_asks_for_the_types_names_in_the_readers_language(client: FlaskClient) -> None:
    plain = client.get("/search.json?q=nicdo&lang=en").get_json()
    assert set(plain) == {"query", "results"}
    named = client.get("/search.json?q=nicdo&kinds=1&lang=ru").get_json()
    assert named["kinds"]["PublicEnterprise"] == "предприятие публичного сектора"
    assert set(named["kinds"]) == {hit["type"] for hit in named["results"]}


def test_one_exact_match_goes_straight_to_its_page(client: FlaskClient) -> None:
    for url in ("/search?q=nicdo", "/search?q=Fundacion+INAAC", "/resource?q=fundación+inaac", "/resource?q=INAAC"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] in ("/resource/nicdo", "/resource/inaac"), url


def test_the_results_page_lists_links_and_works_without_scripts(client: FlaskClient) -> None:
    page = client.get("/search?q=fundacion&lang=en").get_data(as_text=True)
    assert '<a href="/resource/inaac">Fundación INAAC</a>' in page
    assert "as “Fundación ADItech”" in page  # found by an alternative name, and said so
    assert 'name="q" type="search" value="fundacion"' in page
    nothing = client.get("/search?q=zzzqqq&lang=es")
    assert nothing.status_code == 200
    assert "Ningún nombre coincide con “zzzqqq”" in nothing.get_data(as_text=True)
    assert "Ни одно название" in client.get("/search?q=zzzqqq&lang=ru").get_data(as_text=True)
    assert client.get("/resource").status_code == 200  # the lookup form alone


def test_a_slug_that_names_nothing_redirects_or_suggests(client: FlaskClient) -> None:
    for slug, target in (("NICDO", "nicdo"), ("fundacion-inaac", "inaac")):
        response = client.get(f"/resource/{slug}")
        assert (response.status_code, response.headers["Location"]) == (302, f"/resource/{target}")
    missing = client.get("/resource/inaac-foundation")
    assert missing.status_code == 404
    text = missing.get_data(as_text=True)
    assert '<a href="/resource/inaac">Fundación INAAC</a>' in text
    nothing = client.get("/resource/zzqx-qqwv")
    assert nothing.status_code == 404 and "search-hits" not in nothing.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/graph", "/query", "/competencies", "/ontology", "/resource/nicdo", "/search"])
def test_every_page_has_the_search_box_in_its_header(client: FlaskClient, path: str) -> None:
    page = client.get(path).get_data(as_text=True)
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    assert '<form class="site-search" role="search" action="/search" method="get">' in header
    assert '<label for="site-search"' in header and 'id="site-search" name="q"' in header
    assert 'role="combobox"' in header and 'data-source="/search.json"' in header
    assert "/static/search.js" in page


def test_labels_made_of_markup_stay_text(hostile: FlaskClient) -> None:
    data = hostile.get("/search.json?q=script").get_json()
    assert data["results"][0]["label"] == "<script>window.__pwned = 'script'</script>"
    page = hostile.get("/search?q=window").get_data(as_text=True)
    assert "<script>window" not in page and "&lt;script&gt;window" in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    missing = hostile.get("/resource/pwned").get_data(as_text=True)
    assert "<script>window" not in missing and "&lt;script&gt;window" in missing
