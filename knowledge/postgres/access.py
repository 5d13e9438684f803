"""PostgresStore's web sign-in links, flows, sessions and attempts, the console's messages, calibration kept in
meta, the search vocabulary, and the owners' article list (the same methods and results as
knowledge/sqlite/access.py).

What is taken once is taken by one statement, so two replicas cannot both take it: a sign-in link is redeemed by
a conditional UPDATE, a sign-on flow by its DELETE ... RETURNING, unread console messages by the UPDATE that marks
them read. The sign-in limit counts first (an upsert that holds the row of that client and minute to commit) and
decides after, so processes on several machines never let more than the limit through.

SQLite's LIKE and lower() fold ASCII letters only; so do the article list's text filter and ``person_by_email``
here (``translate``), whatever the database's locale.
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from knowledge import stored
from knowledge.model import Person
from knowledge.postgres.base import Conn

if TYPE_CHECKING:
    from knowledge.articles import ArticleFilter


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[Conn]: ...
    def rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...


_ASCII = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_ID = re.compile(r"[0-9]{1,18}")  # a console message id (bigint); anything else names no message, as on SQLite
# what an article's index terms depend on (knowledge.analysis.analyse), as one digest
# an article's index terms by that digest, space-joined: a changed article is analysed anew, the rest are not


def _ascii_lower(column: str) -> str:
    """SQL folding ``column`` as SQLite's lower() and LIKE do: ASCII letters only (the index on people's e-mail
    addresses is on this very expression)."""
    return f"translate({column}, '{string.ascii_uppercase}', '{string.ascii_lowercase}')"


def _like(word: str) -> str:
    return "%" + word.translate(_ASCII).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(f: ArticleFilter, today: str) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for word in f.text.split()[:10]:
        clauses.append("(" + " OR ".join(f"{_ascii_lower(c)} LIKE %s ESCAPE '\\'" for c in (
            "id", "title", "questions", "keywords", "body")) + ")")
        params += [_like(word)] * 5
    for column, value in (("status", f.status), ("owner", f.owner), ("lang", f.lang)):
        if value:
            clauses.append(f"{column} = %s")
            params.append(value)
    if f.due:
        clauses.append("status = 'validated' AND review_date <> '' AND review_date < %s COLLATE \"C\"")
        params.append(today)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _console_row(row: dict[str, Any]) -> dict[str, Any]:
    """A console message as SqliteStore gives it: the payload as a dict, ``read`` as 0 or 1."""
    return {**row, "payload": json.loads(row["payload"] or "{}"), "read": int(bool(row["read"]))}


def _message_id(message_id: str) -> int | None:
    return int(message_id) if _ID.fullmatch(message_id) else None


class AccessRecords:
    # --- the owners' web sign-in (knowledge.weblogin) -------------------------------------------------
    def person_by_email(self: _Base, email: str) -> Person | None:
        """The directory's person with this e-mail address (case-insensitive), or None."""
        found = self.rows(f"SELECT id FROM people WHERE {_ascii_lower('email')} = %s LIMIT 1", [email.lower()])
        people = self.people([found[0]["id"]]) if found else []
        return people[0] if people else None

    def add_login_token(self: _Base, token_hash: str, owner_id: str, created_at: str, expires_at: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO web_logins (token_hash, owner, created_at, expires_at) VALUES (%s,%s,%s,%s)",
                         [token_hash, owner_id, created_at, expires_at])

    def take_login_token(self: _Base, token_hash: str, at: str, forget_before: str) -> str | None:
        """The owner id of an unused token not expired at ``at``, marking it used; None otherwise. Tokens that
        expired before ``forget_before`` are dropped. One conditional UPDATE: a token is redeemed once."""
        with self.transaction() as conn:
            found = conn.execute("UPDATE web_logins SET used_at = %s WHERE token_hash = %s AND used_at IS NULL"
                                 " AND expires_at > %s RETURNING owner", [at, token_hash, at]).fetchone()
            if found is None:
                return None
            conn.execute("DELETE FROM web_logins WHERE expires_at < %s", [forget_before])
        return str(found["owner"])

    def save_login_flow(self: _Base, state: str, provider: str, flow: dict[str, Any], at: str,
                        forget_before: str) -> None:
        """Keep a single sign-on under way, dropping those started before ``forget_before``."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM web_flows WHERE created_at < %s", [forget_before])
            conn.execute("INSERT INTO web_flows (state, provider, flow, created_at) VALUES (%s,%s,%s,%s)",
                         [state, provider, json.dumps(flow), at])

    def take_login_flow(self: _Base, state: str, provider: str, since: str) -> dict[str, Any] | None:
        """The sign-on under way with ``state`` at ``provider`` started at or after ``since``, once: the state
        is dropped whether found or not (one DELETE ... RETURNING: two replicas cannot both take it)."""
        with self.transaction() as conn:
            found = conn.execute("DELETE FROM web_flows WHERE state = %s RETURNING flow,"
                                 " (provider = %s AND created_at >= %s) AS fits", [state, provider, since]).fetchone()
        return dict(json.loads(found["flow"])) if found and found["fits"] else None

    def session_secret(self: _Base, candidate: str) -> str:
        """The web console's session secret: ``candidate`` when none was kept yet, else the kept one."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO web_settings (key, value) VALUES ('session_secret', %s) ON CONFLICT DO NOTHING",
                         [candidate])
        return str(self.rows("SELECT value FROM web_settings WHERE key = 'session_secret'")[0]["value"])

    # --- the owners' web sessions and sign-in attempts (knowledge.weblogin) -------------------------------
    def start_web_session(self: _Base, id_hash: str, owner: str, at: str, expires_at: str,
                          forget_before: str) -> None:
        """Keep a new session of ``owner``; sessions that expired or ended before ``forget_before`` are dropped."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM web_sessions WHERE expires_at < %s OR ended_at < %s",
                         [forget_before, forget_before])
            conn.execute("INSERT INTO web_sessions (id_hash, owner, created_at, last_seen, expires_at)"
                         " VALUES (%s,%s,%s,%s,%s)", [id_hash, owner, at, at, expires_at])

    def web_session(self: _Base, id_hash: str, at: str) -> str | None:
        """The owner of the session ``id_hash`` when it is neither ended nor expired at ``at``, else None."""
        found = self.rows("SELECT owner FROM web_sessions WHERE id_hash = %s AND ended_at IS NULL"
                          " AND expires_at > %s", [id_hash, at])
        return str(found[0]["owner"]) if found else None

    def touch_web_session(self: _Base, id_hash: str, at: str, expires_at: str, stale_before: str) -> None:
        """The session was used at ``at``: it now expires at ``expires_at``. Written only when it was last seen
        before ``stale_before`` (a write a minute per session, not one per page)."""
        if not self.rows("SELECT 1 FROM web_sessions WHERE id_hash = %s AND last_seen < %s", [id_hash, stale_before]):
            return
        with self.transaction() as conn:
            conn.execute("UPDATE web_sessions SET last_seen = %s, expires_at = %s WHERE id_hash = %s"
                         " AND ended_at IS NULL AND last_seen < %s AND expires_at > %s",
                         [at, expires_at, id_hash, stale_before, at])

    def end_web_session(self: _Base, id_hash: str, at: str) -> bool:
        """End the session ``id_hash``; whether it was still open."""
        with self.transaction() as conn:
            ended = conn.execute("UPDATE web_sessions SET ended_at = %s WHERE id_hash = %s AND ended_at IS NULL"
                                 " AND expires_at > %s", [at, id_hash, at]).rowcount
        return bool(ended)

    def end_owner_sessions(self: _Base, owner: str, at: str) -> int:
        """End every open session of ``owner``; how many there were."""
        with self.transaction() as conn:
            ended = conn.execute("UPDATE web_sessions SET ended_at = %s WHERE owner = %s AND ended_at IS NULL"
                                 " AND expires_at > %s", [at, owner, at]).rowcount
        return int(ended)

    def end_web_sessions_except(self: _Base, owners: Iterable[str], at: str) -> dict[str, int]:
        """End every open session of anyone not in ``owners``: who they were -> how many sessions ended (counted
        from what this UPDATE ended, so two replicas never both report one session)."""
        with self.transaction() as conn:
            ended = conn.execute("UPDATE web_sessions SET ended_at = %s WHERE ended_at IS NULL AND expires_at > %s"
                                 " AND owner <> ALL(%s) RETURNING owner", [at, at, sorted(set(owners))]).fetchall()
        counted = Counter(str(r["owner"]) for r in ended)
        return {owner: counted[owner] for owner in sorted(counted)}

    def sign_in_attempt(self: _Base, client: str, minute: str, previous_minute: str, limit: int) -> bool:
        """Count a sign-in attempt of ``client`` in ``minute`` unless it already made ``limit`` attempts in that
        minute and ``previous_minute`` together; whether it may go on. Older minutes are dropped.

        Counted first, decided after: the upsert holds the row of this client and minute until commit, so a
        second process's attempt waits, then counts on top of the first's. A refused attempt is taken back (not
        counted, as on SQLite, so a refused client may try again a minute or two later)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM web_attempts WHERE (minute, client) IN (SELECT minute, client FROM web_attempts"
                         " WHERE minute < %s FOR UPDATE SKIP LOCKED)", [previous_minute])
            now_made = conn.execute(
                "INSERT INTO web_attempts (minute, client, attempts) VALUES (%s, %s, 1) ON CONFLICT (minute, client)"
                " DO UPDATE SET attempts = web_attempts.attempts + 1 RETURNING attempts", [minute, client],
            ).fetchone()["attempts"]  # type: ignore[index]
            before = conn.execute("SELECT coalesce(sum(attempts), 0) AS n FROM web_attempts WHERE client = %s"
                                  " AND minute = %s AND minute <> %s", [client, previous_minute, minute]).fetchone()
            if now_made + int(before["n"]) <= limit:  # type: ignore[index]
                return True
            if now_made == 1:
                conn.execute("DELETE FROM web_attempts WHERE minute = %s AND client = %s", [minute, client])
            else:
                conn.execute("UPDATE web_attempts SET attempts = attempts - 1 WHERE minute = %s AND client = %s",
                             [minute, client])
        return False

    # --- the console's channels and threads (bot.console.chat) ---------------------------------------
    def post_console_message(self: _Base, channel: str, thread: str | None, author: str, text: str,
                             payload: dict[str, Any], read: bool = False) -> str:
        """Store a console message (``read``: already seen, as a DM printed at once); its id."""
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO console_messages (channel, thread, author, text, payload, read)"
                " VALUES (%s,%s,%s,%s,%s,%s) RETURNING id",
                [channel, thread, author, text, json.dumps(payload), bool(read)]).fetchone()
        return str(row["id"])  # type: ignore[index]

    def edit_console_message(self: _Base, message_id: str, text: str, payload: dict[str, Any]) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE console_messages SET text = %s, payload = %s WHERE id = %s",
                         [text, json.dumps(payload), _message_id(message_id)])

    def console_message(self: _Base, message_id: str) -> dict[str, Any] | None:
        """The stored console message (id, channel, thread, author, text, payload as a dict, created_at, read),
        or None."""
        found = self.rows("SELECT * FROM console_messages WHERE id = %s", [_message_id(message_id)])
        return _console_row(found[0]) if found else None

    def console_posts(self: _Base) -> list[dict[str, Any]]:
        """The bot's root posts in the console's channels (not DMs), oldest first, as ``console_message``."""
        return [_console_row(r) for r in self.rows(
            "SELECT * FROM console_messages WHERE thread IS NULL AND channel NOT LIKE '@%'"
            " AND author = 'vraagbaak' ORDER BY id")]

    def console_thread(self: _Base, root: str) -> list[dict[str, Any]]:
        """The post ``root`` and the replies in its thread, oldest first, as ``console_message``."""
        return [_console_row(r) for r in self.rows(
            "SELECT * FROM console_messages WHERE id = %s OR thread = %s ORDER BY id", [_message_id(root), root])]

    def unread_console_messages(self: _Base, channel: str) -> list[dict[str, Any]]:
        """The payloads of the bot's unread messages in ``channel``, oldest first; the channel is read after.
        The UPDATE that marks them read returns them, so two readers never both get one."""
        with self.transaction() as conn:
            rows = conn.execute("WITH marked AS (UPDATE console_messages SET read = true WHERE channel = %s"
                                " AND NOT read RETURNING id, author, payload) SELECT payload FROM marked"
                                " WHERE author = 'vraagbaak' ORDER BY id", [channel]).fetchall()
        return [json.loads(r["payload"]) for r in rows]

    # --- self-calibration (knowledge.calibration) -------------------------------------------------------
    def feedback_questions(self: _Base, limit: int) -> list[tuple[str, str, bool]]:
        """The latest ``limit`` questions agents gave feedback on or picked a suggestion for, newest first:
        (question text, the article judged or '', whether it helped; ``stored.feedback``)."""
        return [stored.feedback(r) for r in self.rows(
            "SELECT q.text, a.action, a.detail FROM audit AS a JOIN questions AS q"
            " ON q.id = CASE WHEN a.subject ~ '^[0-9]{1,18}$' THEN a.subject::bigint END"
            " WHERE a.action IN ('feedback', 'chose') ORDER BY a.id DESC LIMIT %s", [limit])]

    def calibration_values(self: _Base, mode: str) -> dict[str, int]:
        """The calibration kept for ranking ``mode``: name ('answer', 'articles', ...) -> value."""
        prefix = f"calibration_{mode}_"
        return {r["key"][len(prefix):]: int(r["value"])
                for r in self.rows("SELECT key, value FROM meta WHERE key LIKE %s", [f"{prefix}%"])
                if r["key"].startswith(prefix)}

    def save_calibration_values(self: _Base, mode: str, values: dict[str, int]) -> None:
        with self.transaction() as conn, conn.cursor() as cursor:
            cursor.executemany("INSERT INTO meta (key, value) VALUES (%s, %s)"
                               " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [[f"calibration_{mode}_{k}", v] for k, v in values.items()])

    def count_unarchived_articles(self: _Base) -> int:
        return int(self.rows("SELECT count(*) AS n FROM articles WHERE status <> 'archived'")[0]["n"])

    # --- the owners' article list and history (knowledge.articles' reads) --------------------------------
    def count_articles(self: _Base, f: ArticleFilter, today: str) -> int:
        """The articles ``f`` asks for (``today``: the date an article with ``f.due`` is past), all pages."""
        where, params = _where(f, today)
        return int(self.rows(f"SELECT count(*) AS n FROM articles{where}", params)[0]["n"])

    def article_ids(self: _Base, f: ArticleFilter, today: str, limit: int, offset: int) -> list[str]:
        """Ids of the articles ``f`` asks for, ``limit`` from ``offset``: the longest overdue first when
        ``f.due``, else the most recently changed first."""
        where, params = _where(f, today)
        order = 'review_date COLLATE "C", id COLLATE "C"' if f.due else 'updated_at COLLATE "C" DESC, id COLLATE "C"'
        return [r["id"] for r in self.rows(f"SELECT id FROM articles{where} ORDER BY {order} LIMIT %s OFFSET %s",
                                           [*params, limit, offset])]

    def article_owners(self: _Base) -> list[str]:
        """Every owner named on an article, in order."""
        return [r["owner"] for r in self.rows(
            "SELECT DISTINCT owner COLLATE \"C\" AS owner FROM articles WHERE owner <> '' ORDER BY 1")]

    def audit_about(self: _Base, subject: str, leaving_out: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """The audit log's latest ``limit`` entries about ``subject`` with an action not in ``leaving_out``,
        newest first: dicts of id, at, actor, action and detail (its JSON text)."""
        return self.rows("SELECT id, at, actor, action, detail FROM audit WHERE subject = %s"
                         " AND action <> ALL(%s) ORDER BY id DESC LIMIT %s", [subject, list(leaving_out), limit])
