"""Files served beside the pages: vis-network's script and stylesheet, and the site icon.

pyvis ships vis-network 9.1.2 (Apache-2.0/MIT) but its template loads it from a CDN; the app
must work offline and name no other origin, so it serves the package's own files. They are not
copied into this repository: the version is the one pyvis (pinned in pyproject.toml) installed.
"""

from __future__ import annotations

from pathlib import Path

import pyvis
from flask import Blueprint, Response, redirect, send_from_directory, url_for

bp = Blueprint("assets", __name__)

VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
ONE_DAY = 24 * 3600


@bp.route("/assets/vis-network.min.js")
def vis_js() -> Response:
    return send_from_directory(VIS_DIR, "vis-network.min.js", mimetype="text/javascript", max_age=ONE_DAY)


@bp.route("/assets/vis-network.css")
def vis_css() -> Response:
    return send_from_directory(VIS_DIR, "vis-network.css", mimetype="text/css", max_age=ONE_DAY)


@bp.route("/favicon.ico")
def favicon() -> Response:
    """Pages name their icon, but some clients still ask for the conventional path."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)  # type: ignore[return-value]
