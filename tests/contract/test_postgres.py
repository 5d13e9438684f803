"""What only the PostgreSQL backend has: a schema per store, the database's clock, NOTIFY wake-ups, a pool."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest

from knowledge.model import Place, User
from knowledge.postgres import PostgresStore
from knowledge.postgres.base import split_url
from tests import postgres
from tests.contract.conftest import fresh_schema

AGENT = User("U1", "Anna")


def test_the_schema_comes_from_the_url_or_the_argument() -> None:
    url = "postgresql://vb@%2Frun%2Fpg:5433/kcc?schema=kcc_utrecht&connect_timeout=5"
    assert split_url(url) == ("postgresql://vb@%2Frun%2Fpg:5433/kcc?connect_timeout=5", "kcc_utrecht")
    assert split_url("postgresql://vb@db/kcc") == ("postgresql://vb@db/kcc", "vraagbaak")
    assert split_url(url, "other")[1] == "other"
    for bad in ("Kcc", "1kcc", "kcc-utrecht", "kcc;drop", "x" * 49):
        with pytest.raises(ValueError, match="schema name"):
            split_url(f"postgresql://db/kcc?schema={bad}")
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        split_url("vraagbaak.db")


def test_two_schemas_in_one_database_are_apart(pg_cluster: postgres.Cluster) -> None:
    utrecht = PostgresStore(pg_cluster.url() + f"?schema={fresh_schema()}")
    zwolle = PostgresStore(pg_cluster.url(), schema=fresh_schema())
    try:
        a = utrecht.add_question(AGENT, "slack", Place("D1"), "utrecht", "nl", "escalate", None, [])
        b = zwolle.add_question(AGENT, "slack", Place("D1"), "zwolle", "nl", "escalate", None, [])
        assert a.id == b.id == 1  # ids of their own
        assert [q.text for q in utrecht.open_questions("U1")] == ["utrecht"]
        event = ("slack:Ev1", "slack", "Asked", {})
        assert utrecht.put_event(*event) == zwolle.put_event(*event) == 1  # one delivery key, stored in each
        with utrecht.transaction():  # the loop lock is the schema's own: the other schema does not wait for it
            utrecht.audit("U1", "ask")
            done = threading.Event()
            threading.Thread(target=lambda: (zwolle.audit("U1", "ask"), done.set())).start()
            assert done.wait(5)
        assert utrecht.verify_audit().entries == zwolle.verify_audit().entries == 1
    finally:
        utrecht.close()
        zwolle.close()


def test_times_come_from_the_database_clock(pg_store: PostgresStore) -> None:
    """now() is the time the transaction began: a stamp made a second later in it still has that time, which the
    process's clock would not give."""
    with pg_store.transaction():
        began = pg_store.database_now()
        time.sleep(1.1)
        q = pg_store.add_question(AGENT, "slack", Place("D1"), "later", "nl", "escalate", None, [])
        event = pg_store.put_event("k", "slack", "Asked", {}, claim=60.0)
    assert q.created_at == began
    assert pg_store.backlog().oldest_event == began and event is not None


def test_a_nul_character_is_stored_as_a_replacement_character(pg_store: PostgresStore) -> None:
    """PostgreSQL text cannot hold U+0000 (SQLite's can): PostgresStore stores U+FFFD, as texts.scrub does for
    half an emoji, so such a question is kept instead of failing every time its event is handled."""
    q = pg_store.add_question(AGENT, "slack", Place("D1"), "a\x00b", "nl", "escalate", None, [])
    assert q.text == "a\ufffdb"
    eid = pg_store.put_event("k\x00", "slack", "Asked", {"text": "a\x00b"})  # JSON keeps it, escaped
    assert pg_store.event(eid)["payload"] == {"text": "a\x00b"}  # type: ignore[index]


def _waiter(store: PostgresStore, wait: Any, timeout: float, out: list[float]) -> threading.Thread:
    def run() -> None:
        started = time.monotonic()
        out.append(time.monotonic() - started if wait(timeout) else -1.0)
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_workers_are_woken_by_notify(pg_spec: dict[str, str]) -> None:
    worker = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    other = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])  # another pool, as another replica would have
    try:
        assert worker.wait_for_events(0.2) is False  # nothing came
        woken: list[float] = []
        thread = _waiter(worker, worker.wait_for_events, 10.0, woken)
        time.sleep(0.2)
        other.put_event("slack:Ev1", "slack", "Asked", {})
        thread.join(10)
        assert woken and 0 <= woken[0] < 1.0
        assert worker.claim_event(60.0) is not None

        other.put_event("slack:Ev2", "slack", "Asked", {})  # while the worker was busy: not lost
        time.sleep(0.3)
        assert worker.wait_for_events(0.0) is True and worker.wait_for_events(0.2) is False

        other.put_event("slack:Ev3", "slack", "Asked", {}, claim=60.0)  # its caller handles it: nobody woken
        assert other.put_event("slack:Ev1", "slack", "Asked", {}) is None  # a redelivery: nobody woken
        with pytest.raises(RuntimeError), other.transaction():
            other.put_event("slack:Ev4", "slack", "Asked", {})
            raise RuntimeError("rolled back: nobody woken")
        assert worker.wait_for_events(0.5) is False

        sent: list[float] = []
        thread = _waiter(worker, worker.wait_for_outbox, 10.0, sent)
        time.sleep(0.2)
        other.queue("send", Place("D1"), {"text": "hoi"})
        thread.join(10)
        assert sent and 0 <= sent[0] < 1.0
    finally:
        worker.close()
        other.close()


def test_threads_claim_on_connections_of_their_own(pg_store: PostgresStore) -> None:
    for n in range(200):
        pg_store.put_event(f"k{n}", "slack", "Asked", {"n": n})
    claimed: list[int] = []

    def work() -> None:
        while (row := pg_store.claim_event(60.0)) is not None:
            claimed.append(row["payload"]["n"])
            pg_store.event_done(row["id"])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(claimed) == list(range(200)) and pg_store.waiting_events() == 0


def test_a_database_that_went_away_is_named(pg_cluster: postgres.Cluster) -> None:
    name = fresh_schema()
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
        store = PostgresStore(pg_cluster.url(name))
        try:
            assert store.reachable() == ""
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
            assert f'database "{name}" does not exist' in store.reachable()
        finally:
            store.close()


def test_a_store_that_cannot_be_opened_says_why_at_once_and_leaves_no_connections(pg_cluster: postgres.Cluster,
                                                                                   ) -> None:
    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError, match='database "no_such_database" does not exist'):
        PostgresStore(pg_cluster.url("no_such_database"))
    assert time.monotonic() - started < 5
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE SCHEMA taken")
        admin.execute("CREATE TABLE taken.schema_version (id integer)")  # not ours: migrating it fails

        def ours() -> tuple[int, ...] | None:  # other tests' stores on the session's cluster may hold some
            return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vraagbaak'"
                                 ).fetchone()

        before = ours()
        with pytest.raises(psycopg.errors.UndefinedColumn):
            PostgresStore(pg_cluster.url(), schema="taken")
        deadline = time.monotonic() + 5
        while ours() != before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ours() == before


def test_a_pooled_connection_is_pinged_only_after_lying_idle(pg_store: PostgresStore,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A ping on every borrowing was a third of a question's time; one that lay idle may have been ended by the
    server meanwhile, so that one is pinged before it is handed out."""
    from psycopg_pool import ConnectionPool

    from knowledge.postgres import base

    pings: list[object] = []
    real = ConnectionPool.check_connection
    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(lambda conn: (pings.append(conn),
                                                                                       real(conn))[1]))
    # each of the pool's connections is handed out once unchecked by time (never returned); the pool may have
    # grown past one while the first connection was made (a busy machine), and hands them out in turn
    for _ in range(12):
        pg_store.count("inbox")
    pings.clear()
    for _ in range(20):
        pg_store.count("inbox")
    assert pings == []
    monkeypatch.setattr(base, "CHECK_IDLE", 0.05)
    time.sleep(0.1)
    assert pg_store.count("inbox") == 0 and len(pings) == 1
