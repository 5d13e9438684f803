"""The durable inbox: every event a platform sends is stored before it is acknowledged, then handled once.

A mixin of SqliteStore, like LoopRecords. An event is put with its delivery key (a platform's redelivery is
the same key, so it is stored once); a worker claims the oldest waiting event for a lease, handles it and
marks it done. A process killed while handling leaves the claim to expire, and the event is handled again by
whichever process claims it next: the use cases are idempotent per event, so that changes nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlite_utils

from knowledge.clock import now
from knowledge.model import EVENT_ATTEMPTS, OUTBOX_ATTEMPTS, Backlog
from knowledge.signals import Signals


class _Base(Protocol):
    signals: Signals
    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def after_commit(self, work: Callable[[], None]) -> None: ...
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


def later(seconds: float) -> str:
    return now(seconds)


class InboxRecords:
    def put_event(self: _Base, key: str | None, platform: str, kind: str, payload: dict[str, Any],
                  claim: float = 0.0) -> int | None:
        """Store an event; None when an event with this delivery key is already stored (a redelivery).
        ``claim``: stored already claimed for that many seconds, by the caller who handles it at once."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO inbox (key, platform, kind, payload, created_at, claimed_until, attempts)"
                " VALUES (?,?,?,?,?,?,?)",
                [key or None, platform, kind, json.dumps(payload, ensure_ascii=False), now(),
                 later(claim) if claim else "", 1 if claim else 0])
            if cur.rowcount == 1 and not claim:
                self.after_commit(lambda: self.signals.bump(["events"]))
            return int(cur.lastrowid or 0) if cur.rowcount == 1 else None

    def wait_for_events(self: _Base, timeout: float) -> bool:
        """Block until this process stored an event to handle, or ``timeout`` seconds passed (another process's
        events are found by polling: SQLite has no notices); True when woken."""
        return self.signals.wait("events", timeout)

    def wait_for_outbox(self: _Base, timeout: float) -> bool:
        """The same for messages this process queued to send."""
        return self.signals.wait("outbox", timeout)

    def wake(self: _Base, topic: str | None = None) -> None:
        """Wake this process's waiters on ``topic`` (every topic when None): a process stopping its workers."""
        self.signals.bump(None if topic is None else [topic])

    def event(self: _Base, event_id: int) -> dict[str, Any] | None:
        found = self.rows("SELECT id, key, platform, kind, payload, attempts FROM inbox WHERE id = ?", [event_id])
        return {**found[0], "payload": json.loads(found[0]["payload"])} if found else None

    def claim_event(self: _Base, lease: float, event_id: int | None = None) -> dict[str, Any] | None:
        """Claim one waiting event (``event_id``, or the oldest) for ``lease`` seconds; None when there is none
        or another worker holds it. The claim is one statement, so two processes can never claim the same event;
        looking for the oldest, a read comes first, so an idle worker takes no write lock."""
        if event_id is None and not self.rows(
                "SELECT 1 FROM inbox WHERE status = 'new' AND claimed_until < ? LIMIT 1", [now()]):
            return None
        where = "id = ?" if event_id is not None else \
            "id = (SELECT id FROM inbox WHERE status = 'new' AND claimed_until < ? ORDER BY id LIMIT 1)"
        params: list[Any] = [later(lease), event_id] if event_id is not None else [later(lease), now()]
        with self.transaction() as db:
            row = db.execute(
                f"UPDATE inbox SET claimed_until = ?, attempts = attempts + 1 WHERE {where}"
                " AND status = 'new' AND claimed_until < ? RETURNING id, key, platform, kind, payload, attempts",
                [*params, now()]).fetchone()
        if row is None:
            return None
        names = ("id", "key", "platform", "kind", "payload", "attempts")
        found = dict(zip(names, row, strict=True))
        found["payload"] = json.loads(found["payload"])
        return found

    def event_done(self: _Base, event_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE inbox SET status = 'done', done_at = ?, claimed_until = '' WHERE id = ?",
                       [now(), event_id])

    def event_failed(self: _Base, event_id: int, error: str) -> bool:
        """Release a claim after an error; True when the event is given up (tried EVENT_ATTEMPTS times)."""
        with self.transaction() as db:
            row = db.execute(
                "UPDATE inbox SET claimed_until = '', last_error = ?,"
                " status = CASE WHEN attempts >= ? THEN 'failed' ELSE status END WHERE id = ? RETURNING status",
                [error[:500], EVENT_ATTEMPTS, event_id]).fetchone()
        return bool(row and row[0] == "failed")

    def waiting_events(self: _Base) -> int:
        return int(self.rows("SELECT count(*) AS n FROM inbox WHERE status = 'new'")[0]["n"])

    def backlog(self: _Base) -> Backlog:
        """The inbox, the outbox and the open escalations in figures (read at each scrape of /metrics)."""
        row = self.rows(
            "SELECT (SELECT count(*) FROM inbox WHERE status = 'new') AS events_waiting,"
            " (SELECT coalesce(min(created_at), '') FROM inbox WHERE status = 'new') AS oldest_event,"
            " (SELECT count(*) FROM inbox WHERE status = 'failed') AS events_failed,"
            " (SELECT count(*) FROM outbox WHERE sent_at = '' AND attempts < :tries) AS messages_waiting,"
            " (SELECT coalesce(min(created_at), '') FROM outbox WHERE sent_at = '' AND attempts < :tries)"
            " AS oldest_message,"
            " (SELECT count(*) FROM outbox WHERE sent_at = '' AND attempts >= :tries) AS messages_given_up,"
            " (SELECT count(*) FROM escalations WHERE status IN ('pending', 'open')) AS escalations_open",
            {"tries": OUTBOX_ATTEMPTS})[0]
        return Backlog(**row)

    def forget_events(self: _Base, before: str) -> int:
        """Drop handled events stored before ``before`` (their keys only guard against redeliveries, which
        platforms make within minutes or hours)."""
        with self.transaction() as db:
            return db.execute("DELETE FROM inbox WHERE status != 'new' AND created_at < ?", [before]).rowcount
