"""``/healthz``, ``/readyz`` and ``/metrics``: what a serving process answers a load balancer and Prometheus.

``/healthz``: the process answers (200). ``/readyz``: it can do its work now: the database can be opened and
read, and the chat platform can be reached (Slack: auth.test; Teams: a token from Entra ID); 200, or 503 with
one line per reason. The platform's answer is kept for a while (``PLATFORM_SECONDS``, a failure for less), so
a probe every few seconds does not become a call to Slack or Microsoft every few seconds. ``/metrics``: the
Monitor's figures (bot/metrics.py). Each server (Bolt's stdlib server, aiohttp, the web console's Flask, or
the side port of Socket Mode, ``serve_side``) asks ``Health.answer`` and sends what it gets.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from bot.metrics import CONTENT_TYPE, Monitor

log = logging.getLogger(__name__)

PATHS = ("/healthz", "/readyz", "/metrics")
PLATFORM_SECONDS = 30.0  # a platform check that passed counts this long
FAILED_SECONDS = 5.0     # one that failed, this long (a probe storm does not become a storm of calls)
TEXT = "text/plain; charset=utf-8"

Probe = Callable[[], str]  # '' when fine, else the reason


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class Remembered:
    """``probe``'s last result, kept ``ok_seconds`` when it passed and ``failed_seconds`` when it did not; one
    check at a time (a second caller waits for the first one's result)."""

    def __init__(self, probe: Probe, ok_seconds: float = PLATFORM_SECONDS,
                 failed_seconds: float = FAILED_SECONDS) -> None:
        self.probe, self.ok_seconds, self.failed_seconds = probe, ok_seconds, failed_seconds
        self._lock = threading.Lock()
        self._result, self._until = "", 0.0

    def __call__(self) -> str:
        with self._lock:
            if time.monotonic() >= self._until:
                try:
                    self._result = self.probe()
                except Exception as error:  # a probe that fails unexpectedly: not ready, and why
                    self._result = f"{type(error).__name__}: {error}"
                self._until = time.monotonic() + (self.failed_seconds if self._result else self.ok_seconds)
            return self._result


class Health:
    """The three endpoints of one process. ``platform``: the chat platform's check, named (e.g. "slack")."""

    def __init__(self, monitor: Monitor, platform: tuple[str, Probe] | None = None) -> None:
        self.monitor = monitor
        self.database: Probe = monitor.store.reachable
        self.platform = (platform[0], Remembered(platform[1])) if platform else None

    def problems(self) -> list[str]:
        """Why this process is not ready now (none: ready)."""
        found = []
        if why := self.database():
            found.append(f"database: {why}")
        if self.platform is not None and (why := self.platform[1]()):
            found.append(f"{self.platform[0]}: {why}")
        return found

    def answer(self, path: str) -> Answer | None:
        """The answer to ``GET path`` (query string ignored), or None when the path is none of these."""
        path = urlsplit(path).path
        if path == "/healthz":
            return Answer(200, TEXT, b"ok\n")
        if path == "/readyz":
            problems = self.problems()
            if problems:
                log.warning("not ready: %s", "; ".join(problems))
                return Answer(503, TEXT, ("\n".join(problems) + "\n").encode("utf-8"))
            return Answer(200, TEXT, b"ready\n")
        if path == "/metrics":
            return Answer(200, CONTENT_TYPE, self.monitor.exposition())
        return None


def serve_side(health: Health, host: str, port: int) -> ThreadingHTTPServer:
    """The three endpoints on a port of their own (Socket Mode has no HTTP server), served from a daemon thread;
    ``shutdown()`` and ``server_close()`` it to stop. OSError when the port cannot be had."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10.0

        def do_GET(self) -> None:  # noqa: N802
            found = health.answer(self.path) or Answer(404, TEXT, b"not found\n")
            self.send_response(found.status)
            self.send_header("Content-Type", found.content_type)
            self.send_header("Content-Length", str(len(found.body)))
            self.end_headers()
            self.wfile.write(found.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="vraagbaak-health", daemon=True).start()
    return server
