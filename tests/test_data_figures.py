"""Every count in the READMEs comes from the data: the figures blocks of README.md and
data/README.md are what kg.figures counts on the bundled data (`python -m avcluster.kg.figures`
rewrites them), and the analysis and comparison transcripts in README.md are what the commands print."""

from __future__ import annotations

import re
from pathlib import Path

from avcluster.kg.analysis import analyze, render_table
from avcluster.kg.analysis.compare import compare
from avcluster.kg.analysis.compare_text import render_comparison
from avcluster.kg.figures import END, START, markdown, summary
from avcluster.kg.stores import Store

ROOT = Path(__file__).resolve().parent.parent


def block(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    found = re.search(re.escape(START) + "(.*?)" + re.escape(END), text, re.DOTALL)
    assert found, f"{path.name} has no figures block"
    return found.group(1)


def test_the_data_readme_figures_are_the_datas(bundled: Store) -> None:
    assert block(ROOT / "data" / "README.md") == markdown(bundled), "run `python -m avcluster.kg.figures`"


def test_the_readme_figures_are_the_datas(bundled: Store) -> None:
    assert block(ROOT / "README.md") == summary(bundled), "run `python -m avcluster.kg.figures`"


def test_the_readme_transcript_is_what_analyze_prints(bundled: Store) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    transcript = re.search(r"\$ avcluster analyze --region navarre --section competencies\n(.*?)```", readme, re.DOTALL)
    assert transcript
    printed = render_table(analyze(bundled, region="navarre", sections=["competencies"]))
    shown = [line for line in transcript.group(1).splitlines() if line.strip() and line.strip() != "..."]
    assert shown
    for line in shown:
        assert line.rstrip() in printed, f"the README shows a line analyze does not print: {line!r}"


def test_the_readme_comparison_is_what_compare_prints(bundled: Store) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ avcluster compare --model navarre --target kaliningrad --at 2025"
    transcript = re.search(re.escape(command) + r"\n(.*?)```", readme, re.DOTALL)
    assert transcript
    printed = render_comparison(compare(bundled, "navarre", "kaliningrad", at=2025))
    shown = [line for line in transcript.group(1).splitlines() if line.strip() and line.strip() != "..."]
    assert len(shown) > 5
    for line in shown:
        assert line.rstrip() in printed, f"the README shows a line compare does not print: {line!r}"
