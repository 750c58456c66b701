"""The words of the cluster views' newer frame (the counts' footnotes, the life-cycle evidence, the
competency timeline and the cluster selector) in Spanish and Russian. The names and definitions
of the cluster counts themselves live with them, in kg.analysis.counts."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "es": {
        "Actors and relationships by year": "Actores y relaciones por año",
        "All clusters": "Todos los clústeres",
        "As of {year}: {actors} of the cluster’s actors existed and {ties} relationships among them were in force.": "En {year}: existían {actors} de los actores del clúster y {ties} relaciones entre ellos estaban vigentes.",
        "Each indicator is a figure from the data and the stage it points to; the suggestion is the stage most indicators point to, and none when they are split or none points anywhere.": "Cada indicador es una cifra de los datos y la etapa a la que apunta; la sugerencia es la etapa a la que apuntan más indicadores, y no hay ninguna si están divididos o ninguno apunta a una etapa.",
        "It agrees with the stated stage.": "Coincide con la etapa declarada.",
        "No suggestion: no indicator points to a stage (too few dated actors or ties, or no founding date).": "Sin sugerencia: ningún indicador apunta a una etapa (pocos actores o vínculos fechados, o sin fecha de fundación).",
        "No suggestion: the indicators are split ({votes}), and a split vote is reported, not settled.": "Sin sugerencia: los indicadores están divididos ({votes}); un empate se informa, no se decide.",
        "The evidence suggests {stage}: more indicators point to it than to any other stage ({votes}).": "Los datos sugieren {stage}: más indicadores apuntan a ella que a cualquier otra etapa ({votes}).",
        "The sources state {stage}.": "Las fuentes declaran {stage}.",
        "age": "antigüedad",
        "indicator": "indicador",
        "member growth": "crecimiento de miembros",
        "new tie share": "proporción de vínculos nuevos",
        "suggests": "sugiere",
        "tie growth": "crecimiento de vínculos",
        "turnover": "rotación",
        "value": "valor",
        "why": "por qué",
    },
    "ru": {
        "Actors and relationships by year": "Участники и отношения по годам",
        "All clusters": "Все кластеры",
        "As of {year}: {actors} of the cluster’s actors existed and {ties} relationships among them were in force.": "На {year} год: существовали {actors} участников кластера, и между ними действовали {ties} отношений.",
        "Each indicator is a figure from the data and the stage it points to; the suggestion is the stage most indicators point to, and none when they are split or none points anywhere.": "Каждый показатель — это число из данных и стадия, на которую он указывает; предлагается стадия, на которую указывает больше всего показателей, и никакая, если голоса разделились или ни один не указывает на стадию.",
        "It agrees with the stated stage.": "Совпадает с заявленной стадией.",
        "No suggestion: no indicator points to a stage (too few dated actors or ties, or no founding date).": "Нет предложения: ни один показатель не указывает на стадию (мало датированных участников или связей либо нет даты основания).",
        "No suggestion: the indicators are split ({votes}), and a split vote is reported, not settled.": "Нет предложения: показатели разделились ({votes}); ничья сообщается, а не решается.",
        "The evidence suggests {stage}: more indicators point to it than to any other stage ({votes}).": "Данные указывают на стадию «{stage}»: на неё указывает больше показателей, чем на любую другую ({votes}).",
        "The sources state {stage}.": "Источники называют стадию «{stage}».",
        "age": "возраст",
        "indicator": "показатель",
        "member growth": "рост числа членов",
        "new tie share": "доля новых связей",
        "suggests": "указывает на",
        "tie growth": "рост числа связей",
        "turnover": "оборот связей",
        "value": "значение",
        "why": "почему",
    },
}
