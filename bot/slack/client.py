"""The Slack Web API client every part of the adapter uses: one base URL, retries for 429, 5xx and
dropped connections (slack_sdk retries only connection errors by default)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

TIMEOUT_SECONDS = 10


def web_client(settings: Settings, *, token: str | None = None, retries: int = 2) -> WebClient:
    """A WebClient on ``settings.slack_api_url`` that honours ``Retry-After`` and retries 5xx."""
    base_url = settings.slack_api_url
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(
        token=token if token is not None else settings.slack_bot_token or None,
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=retries),
            RateLimitErrorRetryHandler(max_retry_count=retries + 1),
            ServerErrorRetryHandler(max_retry_count=retries),
        ],
    )
