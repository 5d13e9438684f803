"""The connection side of PostgresStore: the URL and its schema, the pool, transactions, rows, locks, notices.

Transactions nest as on SQLite: the outermost ``transaction()`` of a thread takes a connection from the pool and
BEGINs; an inner one is a SAVEPOINT of it; work registered with ``after_commit`` runs once the outermost one
commits. Every read a thread makes inside its transaction goes through that transaction's connection (it sees
its own writes); a read outside one borrows a pooled connection in autocommit. Unlike SqliteStore, threads do
not wait for each other: each has its own connection, and what must happen once is made safe in the statement
(SKIP LOCKED, a conditional update) or under an advisory lock held to the end of the transaction.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.rows import DictRow, dict_row
from psycopg.types.string import StrDumperUnknown
from psycopg_pool import ConnectionPool

from knowledge.postgres.schema import lock_key, migrate
from knowledge.postgres.wakeups import Wakeups

DEFAULT_SCHEMA = "vraagbaak"
SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,47}")  # plain, so it needs no quoting in search_path or a channel name
# The database's clock as the text SQLite stores (knowledge.clock.now): UTC, to the second, ISO 8601.
NOW_TEXT = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"


Conn = psycopg.Connection[DictRow]  # a connection whose rows are dicts
# A pooled connection back in the pool for longer than this is checked with a round trip before it is lent again
# (the server may have been restarted or the connection cut while it sat idle); one used more recently is lent
# as it is: checking every loan doubled the round trips of a search. A connection that did die in between fails
# its statement with psycopg.OperationalError, one of the store's transient_errors, and the pool replaces it.
CHECK_IDLE = 5.0
# The search and people generations (table meta) as read less than this many seconds ago serve again: one search
# asks for them three times within milliseconds, and each was a round trip. A transaction this store commits
# forgets them at once (its own writes are seen straight away); another process's are seen within this time.
COUNTERS_TTL = 0.1
COUNTERS = ("search_generation", "people_generation")


class NulSafeStrDumper(StrDumperUnknown):
    """PostgreSQL text cannot hold U+0000 (SQLite's can): it becomes U+FFFD, as a lone surrogate does in
    ``texts.scrub``, so a question that carried one is stored rather than failing every time it is handled."""

    def dump(self, obj: str) -> bytes:
        return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)  # type: ignore[return-value]


def split_url(url: str, schema: str | None = None) -> tuple[str, str]:
    """The libpq URL without the ``schema`` option (libpq refuses options it does not know), and the schema:
    ``schema`` as given, else the URL's ``?schema=``, else 'vraagbaak'."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL: {url!r} (postgresql://user@host/database?schema=name)")
    query = parse_qsl(parts.query, keep_blank_values=True)
    named = [v for k, v in query if k == "schema"]
    name = schema or (named[-1] if named else DEFAULT_SCHEMA)
    if not SCHEMA_NAME.fullmatch(name):
        raise ValueError(f"schema name {name!r}: lower-case letters, digits and _ only, at most 48, not a digit first")
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(parts._replace(query=rest)), name


def stamp(value: datetime | None) -> str:
    """A database time as the text SqliteStore hands out ('' for none)."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat() if value is not None else ""


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its times as text (as SqliteStore's rows have them)."""
    return {k: stamp(v) if isinstance(v, datetime) or (v is None and k in _STAMPED) else v for k, v in row.items()}


# time columns that are NULL for "not yet" here and '' on SQLite
_STAMPED = frozenset({"sent_at", "done_at", "answered_at", "decided_at", "used_at", "claimed_until", "routed_at",
                      "undone_at"})


def _returned(conn: psycopg.Connection[Any]) -> None:
    """The pool's reset: when a connection came back (or was made)."""
    conn._vraagbaak_idle_since = time.monotonic()  # type: ignore[attr-defined]


def _check_idle(conn: psycopg.Connection[Any]) -> None:
    """The pool's check before it lends a connection: a closed one is refused; one idle for more than CHECK_IDLE
    seconds must answer an empty query first."""
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the pooled connection is closed")
    if time.monotonic() - getattr(conn, "_vraagbaak_idle_since", 0.0) > CHECK_IDLE:
        ConnectionPool.check_connection(conn)


class PostgresBase:
    """What the mixins of this package use: ``transaction``, ``rows``, ``lock`` and ``notify``."""

    def __init__(self, url: str, schema: str | None = None, *, pool_size: int = 10, audit_key: bytes = b"") -> None:
        self.conninfo, self.schema = split_url(url, schema)
        self.path = f"{self.conninfo} (schema {self.schema})"  # what a log line or an error names
        # JIT off: the store's queries are short, and compiling one (analytics over 20,000 questions) took 1.5 s of
        # its 1.7 s. Generic plans: psycopg prepares a statement run five times on a connection, and PostgreSQL
        # would still plan each run again for its parameters; planning a search statement took 0.4-0.6 ms, more than
        # running it for a small KB (docs/postgres-search.md)
        self._options: dict[str, Any] = {
            "options": f"-c search_path={self.schema} -c jit=off -c plan_cache_mode=force_generic_plan",
            "application_name": "vraagbaak"}
        # migrated on a connection of its own first: a wrong URL fails at once with libpq's own reason (a pool
        # would retry in the background and say only that it timed out)
        with psycopg.connect(self.conninfo, autocommit=True, row_factory=dict_row, **self._options) as conn:
            self.version = migrate(conn, self.schema, audit_key)
        self.pool: ConnectionPool[Any] = ConnectionPool(
            self.conninfo, min_size=1, max_size=pool_size, open=False,
            kwargs={"autocommit": True, "row_factory": dict_row, **self._options}, configure=self._configure,
            check=_check_idle, reset=_returned, name=f"vraagbaak-{self.schema}")
        self.pool.open(wait=True, timeout=30)
        self._local = threading.local()
        self._counters: tuple[float, int, dict[str, int]] = (0.0, 0, {})  # (read at, epoch, values)
        self._counters_epoch = 0  # moved by every commit of this store
        self.channels = {"events": f"{self.schema}.inbox", "outbox": f"{self.schema}.outbox"}
        self._wakeups = Wakeups(self.conninfo, self._options, self.channels)

    @staticmethod
    def _configure(conn: psycopg.Connection[Any]) -> None:
        conn.adapters.register_dumper(str, NulSafeStrDumper)
        _returned(conn)

    # --- transactions -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Conn]:
        """BEGIN on a pooled connection of this thread's own; nested, a savepoint. Work registered with
        ``after_commit`` runs once the outermost one commits; a rollback drops it."""
        held: Conn | None = getattr(self._local, "conn", None)
        if held is not None:
            with held.transaction():
                yield held
            return
        with self.pool.connection() as conn:
            self._local.conn, self._local.hooks = conn, []
            try:
                with conn.transaction():
                    yield conn
            except BaseException:
                self._local.hooks = []
                raise
            finally:
                self._local.conn = None
        self._counters_epoch += 1  # (also after a rollback: harmless)
        hooks, self._local.hooks = self._local.hooks, []
        for hook in hooks:
            hook()

    @property
    def in_transaction(self) -> bool:
        """Whether this thread is inside ``transaction``."""
        return getattr(self._local, "conn", None) is not None

    def after_commit(self, work: Callable[[], None]) -> None:
        """Run ``work`` when the current transaction commits (at once when there is none); dropped on rollback."""
        if self.in_transaction:
            self._local.hooks.append(work)
        else:
            work()

    @contextmanager
    def _reading(self) -> Iterator[Conn]:
        held: Conn | None = getattr(self._local, "conn", None)
        if held is not None:
            yield held
        else:
            with self.pool.connection() as conn:
                yield conn

    def rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """The rows of a query, as dicts, times as text (for this package and tests)."""
        with self._reading() as conn:
            return [plain(r) for r in conn.execute(sql, params or None).fetchall()]

    def iter_rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = (), batch: int = 1000,
                  ) -> Iterator[dict[str, Any]]:
        """Like ``rows``, a batch at a time (a server-side cursor in a transaction of its own)."""
        with self.pool.connection() as conn, conn.transaction(), conn.cursor(name="vraagbaak_iter") as cursor:
            cursor.execute(sql, params or None)
            while chunk := cursor.fetchmany(batch):
                yield from (plain(r) for r in chunk)

    def _counter(self, key: str) -> int:
        """A generation counter of table meta (``COUNTERS``); inside a transaction as that transaction sees it,
        outside one as read at most ``COUNTERS_TTL`` seconds ago (both counters in one round trip)."""
        if key not in COUNTERS or self.in_transaction:
            return int(self.rows("SELECT value FROM meta WHERE key = %s", [key])[0]["value"])
        read_at, epoch, values = self._counters
        if epoch == self._counters_epoch and time.monotonic() - read_at < COUNTERS_TTL:
            return values[key]
        epoch, read_at = self._counters_epoch, time.monotonic()
        values = {r["key"]: int(r["value"]) for r in self.rows(
            "SELECT key, value FROM meta WHERE key = ANY(%s)", [list(COUNTERS)])}
        self._counters = (read_at, epoch, values)
        return values[key]

    # --- rows read ahead ----------------------------------------------------------------------
    def _keep_ahead(self, kind: str, rows: list[dict[str, Any]]) -> None:
        """Whole rows of ``kind`` ('articles', 'people': each with its 'id') that a search read along with what it
        asked for, so that its next step (the articles of the best candidates, the people found) needs no round trip
        of its own: ``_take_ahead`` hands them to this thread's next read of them, once, within ``COUNTERS_TTL`` and
        only if this store committed nothing meanwhile (as fresh as a second statement would have read them)."""
        if self.in_transaction:
            return
        ahead: dict[str, tuple[float, int, dict[str, dict[str, Any]]]] = self._local.__dict__.setdefault("ahead", {})
        held = ahead.get(kind)
        if held is not None and self._fresh(held):
            held[2].update((r["id"], r) for r in rows)
        else:
            ahead[kind] = (time.monotonic(), self._counters_epoch, {r["id"]: r for r in rows})

    def _take_ahead(self, kind: str, ids: list[str]) -> list[dict[str, Any]] | None:
        """The rows ``_keep_ahead`` kept for ``ids`` (in that order; None unless every one of them is there and
        fresh); what was kept is dropped either way."""
        held = self._local.__dict__.get("ahead", {}).pop(kind, None)
        if held is None or self.in_transaction or not self._fresh(held) or not all(i in held[2] for i in ids):
            return None
        return [held[2][i] for i in ids]

    def _fresh(self, held: tuple[float, int, Any]) -> bool:
        return held[1] == self._counters_epoch and time.monotonic() - held[0] < COUNTERS_TTL

    # --- locks and notices ------------------------------------------------------------------
    def lock(self, conn: Conn, name: str) -> None:
        """Take this schema's advisory lock ``name`` until the end of the transaction (every process waits)."""
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [lock_key(self.schema, name)])

    def notify(self, conn: Conn, topic: str) -> None:
        """Wake the processes waiting on ``topic`` when this transaction commits."""
        conn.execute("SELECT pg_notify(%s, '')", [self.channels[topic]])

    def wait_for_events(self, timeout: float) -> bool:
        """Block until any process stored an event to handle (NOTIFY), or ``timeout`` seconds passed; True when
        woken. Look for work after it either way: it says something came, not that it is still there."""
        return self._wakeups.wait("events", timeout)

    def wait_for_outbox(self, timeout: float) -> bool:
        """The same for messages queued to send."""
        return self._wakeups.wait("outbox", timeout)

    def wake(self, topic: str | None = None) -> None:
        """Wake this process's waiters on ``topic`` (every topic when None): a process stopping its workers."""
        self._wakeups.bump(None if topic is None else [topic])

    def database_now(self) -> str:
        """The database's clock, as knowledge.clock.now gives the process's (the time every replica agrees on)."""
        return str(self.rows(f"SELECT {NOW_TEXT} AS now")[0]["now"])

    def reachable(self, timeout: float = 2.0) -> str:
        """'' when the database answers now, else why not (a new connection, not a pooled one)."""
        try:
            with psycopg.connect(self.conninfo, connect_timeout=max(1, int(timeout)), **self._options) as conn:
                conn.execute("SELECT 1").fetchone()
        except psycopg.Error as error:
            return str(error)
        return ""

    def close(self) -> None:
        self._wakeups.close()
        self.pool.close()
