"""SqliteStore's SQL for web sign-in links, flows, sessions and attempts, the console's messages, calibration
kept in meta, the search vocabulary, and the owners' article list and history (knowledge.weblogin,
bot.console.chat, knowledge.calibration, knowledge.query, knowledge.articles' reads)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from knowledge import stored
from knowledge.clock import now
from knowledge.model import Person
from knowledge.sqlite.base import Base

if TYPE_CHECKING:
    from knowledge.articles import ArticleFilter


class _Base(Base, Protocol):
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(f: ArticleFilter, today: str) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for word in f.text.split()[:10]:
        clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in (
            "id", "title", "questions", "keywords", "body")) + ")")
        params += [_like(word)] * 5
    for column, value in (("status", f.status), ("owner", f.owner), ("lang", f.lang)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.due:
        clauses.append("status = 'validated' AND review_date != '' AND review_date < ?")
        params.append(today)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _console_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "payload": json.loads(row["payload"] or "{}")}


class AccessRecords:
    # --- the owners' web sign-in (knowledge.weblogin) -------------------------------------------------
    def person_by_email(self: _Base, email: str) -> Person | None:
        """The directory's person with this e-mail address (case-insensitive), or None."""
        found = self.rows("SELECT id FROM people WHERE lower(email) = ? LIMIT 1", [email.lower()])
        people = self.people([found[0]["id"]]) if found else []
        return people[0] if people else None

    def add_login_token(self: _Base, token_hash: str, owner_id: str, created_at: str, expires_at: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO web_logins (token_hash, owner, created_at, expires_at) VALUES (?,?,?,?)",
                       [token_hash, owner_id, created_at, expires_at])

    def take_login_token(self: _Base, token_hash: str, at: str, forget_before: str) -> str | None:
        """The owner id of an unused token not expired at ``at``, marking it used; None otherwise. Tokens that
        expired before ``forget_before`` are dropped. One transaction: a token is redeemed once."""
        with self.transaction() as db:
            found = db.execute("SELECT owner FROM web_logins WHERE token_hash = ? AND used_at = '' AND expires_at > ?",
                               [token_hash, at]).fetchone()
            if found is None:
                return None
            db.execute("UPDATE web_logins SET used_at = ? WHERE token_hash = ?", [at, token_hash])
            db.execute("DELETE FROM web_logins WHERE expires_at < ?", [forget_before])
        return str(found[0])

    def save_login_flow(self: _Base, state: str, provider: str, flow: dict[str, Any], at: str,
                        forget_before: str) -> None:
        """Keep a single sign-on under way, dropping those started before ``forget_before``."""
        with self.transaction() as db:
            db.execute("DELETE FROM web_flows WHERE created_at < ?", [forget_before])
            db.execute("INSERT INTO web_flows (state, provider, flow, created_at) VALUES (?,?,?,?)",
                       [state, provider, json.dumps(flow), at])

    def take_login_flow(self: _Base, state: str, provider: str, since: str) -> dict[str, Any] | None:
        """The sign-on under way with ``state`` at ``provider`` started at or after ``since``, once: the state
        is dropped whether found or not."""
        with self.transaction() as db:
            found = db.execute("SELECT flow FROM web_flows WHERE state = ? AND provider = ? AND created_at >= ?",
                               [state, provider, since]).fetchone()
            db.execute("DELETE FROM web_flows WHERE state = ?", [state])
        return dict(json.loads(found[0])) if found else None

    def session_secret(self: _Base, candidate: str) -> str:
        """The web console's session secret: ``candidate`` when none was kept yet, else the kept one."""
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO web_settings (key, value) VALUES ('session_secret', ?)", [candidate])
        return str(self.rows("SELECT value FROM web_settings WHERE key = 'session_secret'")[0]["value"])

    # --- the owners' web sessions and sign-in attempts (knowledge.weblogin) -------------------------------
    def start_web_session(self: _Base, id_hash: str, owner: str, at: str, expires_at: str,
                          forget_before: str) -> None:
        """Keep a new session of ``owner``; sessions that expired or ended before ``forget_before`` are dropped."""
        with self.transaction() as db:
            db.execute("DELETE FROM web_sessions WHERE expires_at < ? OR (ended_at != '' AND ended_at < ?)",
                       [forget_before, forget_before])
            db.execute("INSERT INTO web_sessions (id_hash, owner, created_at, last_seen, expires_at)"
                       " VALUES (?,?,?,?,?)", [id_hash, owner, at, at, expires_at])

    def web_session(self: _Base, id_hash: str, at: str) -> str | None:
        """The owner of the session ``id_hash`` when it is neither ended nor expired at ``at``, else None."""
        found = self.rows("SELECT owner FROM web_sessions WHERE id_hash = ? AND ended_at = '' AND expires_at > ?",
                          [id_hash, at])
        return str(found[0]["owner"]) if found else None

    def touch_web_session(self: _Base, id_hash: str, at: str, expires_at: str, stale_before: str) -> None:
        """The session was used at ``at``: it now expires at ``expires_at``. Written only when it was last seen
        before ``stale_before`` (a write a minute per session, not one per page)."""
        if not self.rows("SELECT 1 FROM web_sessions WHERE id_hash = ? AND last_seen < ?", [id_hash, stale_before]):
            return
        with self.transaction() as db:
            db.execute("UPDATE web_sessions SET last_seen = ?, expires_at = ? WHERE id_hash = ? AND ended_at = ''"
                       " AND last_seen < ? AND expires_at > ?", [at, expires_at, id_hash, stale_before, at])

    def end_web_session(self: _Base, id_hash: str, at: str) -> bool:
        """End the session ``id_hash``; whether it was still open."""
        with self.transaction() as db:
            ended = db.execute("UPDATE web_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at = ''"
                               " AND expires_at > ?", [at, id_hash, at]).rowcount
        return bool(ended)

    def end_owner_sessions(self: _Base, owner: str, at: str) -> int:
        """End every open session of ``owner``; how many there were."""
        with self.transaction() as db:
            ended = db.execute("UPDATE web_sessions SET ended_at = ? WHERE owner = ? AND ended_at = ''"
                               " AND expires_at > ?", [at, owner, at]).rowcount
        return int(ended)

    def end_web_sessions_except(self: _Base, owners: Iterable[str], at: str) -> dict[str, int]:
        """End every open session of anyone not in ``owners``: who they were -> how many sessions ended."""
        keep = sorted(set(owners))
        marks = ", ".join("?" * len(keep))
        with self.transaction() as db:
            found = db.execute(f"SELECT owner, count(*) FROM web_sessions WHERE ended_at = '' AND expires_at > ?"
                               f" AND owner NOT IN ({marks}) GROUP BY owner", [at, *keep]).fetchall()
            db.execute(f"UPDATE web_sessions SET ended_at = ? WHERE ended_at = '' AND expires_at > ?"
                       f" AND owner NOT IN ({marks})", [at, at, *keep])
        return {str(o): int(n) for o, n in found}

    def sign_in_attempt(self: _Base, client: str, minute: str, previous_minute: str, limit: int) -> bool:
        """Count a sign-in attempt of ``client`` in ``minute`` unless it already made ``limit`` attempts in that
        minute and ``previous_minute`` together; whether it may go on. Older minutes are dropped. One
        transaction, so processes on one database share the count."""
        with self.transaction() as db:
            db.execute("DELETE FROM web_attempts WHERE minute < ?", [previous_minute])
            made = db.execute("SELECT coalesce(sum(attempts), 0) FROM web_attempts WHERE client = ?"
                              " AND minute IN (?, ?)", [client, minute, previous_minute]).fetchone()[0]
            if made >= limit:
                return False
            db.execute("INSERT INTO web_attempts (minute, client, attempts) VALUES (?, ?, 1)"
                       " ON CONFLICT (minute, client) DO UPDATE SET attempts = attempts + 1", [minute, client])
        return True

    # --- the console's channels and threads (bot.console.chat) ---------------------------------------
    def post_console_message(self: _Base, channel: str, thread: str | None, author: str, text: str,
                             payload: dict[str, Any], read: bool = False) -> str:
        """Store a console message (``read``: already seen, as a DM printed at once); its id."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO console_messages (channel, thread, author, text, payload, created_at, read)"
                " VALUES (?,?,?,?,?,?,?)", [channel, thread, author, text, json.dumps(payload), now(), int(read)])
        return str(cur.lastrowid)

    def edit_console_message(self: _Base, message_id: str, text: str, payload: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute("UPDATE console_messages SET text = ?, payload = ? WHERE id = ?",
                       [text, json.dumps(payload), message_id])

    def console_message(self: _Base, message_id: str) -> dict[str, Any] | None:
        """The stored console message (id, channel, thread, author, text, payload as a dict, created_at, read),
        or None."""
        found = self.rows("SELECT * FROM console_messages WHERE id = ?", [message_id])
        return _console_row(found[0]) if found else None

    def console_posts(self: _Base) -> list[dict[str, Any]]:
        """The bot's root posts in the console's channels (not DMs), oldest first, as ``console_message``."""
        return [_console_row(r) for r in self.rows(
            "SELECT * FROM console_messages WHERE thread IS NULL AND channel NOT LIKE '@%'"
            " AND author = 'vraagbaak' ORDER BY id")]

    def console_thread(self: _Base, root: str) -> list[dict[str, Any]]:
        """The post ``root`` and the replies in its thread, oldest first, as ``console_message``."""
        return [_console_row(r) for r in self.rows(
            "SELECT * FROM console_messages WHERE id = ? OR thread = ? ORDER BY id", [root, root])]

    def unread_console_messages(self: _Base, channel: str) -> list[dict[str, Any]]:
        """The payloads of the bot's unread messages in ``channel``, oldest first; the channel is read after."""
        with self.transaction() as db:
            rows = list(db.execute("SELECT id, payload FROM console_messages WHERE channel = ? AND read = 0"
                                   " AND author = 'vraagbaak' ORDER BY id", [channel]).fetchall())
            db.execute("UPDATE console_messages SET read = 1 WHERE channel = ?", [channel])
        return [json.loads(p) for _, p in rows]

    # --- self-calibration (knowledge.calibration) -------------------------------------------------------
    def article_phrasings(self: _Base) -> list[tuple[str, str, tuple[str, ...]]]:
        """(id, title, alternate questions) of every article not archived."""
        return [(r["id"], r["title"], tuple(json.loads(r["questions"] or "[]")))
                for r in self.rows("SELECT id, title, questions FROM articles WHERE status != 'archived' ORDER BY id")]

    def feedback_questions(self: _Base, limit: int) -> list[tuple[str, str, bool]]:
        """The latest ``limit`` questions agents gave feedback on or picked a suggestion for, newest first:
        (question text, the article judged or '', whether it helped; ``stored.feedback``)."""
        return [stored.feedback(r) for r in self.rows(
            "SELECT q.text, a.action, a.detail FROM audit AS a JOIN questions AS q ON q.id = CAST(a.subject AS INTEGER)"
            " WHERE a.action IN ('feedback', 'chose') ORDER BY a.id DESC LIMIT ?", [limit])]

    def calibration_values(self: _Base, mode: str) -> dict[str, int]:
        """The calibration kept for ranking ``mode``: name ('answer', 'articles', ...) -> value."""
        prefix = f"calibration_{mode}_"
        return {r["key"][len(prefix):]: int(r["value"])
                for r in self.rows("SELECT key, value FROM meta WHERE key LIKE ?", [f"{prefix}%"])
                if r["key"].startswith(prefix)}

    def save_calibration_values(self: _Base, mode: str, values: dict[str, int]) -> None:
        with self.transaction() as db:
            db.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                [[f"calibration_{mode}_{k}", v] for k, v in values.items()])

    def count_unarchived_articles(self: _Base) -> int:
        return int(self.rows("SELECT count(*) AS n FROM articles WHERE status != 'archived'")[0]["n"])

    # --- the search vocabulary (knowledge.query) ---------------------------------------------------------
    def term_article_counts(self: _Base) -> dict[str, int]:
        """Every term of the article index -> the number of articles it is in."""
        return {r["term"]: r["doc"] for r in self.rows("SELECT term, doc FROM article_vocab")}

    def indexed_articles_per_lang(self: _Base) -> dict[str, int]:
        """The articles in search (not archived, not held) per language."""
        return {r["lang"]: r["n"] for r in self.rows(
            "SELECT lang, count(*) AS n FROM articles WHERE status NOT IN ('archived', 'held') GROUP BY lang")}

    # --- the owners' article list and history (knowledge.articles' reads) --------------------------------
    def count_articles(self: _Base, f: ArticleFilter, today: str) -> int:
        """The articles ``f`` asks for (``today``: the date an article with ``f.due`` is past), all pages."""
        where, params = _where(f, today)
        return int(self.rows(f"SELECT count(*) AS n FROM articles{where}", params)[0]["n"])

    def article_ids(self: _Base, f: ArticleFilter, today: str, limit: int, offset: int) -> list[str]:
        """Ids of the articles ``f`` asks for, ``limit`` from ``offset``: the longest overdue first when
        ``f.due``, else the most recently changed first."""
        where, params = _where(f, today)
        order = "review_date, id" if f.due else "updated_at DESC, id"
        return [r["id"] for r in self.rows(f"SELECT id FROM articles{where} ORDER BY {order} LIMIT ? OFFSET ?",
                                           [*params, limit, offset])]

    def article_owners(self: _Base) -> list[str]:
        """Every owner named on an article, in order."""
        return [r["owner"] for r in self.rows("SELECT DISTINCT owner FROM articles WHERE owner != '' ORDER BY owner")]

    def audit_about(self: _Base, subject: str, leaving_out: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """The audit log's latest ``limit`` entries about ``subject`` with an action not in ``leaving_out``,
        newest first: dicts of id, at, actor, action and detail (its JSON text)."""
        marks = ", ".join("?" * len(leaving_out))
        return self.rows(f"SELECT id, at, actor, action, detail FROM audit WHERE subject = ?"
                         f" AND action NOT IN ({marks}) ORDER BY id DESC LIMIT ?", [subject, *leaving_out, limit])
