"""Articles as owners see them: a conditional save (by version), a list with search, filters and paging, and
an article's history from the audit log. ``ArticleRecords`` is a mixin of SqliteStore (like LoopRecords)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import sqlite_utils

from knowledge import analysis
from knowledge.model import UNSEARCHABLE, Article, Person
from knowledge.records import now

PER_PAGE = 25
MAX_PER_PAGE = 200
# What a save writes; a change to any of these moves the version on (``upsert_articles`` compares them too).
CONTENT = ("title", "body", "keywords", "questions", "url", "owner", "status", "lang", "review_date", "source")


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...
    def article(self, article_id: str) -> Article | None: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...
    def upsert_people(self, people: Iterable[Person]) -> int: ...
    def audit_about(self, subject: str, leaving_out: Sequence[str], limit: int) -> list[dict[str, Any]]: ...
    @staticmethod
    def _bump(db: sqlite_utils.Database, key: str = ...) -> None: ...


def index_article(db: sqlite_utils.Database, rowid: int, article: Article, fields: dict[str, str]) -> None:
    """Put ``article``'s analysed ``fields`` in the full-text index under its ``rowid`` (out of it when the
    article is not searchable)."""
    db.execute("DELETE FROM article_index WHERE rowid = ?", [rowid])
    if article.status not in UNSEARCHABLE:
        db.execute(
            "INSERT INTO article_index (rowid, article_id, title, questions, keywords, body) VALUES (?,?,?,?,?,?)",
            [rowid, article.id, fields["title"], fields["questions"], fields["keywords"], fields["body"]])


def _values(a: Article) -> list[Any]:
    return [a.title, a.body, json.dumps(list(a.keywords)), json.dumps(list(a.questions)), a.url, a.owner,
            a.status, a.lang, a.review_date, a.source]


class ArticleRecords:
    def save_article(self: _Base, article: Article, expected_version: int) -> Article | None:
        """Write ``article``'s content when the stored one is still at ``expected_version``, moving the version
        on; None (and nothing written) when it moved on meanwhile or the article is gone. One conditional
        UPDATE in one transaction: two processes saving the same version cannot both succeed."""
        fields, phrasings = analysis.analyse(article)
        with self.transaction() as db:
            assignments = ", ".join(f"{name} = ?" for name in CONTENT)
            row = db.execute(
                f"UPDATE articles SET {assignments}, phrasings = ?, updated_at = ?, version = version + 1"
                " WHERE id = ? AND version = ? RETURNING rowid",
                [*_values(article), analysis.dump(phrasings), now(), article.id, expected_version],
            ).fetchone()
            if row is None:
                return None
            index_article(db, row[0], article, fields)
            self._bump(db)
        return self.article(article.id)

    def article_history(self: _Base, article_id: str, limit: int = 200) -> list[HistoryEntry]:
        """The audit log's entries about ``article_id``, newest first."""
        return article_history(self, article_id, limit)

    def set_expertise(self: _Base, person_id: str, expertise: Sequence[str]) -> Person | None:
        """Replace a person's expertise (and what people search reads of it); None for an unknown person."""
        with self.transaction():
            found = self.people([person_id])
            if not found:
                return None
            person = found[0]
            self.upsert_people([Person(id=person.id, name=person.name, title=person.title,
                                       department=person.department, expertise=tuple(expertise),
                                       email=person.email, phone=person.phone, handles=person.handles)])
        return self.people([person_id])[0]


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
