"""The period (from/to dates, default the last 28 days) and channel filter of the gaps and analytics pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import request

DEFAULT_DAYS = 28
MAX_DAYS = 366  # a longer period is cut to this (a year a page)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    channel: str | None
    adjusted: bool  # a date could not be read, or the period was too long: what is shown differs from what was asked

    def query(self, **more: str) -> dict[str, str]:
        """The period as query parameters (for links: CSV downloads, "write an article")."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                **({"channel": self.channel} if self.channel else {}), **more}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def period(today: date | None = None) -> Period:
    """The period the request asks for: ``start`` and ``end`` (ISO dates, both included) and ``channel``."""
    today = today or datetime.now(UTC).date()
    asked_start, asked_end = request.args.get("start"), request.args.get("end")
    end = _day(asked_end) or today
    start = _day(asked_start) or end - timedelta(days=DEFAULT_DAYS - 1)
    adjusted = bool(asked_start and not _day(asked_start)) or bool(asked_end and not _day(asked_end))
    if start > end:
        start, end = end, start
    if (end - start).days >= MAX_DAYS:
        start, adjusted = end - timedelta(days=MAX_DAYS - 1), True
    channel = (request.args.get("channel") or "").strip() or None
    return Period(start, end, channel, adjusted)
