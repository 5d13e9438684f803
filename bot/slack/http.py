"""Bolt's HTTP mode on a threading stdlib server: POST /slack/events -> App.dispatch.

Bolt verifies the signature (401 for a bad or missing one, or a timestamp older than five minutes);
this file only translates HTTP to BoltRequest and back.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest

PATH = "/slack/events"
MAX_BODY = 1 << 20


def make_server(app: App, *, host: str = "0.0.0.0", port: int = 3000) -> ThreadingHTTPServer:
    """A server for ``app``; ``serve_forever()`` it. Port 0 picks a free port (``server_address[1]``)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if url.path != PATH:
                self._send(404, {}, b"")
                return
            if length > MAX_BODY:
                self._send(413, {}, b"")
                return
            body = self.rfile.read(length).decode("utf-8")
            headers = {k.lower(): self.headers.get_all(k) or [] for k in self.headers.keys()}
            response = app.dispatch(BoltRequest(body=body, query=url.query, headers=headers))
            self._send(response.status, response.headers, response.body.encode("utf-8"))

        def do_GET(self) -> None:  # noqa: N802
            self._send(404 if urlsplit(self.path).path != "/health" else 200, {}, b"")

        def _send(self, status: int, headers: dict[str, list[str]] | dict[str, str], body: bytes) -> None:
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

    return ThreadingHTTPServer((host, port), Handler)
