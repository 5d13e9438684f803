"""The console's protections: security headers, CSRF tokens, safe redirects. (The sign-in rate limit and the
sessions live in the database: knowledge.weblogin.)"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Response, abort, request, session

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
       "form-action 'self'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
CSRF_FIELD = "csrf_token"


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers[name] = value
    if request.path != "/static/console.css" and not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def harden(server: Any) -> None:
    """Waitress answers some requests itself, before the app sees them (a body over the limit: 413, a malformed
    request: 400, an app that raised: 500): ``server``'s connections give those answers the headers too."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class HeaderedErrorTask(ErrorTask):  # type: ignore[misc]
        def execute(self) -> None:
            self.response_headers.extend([*HEADERS.items(), ("Cache-Control", "no-store")])
            super().execute()

    class HeaderedChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = HeaderedErrorTask

    # one address: the server itself; several (a name with an IPv4 and an IPv6 address): one server each
    for listener in (server, *getattr(server, "map", {}).values()):
        if hasattr(listener, "channel_class"):
            listener.channel_class = HeaderedChannel


def csrf_token() -> str:
    """This session's CSRF token (made on first use); every form carries it in ``csrf_token``."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse (403) a POST whose form does not carry this session's CSRF token."""
    if request.method != "POST":
        return
    sent = request.form.get(CSRF_FIELD, "")
    known = session.get("csrf", "")
    if not (isinstance(known, str) and known and sent and hmac.compare_digest(sent, known)):
        abort(403)


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default``: no scheme, no host, no ``//`` or backslash."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or ":" in target.split("?", 1)[0] or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    return target

