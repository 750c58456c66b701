"""Which actors and ties a view shows: a drill-down selection of groups and a year."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .model import Model

GROUPINGS: tuple[str, ...] = ("type", "community")


Selection = tuple[tuple[str, str], ...]


def parse_selection(values: Iterable[str]) -> Selection:
    """`type:ProductionCompany`, `community:3`: the groups a reader drilled into, in order."""
    chosen: list[tuple[str, str]] = []
    for value in values:
        dimension, _, name = value.partition(":")
        if dimension in GROUPINGS and name and dimension not in dict(chosen):
            chosen.append((dimension, name))
    return tuple(chosen)


def selection_text(selection: Selection) -> list[str]:
    return [f"{d}:{v}" for d, v in selection]


def members(m: Model, selection: Selection, at: int | None) -> np.ndarray:
    """Indices of the actors in every selected group (and present in year `at`)."""
    keep = np.ones(len(m.iris), dtype=bool)
    types = m.types
    for dimension, value in selection:
        keep &= (
            np.array([m.group_of(dimension, i) == value for i in range(len(m.iris))])
            if dimension == "community"
            else np.array([t == value for t in types])
        )
    if at is not None:
        keep &= np.array([m.network.actors[iri].exists_in(at) for iri in m.iris])
    return np.flatnonzero(keep)


def tie_indices(m: Model, inside: np.ndarray, at: int | None) -> np.ndarray:
    """Ties with both ends among `inside` (and current in year `at`)."""
    mask = np.zeros(len(m.iris), dtype=bool)
    mask[inside] = True
    keep = mask[m.ends[:, 0]] & mask[m.ends[:, 1]] if len(m.ends) else np.zeros(0, dtype=bool)
    if at is not None:
        keep &= np.array([t.period.contains_year(at) for t in m.ties], dtype=bool)
    return np.flatnonzero(keep)
