"""PostgresStore: the server store, for several replicas of the bot on one PostgreSQL database.

The methods here and in its mixins have SqliteStore's names, signatures and results (tests/contract runs the same
tests on both). It implements part of the Store port so far; docs/postgres.md lists what is still missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg import sql

from knowledge import analysis, retention, stored
from knowledge.articles import CONTENT
from knowledge.model import Article, Person, Place, Question, User
from knowledge.postgres.access import AccessRecords
from knowledge.postgres.articles import ArticleRecords
from knowledge.postgres.base import NOW_TEXT, Conn, plain
from knowledge.postgres.copying import CopyRecords
from knowledge.postgres.demo import DemoRecords
from knowledge.postgres.inbox import InboxRecords
from knowledge.postgres.insights import InsightQueries
from knowledge.postgres.lifecycle import LifecycleRecords
from knowledge.postgres.records import LoopRecords
from knowledge.postgres.routes import RouteRecords
from knowledge.postgres.search import PERSON, SearchIndex
from knowledge.postgres.vectors import VectorRecords

_CHANGED = "(" + ", ".join(f"articles.{c}" for c in CONTENT) + ") IS DISTINCT FROM (" + ", ".join(
    f"excluded.{c}" for c in CONTENT) + ")"
BULK = 20  # a load of at least this many rows ends with merging the index (merge_index)
TABLES = frozenset({
    "articles", "people", "person_handles", "routes", "synonyms", "questions", "escalations", "waiters", "answers",
    "reviews", "channel_settings", "audit", "events", "inbox", "outbox", "console_messages", "article_vectors",
    "web_logins", "web_flows", "web_settings", "demo_items", "web_sessions", "web_attempts"})


def _question(row: dict[str, Any]) -> Question:
    return stored.question(plain(row))


class PostgresStore(LoopRecords, InboxRecords, SearchIndex, InsightQueries, LifecycleRecords, AccessRecords,
                    ArticleRecords, DemoRecords, VectorRecords, RouteRecords, CopyRecords):
    """``PostgresStore("postgresql://user@host/db?schema=kcc_utrecht")``: a pool of connections to one schema
    (created and migrated on first use). Thread-safe; safe across processes and machines."""

    # errors worth another try (handlers.dispatch): a lost connection, a pool timeout, and the DeadlockDetected
    # and SerializationFailure PostgreSQL may break a transaction with are all OperationalErrors
    transient_errors: tuple[type[Exception], ...] = (psycopg.OperationalError,)

    def __init__(self, url: str, audit_key: bytes = b"", retention_days: int = retention.DEFAULT_DAYS, *,
                 schema: str | None = None, pool_size: int = 10) -> None:
        super().__init__(url, schema, pool_size=pool_size, audit_key=audit_key)
        self.audit_key = audit_key
        self.retention_days = retention_days
        self._synonyms: tuple[int, dict[str, tuple[str, ...]]] = (-1, {})
        self._reanalyse()

    # --- counters ---------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        """Bumped (in the database, so every process sees it) whenever articles or synonyms change."""
        return self._counter("search_generation")

    @property
    def people_generation(self) -> int:
        return self._counter("people_generation")

    @staticmethod
    def _bump(conn: Conn, key: str = "search_generation") -> None:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = %s", [key])

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"no table {table!r}")
        return int(self.rows(sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(table)))[0]["n"])

    def _reanalyse(self) -> None:
        """Analyse every article again when ``analysis.VERSION`` changed since it was stored (once, on opening)."""
        found = self.rows("SELECT value FROM meta WHERE key = 'analysis_version'")
        if found and found[0]["value"] == analysis.VERSION:
            return
        if self.count("articles"):
            self.upsert_articles(self.articles())
        with self.transaction() as conn:
            self._index_people(conn, self.people())
            conn.execute("INSERT INTO meta (key, value) VALUES ('analysis_version', %s)"
                         " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [analysis.VERSION])

    # --- articles -------------------------------------------------------------------------
    def upsert_articles(self, articles: Iterable[Article]) -> int:
        """Insert or update by id, keeping the full-text index and analysed phrasings in step; returns how many."""
        count = 0
        analysed: list[tuple[Article, dict[str, str]]] = []
        with self.transaction() as conn:
            for a in articles:
                fields, phrasings = analysis.analyse(a)
                analysed.append((a, fields))
                conn.execute(
                    "INSERT INTO articles (id, title, body, keywords, questions, url, owner, status, lang, review_date,"
                    f" source, updated_at, phrasings) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                    f" coalesce(nullif(%s, ''), {NOW_TEXT}), %s)"
                    " ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body,"
                    " keywords = excluded.keywords, questions = excluded.questions, url = excluded.url,"
                    " owner = excluded.owner, status = excluded.status, lang = excluded.lang,"
                    " review_date = excluded.review_date, source = excluded.source,"
                    " updated_at = CASE WHEN %s THEN excluded.updated_at WHEN articles.title = excluded.title"
                    " AND articles.body = excluded.body AND articles.questions = excluded.questions"
                    " AND articles.keywords = excluded.keywords THEN articles.updated_at"
                    " ELSE excluded.updated_at END, phrasings = excluded.phrasings,"
                    f" version = articles.version + CASE WHEN {_CHANGED} THEN 1 ELSE 0 END",
                    [a.id, a.title, a.body, json.dumps(list(a.keywords)), json.dumps(list(a.questions)), a.url,
                     a.owner, a.status, a.lang, a.review_date, a.source, a.updated_at, analysis.dump(phrasings),
                     bool(a.updated_at)])
                count += 1
            self._bump(conn)
            self._index_articles(conn, analysed)
        if count >= BULK:
            self.merge_index("article_index")
        return count

    def article(self, article_id: str) -> Article | None:
        found = self.rows("SELECT * FROM articles WHERE id = %s", [article_id])
        return stored.article(found[0]) if found else None

    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]:
        if ids is not None:
            wanted = list(ids)
            found = self._take_ahead("articles", wanted) if wanted else []
            if found is None:
                found = self.rows("SELECT * FROM articles WHERE id = ANY(%s)", [wanted])
            by_id = {r["id"]: stored.article(r) for r in found}
            return [by_id[i] for i in wanted if i in by_id]
        where, params = ("WHERE status = %s", [status]) if status else ("", [])
        return [stored.article(r)
                for r in self.rows(f"SELECT * FROM articles {where} ORDER BY id COLLATE \"C\"", params)]

    # --- people ---------------------------------------------------------------------------
    def upsert_people(self, people: Iterable[Person]) -> int:
        count = 0
        kept: list[Person] = []
        with self.transaction() as conn:
            for p in people:
                p = self._same_person(conn, p)
                kept.append(p)
                conn.execute(
                    "INSERT INTO people (id, name, title, department, expertise, email, phone)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                    " title = excluded.title, department = excluded.department, expertise = excluded.expertise,"
                    " email = excluded.email, phone = excluded.phone",
                    [p.id, p.name, p.title, p.department, json.dumps(list(p.expertise)), p.email, p.phone])
                for platform, handle in p.handles:
                    conn.execute("INSERT INTO person_handles (person_id, platform, handle) VALUES (%s,%s,%s)"
                                 " ON CONFLICT (person_id, platform) DO UPDATE SET handle = excluded.handle",
                                 [p.id, platform, handle])
                count += 1
            self._bump(conn, "people_generation")
            self._index_people(conn, kept)
        if count >= BULK:
            self.merge_index("people_index")
        return count

    @staticmethod
    def _same_person(conn: Conn, p: Person) -> Person:
        """One person, whichever source imported them: a different id with the same e-mail address is the
        same person, keeps that id, and keeps the fields the new record leaves empty."""
        if not p.email:
            return p
        found = conn.execute("SELECT * FROM people WHERE lower(email) = lower(%s) AND id <> %s LIMIT 1",
                             [p.email, p.id]).fetchone()
        if not found:
            return p
        old = stored.person(found)  # type: ignore[arg-type]
        return Person(
            id=old.id, name=p.name or old.name, title=p.title or old.title, department=p.department or old.department,
            expertise=p.expertise or old.expertise, email=p.email, phone=p.phone or old.phone, handles=p.handles,
        )

    def people(self, ids: Iterable[str] | None = None) -> list[Person]:
        if ids is None:
            rows = self.rows("SELECT * FROM people ORDER BY name COLLATE \"C\"")
            handles = self._handles(None)
            return [stored.person(r, handles.get(r["id"], ())) for r in rows]
        wanted = list(ids)
        if not wanted:
            return []
        ahead = self._take_ahead("people", wanted)
        rows = ahead if ahead is not None else self.rows(
            f"SELECT {PERSON} FROM people AS p WHERE p.id = ANY(%s)", [wanted])
        by_id = {r["id"]: stored.person(r, tuple((h[0], h[1]) for h in r["handles"])) for r in rows}
        return [by_id[i] for i in wanted if i in by_id]

    def _handles(self, ids: list[str] | None) -> dict[str, tuple[tuple[str, str], ...]]:
        where, params = ("WHERE person_id = ANY(%s)", [ids]) if ids is not None else ("", [])
        found: dict[str, list[tuple[str, str]]] = {}
        for r in self.rows(f"SELECT person_id, platform, handle FROM person_handles {where}"
                           " ORDER BY person_id COLLATE \"C\", platform COLLATE \"C\"", params):
            found.setdefault(r["person_id"], []).append((r["platform"], r["handle"]))
        return {k: tuple(v) for k, v in found.items()}

    def person_by_handle(self, platform: str, handle: str) -> Person | None:
        found = self.rows("SELECT person_id FROM person_handles WHERE platform = %s AND handle = %s",
                          [platform, handle])
        people = self.people([found[0]["person_id"]]) if found else []
        return people[0] if people else None

    # --- routes and synonyms --------------------------------------------------------------
    def set_routes(self, routes: Iterable[tuple[str, str]]) -> int:
        rows = [(k.strip().lower(), c.strip()) for k, c in routes if k.strip()]
        with self.transaction() as conn:
            for keyword, channel in rows:  # the last of a keyword wins, as on SQLite
                conn.execute("INSERT INTO routes (keyword, channel) VALUES (%s, %s)"
                             " ON CONFLICT (keyword) DO UPDATE SET channel = excluded.channel", [keyword, channel])
        return len(rows)

    def routes(self) -> list[tuple[str, str]]:
        return [(r["keyword"], r["channel"]) for r in self.rows("SELECT * FROM routes ORDER BY keyword COLLATE \"C\"")]

    def add_synonyms(self, term: str, synonyms: Iterable[str]) -> None:
        with self.transaction() as conn:
            for s in synonyms:
                conn.execute("INSERT INTO synonyms (term, synonym) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                             [term.strip().lower(), s.strip().lower()])
            self._bump(conn)

    def remove_synonyms(self, term: str, synonyms: Iterable[str] = ()) -> int:
        """Remove the named ``synonyms`` of ``term``; all of them only when none is named."""
        named = [s.strip().lower() for s in synonyms if s.strip()]
        with self.transaction() as conn:
            if named:
                removed = conn.execute("DELETE FROM synonyms WHERE term = %s AND synonym = ANY(%s)",
                                       [term.strip().lower(), named]).rowcount
            else:
                removed = conn.execute("DELETE FROM synonyms WHERE term = %s", [term.strip().lower()]).rowcount
            self._bump(conn)
        return removed

    def synonyms(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in self.rows("SELECT term, synonym FROM synonyms ORDER BY term COLLATE \"C\", synonym COLLATE \"C\""):
            out.setdefault(r["term"], []).append(r["synonym"])
        return out

    def synonyms_cached(self, generation: int | None = None) -> dict[str, tuple[str, ...]]:
        """Both directions, folded: 'paspoort' -> ('reisdocument',) and back. Cached per generation."""
        generation = self.generation if generation is None else generation
        if self._synonyms[0] != generation:
            self._synonyms = (generation, stored.both_ways(self.synonyms()))
        return self._synonyms[1]

    # --- questions ------------------------------------------------------------------------
    def add_question(self, asker: User, platform: str, place: Place, masked: str, lang: str,
                     decision: str, article_id: str | None, shown: list[str], personal: bool = False,
                     event_key: str | None = None) -> Question:
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO questions (asker_id, asker_name, platform, channel, thread, message, extra, text,"
                " lang, decision, article_id, shown, status, personal, event_key)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING *",
                [asker.id, asker.name, platform, place.channel, place.thread, place.message, place.extra,
                 masked, lang, decision, article_id, json.dumps(shown),
                 "answered" if decision == "answer" else "open", bool(personal), event_key]).fetchone()
        return _question(row)  # type: ignore[arg-type]

    def question(self, question_id: int) -> Question | None:
        found = self.rows("SELECT * FROM questions WHERE id = %s", [question_id])
        return _question(found[0]) if found else None

    def question_for_event(self, event_key: str) -> Question | None:
        """The question an event (by its delivery key) recorded, if it got that far."""
        found = self.rows("SELECT * FROM questions WHERE event_key = %s", [event_key])
        return _question(found[0]) if found else None

    def shown(self, question_id: int) -> list[str]:
        found = self.rows("SELECT shown FROM questions WHERE id = %s", [question_id])
        return json.loads(found[0]["shown"]) if found else []

    def set_question_status(self, question_id: int, status: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE questions SET status = %s WHERE id = %s", [status, question_id])

    def open_questions(self, asker_id: str, limit: int = 10) -> list[Question]:
        return [_question(r) for r in self.rows(
            "SELECT * FROM questions WHERE asker_id = %s AND status IN ('open', 'escalated')"
            " ORDER BY id DESC LIMIT %s", [asker_id, limit])]

    def last_place(self, user_id: str) -> Place | None:
        """The conversation in which ``user_id`` last asked something."""
        found = self.rows("SELECT channel, extra FROM questions WHERE asker_id = %s AND thread IS NULL"
                          " ORDER BY id DESC LIMIT 1", [user_id])
        return Place(found[0]["channel"], extra=found[0]["extra"]) if found else None
