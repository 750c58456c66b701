"""Cluster analysis on networkx: the questions the cluster literature asks, answered from the graph.

`analyze` gives every section as a JSON-ready dict typed by `results` (what `avcluster analyze
--format json` prints and the web views read), `render_table` the same as terminal text, and `project` the networkx
multi-digraph every measure starts from; `compare` a target region beside a model region.
"""

from .compare import Comparison, compare
from .projection import project
from .report import SECTIONS, analyze, render_table
from .results import Analysis

__all__ = ["SECTIONS", "Analysis", "Comparison", "analyze", "compare", "project", "render_table"]
