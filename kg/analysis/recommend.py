"""Recommendations drawn from a comparison, each with the data that supports it.

A recommendation is never free text: it names what the target lacks (a competency lead, a kind of
actor, a step of the model's path, a figure), the model's actors, measures or observations that
show it, the actors elsewhere who do it, and the sources behind them. How it is worded is left to
whoever shows it (the report, in the reader's language).
"""

from __future__ import annotations

from typing import TypedDict

from .compare import Comparison


class Recommendation(TypedDict):
    kind: str  # "competency" | "role" | "step" | "figure"
    subject: str  # the competency, kind of actor, step kind or success factor
    model: list[str]  # what in the model shows it: leads, actors, the milestone
    elsewhere: list[str]  # actors in other regions that do it (competencies only)
    date: str | None  # when the model took the step
    sources: list[str]


EXAMPLES = 5


def recommendations(comparison: Comparison) -> list[Recommendation]:
    """Competency gaps first (the clearest split of roles to copy), then missing kinds of actor,
    then the model's further steps not yet taken, then figures the target should start measuring."""
    found: list[Recommendation] = []
    rows = {row["competency"]: row for row in comparison["competencies"]}
    for gap in comparison["competency_gaps"]:
        found.append(
            {
                "kind": "competency",
                "subject": gap,
                "model": rows[gap]["model_leads"],
                "elsewhere": [a for a in comparison["suggestions"].get(gap, []) if a not in rows[gap]["model_leads"]][
                    :EXAMPLES
                ],
                "date": None,
                "sources": rows[gap]["sources"],
            }
        )
    for kind in comparison["missing_roles"]:
        found.append(
            {
                "kind": "role",
                "subject": kind,
                "model": comparison["role_examples"][kind][:EXAMPLES],
                "elsewhere": [],
                "date": None,
                "sources": [],
            }
        )
    covered = set(comparison["missing_roles"])
    measures = {m["measure"]: m["sources"] for kinds in comparison["instruments"]["model"].values() for m in kinds}
    for step in comparison["timeline"]:
        if step["kind"] in comparison["target_position"]["not_reached"] and step["kind"] not in covered:
            found.append(
                {
                    "kind": "step",
                    "subject": step["kind"],
                    "model": [step["iri"]],
                    "elsewhere": [],
                    "date": step["date"],
                    "sources": measures.get(step["iri"], []),
                }
            )
    for row in comparison["factors"]:
        if row["target"] is None and row["model"] is not None:
            found.append(
                {
                    "kind": "figure",
                    "subject": row["factor"],
                    "model": [row["model"]["indicator"]],
                    "elsewhere": [],
                    "date": None,
                    "sources": row["model"]["source"],
                }
            )
    return found
