"""The Slack Web API client every part of the adapter uses: one base URL, retries for 429, 5xx and
dropped connections (slack_sdk retries only connection errors by default), within a time budget."""

from __future__ import annotations

import http.client
import io
import ssl
import threading
import time
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.config import Settings

TIMEOUT_SECONDS = 10
LOOKUP_TIMEOUT_SECONDS = 2  # users.info while a request waits for its acknowledgement: never held long


class WithinBudget(RetryHandler):
    """Another handler's retries, but none whose wait would end more than ``budget`` seconds after the call's
    first refusal. A message is sent under a claim on its outbox row: retrying past the claim would let a
    second sender take the row and post it twice. Past the budget the call fails and the outbox tries again
    (after the claim), which is the one retry that cannot double."""

    def __init__(self, inner: RetryHandler, budget: float) -> None:
        super().__init__(max_retry_count=inner.max_retry_count, interval_calculator=inner.interval_calculator)
        self.inner, self.budget = inner, budget

    def _can_retry(self, *, state: Any, request: Any, response: Any = None, error: Any = None) -> bool:
        if not self.inner.can_retry(state=state, request=request, response=response, error=error):
            return False
        if state.custom_values is None:
            state.custom_values = {}
        started = state.custom_values.setdefault("vraagbaak_started", time.monotonic())
        return time.monotonic() - started + self._wait(state, response) <= self.budget

    def _wait(self, state: Any, response: Any) -> float:
        if response is not None and response.status_code == 429:
            values = {k.lower(): v for k, v in response.headers.items()}.get("retry-after") or ["1"]
            return float(values[0]) + 1.0  # slack_sdk adds up to a second
        return float(self.interval_calculator.calculate_sleep_duration(state.current_attempt))

    def prepare_for_next_attempt(self, *, state: Any, request: Any, response: Any = None, error: Any = None) -> None:
        self.inner.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


class KeepAliveWebClient(WebClient):
    """slack_sdk's WebClient, but its HTTP connections are kept open between calls and shared by the threads
    (slack_sdk opens a new one, with a new TLS handshake, for every call): a call takes an idle connection or
    opens one, and gives it back; at most IDLE are kept. A kept connection the server closed while idle is
    opened again once, as urllib3 does; any other failure goes to slack_sdk's retry handlers as before.
    It overrides slack_sdk's private ``_perform_urllib_http_request_internal``: should a release rename it, calls
    fall back to slack_sdk's own connection per call, and tests/slack/test_client.py fails to say so."""

    IDLE = 8

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._idle: dict[tuple[str, str], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def _take(self, where: tuple[str, str]) -> http.client.HTTPConnection | None:
        with self._lock:
            idle = self._idle.get(where)
            return idle.pop() if idle else None

    def _give_back(self, where: tuple[str, str], connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(where, [])
            if len(idle) < self.IDLE:
                idle.append(connection)
                return
        connection.close()

    def _open(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        if scheme == "https":
            return http.client.HTTPSConnection(netloc, timeout=self.timeout,
                                               context=self.ssl or ssl.create_default_context())
        return http.client.HTTPConnection(netloc, timeout=self.timeout)

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy or parts.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)
        where = (parts.scheme, parts.netloc)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = dict(req.header_items())
        kept = self._take(where)
        while True:
            connection = kept or self._open(*where)
            try:
                connection.request(req.get_method(), path, body=req.data, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                if kept is not None:
                    kept = None  # the server closed it while it was idle (as urllib3 does: tried once on a new one)
                    continue
                raise
            except BaseException:
                connection.close()
                raise
            break
        if response.will_close:
            connection.close()
        else:
            self._give_back(where, connection)
        if response.status >= 400:  # as urlopen does: slack_sdk reads 429 and 5xx from the HTTPError
            raise HTTPError(url, response.status, response.reason, response.headers, io.BytesIO(body))
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {"status": response.status, "headers": response.headers, "body": body.decode(charset)}


def web_client(settings: Settings, *, token: str | None = None, retries: int = 2, budget: float | None = None,
               timeout: int = TIMEOUT_SECONDS) -> WebClient:
    """A WebClient on ``settings.slack_api_url`` that honours ``Retry-After`` and retries 5xx, for at most
    ``budget`` seconds of waiting when given."""
    base_url = settings.slack_api_url
    if not base_url.endswith("/"):
        base_url += "/"
    handlers: list[RetryHandler] = [
        ConnectionErrorRetryHandler(max_retry_count=retries),
        RateLimitErrorRetryHandler(max_retry_count=retries + 1),
        ServerErrorRetryHandler(max_retry_count=retries),
    ]
    if not retries:
        handlers = []
    elif budget is not None:
        handlers = [WithinBudget(h, budget) for h in handlers]
    return KeepAliveWebClient(
        token=token if token is not None else settings.slack_bot_token or None,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=handlers,
    )
