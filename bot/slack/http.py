"""Bolt's HTTP mode on a threading stdlib server: POST /slack/events -> App.dispatch.

Bolt verifies the signature (401 for a bad or missing one, or a timestamp older than five minutes); a
timestamp that is not a plain number of seconds gets 401 here, before Bolt, whose ``int()`` would raise (500).
This file translates HTTP to BoltRequest and back, and bounds what a client can hold: a read timeout per
connection, a limit on connections served at once (503 past it), a body size, and 400 for a body that is
not UTF-8 or that Bolt cannot parse. Nothing a client sends makes the handler raise. ``GET /healthz``,
``/readyz`` and ``/metrics`` answer what bot/health.py says (Slack's part of /readyz: auth.test).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.health import Health
from bot.metrics import monitor_of
from bot.slack.app import dispatcher_of

log = logging.getLogger(__name__)

PATH = "/slack/events"
MAX_BODY = 1 << 20          # bytes; Slack's payloads are a few kB
READ_TIMEOUT = 10.0         # seconds a connection may take to send its request (and idle between requests)
MAX_CONNECTIONS = 64        # connections served at once; more get 503 at once
TIMESTAMP = re.compile(r"[0-9]{1,12}")  # X-Slack-Request-Timestamp: Unix seconds, as Slack sends them
BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n")
PROBE_TIMEOUT = 3  # seconds auth.test may take for /readyz (no retries: the next probe is the retry)


def health_of(app: App) -> Health:
    """The health of the bot behind ``app`` (built by ``build_app``): its database, and Slack's auth.test with the
    app's token and Web API address; its Monitor counts the Desk's work from now on."""
    desk = dispatcher_of(app).desk
    probe = WebClient(token=app.client.token, base_url=app.client.base_url, timeout=PROBE_TIMEOUT,
                      retry_handlers=[])

    def slack() -> str:
        try:
            probe.auth_test()
        except SlackApiError as error:
            return f"auth.test answered {error.response.get('error') or error.response.status_code}"
        except Exception as error:  # the Web API unreachable: refused, timed out, TLS
            return f"auth.test failed: {type(error).__name__}: {error}"
        return ""

    return Health(monitor_of(desk, "slack"), ("slack", slack))


class BoundedHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer with at most ``max_connections`` handler threads; a connection past that gets
    a 503 and is closed, without a thread."""

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], *,
                 max_connections: int = MAX_CONNECTIONS) -> None:
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            log.warning("503: already serving the maximum of connections; refused %s", client_address[0])
            try:
                request.settimeout(1.0)
                request.sendall(BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.warning("the connection from %s ended in an error", client_address[0], exc_info=True)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def _misshapen(body: dict[str, Any]) -> str:
    """The envelope field Bolt would trip over before any listener runs (it reads them unguarded), or ''."""
    for key in ("event", "view"):
        if key in body and not isinstance(body[key], dict):
            return key
    actions = body.get("actions", [])
    if not (isinstance(actions, list) and all(isinstance(a, dict) for a in actions)
            and (actions or body.get("type") not in ("block_actions", "interactive_message"))):
        return "actions"
    if body.get("type") == "block_actions" and not all(isinstance(a.get("action_id"), str) for a in actions):
        return "actions' action_id"  # Bolt's matcher reads it unguarded
    return ""


def make_server(app: App, *, host: str = "0.0.0.0", port: int = 3000, read_timeout: float = READ_TIMEOUT,
                max_connections: int = MAX_CONNECTIONS, health: Health | None = None) -> ThreadingHTTPServer:
    """A server for ``app``; ``serve_forever()`` it. Port 0 picks a free port (``server_address[1]``).
    ``health``: what its GET endpoints answer (default: ``health_of(app)``)."""
    checks = health or health_of(app)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait on a kept connection
        timeout = read_timeout  # the socket's timeout: a half-sent request is dropped after it

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            if url.path != PATH:
                self._refuse(404, "")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if length < 0:
                self._refuse(400, "invalid Content-Length")
                return
            if length > MAX_BODY:
                self._refuse(413, f"a body of {length} bytes")
                return
            try:
                raw = self.rfile.read(length)
            except OSError as error:  # TimeoutError included: the read timeout
                log.info("dropped a request from %s: reading its body failed (%s)", self.client_address[0], error)
                self.close_connection = True
                return
            try:
                body = raw.decode("utf-8")
            except UnicodeDecodeError:
                self._refuse(400, "a body that is not UTF-8")
                return
            headers: dict[str, str | Sequence[str]] = {k.lower(): self.headers.get_all(k) or []
                                                       for k in self.headers.keys()}
            stamp = headers.get("x-slack-request-timestamp") or ["0"]  # none: Bolt refuses it (401)
            if not TIMESTAMP.fullmatch(stamp[0] if isinstance(stamp, list | tuple) else str(stamp)):
                self._refuse(401, "a request timestamp that is not a number of seconds")
                return
            try:
                request = BoltRequest(body=body, query=url.query, headers=headers)
            except Exception as error:  # Bolt parses before it verifies: any shape may get here
                self._refuse(400, f"a body Bolt cannot parse ({type(error).__name__})")
                return
            wrong = _misshapen(request.body)
            if wrong:
                self._refuse(400, f"a payload whose {wrong} is not shaped like Slack's")
                return
            try:
                response = app.dispatch(request)
            except Exception:
                log.exception("Bolt failed on a request from %s", self.client_address[0])
                self._refuse(500, "")
                return
            self._send(response.status, response.headers, response.body.encode("utf-8"))

        def do_GET(self) -> None:  # noqa: N802
            found = checks.answer(self.path)
            if found is not None:
                self._send(found.status, {"Content-Type": found.content_type}, found.body)
            else:
                self._send(404 if urlsplit(self.path).path != "/health" else 200, {}, b"")

        def _refuse(self, status: int, why: str) -> None:
            """An error status without the body (which may be anyone's), and a log line saying why."""
            if why:
                log.warning("%d: %s from %s", status, why, self.client_address[0])
            self.close_connection = True
            self._send(status, {"Connection": "close"}, b"")

        def _send(self, status: int, headers: Mapping[str, Sequence[str] | str], body: bytes) -> None:
            self.send_response(status)
            for name, values in headers.items():
                if name.lower() == "content-length":
                    continue
                for value in [values] if isinstance(values, str) else values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return BoundedHTTPServer((host, port), Handler, max_connections=max_connections)
