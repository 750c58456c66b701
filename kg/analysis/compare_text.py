"""`avcluster compare` as terminal text: the comparison's parts as tables, the model on the left."""

from __future__ import annotations

from typing import Any

from ..labels import namer
from .compare import Comparison, FactorValue
from .text_tables import figure, table

SUGGESTED = 3  # actors named per competency gap; the JSON has them all


def render_comparison(result: Comparison) -> str:
    labels = result["labels"]

    name = namer(labels)

    def measured(value: FactorValue | None) -> str:
        if value is None:
            return "missing"
        year = f", {value['year']}" if value["year"] is not None else ", undated"
        rank = f" (#{value['rank']} of {value['of']})" if value["rank"] is not None else ""
        return f"{figure(value['value'])} {value['unit'] or ''}".strip() + year + rank

    model, target = name(result["model"]), name(result["target"])
    at = f" in {result['at']}" if result["at"] is not None else ""
    heading = f"avcluster comparison{at}: model {model}, target {target}"
    parts: list[tuple[str, list[str], list[list[Any]], int]] = []  # title, headers, rows, column width

    parts.append(
        (
            "SUCCESS FACTORS",
            ["factor", "indicator", model, target, "comparable"],
            [
                [
                    name(row["factor"]),
                    " / ".join(sorted({name(v["indicator"]) for v in (row["model"], row["target"]) if v})) or "–",
                    measured(row["model"]),
                    measured(row["target"]),
                    "yes" if row["comparable"] else "no",
                ]
                for row in result["factors"]
            ],
            48,
        )
    )

    examples = result["role_examples"]
    parts.append(
        (
            f"KINDS OF ACTOR {model} has and {target} lacks ({len(result['missing_roles'])})",
            ["kind", f"actors in {model}", "for example"],
            [
                [name(r), len(examples[r]), name(examples[r][0]) if examples[r] else "–"]
                for r in result["missing_roles"]
            ],
            48,
        )
    )

    suggestions = result["suggestions"]
    parts.append(
        (
            f"COMPETENCY GAPS: {model} has a lead, {target} none ({len(result['competency_gaps'])})",
            ["competency", f"lead in {model}", "led elsewhere by (latest first)"],
            [
                [
                    name(gap),
                    ", ".join(
                        name(a)
                        for a in next(r["model_leads"] for r in result["competencies"] if r["competency"] == gap)
                    ),
                    ", ".join(name(a) for a in suggestions.get(gap, [])[:SUGGESTED]) or "–",
                ]
                for gap in result["competency_gaps"]
            ],
            60,
        )
    )

    networks = result["network"]
    parts.append(
        (
            "NETWORK",
            ["measure", model, target],
            [
                [measure.replace("_", " "), networks["model"][measure], networks["target"][measure]]
                for measure in ("actors", "ties", "density", "public_private_share", "median_tie_years")
            ]
            + [
                [
                    "top broker",
                    name(networks["model"]["top_brokers"][0]["iri"]) if networks["model"]["top_brokers"] else "–",
                    name(networks["target"]["top_brokers"][0]["iri"]) if networks["target"]["top_brokers"] else "–",
                ]
            ],
            38,
        )
    )

    instruments = result["instruments"]
    kinds = sorted(set(instruments["model"]) | set(instruments["target"]), key=name)

    def span(role: str, kind: str) -> str:
        measures = instruments[role].get(kind, [])
        if not measures:
            return "none"
        years = [m["year"] for m in measures if m["year"] is not None]
        rates = sorted({m["rate"] for m in measures if m["rate"] is not None})
        text = f"{len(measures)}" + (f", {min(years)}–{max(years)}" if years else "")
        return text + (f", rates {'/'.join(f'{r:.0%}' for r in rates)}" if rates else "")

    parts.append(
        (
            "POLICY INSTRUMENTS",
            ["kind", model, target],
            [[name(k), span("model", k), span("target", k)] for k in kinds],
            48,
        )
    )

    position = result["target_position"]
    reached = set(position["reached"])
    since = (
        f"{position['years_since_first']} years since its first comparable step ({position['first_year']})"
        if position["first_year"] is not None
        else "no dated step comparable with the model's"
    )
    parts.append(
        (
            f"{model.upper()}'S PATH, AND {target.upper()} ON IT: {len(reached)} of {len(result['timeline'])} steps "
            f"reached, {since}",
            ["date", "step", f"{model}", f"{target} has it"],
            [
                [m["date"], f"first {name(m['kind'])}", m["label"], "yes" if m["kind"] in reached else "no"]
                for m in result["timeline"]
            ],
            60,
        )
    )
    blocks = [heading, *(f"{title}\n{table(headers, rows, width=width)}" for title, headers, rows, width in parts)]
    blocks.append(f"SOURCES: {len(result['sources'])} (every one listed with --format json)")
    return "\n\n".join(blocks)
