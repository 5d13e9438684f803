"""SqliteStore's SQL for articles as owners change them: the conditional save (by version), the full-text index
entry of an article, and a person's expertise."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlite_utils

from knowledge import analysis, text
from knowledge.articles import CONTENT, HistoryEntry, article_history
from knowledge.clock import now
from knowledge.model import UNSEARCHABLE, Article, Person


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


def index_person(db: sqlite_utils.Database, rowid: int, p: Person) -> None:
    """Put ``p``'s name (words) and profile (title, department, expertise: stems in both languages) in the people
    index under its ``rowid``."""
    profile = " ".join([p.title, p.department, *p.expertise])
    db.execute("DELETE FROM people_index WHERE rowid = ?", [rowid])
    db.execute("INSERT INTO people_index (rowid, person_id, name, profile) VALUES (?,?,?,?)",
               [rowid, p.id, " ".join(text.words(p.name)),
                " ".join(sorted({*text.terms(profile, "nl"), *text.terms(profile, "en")}))])


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
