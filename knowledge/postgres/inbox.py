"""The durable inbox and the outbox's claims on PostgreSQL (the same semantics as knowledge/sqlite/inbox.py and
the outbox half of knowledge/sqlite/records.py).

A claim is one statement: the oldest waiting row is picked ``FOR UPDATE SKIP LOCKED`` and its lease set, so
workers on any number of machines each take a different row and never wait for one another. Leases are
stamped from the database's ``now()``, so replicas with clocks apart still agree on when a lease ran out.
Storing an event or queueing a message NOTIFYs the schema's channel in the same transaction
(``wait_for_events`` / ``wait_for_outbox``).
"""

from __future__ import annotations

import json
from typing import Any

from knowledge.model import EVENT_ATTEMPTS, OUTBOX_ATTEMPTS, Backlog, Place
from knowledge.postgres.base import PostgresBase, plain

_EVENT = "id, key, platform, kind, payload, attempts"
_FREE = "(claimed_until IS NULL OR claimed_until < now())"  # not claimed, or the claim ran out
_LEASE = "now() + make_interval(secs => %s::float8)"


def _event(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return {**row, "payload": json.loads(row["payload"])} if row is not None else None


def _message(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return {**plain(row), "payload": json.loads(row["payload"])} if row is not None else None


class InboxRecords(PostgresBase):
    def put_event(self, key: str | None, platform: str, kind: str, payload: dict[str, Any],
                  claim: float = 0.0) -> int | None:
        """Store an event; None when an event with this delivery key is already stored (a redelivery).
        ``claim``: stored already claimed for that many seconds, by the caller who handles it at once.
        A redelivery takes no id (the NOT EXISTS comes first), so ids count events as on SQLite."""
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO inbox (key, platform, kind, payload, claimed_until, attempts)"
                f" SELECT %s, %s, %s, %s, CASE WHEN %s::float8 > 0 THEN {_LEASE} END, %s"
                " WHERE %s::text IS NULL OR NOT EXISTS (SELECT 1 FROM inbox WHERE key = %s)"
                " ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING RETURNING id",
                [key or None, platform, kind, json.dumps(payload, ensure_ascii=False), claim, claim,
                 1 if claim else 0, key or None, key or None]).fetchone()
            if row is not None and not claim:
                self.notify(conn, "events")
        return int(row["id"]) if row is not None else None

    def event(self, event_id: int) -> dict[str, Any] | None:
        found = self.rows(f"SELECT {_EVENT} FROM inbox WHERE id = %s", [event_id])
        return _event(found[0]) if found else None

    def claim_event(self, lease: float, event_id: int | None = None) -> dict[str, Any] | None:
        """Claim one waiting event (``event_id``, or the oldest) for ``lease`` seconds; None when there is none
        or another worker holds it (a row another transaction is claiming is skipped, not waited for)."""
        which = "id = %s" if event_id is not None else "TRUE"
        with self.transaction() as conn:
            row = conn.execute(
                f"WITH next AS (SELECT id FROM inbox WHERE {which} AND status = 'new' AND {_FREE}"
                " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                f" UPDATE inbox SET claimed_until = {_LEASE}, attempts = attempts + 1 FROM next"
                f" WHERE inbox.id = next.id RETURNING {', '.join('inbox.' + c for c in _EVENT.split(', '))}",
                [*([event_id] if event_id is not None else []), lease]).fetchone()
        return _event(row)

    def event_done(self, event_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE inbox SET status = 'done', done_at = now(), claimed_until = NULL WHERE id = %s",
                         [event_id])

    def event_failed(self, event_id: int, error: str) -> bool:
        """Release a claim after an error; True when the event is given up (tried EVENT_ATTEMPTS times)."""
        with self.transaction() as conn:
            row = conn.execute(
                "UPDATE inbox SET claimed_until = NULL, last_error = %s,"
                " status = CASE WHEN attempts >= %s THEN 'failed' ELSE status END WHERE id = %s RETURNING status",
                [error[:500], EVENT_ATTEMPTS, event_id]).fetchone()
        return bool(row and row["status"] == "failed")

    def waiting_events(self) -> int:
        return int(self.rows("SELECT count(*) AS n FROM inbox WHERE status = 'new'")[0]["n"])

    def backlog(self) -> Backlog:
        """The inbox, the outbox and the open escalations in figures (read at each scrape of /metrics)."""
        row = self.rows(
            "SELECT (SELECT count(*) FROM inbox WHERE status = 'new') AS events_waiting,"
            " (SELECT min(created_at) FROM inbox WHERE status = 'new') AS oldest_event,"
            " (SELECT count(*) FROM inbox WHERE status = 'failed') AS events_failed,"
            " (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts < %(tries)s) AS messages_waiting,"
            " (SELECT min(created_at) FROM outbox WHERE sent_at IS NULL AND attempts < %(tries)s) AS oldest_message,"
            " (SELECT count(*) FROM outbox WHERE sent_at IS NULL AND attempts >= %(tries)s) AS messages_given_up,"
            " (SELECT count(*) FROM escalations WHERE status IN ('pending', 'open')) AS escalations_open",
            {"tries": OUTBOX_ATTEMPTS})[0]
        values: dict[str, Any] = {k: v if v is not None else "" for k, v in row.items()}
        return Backlog(**values)

    def forget_events(self, before: str) -> int:
        """Drop handled events stored before ``before``."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM inbox WHERE status <> 'new' AND created_at < %s::timestamptz",
                                [before]).rowcount

    def forget_deliveries(self, before: str) -> int:
        """Drop old delivery keys of the ``events`` table (kept for copies of stores from before the inbox)."""
        with self.transaction() as conn:
            return conn.execute("DELETE FROM events WHERE seen_at < %s::timestamptz", [before]).rowcount

    # --- the outbox ---------------------------------------------------------------------------
    def queue(self, kind: str, place: Place, payload: dict[str, Any], error: str = "",
              escalation_id: int | None = None, *, key: str | None = None, recipient: str = "",
              claim: float = 0.0) -> int:
        """Put a message in the outbox; returns its id. Queued again with the same ``key``, the first row's id
        negated (it is not this caller's to send). ``claim``: queued already claimed for that many seconds."""
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO outbox (kind, channel, thread, message, extra, payload, attempts, last_error,"
                " escalation_id, key, recipient, claimed_until)"
                f" SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, CASE WHEN %s::float8 > 0 THEN {_LEASE} END"
                " WHERE %s::text IS NULL OR NOT EXISTS (SELECT 1 FROM outbox WHERE key = %s)"
                " ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING RETURNING id",
                [kind, place.channel, place.thread, place.message, place.extra, json.dumps(payload),
                 1 if error else 0, error, escalation_id, key, recipient, claim, claim, key, key]).fetchone()
            if row is not None:
                if not claim:
                    self.notify(conn, "outbox")
                return int(row["id"])
            # the key is taken: by a committed row (the NOT EXISTS saw it, or ON CONFLICT waited for its commit)
            return -int(conn.execute("SELECT id FROM outbox WHERE key = %s", [key]).fetchone()["id"])  # type: ignore

    def outbox_item(self, item_id: int) -> dict[str, Any] | None:
        found = self.rows("SELECT * FROM outbox WHERE id = %s AND sent_at IS NULL", [item_id])
        return _message(found[0]) if found else None

    def claim_outbox(self, lease: float, item_id: int | None = None) -> dict[str, Any] | None:
        """Claim an unsent message (``item_id``, or the oldest due) for ``lease`` seconds, so no other process
        sends it meanwhile; None when there is none to claim. ``in_doubt`` becomes 1 once a claim on it lapsed
        without a result (its process stopped mid-send, perhaps after the platform took it)."""
        which = "id = %s" if item_id is not None else "attempts < %s"
        with self.transaction() as conn:
            row = conn.execute(
                f"WITH next AS (SELECT id FROM outbox WHERE {which} AND sent_at IS NULL AND {_FREE}"
                " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                f" UPDATE outbox SET claimed_until = {_LEASE},"
                " in_doubt = GREATEST(outbox.in_doubt, (outbox.claimed_until IS NOT NULL)::int)"
                " FROM next WHERE outbox.id = next.id RETURNING outbox.*",
                [item_id if item_id is not None else OUTBOX_ATTEMPTS, lease]).fetchone()
        return _message(row)

    def extend_outbox_claim(self, item_id: int, lease: float) -> bool:
        """Hold the claim on an unsent message ``lease`` seconds more while it is being sent; False when the
        claim is no longer held (it lapsed, or the send ended)."""
        with self.transaction() as conn:
            return conn.execute(f"UPDATE outbox SET claimed_until = {_LEASE} WHERE id = %s AND sent_at IS NULL"
                                " AND claimed_until >= now()", [lease, item_id]).rowcount == 1

    def pending_outbox(self) -> list[dict[str, Any]]:
        return [_message(r) for r in self.rows(  # type: ignore[misc]
            "SELECT * FROM outbox WHERE sent_at IS NULL AND attempts < %s ORDER BY id", [OUTBOX_ATTEMPTS])]

    def outbox_result(self, item_id: int, error: str = "") -> None:
        with self.transaction() as conn:
            if error:
                conn.execute("UPDATE outbox SET attempts = attempts + 1, last_error = %s, claimed_until = NULL"
                             " WHERE id = %s", [error, item_id])
            else:
                conn.execute("UPDATE outbox SET sent_at = now(), claimed_until = NULL WHERE id = %s", [item_id])
