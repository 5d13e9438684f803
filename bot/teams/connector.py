"""The Bot Framework connector REST calls the bot makes, against an activity's ``serviceUrl``.

Synchronous on purpose: the Desk calls ``Chat.send`` from a worker thread. 429, 412, 502 and 504 (and
connection errors) are retried with exponential backoff and jitter, honouring ``Retry-After``; when the
connector keeps refusing, ``DeliveryFailed`` lets the Desk keep the message in its outbox.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any
from urllib.parse import quote

import requests

from bot.teams.tokens import AppToken, TokenError
from handlers.ports import DeliveryFailed

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({412, 429, 502, 504})


def _q(part: str) -> str:
    return quote(part, safe="")


class Connector:
    def __init__(
        self,
        token: AppToken,
        http: requests.Session,
        *,
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        timeout: float = 15.0,
        budget: float | None = None,
    ) -> None:
        self.token = token
        # seconds a call may go on retrying: a message is sent under a claim on its outbox row, and retrying past
        # the claim would let another sender post it too; past the budget the outbox tries again
        self.budget = budget
        self.http = http
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.timeout = timeout

    def reply(self, service_url: str, conversation: str, activity_id: str, activity: dict[str, Any]) -> dict:
        """Reply to ``activity_id`` in ``conversation`` (the way a bot answers what it received)."""
        url = f"{service_url.rstrip('/')}/v3/conversations/{_q(conversation)}/activities/{_q(activity_id)}"
        return self._call("POST", url, activity)

    def send(self, service_url: str, conversation: str, activity: dict[str, Any]) -> dict:
        url = f"{service_url.rstrip('/')}/v3/conversations/{_q(conversation)}/activities"
        return self._call("POST", url, activity)

    def update(self, service_url: str, conversation: str, activity_id: str, activity: dict[str, Any]) -> dict:
        url = f"{service_url.rstrip('/')}/v3/conversations/{_q(conversation)}/activities/{_q(activity_id)}"
        return self._call("PUT", url, {**activity, "id": activity_id})

    def create_thread(
        self,
        service_url: str,
        channel_id: str,
        tenant_id: str,
        activity: dict[str, Any],
    ) -> dict:
        """A new post (thread root) in a channel.

        Returns ``{"id": "19:…;messageid=<root>", "activityId": <root>}``.
        """
        body: dict[str, Any] = {
            "isGroup": True,
            "channelData": {
                "channel": {"id": channel_id},
                **({"tenant": {"id": tenant_id}} if tenant_id else {}),
            },
            "activity": activity,
        }
        return self._call("POST", f"{service_url.rstrip('/')}/v3/conversations", body)

    def _call(self, method: str, url: str, body: dict[str, Any]) -> dict:
        problem, wait, started = "", 0.0, time.monotonic()
        for attempt in range(self.attempts):
            if attempt:
                backoff = self.base_delay * 2 ** (attempt - 1) + random.uniform(0, self.base_delay)
                pause = min(max(backoff, wait), self.max_delay)
                if self.budget is not None and time.monotonic() - started + pause + self.timeout > self.budget:
                    break
                time.sleep(pause)
            try:
                headers = {"Authorization": f"Bearer {self.token.get()}"}
                response = self.http.request(method, url, json=body, headers=headers, timeout=self.timeout)
            except TokenError as error:
                raise DeliveryFailed(str(error)) from error
            except requests.RequestException as error:
                problem, wait = f"connection: {error}", 0.0
                continue
            if response.status_code < 300:
                try:
                    return dict(response.json() or {})
                except ValueError:
                    return {}
            problem = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code not in RETRY_STATUSES:
                break
            retry_after = response.headers.get("Retry-After", "").strip()
            wait = float(retry_after) if retry_after.isdigit() else 0.0
            log.info("connector %s %s: %s (attempt %d)", method, url, problem, attempt + 1)
        raise DeliveryFailed(f"Teams connector {method} {url}: {problem}")
