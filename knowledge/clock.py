"""The time stamps the store writes: UTC, to the second, ISO 8601 (so they sort as text)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
