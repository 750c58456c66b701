"""How every page answers: a page for people or its JSON twin for programs, and the one handler that
turns any failure into a status and a sentence (never a traceback) in the form the client reads.

As in Datasette, every page has a twin: the same data as JSON at `<path>.json` or with
`?format=json`. Views build their data once and hand it here; they do not catch errors: a reader's
mistake is a werkzeug BadRequest, a failed query an AvclusterError, and `answer_error` says either
one as a page, as JSON for a twin, or as plain text for the SPARQL protocol's clients.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from avcluster.kg.errors import AvclusterError, QueryError, QueryTimeout, ResultTooLarge, StoreError
from avcluster.kg.questions import ParameterError

JSON = "application/json"
# Paths whose clients are programs speaking a protocol: they get plain-text errors.
PROTOCOL_PATHS = ("/sparql",)


class QueryTooLong(QueryError):
    """A query text over MAX_QUERY_BYTES."""


def status_of(error: Exception) -> int:
    """The HTTP status that tells a client what kind of failure an error is."""
    if isinstance(error, HTTPException):
        return error.code or 500
    if isinstance(error, QueryTooLong):
        return 413
    if isinstance(error, QueryTimeout):
        return 503
    if isinstance(error, ResultTooLarge | QueryError | ParameterError):
        return 400
    if isinstance(error, StoreError):
        return 502
    if isinstance(error, AvclusterError):  # a request the data cannot answer (an unknown region, section…)
        return 400
    return 500


def wants_twin() -> bool:
    return request.path.endswith(".json") or request.args.get("format") == "json"


def twin(data: Mapping[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype=JSON)


def page(template: str, context: Mapping[str, Any], status: int = 200) -> Response:
    html = render_template(template, **context)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def page_or_twin(template: str, data: Mapping[str, Any], labels: Mapping[str, str], **context: Any) -> Response:
    """The page (`template` with `data` and `context`), or for a twin request the data alone as
    JSON, with the labels of the IRIs it mentions (`labels`, as the data was built)."""
    if wants_twin():
        return twin({**data, "labels": dict(sorted(labels.items()))})
    return page(template, {"data": data, **context})


def no_content() -> Response:
    """204, with no body and so no Content-Type (Flask would say text/html)."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def plain(status: int, message: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8")


def answer_error(error: Exception) -> Response:
    """Any failure, said in the form the client reads."""
    status = status_of(error)
    message = (error.description or error.name) if isinstance(error, HTTPException) else str(error)
    if request.path.startswith(PROTOCOL_PATHS) or request.path.endswith(".csv"):
        response = plain(status, message)
    elif wants_twin() or request.accept_mimetypes.best == JSON:
        response = twin({"error": message}, status)
    else:
        response = page("error.html", {"status": status, "error": message}, status)
    if isinstance(error, HTTPException):
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers.add(name, value)  # one WWW-Authenticate per scheme
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, answer_error)
    app.register_error_handler(AvclusterError, answer_error)
