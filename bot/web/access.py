"""The web console's access log: one line a request, with the method, the path (never the query string: a
sign-in link carries its token there), the status and the time it took in milliseconds."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wsgi import ClosingIterator

log = logging.getLogger("bot.web.access")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class AccessLog:
    """WSGI middleware around the console: logs each request once its response has been sent (or has failed)."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["500"]  # what an exception before the response amounts to

        def starting(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = line.split(" ", 1)[0]
            return start_response(line, headers, exc_info) if exc_info else start_response(line, headers)

        def done() -> None:
            path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
            log.info("%s %s %s %.1f ms", environ.get("REQUEST_METHOD", "-"), path, status[0],
                     (time.perf_counter() - started) * 1000)

        try:
            body = self.app(environ, starting)
        except BaseException:
            done()
            raise
        return ClosingIterator(body, [done])
