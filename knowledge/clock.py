"""The time stamps the store writes: UTC, to the second, ISO 8601 (so they sort as text).

The clock is the process's own unless ``use`` sets another (a test's fake clock, so the stamps the store writes
and the times the use cases compare them with come from one clock). PostgreSQL stamps with the database's
``now()`` instead (knowledge.postgres.base.NOW_TEXT)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _real() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _real


def now(seconds: float = 0.0) -> str:
    """Now, or ``seconds`` from now (a lease's end), as the store writes it."""
    return (_source() + timedelta(seconds=seconds)).replace(microsecond=0).isoformat()


def use(source: Callable[[], datetime] | None) -> None:
    """Stamp with ``source`` from now on; None: the process's own clock again."""
    global _source
    _source = source or _real
