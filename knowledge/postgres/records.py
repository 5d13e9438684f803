"""The loop's records on PostgreSQL: escalations, answers, reviews, channel settings and the audit log (the same
methods and results as knowledge/sqlite/records.py).

SQLite makes a read-decide-write step safe by taking its one write lock at BEGIN. Here transactions run side
by side under READ COMMITTED, so each such step is made safe where it happens:

- a step that must see what others committed before deciding (join an open escalation or make a new one,
  escalate a question once, append to the audit chain) first takes the schema's *loop lock*, a
  transaction-level advisory lock held to commit; the statements after it read fresh snapshots, so the second
  process sees what the first committed. It is one lock, not one per step, so two of them can never wait for
  each other the wrong way round;
- a step that changes one row if it is still as expected (resolve, advance a timer, set urgent, claim the
  week's digest) is a conditional UPDATE: the second of two waits for the first's row lock, then finds the
  condition false and changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from knowledge import audit as audit_chain
from knowledge import stored
from knowledge.model import Answer, ChannelSettings, Escalation, Place, ReviewItem, User
from knowledge.postgres import audit as audit_log
from knowledge.postgres.base import PostgresBase, plain

LOOP_LOCK = "loop"
# open escalations another question may join: not about one person's own case
_JOINABLE = ("escalations e JOIN questions q ON q.id = e.question_id"
             " WHERE e.status IN ('pending', 'open') AND NOT q.personal")


def _escalation(r: dict[str, Any]) -> Escalation:
    return stored.escalation(plain(r))


def _answer(r: dict[str, Any]) -> Answer:
    return stored.answer(plain(r))


def _review(r: dict[str, Any]) -> ReviewItem:
    return stored.review(plain(r))


class LoopRecords(PostgresBase):
    audit_key: bytes = b""

    # --- escalations ----------------------------------------------------------------------
    def add_escalation(self, question_id: int, channel: str, experts: list[str], tried: list[str]) -> Escalation:
        """A new escalation of ``question_id``, or the one it already waits on (checked under the loop lock, so
        processes on several machines escalating one question make one escalation)."""
        with self.transaction() as conn:
            self.lock(conn, LOOP_LOCK)
            found = conn.execute("SELECT escalation_id FROM waiters WHERE question_id = %s ORDER BY escalation_id"
                                 " LIMIT 1", [question_id]).fetchone()
            if found is not None:
                eid = int(found["escalation_id"])
            else:
                eid = int(conn.execute(  # a question flagged "klant wacht" before it was escalated: urgent at once
                    "INSERT INTO escalations (question_id, channel, experts, tried, status, urgent)"
                    " VALUES (%s, %s, %s, %s, 'pending', (SELECT urgent FROM questions WHERE id = %s)) RETURNING id",
                    [question_id, channel, json.dumps(experts), json.dumps(tried), question_id]).fetchone()["id"])  # type: ignore[index]
                conn.execute("INSERT INTO waiters VALUES (%s, %s) ON CONFLICT DO NOTHING", [eid, question_id])
                conn.execute("UPDATE questions SET status = 'escalated' WHERE id = %s", [question_id])
        return _escalation(self.rows("SELECT * FROM escalations WHERE id = %s", [eid])[0])

    def escalation(self, escalation_id: int) -> Escalation | None:
        found = self.rows("SELECT * FROM escalations WHERE id = %s", [escalation_id])
        return _escalation(found[0]) if found else None

    def escalation_for_question(self, question_id: int) -> Escalation | None:
        """The escalation ``question_id`` waits on. Inside a transaction this is the escalate-once check (two
        clicks on "ask an expert"): it takes the loop lock first, as ``open_escalation_questions`` does."""
        if self.in_transaction:
            with self._reading() as conn:  # the caller's transaction's connection: held until it commits
                self.lock(conn, LOOP_LOCK)
        found = self.rows(
            "SELECT e.* FROM escalations e JOIN waiters w ON w.escalation_id = e.id"
            " WHERE w.question_id = %s ORDER BY e.id DESC LIMIT 1", [question_id])
        return _escalation(found[0]) if found else None

    def escalation_at(self, channel: str, root: str) -> Escalation | None:
        """The escalation one of whose posts is the message ``root`` in ``channel``."""
        found = self.rows("SELECT e.* FROM escalation_posts p JOIN escalations e ON e.id = p.escalation_id"
                          " WHERE p.channel = %s AND p.message = %s", [channel, root])
        return _escalation(found[0]) if found else None

    def escalation_posts(self, escalation_id: int) -> list[Place]:
        """Where an escalation was posted, first post first."""
        return [Place(r["channel"], r["thread"], r["message"], r["extra"]) for r in self.rows(
            "SELECT * FROM escalation_posts WHERE escalation_id = %s ORDER BY seq", [escalation_id])]

    def open_escalation_questions(self) -> list[tuple[int, str]]:
        """Escalations still waiting for an answer that another question may join, as (id, its masked question
        text), oldest first. Inside a transaction this is the join check: it takes the loop lock first, so the
        question then joined or escalated is decided on what every other process committed."""
        with self._reading() as conn:
            if self.in_transaction:  # the caller's step: held until it commits
                self.lock(conn, LOOP_LOCK)
            rows = conn.execute(f"SELECT e.id, q.text FROM {_JOINABLE} ORDER BY e.id").fetchall()
        return [(int(r["id"]), str(r["text"])) for r in rows]

    def open_escalations(self) -> list[tuple[Escalation, str]]:
        """The same escalations whole, each with its question text."""
        rows = self.rows(f"SELECT e.*, q.text AS question_text FROM {_JOINABLE} ORDER BY e.id")
        return [(_escalation(r), r["question_text"]) for r in rows]

    def stranded_escalations(self, before: str) -> list[Escalation]:
        """Escalations created before ``before`` that were never posted and wait in no outbox."""
        return [_escalation(r) for r in self.rows(
            "SELECT * FROM escalations e WHERE status = 'pending' AND post_channel IS NULL"
            " AND created_at < %s::timestamptz AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.escalation_id = e.id)"
            " ORDER BY id", [before])]

    def waiting_escalations(self) -> list[Escalation]:
        """Escalations without an answer whose timers have not all fired (stage below 2), oldest first."""
        return [_escalation(r) for r in self.rows(
            "SELECT * FROM escalations WHERE status IN ('pending', 'open') AND stage < 2 ORDER BY id")]

    def advance_escalation(self, escalation_id: int, stage: int) -> bool:
        """Move an unanswered escalation to ``stage``; False when it is answered or already there."""
        with self.transaction() as conn:
            return conn.execute("UPDATE escalations SET stage = %s WHERE id = %s AND stage < %s"
                                " AND status IN ('pending', 'open')", [stage, escalation_id, stage]).rowcount == 1

    def set_question_urgent(self, question_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE questions SET urgent = true WHERE id = %s", [question_id])

    def set_urgent(self, escalation_id: int) -> bool:
        """Mark an escalation urgent; False when it already was."""
        with self.transaction() as conn:
            return conn.execute("UPDATE escalations SET urgent = true WHERE id = %s AND NOT urgent",
                                [escalation_id]).rowcount == 1

    def channel_settings(self, channel: str) -> ChannelSettings:
        found = self.rows("SELECT * FROM channel_settings WHERE channel = %s", [channel])
        if not found:
            return ChannelSettings(channel)
        r = found[0]
        return ChannelSettings(channel, r["target_minutes"], tuple(json.loads(r["backup_experts"])),
                               r["backup_channel"])

    def set_channel_settings(self, settings: ChannelSettings) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO channel_settings (channel, target_minutes, backup_experts, backup_channel)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (channel) DO UPDATE SET target_minutes = excluded.target_minutes,"
                " backup_experts = excluded.backup_experts, backup_channel = excluded.backup_channel",
                [settings.channel, settings.target_minutes, json.dumps(list(settings.backup_experts)),
                 settings.backup_channel])

    def take_digest_week(self, week: int) -> bool:
        """Claim the weekly digest for ``week``; False when a process already sent it."""
        with self.transaction() as conn:
            return conn.execute("UPDATE meta SET value = %s WHERE key = 'digest_week' AND value < %s",
                                [week, week]).rowcount == 1

    def set_escalation_post(self, escalation_id: int, place: Place) -> None:
        """Record a post of the escalation; the first one recorded stays its place."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE escalations SET post_channel = %s, post_thread = %s, post_message = %s, post_extra = %s,"
                " status = CASE status WHEN 'pending' THEN 'open' ELSE status END"
                " WHERE id = %s AND (post_channel IS NULL OR post_message IS NULL OR post_message = '')",
                [place.channel, place.thread, place.message, place.extra, escalation_id])
            if place.message:
                conn.execute("INSERT INTO escalation_posts (escalation_id, channel, message, thread, extra)"
                             " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                             [escalation_id, place.channel, place.message, place.thread, place.extra])

    def add_waiter(self, escalation_id: int, question_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO waiters VALUES (%s, %s) ON CONFLICT DO NOTHING", [escalation_id, question_id])
            conn.execute("UPDATE questions SET status = 'escalated' WHERE id = %s", [question_id])

    def waiting_questions(self, escalation_id: int) -> list[int]:
        return [r["question_id"] for r in self.rows(
            "SELECT question_id FROM waiters WHERE escalation_id = %s ORDER BY question_id", [escalation_id])]

    def resolve_escalation(self, escalation_id: int, answer_id: int) -> bool:
        """Mark the escalation answered by ``answer_id``; False (and nothing changed) when it already is. A
        conditional update: of two marks at once the second waits for the first's row, then finds it answered."""
        with self.transaction() as conn:
            done = conn.execute("UPDATE escalations SET status = 'answered', answer_id = %s, answered_at = now()"
                                " WHERE id = %s AND status <> 'answered'", [answer_id, escalation_id]).rowcount
            if not done:
                return False
            conn.execute("UPDATE answers SET accepted = (id = %s) WHERE escalation_id = %s", [answer_id, escalation_id])
            conn.execute("UPDATE questions SET status = 'resolved' WHERE id IN"
                         " (SELECT question_id FROM waiters WHERE escalation_id = %s)", [escalation_id])
        return True

    # --- answers --------------------------------------------------------------------------
    def add_answer(self, escalation_id: int, author: User, masked: str, place: Place) -> Answer:
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO answers (escalation_id, author_id, author_name, text, channel, thread, message)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING *",
                [escalation_id, author.id, author.name, masked, place.channel, place.thread, place.message]).fetchone()
        return _answer(row)  # type: ignore[arg-type]

    def answer(self, answer_id: int) -> Answer | None:
        found = self.rows("SELECT * FROM answers WHERE id = %s", [answer_id])
        return _answer(found[0]) if found else None

    def answer_at(self, channel: str, message: str) -> Answer | None:
        found = self.rows("SELECT * FROM answers WHERE channel = %s AND message = %s", [channel, message])
        return _answer(found[0]) if found else None

    def latest_answer(self, escalation_id: int) -> Answer | None:
        found = self.rows("SELECT * FROM answers WHERE escalation_id = %s ORDER BY id DESC LIMIT 1", [escalation_id])
        return _answer(found[0]) if found else None

    def answers(self, escalation_id: int) -> list[Answer]:
        """Every reply stored in an escalation's thread (masked), oldest first."""
        return [_answer(r) for r in self.rows("SELECT * FROM answers WHERE escalation_id = %s ORDER BY id",
                                              [escalation_id])]

    # --- reviews --------------------------------------------------------------------------
    def add_review(self, article_id: str, escalation_id: int | None, flag: str = "") -> ReviewItem:
        with self.transaction() as conn:
            row = conn.execute("INSERT INTO reviews (article_id, escalation_id, flag) VALUES (%s, %s, %s) RETURNING *",
                               [article_id, escalation_id, flag]).fetchone()
        return _review(row)  # type: ignore[arg-type]

    def review(self, review_id: int) -> ReviewItem | None:
        found = self.rows("SELECT * FROM reviews WHERE id = %s", [review_id])
        return _review(found[0]) if found else None

    def pending_reviews(self) -> list[ReviewItem]:
        return [_review(r) for r in self.rows("SELECT * FROM reviews WHERE status = 'pending' ORDER BY id")]

    def decide_review(self, review_id: int, status: str, by: str, note: str = "") -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE reviews SET status = %s, decided_by = %s, decided_at = now(), note = %s WHERE id = %s",
                         [status, by, note, review_id])

    # --- the audit log --------------------------------------------------------------------
    def audit(self, actor: str, action: str, subject: str = "", **detail: Any) -> None:
        """Append one entry to the hash chain, its details kept apart (see knowledge.audit), under the loop lock,
        held to commit: two processes never both read the same last entry, so the chain never forks."""
        with self.transaction() as conn:
            self.lock(conn, LOOP_LOCK)
            audit_log.append(conn, self.audit_key, actor, action, subject, detail)

    def audit_log(self, limit: int = 1000) -> list[dict[str, Any]]:
        """The latest ``limit`` entries, oldest first, as the ``audit`` view shows them (details merged in)."""
        return self.rows("SELECT * FROM audit ORDER BY id DESC LIMIT %s", [limit])[::-1]

    def verify_audit(self) -> audit_chain.Verdict:
        """Whether the audit chain holds, from its first entry to the sealed head, and every detail that is
        gone was erased by a forget or a purge: the head and the entries read in one snapshot."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return audit_log.check(conn, self.audit_key)
