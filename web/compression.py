"""Answers compressed when the client asks for it (`Accept-Encoding: gzip`): SPARQL results and RDF
are text that shrinks five- to tenfold, which matters more to a client across a network than the
milliseconds gzip takes. Small answers, files sent as they are and non-text media stay as they are."""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

MINIMUM_BYTES = 1_024
_TEXTUAL = ("text/", "application/json", "application/ld+json", "application/sparql-results", "application/n-")
_TEXTUAL_SUFFIXES = ("+xml", "+json", "/xml", "/javascript", "/trig", "/n-quads", "/n-triples")


def _compressible(response: Response) -> bool:
    media = response.mimetype or ""
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and (media.startswith(_TEXTUAL) or media.endswith(_TEXTUAL_SUFFIXES))
    )


def compress(response: Response) -> Response:
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.accept_encodings or not _compressible(response):
        return response
    body = response.get_data()
    if len(body) < MINIMUM_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
