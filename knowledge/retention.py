"""Retention (AVG): questions, thread texts and askers' identities are kept ``VRAAGBAAK_RETENTION_DAYS``.

What is older is anonymised in place, not rolled up elsewhere: a question row keeps its decision, platform,
language, status, the articles it was shown and its time, so every count (``knowledge.reports.stats``, the
owners' numbers) stays what it was, while its text, the asker's id and name and where it was asked (a DM's
channel id names a person) are blanked. An expert's answer keeps its row (the escalation's timing) without its
text. The console's transcript lines and handled inbox events (raw platform payloads, unmasked) are deleted;
sent outbox messages keep their row without their payload. Articles are knowledge, not personal data: kept.

Each purge writes one audit entry with counts only. The audit log itself is append-only and holds masked
text only; a purge never rewrites it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlite_utils

from knowledge.records import OUTBOX_ATTEMPTS

DEFAULT_DAYS = 180  # VRAAGBAAK_RETENTION_DAYS when not configured
LAST_RUN = "retention_last_day"  # meta key: the day (proleptic ordinal) the daily purge last ran


class Purgeable(Protocol):
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...
    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def audit(self, actor: str, action: str, subject: str = "", **detail: Any) -> None: ...


@dataclass(frozen=True)
class Step:
    table: str  # what the report names
    where: str  # which rows are due (":cutoff" is the limit)
    change: Callable[[str], str]  # the statement that removes or blanks them, given ``where``


_QUESTIONS = ("created_at < :cutoff AND (text != '' OR asker_id != '' OR asker_name != '' OR channel != ''"
              " OR event_key IS NOT NULL)")


def question_steps(questions: str) -> tuple[Step, ...]:
    """Blanking the questions ``questions`` (a WHERE over the questions table) without breaking the loop, in
    this order (each step still finds them by what the last one blanks): an escalation rooted at one of them
    that others also wait on is re-rooted at the first of those others (an expert's answer is still relayed to
    them, and logged under their wording); an open one nobody else waits on is withdrawn (never posted again,
    never joined); their links to escalations go; then their text, asker, place and delivery key."""
    mine = f"SELECT id FROM questions WHERE {questions}"
    others = f"FROM waiters w WHERE w.escalation_id = escalations.id AND w.question_id NOT IN ({mine})"
    rooted = f"question_id IN ({mine})"
    return (
        Step("escalations", f"{rooted} AND EXISTS (SELECT 1 {others})",
             lambda where: f"UPDATE escalations SET question_id = (SELECT min(w.question_id) {others}) WHERE {where}"),
        Step("withdrawn", f"{rooted} AND status IN ('pending', 'open') AND NOT EXISTS (SELECT 1 {others})",
             lambda where: f"UPDATE escalations SET status = 'withdrawn' WHERE {where}"),
        Step("waiters", f"question_id IN ({mine})", lambda where: f"DELETE FROM waiters WHERE {where}"),
        Step("questions", questions,
             lambda where: "UPDATE questions SET text = '', asker_id = '', asker_name = '', channel = '',"
                           f" thread = NULL, message = NULL, extra = '', event_key = NULL WHERE {where}"),
    )


STEPS: tuple[Step, ...] = (
    *question_steps(_QUESTIONS),
    Step("answers", "created_at < :cutoff AND text != ''",
         lambda where: f"UPDATE answers SET text = '' WHERE {where}"),
    Step("console_messages", "created_at < :cutoff",
         lambda where: f"DELETE FROM console_messages WHERE {where}"),
    Step("inbox", "created_at < :cutoff AND status != 'new'",
         lambda where: f"DELETE FROM inbox WHERE {where}"),
    Step("outbox", f"created_at < :cutoff AND payload != '{{}}' AND (sent_at != '' OR attempts >= {OUTBOX_ATTEMPTS})",
         lambda where: f"UPDATE outbox SET payload = '{{}}' WHERE {where}"),
)


def table(step: Step) -> str:
    """The table a step changes (two steps change escalations)."""
    return "escalations" if step.table == "withdrawn" else step.table


def run(db: sqlite_utils.Database, steps: tuple[Step, ...], params: dict[str, Any], dry_run: bool) -> dict[str, int]:
    """Each step's count of rows; changed unless ``dry_run``."""
    counts: dict[str, int] = {}
    for step in steps:
        if dry_run:
            counts[step.table] = int(db.execute(
                f"SELECT count(*) FROM {table(step)} WHERE {step.where}", params).fetchone()[0])
        else:
            counts[step.table] = db.execute(step.change(step.where), params).rowcount
    return counts


@dataclass(frozen=True)
class PurgeReport:
    cutoff: str  # rows created before this moment were (or, in a dry run, would be) purged
    counts: dict[str, int] = field(default_factory=dict)  # per table, in STEPS order
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def purge(store: Purgeable, older_than_days: int, dry_run: bool = False, now: datetime | None = None,
          actor: str = "vraagbaak") -> PurgeReport:
    """Remove or anonymise what is older than ``older_than_days`` (see the module); one transaction. A dry
    run counts what would go and changes nothing (no audit entry either)."""
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cutoff = (moment - timedelta(days=older_than_days)).isoformat()
    with store.transaction() as db:
        counts = run(db, STEPS, {"cutoff": cutoff}, dry_run)
        if not dry_run:
            store.audit(actor, "purge", cutoff, days=older_than_days, **counts)
    return PurgeReport(cutoff, counts, dry_run)


def purge_due(store: Purgeable, days: int, now: datetime | None = None) -> PurgeReport | None:
    """The daily purge: runs when it has not run yet today (UTC) in any process sharing the database, and
    returns its report; None when it already ran today or ``days`` is 0 (retention off). Serving processes
    call it from their periodic outbox work; the check and the purge are one write transaction, so two
    processes never both purge."""
    if days <= 0:
        return None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    today = moment.date().toordinal()
    if any(int(r["value"]) >= today for r in store.rows("SELECT value FROM meta WHERE key = ?", [LAST_RUN])):
        return None  # the common case, every timer tick: no write lock taken
    with store.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", [LAST_RUN]).fetchone()
        if row is not None and int(row[0]) >= today:
            return None
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   [LAST_RUN, today])
        return purge(store, days, now=moment)
