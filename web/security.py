"""Headers every response carries, and the rules that keep data from becoming markup.

The app must work offline and show untrusted labels safely, so the policy names no origin but
the app's own: no inline script (pages pass data as JSON in `<script type="application/json">`),
no inline style attributes, no framing. They are set after every view has run, so no view can
weaken them.

Credentials: the update token is compared in constant time (web.views.sparql) and never written to
a response or a log; nothing in the app logs request headers.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.autoescape = True  # every template, whatever its file name
    app.after_request(add_headers)
