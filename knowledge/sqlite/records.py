"""The loop's records: escalations, answers, reviews, the audit log, delivery keys and the outbox.

A mixin of SqliteStore (kept apart so each module stays one concept); it uses the store's
``transaction`` and ``rows``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlite_utils

from knowledge import audit as audit_chain
from knowledge import stored
from knowledge.clock import now
from knowledge.model import OUTBOX_ATTEMPTS, Answer, ChannelSettings, Escalation, Place, ReviewItem, User
from knowledge.signals import Signals
from knowledge.sqlite import audit as audit_log


class _Base(Protocol):
    audit_key: bytes
    path: str
    signals: Signals

    def after_commit(self, work: Callable[[], None]) -> None: ...
    def iter_rows(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]: ...
    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


# open escalations another question may join: not about one person's own case
_JOINABLE = ("escalations e JOIN questions q ON q.id = e.question_id"
             " WHERE e.status IN ('pending', 'open') AND q.personal = 0")


class LoopRecords:
    # --- escalations ----------------------------------------------------------------------
    def add_escalation(self: _Base, question_id: int, channel: str, experts: list[str],
                       tried: list[str]) -> Escalation:
        """A new escalation of ``question_id``, or the one it already waits on (checked inside the write lock,
        so two processes escalating one question make one escalation)."""
        with self.transaction() as db:
            found = db.execute("SELECT escalation_id FROM waiters WHERE question_id = ? ORDER BY escalation_id"
                               " LIMIT 1", [question_id]).fetchone()
            if found is not None:
                eid = int(found[0])
            else:
                cur = db.execute(  # a question flagged "klant wacht" before it was escalated: urgent at once
                    "INSERT INTO escalations (question_id, channel, experts, tried, status, created_at, urgent)"
                    " VALUES (?,?,?,?, 'pending', ?, (SELECT urgent FROM questions WHERE id = ?))",
                    [question_id, channel, json.dumps(experts), json.dumps(tried), now(), question_id],
                )
                eid = int(cur.lastrowid or 0)
                db.execute("INSERT OR IGNORE INTO waiters VALUES (?, ?)", [eid, question_id])
                db.execute("UPDATE questions SET status = 'escalated' WHERE id = ?", [question_id])
        return stored.escalation(self.rows("SELECT * FROM escalations WHERE id = ?", [eid])[0])

    def escalation(self: _Base, escalation_id: int) -> Escalation | None:
        found = self.rows("SELECT * FROM escalations WHERE id = ?", [escalation_id])
        return stored.escalation(found[0]) if found else None

    def escalation_for_question(self: _Base, question_id: int) -> Escalation | None:
        found = self.rows(
            "SELECT e.* FROM escalations e JOIN waiters w ON w.escalation_id = e.id"
            " WHERE w.question_id = ? ORDER BY e.id DESC LIMIT 1", [question_id])
        return stored.escalation(found[0]) if found else None

    def escalation_at(self: _Base, channel: str, root: str) -> Escalation | None:
        """The escalation one of whose posts is the message ``root`` in ``channel`` (an escalation posted again
        after a stop has more than one, and each is its thread)."""
        found = self.rows(
            "SELECT e.* FROM escalation_posts p JOIN escalations e ON e.id = p.escalation_id"
            " WHERE p.channel = ? AND p.message = ?", [channel, root])
        return stored.escalation(found[0]) if found else None

    def escalation_posts(self: _Base, escalation_id: int) -> list[Place]:
        """Where an escalation was posted, first post first: one place, or more when it was sent again after a
        stop (none while it waits in the outbox)."""
        return [Place(r["channel"], r["thread"], r["message"], r["extra"]) for r in self.rows(
            "SELECT * FROM escalation_posts WHERE escalation_id = ? ORDER BY rowid", [escalation_id])]

    def open_escalation_questions(self: _Base) -> list[tuple[int, str]]:
        """Escalations still waiting for an answer that another question may join, as (id, its masked question
        text), oldest first; one about a person's own case (it carried personal data) is joined by nobody.
        Only ids and texts: this is read for every question that is not answered at once, and whole
        escalations made it grow with every open one (58% of a question's time at a few hundred open)."""
        rows = self.rows(f"SELECT e.id, q.text FROM {_JOINABLE} ORDER BY e.id")
        return [(int(r["id"]), str(r["text"])) for r in rows]

    def open_escalations(self: _Base) -> list[tuple[Escalation, str]]:
        """The same escalations whole, each with its question text (for a look at them, not per question)."""
        rows = self.rows(f"SELECT e.*, q.text AS question_text FROM {_JOINABLE} ORDER BY e.id")
        return [(stored.escalation(r), r["question_text"]) for r in rows]

    def stranded_escalations(self: _Base, before: str) -> list[Escalation]:
        """Escalations created before ``before`` that were never posted and wait in no outbox: the process
        stopped between writing the escalation and posting it."""
        return [stored.escalation(r) for r in self.rows(
            "SELECT * FROM escalations e WHERE status = 'pending' AND post_channel IS NULL AND created_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.escalation_id = e.id) ORDER BY id", [before])]

    def waiting_escalations(self: _Base) -> list[Escalation]:
        """Escalations without an answer whose timers have not all fired (stage below 2), oldest first."""
        return [stored.escalation(r) for r in self.rows(
            "SELECT * FROM escalations WHERE status IN ('pending', 'open') AND stage < 2 ORDER BY id")]

    def advance_escalation(self: _Base, escalation_id: int, stage: int) -> bool:
        """Move an unanswered escalation to ``stage``; False when it is answered or already there (another
        process fired this timer)."""
        with self.transaction() as db:
            return db.execute("UPDATE escalations SET stage = ? WHERE id = ? AND stage < ?"
                              " AND status IN ('pending', 'open')", [stage, escalation_id, stage]).rowcount == 1

    def set_question_urgent(self: _Base, question_id: int) -> None:
        """"Klant wacht" on a question not (yet) with the experts: its escalation, when it comes, is urgent."""
        with self.transaction() as db:
            db.execute("UPDATE questions SET urgent = 1 WHERE id = ?", [question_id])

    def set_urgent(self: _Base, escalation_id: int) -> bool:
        """Mark an escalation urgent; False when it already was."""
        with self.transaction() as db:
            return db.execute("UPDATE escalations SET urgent = 1 WHERE id = ? AND urgent = 0",
                              [escalation_id]).rowcount == 1

    def channel_settings(self: _Base, channel: str) -> ChannelSettings:
        found = self.rows("SELECT * FROM channel_settings WHERE channel = ?", [channel])
        if not found:
            return ChannelSettings(channel)
        r = found[0]
        return ChannelSettings(channel, r["target_minutes"], tuple(json.loads(r["backup_experts"])),
                               r["backup_channel"])

    def set_channel_settings(self: _Base, settings: ChannelSettings) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO channel_settings (channel, target_minutes, backup_experts, backup_channel)"
                       " VALUES (?,?,?,?) ON CONFLICT(channel) DO UPDATE SET target_minutes = excluded.target_minutes,"
                       " backup_experts = excluded.backup_experts, backup_channel = excluded.backup_channel",
                       [settings.channel, settings.target_minutes, json.dumps(list(settings.backup_experts)),
                        settings.backup_channel])

    def take_digest_week(self: _Base, week: int) -> bool:
        """Claim the weekly digest for ``week`` (e.g. 202649); False when a process already sent it."""
        with self.transaction() as db:
            return db.execute("UPDATE meta SET value = ? WHERE key = 'digest_week' AND value < ?",
                              [week, week]).rowcount == 1

    def set_escalation_post(self: _Base, escalation_id: int, place: Place) -> None:
        """Record a post of the escalation. The first one recorded stays its place (the link the asker got);
        one posted again after a stop is kept beside it, so a reply in either thread belongs to it."""
        with self.transaction() as db:
            db.execute(
                "UPDATE escalations SET post_channel = ?, post_thread = ?, post_message = ?, post_extra = ?,"
                " status = CASE status WHEN 'pending' THEN 'open' ELSE status END"
                " WHERE id = ? AND (post_channel IS NULL OR post_message IS NULL OR post_message = '')",
                [place.channel, place.thread, place.message, place.extra, escalation_id])
            if place.message:
                db.execute("INSERT OR IGNORE INTO escalation_posts (escalation_id, channel, message, thread, extra,"
                           " posted_at) VALUES (?,?,?,?,?,?)",
                           [escalation_id, place.channel, place.message, place.thread, place.extra, now()])

    def add_waiter(self: _Base, escalation_id: int, question_id: int) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO waiters VALUES (?, ?)", [escalation_id, question_id])
            db.execute("UPDATE questions SET status = 'escalated' WHERE id = ?", [question_id])

    def waiting_questions(self: _Base, escalation_id: int) -> list[int]:
        return [r["question_id"] for r in self.rows(
            "SELECT question_id FROM waiters WHERE escalation_id = ? ORDER BY question_id", [escalation_id])]

    def resolve_escalation(self: _Base, escalation_id: int, answer_id: int) -> bool:
        """Mark the escalation answered by ``answer_id``; False (and nothing changed) when it already is."""
        with self.transaction() as db:
            done = db.execute("UPDATE escalations SET status = 'answered', answer_id = ?, answered_at = ?"
                              " WHERE id = ? AND status != 'answered'", [answer_id, now(), escalation_id]).rowcount
            if not done:
                return False
            db.execute("UPDATE answers SET accepted = (id = ?) WHERE escalation_id = ?", [answer_id, escalation_id])
            db.execute("UPDATE questions SET status = 'resolved' WHERE id IN"
                       " (SELECT question_id FROM waiters WHERE escalation_id = ?)", [escalation_id])
        return True

    # --- answers --------------------------------------------------------------------------
    def add_answer(self: _Base, escalation_id: int, author: User, masked: str, place: Place) -> Answer:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO answers (escalation_id, author_id, author_name, text, channel, thread, message,"
                " created_at) VALUES (?,?,?,?,?,?,?,?)",
                [escalation_id, author.id, author.name, masked, place.channel, place.thread, place.message,
                 now()])
            aid = int(cur.lastrowid or 0)
        return stored.answer(self.rows("SELECT * FROM answers WHERE id = ?", [aid])[0])

    def answer(self: _Base, answer_id: int) -> Answer | None:
        found = self.rows("SELECT * FROM answers WHERE id = ?", [answer_id])
        return stored.answer(found[0]) if found else None

    def answer_at(self: _Base, channel: str, message: str) -> Answer | None:
        found = self.rows("SELECT * FROM answers WHERE channel = ? AND message = ?", [channel, message])
        return stored.answer(found[0]) if found else None

    def latest_answer(self: _Base, escalation_id: int) -> Answer | None:
        found = self.rows("SELECT * FROM answers WHERE escalation_id = ? ORDER BY id DESC LIMIT 1",
                          [escalation_id])
        return stored.answer(found[0]) if found else None

    def answers(self: _Base, escalation_id: int) -> list[Answer]:
        """Every reply stored in an escalation's thread (masked), oldest first."""
        return [stored.answer(r) for r in self.rows("SELECT * FROM answers WHERE escalation_id = ? ORDER BY id",
                                              [escalation_id])]

    # --- reviews --------------------------------------------------------------------------
    def add_review(self: _Base, article_id: str, escalation_id: int | None, flag: str = "") -> ReviewItem:
        with self.transaction() as db:
            cur = db.execute("INSERT INTO reviews (article_id, escalation_id, created_at, flag) VALUES (?,?,?,?)",
                             [article_id, escalation_id, now(), flag])
            rid = int(cur.lastrowid or 0)
        return stored.review(self.rows("SELECT * FROM reviews WHERE id = ?", [rid])[0])

    def review(self: _Base, review_id: int) -> ReviewItem | None:
        found = self.rows("SELECT * FROM reviews WHERE id = ?", [review_id])
        return stored.review(found[0]) if found else None

    def pending_reviews(self: _Base) -> list[ReviewItem]:
        return [stored.review(r) for r in self.rows("SELECT * FROM reviews WHERE status = 'pending' ORDER BY id")]

    def decide_review(self: _Base, review_id: int, status: str, by: str, note: str = "") -> None:
        with self.transaction() as db:
            db.execute("UPDATE reviews SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ?",
                       [status, by, now(), note, review_id])

    # --- audit, delivery keys, outbox ----------------------------------------------------
    def audit(self: _Base, actor: str, action: str, subject: str = "", **detail: Any) -> None:
        """Append one entry to the hash chain, its details kept apart (see knowledge.audit), in the same
        transaction as the head."""
        with self.transaction() as db:
            audit_log.append(db, self.audit_key, actor, action, subject, detail)

    def audit_log(self: _Base, limit: int = 1000) -> list[dict[str, Any]]:
        """The latest ``limit`` entries, oldest first, as the ``audit`` view shows them (details merged in)."""
        return self.rows("SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit])[::-1]

    def verify_audit(self: _Base) -> audit_chain.Verdict:
        """Whether the audit chain holds, from its first entry to the sealed head, and every detail that is
        gone was erased by a forget or a purge. The head and the entries are read in one snapshot, on a
        connection of its own (WAL: writers go on meanwhile); an in-memory store is read under its lock."""
        if self.path == ":memory:":
            with self.transaction() as db:
                return audit_log.check(db.conn, self.audit_key)
        conn = sqlite3.connect(self.path)
        try:
            conn.execute("BEGIN")
            return audit_log.check(conn, self.audit_key)
        finally:
            conn.rollback()
            conn.close()

    def forget_deliveries(self: _Base, before: str) -> int:
        """Drop delivery keys first seen before ``before`` from the ``events`` table, where they were kept before
        the inbox (``knowledge/inbox.py``) took over: a database from then empties it within a week."""
        with self.transaction() as db:
            return db.execute("DELETE FROM events WHERE seen_at < ?", [before]).rowcount

    def queue(self: _Base, kind: str, place: Place, payload: dict[str, Any], error: str = "",
              escalation_id: int | None = None, *, key: str | None = None, recipient: str = "",
              claim: float = 0.0) -> int:
        """Put a message in the outbox (``kind``: send, update, tell, home); returns its id. A ``key`` queues
        it once: queued again with the same key, the first row's id is returned, negated (it is not this
        caller's to send). ``claim``: queued already claimed for that many seconds, by a caller that sends it
        itself right away (no other process or thread takes it meanwhile)."""
        claimed_until = now(claim) \
            if claim else ""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO outbox (kind, channel, thread, message, extra, payload, attempts,"
                " last_error, created_at, escalation_id, key, recipient, claimed_until)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [kind, place.channel, place.thread, place.message, place.extra, json.dumps(payload),
                 1 if error else 0, error, now(), escalation_id, key, recipient, claimed_until])
            if cur.rowcount == 1:
                if not claim:
                    self.after_commit(lambda: self.signals.bump(["outbox"]))
                return int(cur.lastrowid or 0)
            return -int(db.execute("SELECT id FROM outbox WHERE key = ?", [key]).fetchone()[0])

    def outbox_item(self: _Base, item_id: int) -> dict[str, Any] | None:
        found = self.rows("SELECT * FROM outbox WHERE id = ? AND sent_at = ''", [item_id])
        return {**found[0], "payload": json.loads(found[0]["payload"])} if found else None

    def claim_outbox(self: _Base, lease: float, item_id: int | None = None) -> dict[str, Any] | None:
        """Claim an unsent message (``item_id``, or the oldest due) for ``lease`` seconds, so no other
        process sends it meanwhile; None when there is none to claim. Its ``in_doubt`` is 1 once a claim on it
        lapsed without a result: the process that held it stopped, perhaps after the platform took it."""
        stamp = now()
        until = now(lease)
        where = "id = ?" if item_id is not None else \
            "id = (SELECT id FROM outbox WHERE sent_at = '' AND attempts < ? AND claimed_until < ? ORDER BY id LIMIT 1)"
        params: list[Any] = [item_id] if item_id is not None else [OUTBOX_ATTEMPTS, stamp]
        with self.transaction() as db:
            # in_doubt: a claim before this one lapsed without a result (its process stopped mid-send), so the
            # message may be on the platform already; it stays so until sent (SET reads the row before the update)
            cursor = db.execute(f"UPDATE outbox SET claimed_until = ?, in_doubt = max(in_doubt, claimed_until != '')"
                                f" WHERE {where} AND sent_at = '' AND claimed_until < ? RETURNING *",
                                [until, *params, stamp])
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description] if row is not None else []
        if row is None:
            return None
        found = dict(zip(names, row, strict=True))
        return {**found, "payload": json.loads(found["payload"])}

    def extend_outbox_claim(self: _Base, item_id: int, lease: float) -> bool:
        """Hold the claim on an unsent message ``lease`` seconds more, while it is being sent (the heartbeat of
        ``handlers.heartbeat``); False when the claim is no longer held (it lapsed, or the send ended)."""
        until = now(lease)
        with self.transaction() as db:
            return db.execute("UPDATE outbox SET claimed_until = ? WHERE id = ? AND sent_at = ''"
                              " AND claimed_until >= ?", [until, item_id, now()]).rowcount == 1

    def pending_outbox(self: _Base) -> list[dict[str, Any]]:
        return [{**row, "payload": json.loads(row["payload"])} for row in self.rows(
            "SELECT * FROM outbox WHERE sent_at = '' AND attempts < ? ORDER BY id", [OUTBOX_ATTEMPTS])]

    def outbox_result(self: _Base, item_id: int, error: str = "") -> None:
        with self.transaction() as db:
            if error:
                db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_until = ''"
                           " WHERE id = ?", [error, item_id])
            else:
                db.execute("UPDATE outbox SET sent_at = ?, claimed_until = '' WHERE id = ?", [now(), item_id])
