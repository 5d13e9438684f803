"""PostgresStore's retention, forgetting a person, export, and the demo history's time stamps (the same methods and
results as knowledge/sqlite/lifecycle.py).

The purge and forgetting a person blank the same things the same way, as steps (a table, the WHERE saying which
rows are due, the statement that blanks or deletes them), run in order in one transaction; a dry run counts
each step's rows instead. What they take is what ``knowledge.retention`` and ``knowledge.forget`` describe.

Safe across machines: a purge and a forget first take the schema's loop lock (records.py), as SQLite's single
writer has them wait for every other step: re-rooting or withdrawing an escalation never interleaves with a
question joining it. The daily purge runs once a day across machines by a conditional upsert of its day in
``meta``: of two processes the second waits for the first's row, then finds the day taken; a purge that fails
rolls the day back with it. An export reads in one REPEATABLE READ transaction of its own.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from knowledge import audit as audit_chain
from knowledge import retention
from knowledge.model import OUTBOX_ATTEMPTS, Person
from knowledge.postgres import audit as audit_log
from knowledge.postgres.base import Conn, PostgresBase, plain
from knowledge.postgres.insights import moment
from knowledge.postgres.records import LOOP_LOCK

T = TypeVar("T")
LAST_RUN = "retention_last_day"  # meta key: the day (proleptic ordinal) the daily purge last ran
log = logging.getLogger(__name__)


class Rewording(Protocol):
    """What stands where a forgotten person's name stood (``knowledge.forget`` decides, the backend applies)."""

    @property
    def colleague(self) -> str: ...
    def names(self, found: Iterable[str]) -> list[str]: ...
    def pattern(self, names: Sequence[str]) -> re.Pattern[str]: ...


@dataclass(frozen=True)
class _Step:
    table: str  # what the report names
    where: str  # which rows are due (%(cutoff)s is the limit)
    change: Callable[[str], str]  # the statement that removes or blanks them, given ``where``


_QUESTIONS = ("created_at < %(cutoff)s AND (text <> '' OR asker_id <> '' OR asker_name <> '' OR channel <> ''"
              " OR event_key IS NOT NULL)")
_SENT = f"(sent_at IS NOT NULL OR attempts >= {OUTBOX_ATTEMPTS})"  # sent, or given up
# A sent (or given up) message keeps its row, not what it said nor where it went: a DM's channel id, the
# recipient's id and a delivery key made of them (Teams: the personal chat's id) name a person as the text does.
_OUTBOX_BLANK = "payload = '{}', channel = '', thread = NULL, message = NULL, extra = '', recipient = '', key = NULL"
_OUTBOX_LEFT = "(payload <> '{}' OR channel <> '' OR recipient <> '' OR key IS NOT NULL)"


def _question_steps(questions: str) -> tuple[_Step, ...]:
    """Blanking the questions ``questions`` (a WHERE over the questions table) without breaking the loop, in
    this order (each step still finds them by what the last one blanks): an escalation rooted at one of them
    that others also wait on is re-rooted at the first of those others; an open one nobody else waits on is
    withdrawn; their links to escalations go; then their text, asker, place and delivery key."""
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
    _Step("answers", "created_at < %(cutoff)s AND text <> ''",
          lambda where: f"UPDATE answers SET text = '' WHERE {where}"),
    _Step("console_messages", "created_at < %(cutoff)s",
          lambda where: f"DELETE FROM console_messages WHERE {where}"),
    _Step("inbox", "created_at < %(cutoff)s AND status <> 'new'",
          lambda where: f"DELETE FROM inbox WHERE {where}"),
    _Step("outbox", f"created_at < %(cutoff)s AND {_OUTBOX_LEFT} AND {_SENT}",
          lambda where: f"UPDATE outbox SET {_OUTBOX_BLANK} WHERE {where}"),
)


def _table(step: _Step) -> str:
    """The table a step changes (two steps change escalations)."""
    return "escalations" if step.table == "withdrawn" else step.table


def _run(conn: Conn, steps: tuple[_Step, ...], params: dict[str, Any], dry_run: bool) -> dict[str, int]:
    """Each step's count of rows; changed unless ``dry_run``."""
    counts: dict[str, int] = {}
    for step in steps:
        if dry_run:
            found = conn.execute(f"SELECT count(*) AS n FROM {_table(step)} WHERE {step.where}", params).fetchone()
            counts[step.table] = int(found["n"]) if found else 0
        else:
            counts[step.table] = conn.execute(step.change(step.where), params).rowcount
    return counts


_EXPORTED = {  # every table an export writes, in a stable order (byte order, as SQLite's)
    "articles": "SELECT * FROM articles ORDER BY id COLLATE \"C\"",
    "people": "SELECT * FROM people ORDER BY id COLLATE \"C\"",
    "person_handles": "SELECT person_id, platform, handle FROM person_handles"
                      " ORDER BY person_id COLLATE \"C\", platform COLLATE \"C\"",
    "routes": "SELECT keyword, channel FROM routes ORDER BY keyword COLLATE \"C\"",
    "synonyms": "SELECT term, synonym FROM synonyms ORDER BY term COLLATE \"C\", synonym COLLATE \"C\"",
    "channel_settings": "SELECT * FROM channel_settings ORDER BY channel COLLATE \"C\"",
}


class ExportSnapshot:
    """Every table an export writes, read at one moment (``LifecycleRecords.export_snapshot``): rows as dicts
    of their columns (times as SQLite's text), in a stable order."""

    def __init__(self, read: Callable[[str], Iterable[dict[str, Any]]]) -> None:
        self._read = read

    def articles(self) -> Iterable[dict[str, Any]]:
        return self._read(_EXPORTED["articles"])

    def people(self) -> Iterable[dict[str, Any]]:
        return self._read(_EXPORTED["people"])

    def person_handles(self) -> Iterable[dict[str, Any]]:
        return self._read(_EXPORTED["person_handles"])

    def routes(self) -> Iterable[dict[str, Any]]:
        return self._read(_EXPORTED["routes"])

    def synonyms(self) -> Iterable[dict[str, Any]]:
        return self._read(_EXPORTED["synonyms"])

    def channel_settings(self) -> Iterable[dict[str, Any]]:
        return self._read(_EXPORTED["channel_settings"])

    def audit(self) -> Iterable[dict[str, Any]]:
        """Every entry as stored: the chained columns and ``details`` (None when erased or there are none)."""
        return audit_chain.with_details(self._read(audit_log.ENTRIES))


class LifecycleRecords(PostgresBase):
    retention_days: int

    if TYPE_CHECKING:  # LoopRecords' (the mixins sit side by side in PostgresStore)
        def audit(self, actor: str, action: str, subject: str = "", **detail: Any) -> None: ...

    # --- retention (knowledge.retention) ---------------------------------------------------------
    def purgeable_counts(self, cutoff: str) -> dict[str, int]:
        """What a purge of what was created before ``cutoff`` would change, per kind (the purge's order);
        changes nothing (every count read at one moment)."""
        with self._snapshot() as conn:
            return {**_run(conn, _RETENTION, {"cutoff": moment(cutoff)}, dry_run=True),
                    "audit": audit_log.count_before(conn, cutoff)}

    def purge_before(self, cutoff: str, actor: str, days: int) -> dict[str, int]:
        """Blank or delete what was created before ``cutoff`` (knowledge.retention says what), with its audit
        entry (``days``: the retention it applied), in one transaction under the loop lock; the count per kind,
        in order: the escalations re-rooted, withdrawn, the waiters unlinked, the questions, answers, console
        lines, handled inbox events and sent outbox messages blanked or deleted, and the audit entries whose
        details were erased (the purge's entry lists them, so a check can tell an erasure from a removal)."""
        with self.transaction() as conn:
            self.lock(conn, LOOP_LOCK)
            counts = _run(conn, _RETENTION, {"cutoff": moment(cutoff)}, dry_run=False)
            erased = audit_log.erase_before(conn, cutoff)
            counts["audit"] = len(erased)
            self.audit(actor, "purge", cutoff, days=days, erased=audit_chain.ranges(erased), **counts)
        return counts

    def daily_purge(self, today: int, purge: Callable[[], T]) -> T | None:
        """Run ``purge`` unless the daily purge already ran on ``today`` (a proleptic ordinal) in any process
        sharing the database: recording today (a conditional upsert: the second of two processes waits for the
        first's row, then finds today taken) and ``purge`` (whose own transaction nests in this one) are one
        transaction, so two machines never both purge, and a failed purge does not count as today's. None when
        it already ran; the common case, every timer tick, only reads."""
        if any(int(r["value"]) >= today for r in self.rows("SELECT value FROM meta WHERE key = %s", [LAST_RUN])):
            return None
        with self.transaction() as conn:
            taken = conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                " WHERE meta.value < excluded.value RETURNING value", [LAST_RUN, today]).fetchone()
            if taken is None:
                return None
            return purge()

    def purge_due(self, now: datetime | None = None) -> retention.PurgeReport | None:
        """The daily purge of what is older than ``retention_days``, at most once a day across machines; for
        a serving process's timer, so a failure is logged (and tried again at the next tick), never raised."""
        try:
            report = retention.purge_due(self, self.retention_days, now)
        except Exception:
            log.exception("retention purge failed; it is tried again at the next tick")
            return None
        if report is not None:
            log.info("retention: purged what is older than %s: %s", report.cutoff, report.counts)
        return report

    # --- forgetting a person (knowledge.forget) --------------------------------------------------
    def person_ids_known_as(self, who: str) -> list[str]:
        """The directory ids of whoever has ``who`` as e-mail address (any case), else as a platform id, else
        as name (any case); sorted. Any case: of the ASCII letters, as on SQLite (schema.py's nocase)."""
        rows = self.rows("SELECT id FROM people WHERE nocase(email) = nocase(%s) AND email <> ''", [who]) or \
            self.rows("SELECT person_id AS id FROM person_handles WHERE handle = %s", [who]) or \
            self.rows("SELECT id FROM people WHERE nocase(name) = nocase(%s)", [who])
        return sorted({r["id"] for r in rows})

    def chat_user_known(self, user_id: str) -> bool:
        """Whether a question, an answer or a console line is by ``user_id``."""
        return bool(self.rows(
            "SELECT EXISTS (SELECT 1 FROM questions WHERE asker_id = %(u)s)"
            " OR EXISTS (SELECT 1 FROM answers WHERE author_id = %(u)s)"
            " OR EXISTS (SELECT 1 FROM console_messages WHERE author = %(u)s) AS known", {"u": user_id})[0]["known"])

    def forget_person(self, person: Person | None, ids: Sequence[str], rewording: Rewording,
                      actor: str) -> dict[str, int]:
        """Remove what ``knowledge.forget`` says of the person known by ``ids`` (``person``: their directory
        entry, None for a chat user id only), with one audit entry of the counts (and of the audit entries whose
        details were erased), in one transaction under the loop lock; the count per kind, in order."""
        mine = "asker_id = ANY(%(ids)s)"
        # what answers to them in their conversations: their questions' threads (and the DM they asked in)
        theirs = (f"EXISTS (SELECT 1 FROM questions q WHERE q.{mine} AND q.channel = {{t}}.channel AND"
                  " ({t}.thread IN (q.thread, q.message) OR ({t}.thread IS NULL AND q.thread IS NULL)))")
        rooted = f"SELECT id FROM escalations WHERE question_id IN (SELECT id FROM questions WHERE {mine})"
        to_them = f"recipient = ANY(%(ids)s) OR {theirs.format(t='outbox')}"
        params: dict[str, Any] = {"ids": list(ids), "colleague": rewording.colleague,
                                  # their ids as a handled event's payload (JSON) quotes them
                                  "quoted": [json.dumps(i, ensure_ascii=False) for i in ids]}
        with self.transaction() as conn:
            # the counters it moves on at the end, before the loop lock: a step that moves one on and then takes
            # the loop lock (marking an answer saves an article, then audits) is waited for, not deadlocked with
            conn.execute("SELECT value FROM meta WHERE key IN ('people_generation', 'search_generation')"
                         " ORDER BY key FOR UPDATE")
            self.lock(conn, LOOP_LOCK)
            names = rewording.names(_names(conn, person, mine, params))
            # what the audit log holds about them: read before their questions are blanked and re-rooted
            asked = [r["id"] for r in conn.execute(f"SELECT id FROM questions WHERE {mine}", params)]
            alone = [r["id"] for r in conn.execute(
                f"SELECT id FROM escalations e WHERE question_id IN (SELECT id FROM questions WHERE {mine}) AND NOT"
                f" EXISTS (SELECT 1 FROM waiters w WHERE w.escalation_id = e.id AND w.question_id NOT IN"
                f" (SELECT id FROM questions WHERE {mine}))", params)]
            # every escalation they asked or joined: its posts (sent) named them and quoted their question
            params["touched"] = [r["id"] for r in conn.execute(
                f"SELECT id FROM escalations WHERE question_id IN (SELECT id FROM questions WHERE {mine}) UNION"
                f" SELECT escalation_id FROM waiters WHERE question_id IN (SELECT id FROM questions WHERE {mine})",
                params)]
            # what routing learned from their questions (handlers.reroute): the lesson's words are their words
            lessons = conn.execute(f"DELETE FROM learned_routes WHERE escalation_id IN ({rooted})", params).rowcount
            questions = _question_steps(mine)
            steps = (
                *questions[:3],  # re-root, withdraw, unlink: before their questions are blanked
                # the thread of an escalation only they waited on: its answers' texts and what is still to be sent
                _Step("answers", f"escalation_id IN ({rooted}) AND text <> ''",
                      lambda where: f"UPDATE answers SET text = '' WHERE {where}"),
                # unsent: what goes to them, and the posts of a thread only they waited on (others' still go out)
                _Step("outbox_unsent", f"({to_them} OR escalation_id IN ({rooted}))"
                                       f" AND sent_at IS NULL AND attempts < {OUTBOX_ATTEMPTS}",
                      lambda where: f"DELETE FROM outbox WHERE {where}"),
                _Step("outbox", f"({to_them} OR escalation_id = ANY(%(touched)s)) AND {_OUTBOX_LEFT} AND {_SENT}",
                      lambda where: f"UPDATE outbox SET {_OUTBOX_BLANK} WHERE {where}"),
                _Step("console_messages", f"author = ANY(%(ids)s) OR {theirs.format(t='console_messages')} OR EXISTS"
                                          f" (SELECT 1 FROM escalations e WHERE e.id IN ({rooted}) AND"
                                          " e.post_channel = console_messages.channel AND e.post_message IN"
                                          " (console_messages.id::text, console_messages.thread))",
                      lambda where: f"DELETE FROM console_messages WHERE {where}"),
                questions[3],
                # handled events that carry one of their ids (as the payload's JSON quotes it)
                _Step("inbox", "status <> 'new' AND EXISTS (SELECT 1 FROM unnest(%(quoted)s::text[]) AS quoted (id)"
                               " WHERE strpos(payload, quoted.id) > 0)",
                      lambda where: f"DELETE FROM inbox WHERE {where}"),
                _Step("answers_by", "author_id = ANY(%(ids)s)",
                      lambda where: f"UPDATE answers SET author_id = '', author_name = %(colleague)s WHERE {where}"),
            )
            counts = _run(conn, steps, params, dry_run=False)
            counts["articles"] = _rename_in_articles(conn, names, rewording)
            counts["outbox_renamed"] = _rename_in_outbox(conn, names, rewording)
            counts["reviews"] = sum(conn.execute("UPDATE reviews SET decided_by = %s WHERE decided_by = %s",
                                                 [rewording.colleague, name]).rowcount for name in {*ids, *names})
            counts["experts"] = _unlist_expert(conn, person)
            counts["handles"] = conn.execute("DELETE FROM person_handles WHERE person_id = ANY(%s)",
                                             [list(ids)]).rowcount
            counts["learned_routes"] = lessons + conn.execute(  # an expert who taught routing: a colleague did
                "UPDATE learned_routes SET learned_by = CASE WHEN learned_by = ANY(%(ids)s) THEN %(colleague)s"
                " ELSE learned_by END, undone_by = CASE WHEN undone_by = ANY(%(ids)s) THEN %(colleague)s"
                " ELSE undone_by END WHERE learned_by = ANY(%(ids)s) OR undone_by = ANY(%(ids)s)", params).rowcount
            counts["people"] = conn.execute("DELETE FROM people WHERE id = ANY(%s)", [list(ids)]).rowcount
            conn.execute("UPDATE meta SET value = value + 1 WHERE key IN ('people_generation', 'search_generation')")
            erased = audit_log.erase_about(conn, ids, asked, alone, rewording.pattern(names) if names else None)
            counts["audit"] = len(erased)
            self.audit(actor, "forget", "", erased=audit_chain.ranges(erased), **counts)
        return counts

    # --- export (knowledge.export) ---------------------------------------------------------------
    @contextmanager
    def export_snapshot(self) -> Iterator[ExportSnapshot]:
        """The tables an export writes, as they are at one moment: a REPEATABLE READ transaction on a connection
        of its own (writers go on meanwhile), each table read a batch at a time."""
        cursors = itertools.count()
        reading: list[Generator[dict[str, Any], None, None]] = []
        with self._snapshot() as conn:

            def rows(sql: str) -> Generator[dict[str, Any], None, None]:
                with conn.cursor(name=f"vraagbaak_export_{next(cursors)}") as cursor:
                    cursor.execute(sql)
                    while chunk := cursor.fetchmany(1000):
                        yield from (plain(r) for r in chunk)

            def read(sql: str) -> Iterator[dict[str, Any]]:
                reading.append(rows(sql))
                return reading[-1]

            try:
                yield ExportSnapshot(read)
            finally:  # a table left half read closes its cursor now, while the transaction is still this one's
                for generator in reading:
                    generator.close()

    @contextmanager
    def _snapshot(self) -> Iterator[Conn]:
        """A read-only REPEATABLE READ transaction on a pooled connection of its own: every read sees one moment."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    # --- the demo history (knowledge.demo_history) -----------------------------------------------
    def escalation_ids(self, question_id: int) -> list[int]:
        """The escalations rooted at a question."""
        return [r["id"] for r in self.rows("SELECT id FROM escalations WHERE question_id = %s ORDER BY id",
                                           [question_id])]

    def backdate_question(self, question_id: int, at: str, answers: Mapping[int, str],
                          started: Mapping[int, str], marked_at: str | None) -> None:
        """Move a question's time stamps to ``at``, and its replies' (``answers``: answer id -> when), in one
        transaction; so the escalations it started (``started``: escalation id -> the id of the provisional
        article a marked answer makes) and, given ``marked_at``, when they were answered, their review items and
        provisional articles."""
        with self.transaction() as conn:
            conn.execute("UPDATE questions SET created_at = %s WHERE id = %s", [moment(at), question_id])
            for answer_id, when in answers.items():
                conn.execute("UPDATE answers SET created_at = %s WHERE id = %s", [moment(when), answer_id])
            for escalation_id, article_id in started.items():
                conn.execute("UPDATE escalations SET created_at = %s WHERE id = %s", [moment(at), escalation_id])
                if marked_at is not None:
                    conn.execute("UPDATE escalations SET answered_at = %s WHERE id = %s AND answered_at IS NOT NULL",
                                 [moment(marked_at), escalation_id])
                    conn.execute("UPDATE reviews SET created_at = %s WHERE escalation_id = %s",
                                 [moment(marked_at), escalation_id])
                    conn.execute("UPDATE articles SET created_at = %s, updated_at = %s WHERE id = %s",
                                 [moment(marked_at), marked_at, article_id])


def _names(conn: Conn, person: Person | None, mine: str, params: dict[str, Any]) -> list[str]:
    """Every name they went by: the directory's and the chat platforms' display names."""
    found = [person.name] if person else []
    for sql in (f"SELECT DISTINCT asker_name AS name FROM questions WHERE {mine}",
                "SELECT DISTINCT author_name AS name FROM answers WHERE author_id = ANY(%(ids)s)"):
        found += [r["name"] for r in conn.execute(sql, params)]
    return found


def _rename_in_outbox(conn: Conn, names: list[str], rewording: Rewording) -> int:
    """Messages to others that name them (an expert's answer relayed, a post updated with who answered) say
    the colleague instead, sent or still to be sent."""
    if not names:
        return 0
    quoted = sorted({json.dumps(n, ensure_ascii=ascii)[1:-1] for n in names for ascii in (True, False)},
                    key=len, reverse=True)  # as the outbox stores them: JSON, non-ASCII escaped or not
    pattern = rewording.pattern(quoted)
    changed = 0
    for row in conn.execute("SELECT id, payload FROM outbox WHERE EXISTS (SELECT 1 FROM unnest(%s::text[]) AS n (name)"
                            " WHERE strpos(nocase(payload), nocase(n.name)) > 0) ORDER BY id", [quoted]).fetchall():
        renamed = pattern.sub(rewording.colleague, row["payload"])
        if renamed != row["payload"]:
            conn.execute("UPDATE outbox SET payload = %s WHERE id = %s", [renamed, row["id"]])
            changed += 1
    return changed


def _rename_in_articles(conn: Conn, names: list[str], rewording: Rewording) -> int:
    """Their name replaced by the colleague in articles' source; an article they own loses its owner (an owner
    is a person to ask, which they no longer are). Not a change to the knowledge: updated_at stays."""
    if not names:
        return 0
    pattern = rewording.pattern(names)
    changed = 0
    for row in conn.execute(
            "SELECT id, source, owner FROM articles WHERE EXISTS (SELECT 1 FROM unnest(%s::text[]) AS n (name)"
            " WHERE strpos(nocase(source), nocase(n.name)) > 0 OR nocase(owner) = nocase(n.name)) ORDER BY id",
            [names]).fetchall():
        source, owner = row["source"], row["owner"]
        new_source = pattern.sub(rewording.colleague, source)
        new_owner = "" if pattern.fullmatch(owner.strip()) else owner
        if (new_source, new_owner) != (source, owner):
            # a new version: a form opened before cannot save the forgotten name back
            conn.execute("UPDATE articles SET source = %s, owner = %s, version = version + 1 WHERE id = %s",
                         [new_source, new_owner, row["id"]])
            changed += 1
    return changed


def _unlist_expert(conn: Conn, person: Person | None) -> int:
    """Take them off the suggested experts of escalations."""
    if person is None:
        return 0
    changed = 0
    for row in conn.execute("SELECT id, experts FROM escalations WHERE strpos(experts, %s) > 0 ORDER BY id",
                            [json.dumps(person.id)]).fetchall():
        kept = [e for e in json.loads(row["experts"]) if e != person.id]
        conn.execute("UPDATE escalations SET experts = %s WHERE id = %s", [json.dumps(kept), row["id"]])
        changed += 1
    return changed
