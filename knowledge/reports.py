"""Reads for the people who run the desk: the week's numbers and the articles due for review.

Plain queries over the store; the use cases word and show them (handlers/curate.py)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from knowledge.model import Article, Stats


class Readable(Protocol):
    """What a report reads through (the store)."""

    def questions_by_decision(self, since: str) -> dict[str, int]: ...
    def escalation_times(self, since: str) -> list[tuple[str, str]]: ...
    def overdue_article_ids(self, today: str) -> list[str]: ...
    def not_helpful_counts(self, more_than: int) -> dict[str, int]: ...
    def escalation_channels(self) -> list[str]: ...
    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]: ...


def stats(store: Readable, days: int = 7, now: datetime | None = None) -> Stats:
    """Questions asked in the ``days`` before ``now`` (default: the clock), how they were decided, escalations
    and the median wait for an expert's answer (minutes)."""
    since = ((now or datetime.now(UTC)) - timedelta(days=days)).replace(microsecond=0).isoformat()
    by_decision = store.questions_by_decision(since)
    escalations = store.escalation_times(since)
    waits = [(datetime.fromisoformat(answered) - datetime.fromisoformat(created)).total_seconds() / 60
             for created, answered in escalations if answered]
    return Stats(asked=sum(by_decision.values()), answered_directly=by_decision.get("answer", 0),
                 escalated=len(escalations), answered_by_expert=len(waits),
                 median_minutes_to_answer=round(statistics.median(waits), 1) if waits else None)


def overdue_articles(store: Readable, today: date | None = None) -> list[Article]:
    """Validated articles past their review date, the longest overdue first."""
    return store.articles(store.overdue_article_ids((today or date.today()).isoformat()))


def not_helpful_articles(store: Readable, more_than: int) -> list[tuple[Article, int]]:
    """Articles people found not helpful more than ``more_than`` times (from the audit log), most first."""
    counts = store.not_helpful_counts(more_than)
    return [(a, counts[a.id]) for a in store.articles(list(counts)) if a.status != "archived"]


def escalation_channels(store: Readable) -> list[str]:
    """Every expert channel questions were escalated to, as stored (for the console's channel filter)."""
    return store.escalation_channels()
