"""PostgresStore's articles as owners change them: the conditional save (by version) and a person's expertise
(the same methods and results as knowledge/sqlite/articles.py).

A save is one UPDATE ... WHERE version = the one the owner opened: under READ COMMITTED the second of two saves
waits for the first's row lock, then finds the version moved on and changes nothing. (PostgresStore keeps no
full-text index yet, so a save writes no index entry; ``upsert_articles`` writes none either.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from knowledge import analysis
from knowledge.articles import CONTENT, HistoryEntry, article_history
from knowledge.model import Article, Person
from knowledge.postgres.base import NOW_TEXT, Conn


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[Conn]: ...
    def article(self, article_id: str) -> Article | None: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...
    def upsert_people(self, people: Iterable[Person]) -> int: ...
    def audit_about(self, subject: str, leaving_out: Sequence[str], limit: int) -> list[dict[str, Any]]: ...
    @staticmethod
    def _bump(conn: Conn, key: str = ...) -> None: ...


def _values(a: Article) -> list[Any]:
    return [a.title, a.body, json.dumps(list(a.keywords)), json.dumps(list(a.questions)), a.url, a.owner,
            a.status, a.lang, a.review_date, a.source]


class ArticleRecords:
    def save_article(self: _Base, article: Article, expected_version: int) -> Article | None:
        """Write ``article``'s content when the stored one is still at ``expected_version``, moving the version
        on; None (and nothing written) when it moved on meanwhile or the article is gone. One conditional
        UPDATE: two processes saving the same version cannot both succeed. The time is the database's."""
        _, phrasings = analysis.analyse(article)
        with self.transaction() as conn:
            assignments = ", ".join(f"{name} = %s" for name in CONTENT)
            row = conn.execute(
                f"UPDATE articles SET {assignments}, phrasings = %s, updated_at = {NOW_TEXT},"
                " version = version + 1 WHERE id = %s AND version = %s RETURNING id",
                [*_values(article), analysis.dump(phrasings), article.id, expected_version],
            ).fetchone()
            if row is None:
                return None
            self._bump(conn)
        return self.article(article.id)

    def article_history(self: _Base, article_id: str, limit: int = 200) -> list[HistoryEntry]:
        """The audit log's entries about ``article_id``, newest first."""
        return article_history(self, article_id, limit)

    def set_expertise(self: _Base, person_id: str, expertise: Sequence[str]) -> Person | None:
        """Replace a person's expertise (and what people search reads of it); None for an unknown person. The
        person's row is locked first, so a directory import at the same time is not undone by this write."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM people WHERE id = %s FOR UPDATE", [person_id]).fetchone() is None:
                return None
            person = self.people([person_id])[0]
            self.upsert_people([Person(id=person.id, name=person.name, title=person.title,
                                       department=person.department, expertise=tuple(expertise),
                                       email=person.email, phone=person.phone, handles=person.handles)])
        return self.people([person_id])[0]
