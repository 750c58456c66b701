"""The reader's language: English, Spanish or Russian, chosen in the page and remembered in a cookie.

The language picks which of a resource's labels a page shows (see web.labels) and translates the
few words of the page's own frame (navigation, headings); data is never translated, only chosen.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, request
from flask.sansio.app import App

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "ru": "Русский"}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_SECONDS = 365 * 24 * 3600

# The page frame's own words. A missing entry shows the English text.
CATALOG: dict[str, dict[str, str]] = {
    "es": {
        "Main": "Principal",
        "Overview": "Resumen",
        "Graph": "Grafo",
        "Query": "Consulta",
        "Competencies": "Competencias",
        "Analysis": "Análisis",
        "Flows": "Flujos",
        "Regions": "Regiones",
        "Compare": "Comparar",
        "Ontology": "Ontología",
        "Language": "Idioma",
        "Menu": "Menú",
        "Run": "Ejecutar",
        "Results": "Resultados",
        "Questions": "Preguntas",
        "Prefixes": "Prefijos",
        "SPARQL endpoint": "Punto de acceso SPARQL",
        "Types": "Tipos",
        "Labels": "Etiquetas",
        "Relationships": "Relaciones",
        "Policy measures": "Medidas de política",
        "Observations": "Observaciones",
        "Sources": "Fuentes",
        "Members": "Miembros",
        "Properties": "Propiedades",
        "Referenced by": "Referenciado por",
        "Neighbourhood": "Vecindario",
        "Classes": "Clases",
        "Concept schemes": "Esquemas de conceptos",
        "Download": "Descargar",
        "any": "cualquiera",
        "competency": "competencia",
        "currency": "moneda",
        "end": "fin",
        "flow": "flujo",
        "issued by": "emitida por",
        "measure": "medida",
        "notes": "notas",
        "quotes": "citas",
        "relationship": "relación",
        "role": "papel",
        "start": "inicio",
        "strength": "intensidad",
        "the first {count} shown": "se muestran las {count} primeras",
        "unit": "unidad",
        "with": "con",
        "year": "año",
    },
    "ru": {
        "Main": "Главное",
        "Overview": "Обзор",
        "Graph": "Граф",
        "Query": "Запрос",
        "Competencies": "Компетенции",
        "Analysis": "Анализ",
        "Flows": "Потоки",
        "Regions": "Регионы",
        "Compare": "Сравнение",
        "Ontology": "Онтология",
        "Language": "Язык",
        "Menu": "Меню",
        "Run": "Выполнить",
        "Results": "Результаты",
        "Questions": "Вопросы",
        "Prefixes": "Префиксы",
        "SPARQL endpoint": "Точка доступа SPARQL",
        "Types": "Типы",
        "Labels": "Названия",
        "Relationships": "Связи",
        "Policy measures": "Меры политики",
        "Observations": "Наблюдения",
        "Sources": "Источники",
        "Members": "Участники",
        "Properties": "Свойства",
        "Referenced by": "Ссылаются",
        "Neighbourhood": "Окружение",
        "Classes": "Классы",
        "Concept schemes": "Схемы понятий",
        "Download": "Скачать",
        "any": "любой",
        "competency": "компетенция",
        "currency": "валюта",
        "end": "конец",
        "flow": "поток",
        "issued by": "кем принята",
        "measure": "мера",
        "notes": "примечания",
        "quotes": "цитаты",
        "relationship": "связь",
        "role": "роль",
        "start": "начало",
        "strength": "сила",
        "the first {count} shown": "показаны первые {count}",
        "unit": "единица",
        "with": "с кем",
        "year": "год",
    },
}


def current_language() -> str:
    """?lang= wins (and is remembered), then the cookie, then English."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    return remembered if remembered in LANGUAGES else DEFAULT


def gettext(text: str) -> str:
    return CATALOG.get(current_language(), {}).get(text, text)


def language_url(code: str) -> str:
    """This page in another language: the same path and arguments with lang= replaced."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def _remember(response: Response) -> Response:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)
    return response


def init_app(app: App) -> None:
    """Idempotent: every blueprint that renders pages may call it."""
    if "avcluster.i18n" in app.extensions:
        return
    app.extensions["avcluster.i18n"] = True
    app.after_request(_remember)
    app.context_processor(
        lambda: {"lang": current_language(), "languages": LANGUAGES, "_": gettext, "language_url": language_url}
    )
