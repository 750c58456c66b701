"""What /graph draws: actors and ties as vis-network nodes and edges, with positions, built once per
version of the store. `model` reads and measures the network, `layout` places it, `selection` picks
what a view shows, `style` colours it, and `view` builds the page's data."""

from .layout import layout
from .model import MEASURES, Model, actor_network, labels, model
from .selection import GROUPINGS, parse_selection
from .style import KIND_COLOURS, TYPE_COLOURS, colour
from .view import ARRANGEMENTS, View, view

__all__ = [
    "ARRANGEMENTS",
    "GROUPINGS",
    "KIND_COLOURS",
    "MEASURES",
    "TYPE_COLOURS",
    "Model",
    "View",
    "actor_network",
    "colour",
    "labels",
    "layout",
    "model",
    "parse_selection",
    "view",
]
