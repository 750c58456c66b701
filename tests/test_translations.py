"""The Spanish and Russian pages complete: every word of the pages' own frame has a Spanish and a
Russian entry in web.i18n's catalog once the app is created (each blueprint adds its words then).

The frame's words are found where they are written: the literal strings given to `_()` in the
templates (also the alternatives in `_(x or 'unknown')` and the navigation's (endpoint, 'Text')
pairs), the literals given to `gettext()`/`_()` in web's Python, and the word lists handed to the
browser's scripts as JSON or the pages' choices (module-level `...WORDS` and `..._NAMES` tuples of
strings, such as web.views.graph.WORDS and ARRANGEMENT_NAMES); the canned questions' titles,
descriptions and parameter names too. Data (labels, comments, figures' units) is never translated,
only chosen, so it is not looked for here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import avcluster.web
from avcluster.kg.stores import open_store

WEB = Path(avcluster.web.__file__).parent
TEMPLATES = WEB / "templates"
LANGUAGES = ("es", "ru")

QUOTED = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)\"""")
CALL = re.compile(r"(?<![\w.])_\(")
# The navigation lists its links as ('blueprint.endpoint', 'Text') pairs and translates the text in its loop.
NAVIGATION = re.compile(r"\(\s*'\w+\.\w+'\s*,\s*'([^']+)'\s*\)")


def unquote(match: re.Match[str]) -> str:
    text = match.group(1) if match.group(1) is not None else match.group(2)
    return re.sub(r"\\(.)", r"\1", text)


def call_literals(source: str) -> Iterator[str]:
    """The string literals written directly inside each `_( … )`, not those inside a nested call."""
    for call in CALL.finditer(source):
        depth, k, start = 1, call.end(), call.end()
        top: list[str] = []
        while k < len(source) and depth:
            char = source[k]
            if char in "'\"":
                quoted = QUOTED.match(source, k)
                if quoted is None:
                    break
                if depth == 1:
                    top.append(unquote(quoted))
                k = quoted.end()
                continue
            depth += {"(": 1, ")": -1}.get(char, 0)
            k += 1
        if depth == 0 and source[start:k].strip():
            yield from top


def template_words() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        where = str(path.relative_to(TEMPLATES))
        for word in [*call_literals(source), *NAVIGATION.findall(source)]:
            found.setdefault(word, where)
    return found


def listed_words(suffixes: tuple[str, ...] = ("WORDS", "_NAMES")) -> dict[str, str]:
    """The strings of web's module-level tuples, lists or sets named ...WORDS or ..._NAMES (the words
    a page hands its script, the names of its choices)."""
    found: dict[str, str] = {}
    for path in sorted(WEB.rglob("*.py")):
        where = str(path.relative_to(WEB))
        for statement in ast.parse(path.read_text(encoding="utf-8")).body:
            target, value = None, None
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
            elif isinstance(statement, ast.AnnAssign):
                target, value = statement.target, statement.value
            if (
                isinstance(target, ast.Name)
                and target.id.endswith(suffixes)
                and isinstance(value, (ast.Tuple, ast.List, ast.Set))
            ):
                for element in value.elts:
                    if isinstance(element, ast.Constant) and isinstance(element.value, str):
                        found.setdefault(element.value, f"{where} {target.id}")
    return found


def python_words() -> dict[str, str]:
    """Literals given to gettext() or _() in web's modules, and the listed words."""
    found: dict[str, str] = {}
    for path in sorted(WEB.rglob("*.py")):
        where = str(path.relative_to(WEB))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            called = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("gettext", "_")
            if called and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.setdefault(node.args[0].value, where)
    return {**listed_words(), **found}


def word_catalogs() -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    """Each web module's own WORDS catalog ({language: {english: translated}})."""
    for module in pkgutil.walk_packages(avcluster.web.__path__, "avcluster.web."):
        words = getattr(importlib.import_module(module.name), "WORDS", None)
        if isinstance(words, dict) and words:
            yield module.name, words


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict[str, str]]:
    from avcluster.web import create_app, i18n

    store = open_store("memory:")
    create_app({"STORE": store, "TESTING": True})
    store.close()
    return i18n.CATALOG


def test_the_frame_words_are_found() -> None:
    """The search itself works: it sees the navigation, headings, alternatives and script words."""
    words = {**template_words(), **python_words()}
    assert {"Overview", "Ontology", "Language", "Results", "Competencies"} <= words.keys()
    assert "unknown" in words  # from _(s.from_sector or 'unknown')
    assert {"Showing", "no match", "ties inside"} <= words.keys()  # graph.js's words
    assert "current" in words  # gettext('current') in web/views/cluster.py
    assert len(words) > 150


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_frame_word_is_translated(catalog: dict[str, dict[str, str]], language: str) -> None:
    words = {**template_words(), **python_words()}
    missing = sorted(f"{word!r} ({where})" for word, where in words.items() if word not in catalog[language])
    assert not missing, f"{len(missing)} frame words with no {language} entry:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_empty_or_keeps_a_placeholder_out(catalog: dict[str, dict[str, str]], language: str) -> None:
    """A translation is not blank, and keeps the `{name}` placeholders its English text fills in."""
    placeholder = re.compile(r"\{(\w*)\}")
    wrong = [
        english
        for english, translated in catalog[language].items()
        if not translated.strip() or set(placeholder.findall(english)) != set(placeholder.findall(translated))
    ]
    assert not wrong, f"{language}: empty, or placeholders differ: {wrong}"


def test_each_module_translates_its_words_into_both_languages(catalog: dict[str, dict[str, str]]) -> None:
    """A page family's own catalog has the same words in Spanish and Russian, and they reach web.i18n."""
    catalogs = dict(word_catalogs())
    assert "avcluster.web.views.words" in catalogs
    for name, words in catalogs.items():
        assert set(words) == set(LANGUAGES), name
        only = set(words["es"]) ^ set(words["ru"])
        assert not only, f"{name}: translated into one language only: {sorted(only)}"
        for language in LANGUAGES:
            unregistered = sorted(set(words[language]) - set(catalog[language]))
            assert not unregistered, f"{name}'s {language} words are not in the catalog: {unregistered}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_canned_questions_read_in_each_language(catalog: dict[str, dict[str, str]], language: str) -> None:
    """/query shows each canned question's title, description and parameter names translated (the
    .rq files keep the English the command line prints; web.views.question_words has the rest)."""
    from avcluster.kg.questions import questions

    texts = {text for q in questions().values() for text in (q.title, q.description, *(p.name for p in q.parameters))}
    missing = sorted(text for text in texts if text and text not in catalog[language])
    assert not missing, f"{len(missing)} question texts with no {language} entry:\n" + "\n".join(missing)


def test_the_scripts_ask_only_for_words_they_are_given() -> None:
    """A script writes `word("…")`; the page hands it only the words of a ...WORDS list, so a word
    missing there would show in English whatever the language (keys like "count:ties" are built
    by the page from kg's own names, not looked up in the catalog)."""
    asked = {
        unquote(match)
        for path in sorted((WEB / "static").glob("*.js"))
        for match in re.finditer(
            r"\bword\((?:'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\")\)", path.read_text("utf-8")
        )
    }
    given = set(listed_words(("WORDS",)))
    assert asked, "no word(...) calls found in the scripts"
    missing = sorted(word for word in asked if ":" not in word and word not in given)
    assert not missing, f"scripts ask for words no ...WORDS list hands them: {missing}"
