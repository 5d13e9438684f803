"""SqliteStore: the one SQLite file that holds articles, people, the loop's state and the audit log."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from knowledge import analysis, reports, retention, stored
from knowledge.articles import CONTENT
from knowledge.model import Article, Person, Place, Question, Stats, User
from knowledge.signals import Signals
from knowledge.sqlite.access import AccessRecords
from knowledge.sqlite.articles import ArticleRecords, index_article, index_person
from knowledge.sqlite.copying import CopyRecords
from knowledge.sqlite.demo import DemoRecords
from knowledge.sqlite.inbox import InboxRecords
from knowledge.sqlite.insights import InsightQueries
from knowledge.sqlite.lifecycle import LifecycleRecords
from knowledge.sqlite.records import LoopRecords, now
from knowledge.sqlite.routes import RouteRecords
from knowledge.sqlite.schema import migrate
from knowledge.sqlite.vectors import VectorRecords


@contextmanager
def _nolock() -> Iterator[None]:
    yield


log = logging.getLogger(__name__)
_CHANGED = "(" + ", ".join(f"articles.{c}" for c in CONTENT) + ") IS NOT (" + ", ".join(
    f"excluded.{c}" for c in CONTENT) + ")"

BUSY_TIMEOUT_MS = 15000  # how long a writer waits for another process's transaction before giving up
BULK = 20  # a load of at least this many rows ends with merging the index (merge_index)


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch the file to WAL. Processes opening a new file at once all try to, and SQLite refuses the switch
    with "database is locked" without waiting the busy timeout: try again until the timeout (or WAL is on)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SqliteStore(LoopRecords, InboxRecords, ArticleRecords, InsightQueries, LifecycleRecords,
                  AccessRecords, DemoRecords, VectorRecords, RouteRecords, CopyRecords):
    """Thread-safe: one connection, every call under a lock (SQLite in WAL mode). Transactions nest: an inner
    one is a savepoint of the outer, so a use case can make several steps one atomic change."""

    # worth another try later: the database was locked past the busy timeout, or briefly unreadable
    transient_errors: tuple[type[Exception], ...] = (sqlite3.OperationalError,)

    def __init__(self, path: str = "vraagbaak.db", audit_key: bytes = b"",
                 retention_days: int = retention.DEFAULT_DAYS) -> None:
        self.path = path
        self.audit_key = audit_key
        self.retention_days = retention_days  # VRAAGBAAK_RETENTION_DAYS: what purge_due keeps
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path != ":memory:":
            _enable_wal(self.db)
            # WAL with NORMAL: a commit survives a killed process (only a power cut may lose the last ones)
            self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.lock = threading.RLock()
        self._depth, self._owner = 0, 0
        self._after_commit: list[Callable[[], None]] = []
        self.signals = Signals()  # this process's workers woken when work is stored (knowledge/signals.py)
        self.version = migrate(self.db, audit_key)
        self._reanalyse()
        self._synonyms: tuple[int, dict[str, tuple[str, ...]]] = (-1, {})
        self._people_vocab: tuple[int, tuple[dict[str, int], int]] = (-1, ({}, 0))

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """BEGIN IMMEDIATE (the write lock at once, so a check and its write are one step for every process);
        nested, a savepoint. Work registered with ``after_commit`` runs once the outermost one commits."""
        with self.lock:
            if self._depth:
                name = f"vb{self._depth}"
                self.db.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self.db
                except BaseException:
                    self.db.execute(f"ROLLBACK TO {name}")
                    self.db.execute(f"RELEASE {name}")
                    raise
                finally:
                    self._depth -= 1
                self.db.execute(f"RELEASE {name}")
                return
            self.db.execute("BEGIN IMMEDIATE")
            self._depth, self._owner = 1, threading.get_ident()
            try:
                yield self.db
            except BaseException:
                self._depth = 0
                self._after_commit.clear()
                self.db.execute("ROLLBACK")
                raise
            self._depth = 0
            self.db.execute("COMMIT")
            hooks, self._after_commit = self._after_commit, []
        for hook in hooks:
            hook()

    @property
    def in_transaction(self) -> bool:
        """Whether this thread is inside ``transaction`` (another thread waits on the lock)."""
        return self._depth > 0 and self._owner == threading.get_ident()

    def after_commit(self, work: Callable[[], None]) -> None:
        """Run ``work`` when the current transaction commits (at once when there is none); dropped on rollback."""
        if self.in_transaction:
            self._after_commit.append(work)
        else:
            work()

    @property
    def generation(self) -> int:
        """Bumped (in the database, so every process sees it) whenever articles or synonyms change."""
        return self._counter("search_generation")

    @property
    def people_generation(self) -> int:
        """The same for people."""
        return self._counter("people_generation")

    def _counter(self, key: str) -> int:
        with self.lock:
            return int(self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()[0])

    @staticmethod
    def _bump(db: sqlite_utils.Database, key: str = "search_generation") -> None:
        db.execute("UPDATE meta SET value = value + 1 WHERE key = ?", [key])

    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self.lock:
            cursor = self.db.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def iter_rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = (), batch: int = 1000,
                  ) -> Iterator[dict[str, Any]]:
        """Like ``rows``, a batch at a time, on a connection of its own (for long reads such as a check of
        the whole audit log), so other threads are not held up."""
        conn = sqlite3.connect(self.path, check_same_thread=False) if self.path != ":memory:" else None
        try:
            with (self.lock if conn is None else _nolock()):
                cursor = (conn or self.db.conn).execute(sql, params)
                names = [d[0] for d in cursor.description]
                while chunk := cursor.fetchmany(batch):
                    yield from (dict(zip(names, r, strict=True)) for r in chunk)
        finally:
            if conn is not None:
                conn.close()

    # --- reports (knowledge.reports) -----------------------------------------------------------
    def stats(self, days: int = 7) -> Stats:
        return reports.stats(self, days)

    def overdue_articles(self) -> list[Article]:
        return reports.overdue_articles(self)

    def not_helpful_articles(self, more_than: int) -> list[tuple[Article, int]]:
        return reports.not_helpful_articles(self, more_than)

    def last_place(self, user_id: str) -> Place | None:
        """The conversation in which ``user_id`` last asked something (to reach them in their own chat)."""
        found = self.rows("SELECT channel, extra FROM questions WHERE asker_id = ? AND thread IS NULL"
                          " ORDER BY id DESC LIMIT 1", [user_id])
        return Place(found[0]["channel"], extra=found[0]["extra"]) if found else None

    # --- retention (knowledge.retention) -------------------------------------------------------
    def purge_due(self, now: datetime | None = None) -> retention.PurgeReport | None:
        """The daily purge of what is older than ``retention_days``, at most once a day across processes; for
        a serving process's timer, so a failure is logged (and tried again at the next tick), never raised."""
        try:
            report = retention.purge_due(self, self.retention_days, now)
        except Exception:
            log.exception("retention purge failed; it is tried again at the next tick")
            return None
        if report is not None:
            log.info("retention: purged what is older than %s: %s", report.cutoff, report.counts)
            try:
                self.merge_index()  # once a day: the segments a day of edits left
            except Exception:  # searches only get slower; the next day's purge merges again
                log.exception("merging the full-text indexes after the purge failed")
        return report

    def reachable(self, timeout: float = 2.0) -> str:
        """'' when the database can be opened and read now, else why not. A new connection, so a file that was
        removed, moved or made unreadable is noticed (this process's own connection would go on with it)."""
        try:
            if self.path == ":memory:":
                self.rows("SELECT count(*) FROM sqlite_master")
                return ""
            probe = sqlite3.connect(Path(self.path).resolve().as_uri() + "?mode=rw", uri=True, timeout=timeout)
            try:
                probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                probe.close()
        except sqlite3.Error as error:
            return str(error)
        return ""

    def close(self) -> None:
        self.db.conn.close()

    def _reanalyse(self) -> None:
        """Analyse every article again when ``analysis.VERSION`` changed since it was stored (a file made by an
        older release; once, on opening)."""
        with self.lock:
            found = self.db.execute("SELECT value FROM meta WHERE key = 'analysis_version'").fetchone()
        if found and found[0] == analysis.VERSION:
            return
        if self.count("articles"):
            self.upsert_articles(self.articles())
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('analysis_version', ?)", [analysis.VERSION])

    # --- articles -------------------------------------------------------------------------
    def upsert_articles(self, articles: Iterable[Article]) -> int:
        """Insert or update by id, keeping the index and analysed phrasings in step; returns how many."""
        count = 0
        with self.transaction() as db:
            stamp = now()  # one moment for the whole load, as PostgreSQL's now() (the transaction's start)
            for a in articles:
                fields, phrasings = analysis.analyse(a)
                row = db.execute(
                    "INSERT INTO articles (id, title, body, keywords, questions, url, owner, status, lang, review_date,"
                    " source, created_at, updated_at, phrasings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET title = excluded.title, body = excluded.body,"
                    " keywords = excluded.keywords, questions = excluded.questions, url = excluded.url,"
                    " owner = excluded.owner, status = excluded.status, lang = excluded.lang,"
                    " review_date = excluded.review_date, source = excluded.source,"
                    # when the content last changed: as given, else kept when the text is the same
                    " updated_at = CASE WHEN ? THEN excluded.updated_at WHEN articles.title = excluded.title"
                    " AND articles.body = excluded.body AND articles.questions = excluded.questions"
                    " AND articles.keywords = excluded.keywords THEN articles.updated_at"
                    " ELSE excluded.updated_at END, phrasings = excluded.phrasings,"
                    # every change moves the version on (a form saved from the old one is refused)
                    f" version = articles.version + ({_CHANGED}) RETURNING rowid",
                    [a.id, a.title, a.body, json.dumps(list(a.keywords)), json.dumps(list(a.questions)), a.url,
                     a.owner, a.status, a.lang, a.review_date, a.source, stamp, a.updated_at or stamp,
                     analysis.dump(phrasings), bool(a.updated_at)],
                ).fetchone()
                index_article(db, row[0], a, fields)
                count += 1
            self._bump(db)
        if count >= BULK:
            self.merge_index("article_index")
        return count

    def merge_index(self, *tables: str) -> None:
        """Merge a full-text index into one segment (FTS5 'optimize'). Loads and edits leave it in many
        (the demo's people index in 13), and a query looks up every term in every segment: a search of the
        demo took a third less CPU after it. About a second for 100,000 articles, so done after a bulk load
        and in the daily housekeeping, not after every edit."""
        for table in tables or ("article_index", "people_index"):
            with self.transaction() as db:
                db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def matching(self, match: str | None, limit: int, weights: Sequence[float] | None = None,
                 ) -> list[tuple[str, float, str, tuple[analysis.Phrasing, ...]]]:
        """Indexed articles for an FTS5 ``match`` as (id, score, language, analysed phrasings), in one query:
        with ``weights`` (bm25 per index column) the best ``limit`` by bm25, score higher is better; without,
        the first ``limit`` matches with score 0 (cheap when the terms are in much of a large KB); with no
        ``match`` at all, any ``limit`` articles."""
        if weights is not None and match:
            inner = (f"SELECT rowid, -bm25(article_index, {', '.join(str(float(w)) for w in weights)}) AS score"
                     " FROM article_index WHERE article_index MATCH ? ORDER BY score DESC LIMIT ?")
            params: list[Any] = [match, limit]
        elif match:
            inner, params = "SELECT rowid, 0.0 AS score FROM article_index WHERE article_index MATCH ? LIMIT ?", [
                match, limit]
        else:
            inner, params = "SELECT rowid, 0.0 AS score FROM article_index LIMIT ?", [limit]
        rows = self.rows(f"SELECT a.id, top.score, a.lang, a.phrasings FROM ({inner}) AS top"
                         " JOIN articles AS a ON a.rowid = top.rowid ORDER BY top.score DESC, a.id", params)
        return [(r["id"], float(r["score"]), r["lang"], analysis.load(r["phrasings"])) for r in rows]

    def article(self, article_id: str) -> Article | None:
        found = self.rows("SELECT * FROM articles WHERE id = ?", [article_id])
        return stored.article(found[0]) if found else None

    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]:
        if ids is not None:
            wanted = list(ids)
            by_id = {
                r["id"]: stored.article(r)
                for r in self.rows(
                    f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(wanted))})", wanted
                )
            } if wanted else {}
            return [by_id[i] for i in wanted if i in by_id]
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        return [stored.article(r) for r in self.rows(f"SELECT * FROM articles {where} ORDER BY id", params)]

    def count(self, table: str) -> int:
        return self.rows(f"SELECT count(*) AS n FROM [{table}]")[0]["n"]

    # --- people ---------------------------------------------------------------------------
    def upsert_people(self, people: Iterable[Person]) -> int:
        count = 0
        with self.transaction() as db:
            for p in people:
                p = self._same_person(db, p)
                row = db.execute(
                    "INSERT INTO people (id, name, title, department, expertise, email, phone)"
                    " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    " title = excluded.title, department = excluded.department, expertise = excluded.expertise,"
                    " email = excluded.email, phone = excluded.phone RETURNING rowid",
                    [p.id, p.name, p.title, p.department, json.dumps(list(p.expertise)), p.email, p.phone],
                ).fetchone()
                for platform, handle in p.handles:
                    db.execute("INSERT INTO person_handles (person_id, platform, handle) VALUES (?,?,?)"
                               " ON CONFLICT(person_id, platform) DO UPDATE SET handle = excluded.handle",
                               [p.id, platform, handle])
                index_person(db, row[0], p)
                count += 1
            self._bump(db, "people_generation")
        if count >= BULK:
            self.merge_index("people_index")
        return count

    def people_vocabulary(self) -> tuple[dict[str, int], int]:
        """Each term of the people index with the number of people it is in, and the number of people;
        cached per people generation (a directory's vocabulary is small: thousands of terms for 50,000 people)."""
        generation = self.people_generation
        if self._people_vocab[0] != generation:
            df = {r["term"]: r["doc"] for r in self.rows("SELECT term, doc FROM people_vocab")}
            self._people_vocab = (generation, (df, self.count("people")))
        return self._people_vocab[1]

    @staticmethod
    def _same_person(db: sqlite_utils.Database, p: Person) -> Person:
        """One person, whichever source imported them: a different id with the same e-mail address is the
        same person, keeps that id, and keeps the platform ids and fields the new record leaves empty."""
        if not p.email:
            return p
        found = db.execute("SELECT * FROM people WHERE lower(email) = lower(?) AND id != ? LIMIT 1",
                           [p.email, p.id]).fetchone()
        if not found:
            return p
        cursor_names = [d[0] for d in db.execute("SELECT * FROM people LIMIT 0").description]
        old = stored.person(dict(zip(cursor_names, found, strict=True)))
        return Person(
            id=old.id, name=p.name or old.name, title=p.title or old.title, department=p.department or old.department,
            expertise=p.expertise or old.expertise, email=p.email, phone=p.phone or old.phone,
            handles=p.handles,  # added to the handles stored for that id; a platform named here replaces its own
        )

    def people(self, ids: Iterable[str] | None = None) -> list[Person]:
        if ids is None:
            rows = self.rows("SELECT * FROM people ORDER BY name")
            handles = self._handles(None)
            return [stored.person(r, handles.get(r["id"], ())) for r in rows]
        wanted = list(ids)
        if not wanted:
            return []
        rows = self.rows(f"SELECT * FROM people WHERE id IN ({','.join('?' * len(wanted))})", wanted)
        handles = self._handles(wanted)
        by_id = {r["id"]: stored.person(r, handles.get(r["id"], ())) for r in rows}
        return [by_id[i] for i in wanted if i in by_id]

    def _handles(self, ids: list[str] | None) -> dict[str, tuple[tuple[str, str], ...]]:
        where, params = (f"WHERE person_id IN ({','.join('?' * len(ids))})", ids) if ids is not None else ("", [])
        found: dict[str, list[tuple[str, str]]] = {}
        for r in self.rows(f"SELECT person_id, platform, handle FROM person_handles {where}"
                           " ORDER BY person_id, platform", params):
            found.setdefault(r["person_id"], []).append((r["platform"], r["handle"]))
        return {k: tuple(v) for k, v in found.items()}

    def person_by_handle(self, platform: str, handle: str) -> Person | None:
        """The person a platform knows as ``handle``."""
        found = self.rows("SELECT person_id FROM person_handles WHERE platform = ? AND handle = ?", [platform, handle])
        people = self.people([found[0]["person_id"]]) if found else []
        return people[0] if people else None

    # --- routes and synonyms --------------------------------------------------------------
    def set_routes(self, routes: Iterable[tuple[str, str]]) -> int:
        rows = [{"keyword": k.strip().lower(), "channel": c.strip()} for k, c in routes if k.strip()]
        with self.transaction() as db:
            db.table("routes").upsert_all(rows, pk="keyword")
        return len(rows)

    def routes(self) -> list[tuple[str, str]]:
        return [(r["keyword"], r["channel"]) for r in self.rows("SELECT * FROM routes ORDER BY keyword")]

    def add_synonyms(self, term: str, synonyms: Iterable[str]) -> None:
        with self.transaction() as db:
            for s in synonyms:
                db.table("synonyms").upsert({"term": term.strip().lower(), "synonym": s.strip().lower()},
                                            pk=("term", "synonym"))
            self._bump(db)

    def remove_synonyms(self, term: str, synonyms: Iterable[str] = ()) -> int:
        """Remove the named ``synonyms`` of ``term``; all of them only when none is named."""
        named = [s.strip().lower() for s in synonyms if s.strip()]
        with self.transaction() as db:
            if named:
                marks = ", ".join("?" * len(named))
                removed = db.execute(f"DELETE FROM synonyms WHERE term = ? AND synonym IN ({marks})",
                                     [term.strip().lower(), *named]).rowcount
            else:
                removed = db.execute("DELETE FROM synonyms WHERE term = ?", [term.strip().lower()]).rowcount
            self._bump(db)
        return removed

    def synonyms(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for r in self.rows("SELECT term, synonym FROM synonyms ORDER BY term, synonym"):
            out.setdefault(r["term"], []).append(r["synonym"])
        return out

    def synonyms_cached(self, generation: int | None = None) -> dict[str, tuple[str, ...]]:
        """Both directions, folded: 'paspoort' -> ('reisdocument',) and back. Cached per generation
        (pass the one just read, to save reading it again)."""
        generation = self.generation if generation is None else generation
        if self._synonyms[0] != generation:
            self._synonyms = (generation, stored.both_ways(self.synonyms()))
        return self._synonyms[1]

    # --- questions ------------------------------------------------------------------------
    def add_question(self, asker: User, platform: str, place: Place, masked: str, lang: str,
                     decision: str, article_id: str | None, shown: list[str], personal: bool = False,
                     event_key: str | None = None) -> Question:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO questions (asker_id, asker_name, platform, channel, thread, message, extra, text,"
                " lang, decision, article_id, shown, status, created_at, personal, event_key)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [asker.id, asker.name, platform, place.channel, place.thread, place.message, place.extra,
                 masked, lang, decision, article_id, json.dumps(shown),
                 "answered" if decision == "answer" else "open", now(), int(personal), event_key],
            )
            qid = cur.lastrowid
        found = self.question(int(qid or 0))
        assert found is not None
        return found

    def question(self, question_id: int) -> Question | None:
        found = self.rows("SELECT * FROM questions WHERE id = ?", [question_id])
        if not found:
            return None
        return stored.question(found[0])

    def question_for_event(self, event_key: str) -> Question | None:
        """The question an event (by its delivery key) recorded, if it got that far."""
        found = self.rows("SELECT id FROM questions WHERE event_key = ?", [event_key])
        return self.question(found[0]["id"]) if found else None

    def shown(self, question_id: int) -> list[str]:
        found = self.rows("SELECT shown FROM questions WHERE id = ?", [question_id])
        return json.loads(found[0]["shown"]) if found else []

    def set_question_status(self, question_id: int, status: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE questions SET status = ? WHERE id = ?", [status, question_id])

    def open_questions(self, asker_id: str, limit: int = 10) -> list[Question]:
        ids = self.rows(
            "SELECT id FROM questions WHERE asker_id = ? AND status IN ('open', 'escalated')"
            " ORDER BY id DESC LIMIT ?", [asker_id, limit])
        return [q for q in (self.question(r["id"]) for r in ids) if q]
