"""SqliteStore's SQL for retention, forgetting a person, export, and the demo history's time stamps.

The retention purge and forgetting a person blank the same things the same way, as steps: each step is a
table (the name its count is reported under), a WHERE saying which rows are due, and the statement that
blanks or deletes them. A purge runs its steps in one transaction, in order (each step still finds its rows by
what the last one blanks); a dry run counts each step's rows instead. Which rows a step takes and what it
blanks is what ``knowledge.retention`` and ``knowledge.forget`` describe; how, in SQL, is here.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import sqlite_utils

from knowledge import audit as audit_chain
from knowledge.model import OUTBOX_ATTEMPTS, Person
from knowledge.sqlite import audit as audit_log
from knowledge.sqlite.base import Base

T = TypeVar("T")
LAST_RUN = "retention_last_day"  # meta key: the day (proleptic ordinal) the daily purge last ran


class _Store(Base, Protocol):
    @property
    def lock(self) -> AbstractContextManager[Any]: ...

    def audit(self, actor: str, action: str, subject: str = "", **detail: Any) -> None: ...


class Rewording(Protocol):
    """What stands where a forgotten person's name stood (``knowledge.forget`` decides, the backend applies)."""

    @property
    def colleague(self) -> str:
        """What replaces their name."""
        ...

    def names(self, found: Iterable[str]) -> list[str]:
        """Of the names they went by, those to replace, longest first."""
        ...

    def pattern(self, names: Sequence[str]) -> re.Pattern[str]:
        """What matches one of ``names`` in a text."""
        ...


@dataclass(frozen=True)
class _Step:
    table: str  # what the report names
    where: str  # which rows are due (":cutoff" is the limit)
    change: Callable[[str], str]  # the statement that removes or blanks them, given ``where``


# A sent (or given up) message keeps its row, not what it said nor where it went: a DM's channel id, the
# recipient's id and a delivery key made of them (Teams: the personal chat's id) name a person as the text does.
_OUTBOX_BLANK = "payload = '{}', channel = '', thread = NULL, message = NULL, extra = '', recipient = '', key = NULL"
_OUTBOX_LEFT = "(payload != '{}' OR channel != '' OR recipient != '' OR key IS NOT NULL)"

_QUESTIONS = ("created_at < :cutoff AND (text != '' OR asker_id != '' OR asker_name != '' OR channel != ''"
              " OR event_key IS NOT NULL)")


def _question_steps(questions: str) -> tuple[_Step, ...]:
    """Blanking the questions ``questions`` (a WHERE over the questions table) without breaking the loop, in
    this order (each step still finds them by what the last one blanks): an escalation rooted at one of them
    that others also wait on is re-rooted at the first of those others (an expert's answer is still relayed to
    them, and logged under their wording); an open one nobody else waits on is withdrawn (never posted again,
    never joined); their links to escalations go; then their text, asker, place and delivery key."""
    mine = f"SELECT id FROM questions WHERE {questions}"
    others = f"FROM waiters w WHERE w.escalation_id = escalations.id AND w.question_id NOT IN ({mine})"
    rooted = f"question_id IN ({mine})"
    return (
        _Step("escalations", f"{rooted} AND EXISTS (SELECT 1 {others})",
              lambda where: f"UPDATE escalations SET question_id = (SELECT min(w.question_id) {others})"
                            f" WHERE {where}"),
        _Step("withdrawn", f"{rooted} AND status IN ('pending', 'open') AND NOT EXISTS (SELECT 1 {others})",
              lambda where: f"UPDATE escalations SET status = 'withdrawn' WHERE {where}"),
        _Step("waiters", f"question_id IN ({mine})", lambda where: f"DELETE FROM waiters WHERE {where}"),
        _Step("questions", questions,
              lambda where: "UPDATE questions SET text = '', asker_id = '', asker_name = '', channel = '',"
                            f" thread = NULL, message = NULL, extra = '', event_key = NULL WHERE {where}"),
    )


_RETENTION: tuple[_Step, ...] = (
    *_question_steps(_QUESTIONS),
    _Step("answers", "created_at < :cutoff AND text != ''",
          lambda where: f"UPDATE answers SET text = '' WHERE {where}"),
    _Step("console_messages", "created_at < :cutoff",
          lambda where: f"DELETE FROM console_messages WHERE {where}"),
    _Step("inbox", "created_at < :cutoff AND status != 'new'",
          lambda where: f"DELETE FROM inbox WHERE {where}"),
    _Step("outbox", f"created_at < :cutoff AND {_OUTBOX_LEFT} AND (sent_at != '' OR attempts >= {OUTBOX_ATTEMPTS})",
          lambda where: f"UPDATE outbox SET {_OUTBOX_BLANK} WHERE {where}"),
)


def _table(step: _Step) -> str:
    """The table a step changes (two steps change escalations)."""
    return "escalations" if step.table == "withdrawn" else step.table


def _run(db: sqlite_utils.Database, steps: tuple[_Step, ...], params: dict[str, Any], dry_run: bool,
         ) -> dict[str, int]:
    """Each step's count of rows; changed unless ``dry_run``."""
    counts: dict[str, int] = {}
    for step in steps:
        if dry_run:
            counts[step.table] = int(db.execute(
                f"SELECT count(*) FROM {_table(step)} WHERE {step.where}", params).fetchone()[0])
        else:
            counts[step.table] = db.execute(step.change(step.where), params).rowcount
    return counts


class ExportSnapshot:
    """Every table an export writes, read at one moment (``LifecycleRecords.export_snapshot``): rows as dicts
    of their columns, in a stable order."""

    def __init__(self, read: Callable[[str], Iterable[dict[str, Any]]]) -> None:
        self._read = read

    def articles(self) -> Iterable[dict[str, Any]]:
        return self._read("SELECT * FROM articles ORDER BY id")

    def people(self) -> Iterable[dict[str, Any]]:
        return self._read("SELECT * FROM people ORDER BY id")

    def person_handles(self) -> Iterable[dict[str, Any]]:
        return self._read("SELECT person_id, platform, handle FROM person_handles ORDER BY person_id, platform")

    def routes(self) -> Iterable[dict[str, Any]]:
        return self._read("SELECT keyword, channel FROM routes ORDER BY keyword")

    def synonyms(self) -> Iterable[dict[str, Any]]:
        return self._read("SELECT term, synonym FROM synonyms ORDER BY term, synonym")

    def channel_settings(self) -> Iterable[dict[str, Any]]:
        return self._read("SELECT * FROM channel_settings ORDER BY channel")

    def audit(self) -> Iterable[dict[str, Any]]:
        """Every entry as stored: the chained columns and ``details`` (None when erased or there are none)."""
        return audit_chain.with_details(self._read(audit_log.ENTRIES))


class LifecycleRecords:
    # --- retention (knowledge.retention) ---------------------------------------------------------
    def purgeable_counts(self: _Store, cutoff: str) -> dict[str, int]:
        """What a purge of what was created before ``cutoff`` would change, per kind (the purge's order);
        changes nothing."""
        with self.transaction() as db:
            return {**_run(db, _RETENTION, {"cutoff": cutoff}, dry_run=True),
                    "audit": audit_log.count_before(db, cutoff)}

    def purge_before(self: _Store, cutoff: str, actor: str, days: int) -> dict[str, int]:
        """Blank or delete what was created before ``cutoff`` (knowledge.retention says what), with its audit
        entry (``days``: the retention it applied), in one transaction; the count per kind, in order: the
        escalations re-rooted, withdrawn, the waiters unlinked, the questions, answers, console lines,
        handled inbox events and sent outbox messages blanked or deleted, and the audit entries whose details
        were erased (the purge's entry lists them, so a check can tell an erasure from a removal)."""
        with self.transaction() as db:
            counts = _run(db, _RETENTION, {"cutoff": cutoff}, dry_run=False)
            erased = audit_log.erase_before(db, cutoff)
            counts["audit"] = len(erased)
            self.audit(actor, "purge", cutoff, days=days, erased=audit_chain.ranges(erased), **counts)
        return counts

    def daily_purge(self: _Store, today: int, purge: Callable[[], T]) -> T | None:
        """Run ``purge`` unless the daily purge already ran on ``today`` (a proleptic ordinal) in any process
        sharing the database: the check, the record of today and ``purge`` (whose own transaction nests in this
        one) are one write transaction, so two processes never both purge, and a failed purge does not count as
        today's. None when it already ran; the common case, every timer tick, takes no write lock."""
        if any(int(r["value"]) >= today for r in self.rows("SELECT value FROM meta WHERE key = ?", [LAST_RUN])):
            return None
        with self.transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", [LAST_RUN]).fetchone()
            if row is not None and int(row[0]) >= today:
                return None
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [LAST_RUN, today])
            return purge()

    # --- forgetting a person (knowledge.forget) --------------------------------------------------
    def person_ids_known_as(self: _Store, who: str) -> list[str]:
        """The directory ids of whoever has ``who`` as e-mail address (any case), else as a platform id, else
        as name (any case); sorted."""
        rows = self.rows("SELECT id FROM people WHERE lower(email) = lower(?) AND email != ''", [who]) or \
            self.rows("SELECT person_id AS id FROM person_handles WHERE handle = ?", [who]) or \
            self.rows("SELECT id FROM people WHERE name = ? COLLATE NOCASE", [who])
        return sorted({r["id"] for r in rows})

    def chat_user_known(self: _Store, user_id: str) -> bool:
        """Whether a question, an answer or a console line is by ``user_id``."""
        return bool(self.rows(
            "SELECT 1 FROM questions WHERE asker_id = ? UNION ALL SELECT 1 FROM answers WHERE author_id = ?"
            " UNION ALL SELECT 1 FROM console_messages WHERE author = ? LIMIT 1", [user_id, user_id, user_id]))

    def forget_person(self: _Store, person: Person | None, ids: Sequence[str], rewording: Rewording,
                      actor: str) -> dict[str, int]:
        """Remove what ``knowledge.forget`` says of the person known by ``ids`` (``person``: their directory
        entry, None for a chat user id only), with one audit entry of the counts (and of the audit entries whose
        details were erased), in one transaction; the count per kind, in order."""
        params = {f"id{n}": i for n, i in enumerate(ids)}
        among = ", ".join(f":{name}" for name in params)
        mine = f"asker_id IN ({among})"
        # what answers to them in their conversations: their questions' threads (and the DM they asked in)
        theirs = (f"EXISTS (SELECT 1 FROM questions q WHERE q.{mine} AND q.channel = {{t}}.channel AND"
                  f" ({{t}}.thread IN (q.thread, q.message) OR ({{t}}.thread IS NULL AND q.thread IS NULL)))")
        rooted = f"SELECT id FROM escalations WHERE question_id IN (SELECT id FROM questions WHERE {mine})"
        to_them = f"recipient IN ({among}) OR {theirs.format(t='outbox')}"
        with self.transaction() as db:
            names = rewording.names(_names(db, person, mine, among, params))
            # what the audit log holds about them: read before their questions are blanked and re-rooted
            asked = [r[0] for r in db.execute(f"SELECT id FROM questions WHERE {mine}", params)]
            alone = [r[0] for r in db.execute(
                f"SELECT id FROM escalations e WHERE question_id IN (SELECT id FROM questions WHERE {mine}) AND NOT"
                f" EXISTS (SELECT 1 FROM waiters w WHERE w.escalation_id = e.id AND w.question_id NOT IN"
                f" (SELECT id FROM questions WHERE {mine}))", params)]
            # every escalation they asked or joined: its posts (sent) named them and quoted their question
            touched = ", ".join(str(r[0]) for r in db.execute(
                f"SELECT id FROM escalations WHERE question_id IN (SELECT id FROM questions WHERE {mine}) UNION"
                f" SELECT escalation_id FROM waiters WHERE question_id IN (SELECT id FROM questions WHERE {mine})",
                params))
            # what routing learned from their questions (handlers.reroute): the lesson's words are their words
            lessons = db.execute(f"DELETE FROM learned_routes WHERE escalation_id IN ({rooted})", params).rowcount
            questions = _question_steps(mine)
            steps = (
                *questions[:3],  # re-root, withdraw, unlink: before their questions are blanked
                # the thread of an escalation only they waited on: its answers' texts and what is still to be sent
                _Step("answers", f"escalation_id IN ({rooted}) AND text != ''",
                      lambda where: f"UPDATE answers SET text = '' WHERE {where}"),
                # unsent: what goes to them, and the posts of a thread only they waited on (others' still go out)
                _Step("outbox_unsent", f"({to_them} OR escalation_id IN ({rooted}))"
                                       f" AND sent_at = '' AND attempts < {OUTBOX_ATTEMPTS}",
                      lambda where: f"DELETE FROM outbox WHERE {where}"),
                _Step("outbox", f"({to_them} OR escalation_id IN ({touched or 'NULL'})) AND {_OUTBOX_LEFT}"
                                f" AND (sent_at != '' OR attempts >= {OUTBOX_ATTEMPTS})",
                      lambda where: f"UPDATE outbox SET {_OUTBOX_BLANK} WHERE {where}"),
                _Step("console_messages", f"author IN ({among}) OR {theirs.format(t='console_messages')} OR EXISTS"
                                          f" (SELECT 1 FROM escalations e WHERE e.id IN ({rooted}) AND"
                                          " e.post_channel = console_messages.channel AND e.post_message IN"
                                          " (CAST(console_messages.id AS TEXT), console_messages.thread))",
                      lambda where: f"DELETE FROM console_messages WHERE {where}"),
                questions[3],
                # handled events that carry one of their ids (as the payload's JSON quotes it)
                _Step("inbox", "status != 'new' AND (" + " OR ".join(
                    f"instr(payload, :q{name}) > 0" for name in params) + ")",
                      lambda where: f"DELETE FROM inbox WHERE {where}"),
                _Step("answers_by", f"author_id IN ({among})",
                      lambda where: f"UPDATE answers SET author_id = '', author_name = :colleague WHERE {where}"),
            )
            quoted = {f"q{name}": json.dumps(value, ensure_ascii=False) for name, value in params.items()}
            counts = _run(db, steps, {**params, **quoted, "colleague": rewording.colleague}, dry_run=False)
            counts["articles"] = _rename_in_articles(db, names, rewording)
            counts["outbox_renamed"] = _rename_in_outbox(db, names, rewording)
            counts["reviews"] = sum(db.execute("UPDATE reviews SET decided_by = ? WHERE decided_by = ?",
                                               [rewording.colleague, name]).rowcount for name in {*ids, *names})
            counts["experts"] = _unlist_expert(db, person)
            counts["handles"] = db.execute(f"DELETE FROM person_handles WHERE person_id IN ({among})",
                                           params).rowcount
            counts["learned_routes"] = lessons + db.execute(  # an expert who taught routing: a colleague did
                f"UPDATE learned_routes SET learned_by = CASE WHEN learned_by IN ({among}) THEN :colleague"
                f" ELSE learned_by END, undone_by = CASE WHEN undone_by IN ({among}) THEN :colleague"
                f" ELSE undone_by END WHERE learned_by IN ({among}) OR undone_by IN ({among})",
                {**params, "colleague": rewording.colleague}).rowcount
            db.execute(f"DELETE FROM people_index WHERE rowid IN (SELECT rowid FROM people WHERE id IN ({among}))",
                       params)
            counts["people"] = db.execute(f"DELETE FROM people WHERE id IN ({among})", params).rowcount
            db.execute("UPDATE meta SET value = value + 1 WHERE key IN ('people_generation', 'search_generation')")
            erased = audit_log.erase_about(db, ids, asked, alone, rewording.pattern(names) if names else None)
            counts["audit"] = len(erased)
            self.audit(actor, "forget", "", erased=audit_chain.ranges(erased), **counts)
        return counts

    # --- export (knowledge.export) ---------------------------------------------------------------
    @contextmanager
    def export_snapshot(self: _Store) -> Iterator[ExportSnapshot]:
        """The tables an export writes, as they are at one moment: a read transaction on a connection of its
        own (WAL: writers go on meanwhile); an in-memory store is read under its lock instead."""
        if self.path == ":memory:":
            with self.lock:
                yield ExportSnapshot(self.rows)
            return
        conn = sqlite3.connect(self.path)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("BEGIN")

            def read(sql: str) -> Iterator[dict[str, Any]]:
                return (dict(r) for r in conn.execute(sql))

            yield ExportSnapshot(read)
        finally:
            conn.rollback()
            conn.close()

    # --- the demo history (knowledge.demo_history) -----------------------------------------------
    def escalation_ids(self: _Store, question_id: int) -> list[int]:
        """The escalations rooted at a question."""
        return [r["id"] for r in self.rows("SELECT id FROM escalations WHERE question_id = ?", [question_id])]

    def backdate_question(self: _Store, question_id: int, at: str, answers: Mapping[int, str],
                          started: Mapping[int, str], marked_at: str | None) -> None:
        """Move a question's time stamps to ``at``, and its replies' (``answers``: answer id -> when), in one
        transaction; so the escalations it started (``started``: escalation id -> the id of the provisional
        article a marked answer makes) and, given ``marked_at``, when they were answered, their review items and
        provisional articles."""
        with self.transaction() as db:
            db.execute("UPDATE questions SET created_at = ? WHERE id = ?", [at, question_id])
            for answer_id, when in answers.items():
                db.execute("UPDATE answers SET created_at = ? WHERE id = ?", [when, answer_id])
            for escalation_id, article_id in started.items():
                db.execute("UPDATE escalations SET created_at = ? WHERE id = ?", [at, escalation_id])
                if marked_at is not None:
                    db.execute("UPDATE escalations SET answered_at = ? WHERE id = ? AND answered_at != ''",
                               [marked_at, escalation_id])
                    db.execute("UPDATE reviews SET created_at = ? WHERE escalation_id = ?", [marked_at, escalation_id])
                    db.execute("UPDATE articles SET created_at = ?, updated_at = ? WHERE id = ?",
                               [marked_at, marked_at, article_id])


def _names(db: sqlite_utils.Database, person: Person | None, mine: str, among: str,
           params: dict[str, str]) -> list[str]:
    """Every name they went by: the directory's and the chat platforms' display names."""
    found = [person.name] if person else []
    for sql in (f"SELECT DISTINCT asker_name FROM questions WHERE {mine}",
                f"SELECT DISTINCT author_name FROM answers WHERE author_id IN ({among})"):
        found += [r[0] for r in db.execute(sql, params)]
    return found


def _rename_in_outbox(db: sqlite_utils.Database, names: list[str], rewording: Rewording) -> int:
    """Messages to others that name them (an expert's answer relayed, a post updated with who answered) say
    the colleague instead, sent or still to be sent."""
    if not names:
        return 0
    quoted = sorted({json.dumps(n, ensure_ascii=ascii)[1:-1] for n in names for ascii in (True, False)},
                    key=len, reverse=True)  # as the outbox stores them: JSON, non-ASCII escaped or not
    pattern = rewording.pattern(quoted)
    likes = " OR ".join("instr(lower(payload), lower(?)) > 0" for _ in quoted)
    changed = 0
    for item_id, payload in list(db.execute(f"SELECT id, payload FROM outbox WHERE {likes}", quoted)):
        renamed = pattern.sub(rewording.colleague, payload)
        if renamed != payload:
            db.execute("UPDATE outbox SET payload = ? WHERE id = ?", [renamed, item_id])
            changed += 1
    return changed


def _rename_in_articles(db: sqlite_utils.Database, names: list[str], rewording: Rewording) -> int:
    """Their name replaced by the colleague in articles' source; an article they own loses its owner (an owner
    is a person to ask, which they no longer are). Not a change to the knowledge: updated_at stays."""
    if not names:
        return 0
    pattern = rewording.pattern(names)
    likes = " OR ".join("instr(lower(source), lower(?)) > 0 OR lower(owner) = lower(?)" for _ in names)
    changed = 0
    for article_id, source, owner in list(db.execute(
            f"SELECT id, source, owner FROM articles WHERE {likes}", [v for n in names for v in (n, n)])):
        new_source = pattern.sub(rewording.colleague, source)
        new_owner = "" if pattern.fullmatch(owner.strip()) else owner
        if (new_source, new_owner) != (source, owner):
            # a new version: a form opened before cannot save the forgotten name back
            db.execute("UPDATE articles SET source = ?, owner = ?, version = version + 1 WHERE id = ?",
                       [new_source, new_owner, article_id])
            changed += 1
    return changed


def _unlist_expert(db: sqlite_utils.Database, person: Person | None) -> int:
    """Take them off the suggested experts of escalations."""
    if person is None:
        return 0
    changed = 0
    for escalation_id, experts in list(db.execute(
            "SELECT id, experts FROM escalations WHERE instr(experts, ?) > 0", [json.dumps(person.id)])):
        kept = [e for e in json.loads(experts) if e != person.id]
        db.execute("UPDATE escalations SET experts = ? WHERE id = ?", [json.dumps(kept), escalation_id])
        changed += 1
    return changed
