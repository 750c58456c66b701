"""How /graph looks: colours by actor type and tie kind, and the vis-network options."""

from __future__ import annotations

import hashlib
from typing import Any

from avcluster.kg.analysis.projection import FLOW_KINDS, RELATIONSHIP_KINDS

from .layout import LAYOUT_SEED

# Colours by actor type (the ontology's classes); an unknown type takes one from PALETTE by its name.
TYPE_COLOURS: dict[str, str] = {
    "PublicAdministration": "#1f77b4",
    "PublicEnterprise": "#6baed6",
    "PublicBroadcaster": "#3182bd",
    "FilmCommission": "#d62728",
    "ClusterOrganization": "#9467bd",
    "Company": "#b5b5b5",
    "ProductionCompany": "#2ca02c",
    "PostProductionCompany": "#98df8a",
    "AnimationStudio": "#bcbd22",
    "DistributionCompany": "#8c564b",
    "Broadcaster": "#17becf",
    "ServiceProvider": "#7f7f7f",
    "EducationCentre": "#ff7f0e",
    "ResearchCentre": "#ffbb78",
    "FinancialInstitution": "#e377c2",
    "Festival": "#f7b6d2",
    "ProfessionalAssociation": "#c49c94",
    "Network": "#dbdb8d",
    "Actor": "#999999",
}
KIND_COLOURS: dict[str, str] = {
    "Funding": "#d62728",
    "Training": "#ff7f0e",
    "CoProduction": "#2ca02c",
    "ServiceSupply": "#7f7f7f",
    "Partnership": "#1f77b4",
    "PublicPrivateDialogue": "#9467bd",
    "KnowledgeTransfer": "#17becf",
    "Governance": "#8c564b",
    "SharedLeadership": "#e7ba52",
    "Relationship": "#999999",
    "InformationFlow": "#bcbd22",
    "FinancialFlow": "#e377c2",
    "MaterialFlow": "#c49c94",
    "Flow": "#999999",
}
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
KIND_ORDER = (*RELATIONSHIP_KINDS, "Relationship", *FLOW_KINDS, "Flow")

# vis-network options: positions come from the server, so physics and vis's own layout are off.
OPTIONS: dict[str, Any] = {
    "physics": {
        "enabled": False,
        "solver": "forceAtlas2Based",
        "stabilization": {"enabled": False},
        "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 60},
    },
    "layout": {"improvedLayout": False, "randomSeed": LAYOUT_SEED},
    "interaction": {
        "hover": True,
        "tooltipDelay": 150,
        "hideEdgesOnDrag": True,
        "navigationButtons": False,
        # Arrow keys pan and +/- zoom while the map has the focus (it is in the tab order).
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    },
    "nodes": {
        "shape": "dot",
        "scaling": {"min": 6, "max": 36, "label": {"enabled": False}},
        "font": {"size": 13, "color": "#1f2933"},
        "borderWidth": 1,
    },
    "edges": {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "color": {"inherit": False, "opacity": 0.6},
        "width": 1,
        "selectionWidth": 2,
        "scaling": {"min": 1, "max": 8, "label": {"enabled": False}},
    },
}
# Above this many ties edges hide while zooming too: redrawing them every frame is what stalls.
HIDE_ON_ZOOM_ABOVE = 20_000


def colour(name: str, table: dict[str, str]) -> str:
    found = table.get(name)
    if found:
        return found
    return PALETTE[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(PALETTE)]
