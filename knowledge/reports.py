"""Reads for the people who run the desk: the week's numbers and the articles due for review.

Plain queries over the store; the use cases word and show them (handlers/curate.py)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from knowledge.model import Article, Stats


class Readable(Protocol):
    """What a report reads through (the store)."""

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...
    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]: ...


def stats(store: Readable, days: int = 7) -> Stats:
    """Questions asked in the last ``days``, how they were decided, escalations and the median wait for an
    expert's answer (minutes)."""
    since = (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()
    asked = store.rows("SELECT decision, count(*) AS n FROM questions WHERE created_at >= ? GROUP BY decision",
                       [since])
    by_decision = {r["decision"]: r["n"] for r in asked}
    escalations = store.rows("SELECT created_at, answered_at FROM escalations WHERE created_at >= ?", [since])
    waits = [(datetime.fromisoformat(r["answered_at"]) - datetime.fromisoformat(r["created_at"]))
             .total_seconds() / 60 for r in escalations if r["answered_at"]]
    return Stats(asked=sum(by_decision.values()), answered_directly=by_decision.get("answer", 0),
                 escalated=len(escalations), answered_by_expert=len(waits),
                 median_minutes_to_answer=round(statistics.median(waits), 1) if waits else None)


def overdue_articles(store: Readable, today: date | None = None) -> list[Article]:
    """Validated articles past their review date, the longest overdue first."""
    rows = store.rows("SELECT id FROM articles WHERE status = 'validated' AND review_date != ''"
                      " AND review_date < ? ORDER BY review_date, id", [(today or date.today()).isoformat()])
    return store.articles([r["id"] for r in rows])


def not_helpful_articles(store: Readable, more_than: int) -> list[tuple[Article, int]]:
    """Articles people found not helpful more than ``more_than`` times (from the audit log), most first."""
    rows = store.rows(
        "SELECT json_extract(detail, '$.article') AS article, count(*) AS n FROM audit WHERE action = 'feedback'"
        " AND json_extract(detail, '$.helpful') = 0 AND json_extract(detail, '$.article') IS NOT NULL"
        " GROUP BY article HAVING n > ? ORDER BY n DESC, article", [more_than])
    counts = {r["article"]: r["n"] for r in rows}
    return [(a, counts[a.id]) for a in store.articles(list(counts)) if a.status != "archived"]


def escalation_channels(store: Readable) -> list[str]:
    """Every expert channel questions were escalated to, as stored (for the console's channel filter)."""
    return [r["channel"] for r in store.rows("SELECT DISTINCT channel FROM escalations ORDER BY channel")]
