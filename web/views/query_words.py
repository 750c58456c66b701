"""The words of /query's results frame (facets, filter) in Spanish and Russian."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "es": {
        "(none)": "(ninguno)",
        "Chosen values": "Valores elegidos",
        "Facet by": "Facetas por",
        "Facets": "Facetas",
        "Filter": "Filtrar",
        "Filter rows": "Filtrar filas",
        "Remove": "Quitar",
        "of": "de",
        "rows": "filas",
        "triples": "tripletas",
    },
    "ru": {
        "(none)": "(нет)",
        "Chosen values": "Выбранные значения",
        "Facet by": "Фасеты по",
        "Facets": "Фасеты",
        "Filter": "Фильтр",
        "Filter rows": "Фильтровать строки",
        "Remove": "Убрать",
        "of": "из",
        "rows": "строк",
        "triples": "триплетов",
    },
}
