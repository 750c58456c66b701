"""Who may write over HTTP: the holder of the update token, and nobody when none is configured.

The token is accepted as a bearer token (`Authorization: Bearer <token>`, RFC 6750) and as the
password of HTTP Basic authentication (any user name), because some clients (Comunica's and
fetch-sparql-endpoint's command lines) can only send Basic. Either way it is compared in constant
time and never written to a response or a log. A browser never sends it by itself (it is no
cookie), so allowing it across origins lets browser clients update without exposing anyone.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from flask import current_app, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from .store import get_store

REALM = "avcluster updates"


def presented_token() -> str | None:
    """The token a request carries, as a bearer token or as the Basic password."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2]
    return None


def require_update_token(what: str = "an update") -> None:
    """Go on only with the configured token (403 while writes are off, 401 without the token)."""
    store = get_store()
    if store.read_only:  # a token would not help: say what the server holds
        raise Forbidden(f"SPARQL Update is off on this server: it serves {store.location}")
    token = current_app.config.get("UPDATE_TOKEN")
    if not token:
        raise Forbidden("SPARQL Update is off on this server: start it with --update-token to allow updates")
    given = presented_token()
    if given is None or not hmac.compare_digest(given.encode(), str(token).encode()):
        raise Unauthorized(
            f"{what} needs this server's update token: Authorization: Bearer <token>, or as the password of "
            "HTTP Basic authentication",
            www_authenticate=[WWWAuthenticate("bearer", {"realm": REALM}), WWWAuthenticate("basic", {"realm": REALM})],
        )
