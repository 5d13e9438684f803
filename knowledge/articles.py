"""Articles as owners see them: a list with search, filters and paging, and an article's history from the audit
log. The conditional save (by version) is the backend's (knowledge.sqlite.articles)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from knowledge.model import Article

PER_PAGE = 25
MAX_PER_PAGE = 200
# What a save writes; a change to any of these moves the version on (``upsert_articles`` compares them too).
CONTENT = ("title", "body", "keywords", "questions", "url", "owner", "status", "lang", "review_date", "source")


# --- reads -------------------------------------------------------------------------------------------
class Readable(Protocol):
    def count_articles(self, f: ArticleFilter, today: str) -> int: ...
    def article_ids(self, f: ArticleFilter, today: str, limit: int, offset: int) -> list[str]: ...
    def article_owners(self) -> list[str]: ...
    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]: ...


@dataclass(frozen=True)
class ArticleFilter:
    """What an owner asked the article list for. ``text``: every word must occur (case-insensitive, in the id,
    title, phrasings, keywords or body); ``due``: validated articles past their review date."""

    text: str = ""
    status: str = ""
    owner: str = ""
    lang: str = ""
    due: bool = False
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class ArticlePage:
    articles: tuple[Article, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find_articles(store: Readable, f: ArticleFilter, today: date | None = None) -> ArticlePage:
    """One page of the articles ``f`` asks for: the longest overdue first when ``due``, else the most recently
    changed first; with the number of all that match."""
    day = (today or date.today()).isoformat()
    per_page = max(1, min(f.per_page, MAX_PER_PAGE))
    total = store.count_articles(f, day)
    page = max(1, min(f.page, max(1, -(-total // per_page))))
    ids = store.article_ids(f, day, per_page, (page - 1) * per_page)
    return ArticlePage(tuple(store.articles(ids)), total, page, per_page)


def article_owners(store: Readable) -> list[str]:
    """Every owner named on an article, for a filter's choices."""
    return store.article_owners()


class _Audit(Protocol):
    def audit_about(self, subject: str, leaving_out: Sequence[str], limit: int) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: str
    actor: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


# Actions whose subject is not an article (a question or escalation id, which an imported article's id could
# equal), or that change nothing ("read": someone opened it in chat): not part of an article's history.
NOT_HISTORY = ("ask", "chose", "feedback", "join_escalation", "escalate", "expert_reply", "mark_answer",
               "delivery_failed", "escalation_recovered", "read")


def article_history(store: _Audit, article_id: str, limit: int = 200) -> list[HistoryEntry]:
    """The audit log's entries about ``article_id`` (what changed it, and who), newest first."""
    rows = store.audit_about(article_id, NOT_HISTORY, limit)
    return [HistoryEntry(r["id"], r["at"], r["actor"], r["action"], _detail(r["detail"])) for r in rows]


def _detail(raw: str) -> dict[str, Any]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
