"""The words of the search box, /search and the not-found page in Spanish and Russian (data is never
translated here)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "es": {
        "Find a name": "Buscar un nombre",
        "Names matching": "Nombres que coinciden con",
        "No name matches": "Ningún nombre coincide con",
        "Not found": "No encontrado",
        "Nothing is known about": "No se sabe nada de",
        "Perhaps one of these": "Quizá uno de estos",
        "Search": "Buscar",
        "Search by name": "Buscar por nombre",
        "Search names": "Buscar nombres",
        "Type a name, in any language, with or without accents.": "Escriba un nombre, en cualquier idioma, con o sin tildes.",
        "as": "como",
        "or browse": "o recorra",
        "search with a SPARQL query": "busque con una consulta SPARQL",
        "the graph": "el grafo",
    },
    "ru": {
        "Find a name": "Найти по названию",
        "Names matching": "Названия, совпадающие с",
        "No name matches": "Ни одно название не совпадает с",
        "Not found": "Не найдено",
        "Nothing is known about": "Ничего не известно о",
        "Perhaps one of these": "Возможно, одно из этих",
        "Search": "Поиск",
        "Search by name": "Поиск по названию",
        "Search names": "Искать названия",
        "Type a name, in any language, with or without accents.": "Введите название на любом языке, с диакритикой или без.",
        "as": "как",
        "or browse": "или откройте",
        "search with a SPARQL query": "поищите SPARQL-запросом",
        "the graph": "граф",
    },
}
