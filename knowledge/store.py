"""SqliteStore: the one SQLite file that holds articles, people, the loop's state and the audit log."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from knowledge import analysis, text
from knowledge.model import Article, Person, Place, Question, User
from knowledge.records import LoopRecords, now
from knowledge.schema import migrate


def _article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"], title=row["title"], body=row["body"], keywords=tuple(json.loads(row["keywords"])),
        questions=tuple(json.loads(row["questions"])), url=row["url"], owner=row["owner"],
        status=row["status"], lang=row["lang"], review_date=row["review_date"], source=row["source"],
        updated_at=row["updated_at"],
    )


def _person(row: dict[str, Any]) -> Person:
    return Person(
        id=row["id"], name=row["name"], title=row["title"], department=row["department"],
        expertise=tuple(json.loads(row["expertise"])), email=row["email"], phone=row["phone"],
        slack_id=row["slack_id"], teams_id=row["teams_id"],
    )


class SqliteStore(LoopRecords):
    """Thread-safe: one connection, every call under a lock (SQLite in WAL mode)."""

    def __init__(self, path: str = "vraagbaak.db") -> None:
        self.path = path
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        if path != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 5000")
        self.lock = threading.RLock()
        self.version = migrate(self.db)
        self._reanalyse()
        self._synonyms: tuple[int, dict[str, tuple[str, ...]]] = (-1, {})
        self._people_vocab: tuple[int, tuple[dict[str, int], int]] = (-1, ({}, 0))

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

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

    def rows(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self.lock:
            cursor = self.db.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

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
            for a in articles:
                stamp = now()
                fields, phrasings = analysis.analyse(a)
                row = db.execute(
                    "INSERT INTO articles (id, title, body, keywords, questions, url, owner, status, lang, review_date,"
                    " source, created_at, updated_at, phrasings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET title = excluded.title, body = excluded.body,"
                    " keywords = excluded.keywords, questions = excluded.questions, url = excluded.url,"
                    " owner = excluded.owner, status = excluded.status, lang = excluded.lang,"
                    " review_date = excluded.review_date, source = excluded.source,"
                    " updated_at = excluded.updated_at, phrasings = excluded.phrasings RETURNING rowid",
                    [a.id, a.title, a.body, json.dumps(list(a.keywords)), json.dumps(list(a.questions)), a.url,
                     a.owner, a.status, a.lang, a.review_date, a.source, stamp, a.updated_at or stamp,
                     analysis.dump(phrasings)],
                ).fetchone()
                db.execute("DELETE FROM article_index WHERE rowid = ?", [row[0]])
                if a.status != "archived":
                    db.execute(
                        "INSERT INTO article_index (rowid, article_id, title, questions, keywords, body)"
                        " VALUES (?,?,?,?,?,?)",
                        [row[0], a.id, fields["title"], fields["questions"], fields["keywords"], fields["body"]])
                count += 1
            self._bump(db)
        return count

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
        return _article(found[0]) if found else None

    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]:
        if ids is not None:
            wanted = list(ids)
            by_id = {
                r["id"]: _article(r)
                for r in self.rows(
                    f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(wanted))})", wanted
                )
            } if wanted else {}
            return [by_id[i] for i in wanted if i in by_id]
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        return [_article(r) for r in self.rows(f"SELECT * FROM articles {where} ORDER BY id", params)]

    def count(self, table: str) -> int:
        return self.rows(f"SELECT count(*) AS n FROM [{table}]")[0]["n"]

    # --- people ---------------------------------------------------------------------------
    def upsert_people(self, people: Iterable[Person]) -> int:
        count = 0
        with self.transaction() as db:
            for p in people:
                p = self._same_person(db, p)
                row = db.execute(
                    "INSERT INTO people (id, name, title, department, expertise, email, phone, slack_id, teams_id)"
                    " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    " title = excluded.title, department = excluded.department, expertise = excluded.expertise,"
                    " email = excluded.email, phone = excluded.phone, slack_id = excluded.slack_id,"
                    " teams_id = excluded.teams_id RETURNING rowid",
                    [p.id, p.name, p.title, p.department, json.dumps(list(p.expertise)), p.email, p.phone,
                     p.slack_id, p.teams_id],
                ).fetchone()
                profile = " ".join([p.title, p.department, *p.expertise])
                db.execute("DELETE FROM people_index WHERE rowid = ?", [row[0]])
                db.execute(
                    "INSERT INTO people_index (rowid, person_id, name, profile) VALUES (?,?,?,?)",
                    [row[0], p.id, " ".join(text.words(p.name)),
                     " ".join(sorted({*text.terms(profile, "nl"), *text.terms(profile, "en")}))])
                count += 1
            self._bump(db, "people_generation")
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
        old = _person(dict(zip(cursor_names, found, strict=True)))
        return Person(
            id=old.id, name=p.name or old.name, title=p.title or old.title, department=p.department or old.department,
            expertise=p.expertise or old.expertise, email=p.email, phone=p.phone or old.phone,
            slack_id=p.slack_id or old.slack_id, teams_id=p.teams_id or old.teams_id,
        )

    def people(self, ids: Iterable[str] | None = None) -> list[Person]:
        if ids is None:
            return [_person(r) for r in self.rows("SELECT * FROM people ORDER BY name")]
        wanted = list(ids)
        if not wanted:
            return []
        rows = self.rows(f"SELECT * FROM people WHERE id IN ({','.join('?' * len(wanted))})", wanted)
        by_id = {r["id"]: _person(r) for r in rows}
        return [by_id[i] for i in wanted if i in by_id]

    # --- routes and synonyms --------------------------------------------------------------
    def set_routes(self, routes: Iterable[tuple[str, str]]) -> int:
        rows = [{"keyword": k.strip().lower(), "channel": c.strip()} for k, c in routes if k.strip()]
        with self.transaction() as db:
            db["routes"].upsert_all(rows, pk="keyword")
        return len(rows)

    def routes(self) -> list[tuple[str, str]]:
        return [(r["keyword"], r["channel"]) for r in self.rows("SELECT * FROM routes ORDER BY keyword")]

    def add_synonyms(self, term: str, synonyms: Iterable[str]) -> None:
        with self.transaction() as db:
            for s in synonyms:
                db["synonyms"].upsert({"term": term.strip().lower(), "synonym": s.strip().lower()},
                                      pk=("term", "synonym"))
            self._bump(db)

    def remove_synonyms(self, term: str) -> int:
        with self.transaction() as db:
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
            both: dict[str, set[str]] = {}
            for term, syns in self.synonyms().items():
                for s in syns:
                    both.setdefault(text.fold(term), set()).add(s)
                    both.setdefault(text.fold(s), set()).add(term)
            self._synonyms = (generation, {k: tuple(sorted(v)) for k, v in both.items()})
        return self._synonyms[1]

    # --- questions ------------------------------------------------------------------------
    def add_question(self, asker: User, platform: str, place: Place, masked: str, lang: str,
                     decision: str, article_id: str | None, shown: list[str]) -> Question:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO questions (asker_id, asker_name, platform, channel, thread, message, extra, text,"
                " lang, decision, article_id, shown, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [asker.id, asker.name, platform, place.channel, place.thread, place.message, place.extra,
                 masked, lang, decision, article_id, json.dumps(shown),
                 "answered" if decision == "answer" else "open", now()],
            )
            qid = cur.lastrowid
        found = self.question(int(qid or 0))
        assert found is not None
        return found

    def question(self, question_id: int) -> Question | None:
        found = self.rows("SELECT * FROM questions WHERE id = ?", [question_id])
        if not found:
            return None
        r = found[0]
        return Question(
            id=r["id"], asker=User(r["asker_id"], r["asker_name"]), platform=r["platform"],
            place=Place(r["channel"], r["thread"], r["message"], r["extra"]), text=r["text"],
            decision=r["decision"], article_id=r["article_id"], created_at=r["created_at"], lang=r["lang"],
            status=r["status"],
        )

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
