"""Access: updates only with the token, the token in no log and no answer, 127.0.0.1 unless told
otherwise, security headers on every route, and labels that are markup shown as text on every page.

All against a real `avcluster serve` on a store where actors whose labels are markup came in through
the real loader (`avcluster load`), as they would from a hostile spreadsheet.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import psutil
import pytest

from avcluster.kg.questions import questions

from .conftest import ROOT, TOKEN, Reply, Server, cli, copy_store, http

HOSTILE = """# Labels that are markup, to prove that every page shows them as text. Not real data: test input only.
@prefix avc: <https://w3id.org/avcluster/ontology#> .
@prefix id: <https://w3id.org/avcluster/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:hostile-source a avc:Source ; dcterms:title "\\"><svg onload=\\"window.__pwned='svg'\\">" ;
    schema:url "https://example.org/hostile-test-input"^^xsd:anyURI ; dcterms:date "2024"^^xsd:gYear ;
    rdfs:comment "</script><script>window.__pwned='comment'</script>" .
id:hostile-script a avc:ProductionCompany ; rdfs:label "<script>window.__pwned='label'</script>"@en ;
    rdfs:comment "<b onmouseover=\\"window.__pwned='b'\\">{{7*7}}</b>" ; dcterms:created "2015"^^xsd:gYear ;
    avc:memberOf id:navarra-audiovisual-cluster ; avc:locatedIn id:navarre ; dcterms:source id:hostile-source .
id:hostile-img a avc:ServiceProvider ; rdfs:label "<img src=x onerror=\\"window.__pwned='img'\\">"@en ;
    dcterms:created "2016"^^xsd:gYear ;
    avc:memberOf id:navarra-audiovisual-cluster ; avc:locatedIn id:navarre ; dcterms:source id:hostile-source .
id:rel-hostile a avc:Partnership ; avc:fromActor id:hostile-script ; avc:toActor id:hostile-img ;
    avc:startDate "2020"^^xsd:gYear ; dcterms:source id:hostile-source .
id:flow-hostile a avc:InformationFlow ; avc:fromActor id:hostile-img ; avc:toActor id:hostile-script ;
    avc:year 2021 ; dcterms:source id:hostile-source .
id:ca-hostile a avc:CompetencyAssignment ; avc:assignedTo id:hostile-script ; avc:competency avc:PostProduction ;
    avc:role avc:LeadRole ; avc:startDate "2019"^^xsd:gYear ; dcterms:source id:hostile-source .
"""
# What must never reach a page as markup (each is the start of an element or attribute in HOSTILE).
MARKUP = ("<script>window.__pwned", "<img src=x onerror", "<svg onload", "<b onmouseover", "</script><script>")
LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(STRSTARTS(STR(?s), 'https://w3id.org/avcluster/id/hostile')) }"
ADD = "INSERT DATA { GRAPH <urn:x-test:access> { <urn:x-test:a> <urn:x-test:b> 'written' } }"
ASK_ADDED = "ASK { <urn:x-test:a> <urn:x-test:b> 'written' }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("access")
    (folder / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    for args in (("init",), ("load", str(folder / "hostile.ttl"))):
        done = cli(*args, store=folder / "store")
        assert done.returncode == 0, done.stderr
    return folder / "store"


@pytest.fixture(scope="module")
def server(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(store, "--update-token", TOKEN, log=tmp_path_factory.mktemp("access-log") / "serve.log")
    yield running
    running.stop()


def update(server: Server, text: str = ADD, headers: dict[str, str] | None = None, url: str = "/sparql") -> Reply:
    return http(
        server.url + url,
        data=urlencode({"update": text}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
    )


def added(server: Server) -> bool:
    reply = http(f"{server.url}/sparql?query={quote(ASK_ADDED)}", headers={"Accept": "application/sparql-results+json"})
    return bool(reply.json()["boolean"])  # type: ignore[index]


# --- updates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "url"),
    [
        ({}, "/sparql"),
        ({"Authorization": "Bearer wrong-guess"}, "/sparql"),
        ({"Authorization": f"Bearer {TOKEN}x"}, "/sparql"),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, "/sparql"),
        ({"Authorization": "Bearer "}, "/sparql"),
        ({"Authorization": TOKEN}, "/sparql"),
        ({"Authorization": f"Basic {TOKEN}"}, "/sparql"),
        ({"X-Update-Token": TOKEN}, "/sparql"),
        ({}, f"/sparql?access_token={TOKEN}"),
    ],
    ids=["none", "wrong", "longer", "shorter", "empty", "no-scheme", "basic", "other-header", "in-url"],
)
def test_an_update_without_the_token_is_refused_and_changes_nothing(
    server: Server, headers: dict[str, str], url: str
) -> None:
    reply = update(server, headers=headers, url=url)
    assert reply.status == 401, reply.text
    assert "Bearer" in reply.headers.get("WWW-Authenticate", "")
    assert not added(server)


def test_an_update_with_the_token_is_applied(server: Server) -> None:
    assert update(server, headers={"Authorization": f"Bearer {TOKEN}"}).status == 204
    assert added(server)
    assert update(server, "DROP GRAPH <urn:x-test:access>", {"Authorization": f"bearer {TOKEN}"}).status == 204
    assert not added(server)


def test_an_update_by_get_is_refused_even_with_the_token(server: Server) -> None:
    reply = http(f"{server.url}/sparql?update={quote(ADD)}", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reply.status == 400
    assert not added(server)


@pytest.mark.parametrize("token", [None, ""], ids=["unset", "empty"])
def test_without_a_token_updates_are_off(store: Path, tmp_path: Path, token: str | None) -> None:
    env = {"AVCLUSTER_UPDATE_TOKEN": token} if token is not None else {}
    running = Server(_copy(store, tmp_path), log=tmp_path / "serve.log", env=env)
    try:
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {TOKEN}"}):
            reply = update(running, headers=headers)
            assert reply.status == 403, reply.text
            assert "--update-token" in reply.text
        assert not added(running)
    finally:
        running.stop()


def _copy(store: Path, tmp_path: Path) -> Path:
    return copy_store(store, tmp_path / "store")


# --- the token in logs, answers and the process table ---------------------------------------------


def test_the_token_never_appears_in_a_log_or_an_answer(store: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    running = Server(_copy(store, tmp_path), "--update-token", TOKEN, log=log)
    answers: list[Reply] = []
    try:
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        answers += [
            update(running, headers=bearer),  # applied
            update(running, "INSERT DATA { this is not SPARQL }", bearer),  # refused by the parser
            update(running, f"LOAD <http://127.0.0.1:9/{TOKEN}>", bearer),  # refused: LOAD
            update(running, headers={"Authorization": "Bearer another-secret-guess"}),  # 401
            update(running, headers={"Authorization": f"Bearer {TOKEN}{TOKEN}"}),
            http(running.url + "/sparql", headers={"Accept": "text/turtle"}),  # the service description
            http(
                running.url + "/sparql",
                data=b"\xff\xfe",
                headers={"Content-Type": "application/sparql-update", **bearer},
            ),
            http(running.url + "/nowhere", headers=bearer),
        ]
    finally:
        running.stop()
    assert [a.status for a in answers] == [204, 400, 400, 401, 401, 200, 400, 404]
    text = log.read_text(errors="replace")
    assert TOKEN not in text and "another-secret-guess" not in text, text
    for answer in answers:
        assert TOKEN.encode() not in answer.body and TOKEN not in str(answer.headers)


def test_a_token_from_the_environment_works_and_stays_off_the_command_line(store: Path, tmp_path: Path) -> None:
    running = Server(_copy(store, tmp_path), log=tmp_path / "serve.log", env={"AVCLUSTER_UPDATE_TOKEN": TOKEN})
    try:
        assert update(running, headers={"Authorization": f"Bearer {TOKEN}"}).status == 204
        command_line = " ".join(psutil.Process(running.process.pid).cmdline())
        assert TOKEN not in command_line  # `ps` shows every user the arguments, not the environment
    finally:
        running.stop()


# --- where it listens ----------------------------------------------------------------------------


def listening(server: Server) -> set[str]:
    return {
        c.laddr.ip
        for c in psutil.Process(server.process.pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    }


def outside_addresses() -> list[str]:
    """This machine's addresses that other machines could reach (none on an isolated CI runner)."""
    return [
        a.address
        for addresses in psutil.net_if_addrs().values()
        for a in addresses
        if a.family == socket.AF_INET and not a.address.startswith("127.")
    ]


def test_it_listens_on_127_0_0_1_only_by_default(server: Server) -> None:
    assert listening(server) == {"127.0.0.1"}
    for address in outside_addresses():
        with pytest.raises(OSError), socket.create_connection((address, server.port), timeout=2):
            pass


def test_another_interface_only_when_told(store: Path, tmp_path: Path) -> None:
    running = Server(_copy(store, tmp_path), "--host", "0.0.0.0", log=tmp_path / "serve.log")
    try:
        assert listening(running) == {"0.0.0.0"}
    finally:
        running.stop()


# --- headers on every route ----------------------------------------------------------------------


def every_url() -> list[str]:
    """One URL or more for every route the app has, with real arguments; a new route without
    sample arguments here fails the test rather than going unchecked."""
    from avcluster.web import create_app
    from avcluster.web.views.query import EDITOR_FILES

    app = create_app({"STORE": "memory:"})
    samples: dict[str, dict[str, list[str]]] = {
        "resource.page": {
            "slug": ["hostile-script", "hostile-img", "hostile-source", "rel-hostile", "navarra-film-commission"]
        },
        "query.download": {"suffix": ["csv", "json"]},
        "query.question_page": {"name": sorted(questions())},
        "query.editor_file": {"name": sorted(EDITOR_FILES)},
        "static": {"filename": sorted(p.name for p in (ROOT / "web" / "static").iterdir() if p.is_file())},
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        arguments = sorted(rule.arguments)
        if not arguments:
            urls.append(rule.rule)
            continue
        assert len(arguments) == 1 and rule.endpoint in samples, f"no sample arguments for {rule.rule}"
        name = arguments[0]
        for value in samples[rule.endpoint][name]:
            urls.append(re.sub(r"<(?:[^:>]+:)?" + name + ">", value, rule.rule))
    urls += [
        f"/query?query={quote(LABELS)}",
        f"/query.csv?query={quote(LABELS)}",
        f"/query.json?query={quote(LABELS)}",
        f"/sparql?query={quote(LABELS)}",
        "/query?question=members-by-type",
        "/graph?at=2020",
        "/resource/hostile-script?format=ttl",
        "/no-such-page",
        "/resource/no-such-actor",
        "/search?q=pwned",  # the hostile labels as search results, and as a not-found page's suggestions
        "/search.json?q=pwned",
        "/resource/pwned",
        "/sparql?query=SELECT",
    ]
    return sorted(set(urls))


URLS = every_url()
ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


def foreign_sources(policy: str) -> list[str]:
    """Every source a Content-Security-Policy allows beyond the app itself (and data: images)."""
    found = []
    for directive in filter(None, (d.strip() for d in policy.split(";"))):
        name, *sources = directive.split()
        found += [f"{name} {s}" for s in sources if s not in ALLOWED_SOURCES]
    return found


@pytest.mark.parametrize("url", URLS)
def test_every_route_sends_the_security_headers(server: Server, url: str) -> None:
    reply = http(server.url + url)
    assert reply.status in (200, 303, 400, 404), f"{url}: {reply.status}"
    policy = reply.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, f"{url}: {policy!r}"
    assert foreign_sources(policy) == [], url
    assert reply.headers.get("X-Content-Type-Options") == "nosniff", url


@pytest.mark.parametrize("url", URLS)
def test_every_label_is_text_on_every_page(server: Server, url: str) -> None:
    reply = http(server.url + url)
    if reply.headers.get("Content-Type", "").startswith("text/html"):
        for markup in MARKUP:
            assert markup not in reply.text, f"{url} has {markup!r} as markup"
    else:  # data (JSON, CSV, RDF) may hold a label as it is; no browser may read it as a page
        assert reply.headers.get("X-Content-Type-Options") == "nosniff"


def test_the_hostile_labels_are_shown_escaped(server: Server) -> None:
    page = http(server.url + "/resource/hostile-script").text
    assert "&lt;script&gt;window.__pwned=&#39;label&#39;&lt;/script&gt;" in page
    assert "{{7*7}}" in page  # and not evaluated as a template


@pytest.mark.browser
def test_no_label_becomes_an_element_in_a_browser(server: Server, browser: Any) -> None:
    """In Chromium, on every HTML page: nothing from a label became an element or ran (the Content
    Security Policy would block inline script anyway, so the DOM itself is checked)."""
    pages = [u for u in URLS if http(server.url + u).headers.get("Content-Type", "").startswith("text/html")]
    injected = """() => [...document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onmouseover], script')]
        .filter(e => e.tagName !== 'SCRIPT' || (e.type !== 'application/json' && e.textContent.includes('__pwned')))
        .map(e => e.outerHTML)"""
    page = browser.new_page()
    try:
        for url in pages:
            page.goto(server.url + url, wait_until="load")
            assert page.evaluate(injected) == [], url
            assert page.evaluate("window.__pwned") is None, url
        page.goto(server.url + "/resource/hostile-script", wait_until="load")
        assert page.get_by_text("<script>window.__pwned='label'</script>").count() > 0
    finally:
        page.close()
