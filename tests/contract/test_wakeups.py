"""Workers are woken by the store, not only by their poll: an event stored by this process (both backends), or on
PostgreSQL by any replica (LISTEN/NOTIFY), is handled in a fraction of the poll interval. The dispatchers here poll
every 30 s, so an event handled within a second was a wake-up."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from bot import bootstrap
from bot.config import Settings
from handlers.dispatch import Dispatcher
from handlers.events import Asked
from knowledge.model import Place, User
from tests.conftest import LOOP_SETTINGS
from tests.contract.conftest import open_store
from tests.fakes import FakeChat

POLL = 30.0
AGENT = User("agent1", "Anna")


def _desk(store: Any, chat: FakeChat) -> Any:
    settings = Settings(db_path="unused.db", escalation_channel="kcc-experts", **LOOP_SETTINGS)
    return bootstrap.build_desk(settings, chat, store=store)


def test_storing_work_wakes_this_process_s_waiters(store: Any) -> None:
    woken: list[bool] = []

    def wait() -> None:
        woken.append(store.wait_for_events(POLL))

    assert store.wait_for_events(0.05) is False  # nothing came (and this thread starts counting from now)
    assert store.wait_for_outbox(0.05) is False
    store.put_event("k:1", "slack", "Asked", {})
    assert store.wait_for_events(2.0) is True  # stored before this thread waited: not lost (at once on SQLite)
    store.put_event("k:2", "slack", "Asked", {}, claim=60.0)  # its caller handles it: nobody woken
    assert store.put_event("k:1", "slack", "Asked", {}) is None  # a redelivery: nobody woken
    with pytest.raises(RuntimeError), store.transaction():
        store.put_event("k:3", "slack", "Asked", {})
        raise RuntimeError("rolled back: nobody woken")
    assert store.wait_for_events(0.3) is False

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    store.queue("send", Place("D1"), {"text": "hoi"})  # another topic: not this one
    store.wake()  # a process stopping its workers wakes every waiter
    thread.join(POLL)
    assert woken == [True] and time.monotonic() - started < 1.0
    assert store.wait_for_outbox(2.0) is True  # the queued message (and the wake: on PostgreSQL two wake-ups)


@pytest.mark.parametrize("replicas", [1, 2])
def test_an_event_submitted_on_one_replica_is_handled_by_another_at_once(spec: dict[str, str], replicas: int) -> None:
    """Replica B runs the workers; the question is submitted on replica A (with SQLite: one process, one store,
    as two SQLite processes have no notices)."""
    if replicas == 2 and "path" in spec:
        pytest.skip("SQLite has no notices between processes: another process's event waits for the poll")
    serving = open_store(spec)
    submitting = open_store(spec) if replicas == 2 else serving
    chat = FakeChat()
    b = Dispatcher(_desk(serving, chat), poll=POLL)
    a = Dispatcher(_desk(submitting, FakeChat()))
    stop = b.start(workers=2, flush_every=3600)
    try:
        time.sleep(0.3)  # the workers found nothing and wait (on PostgreSQL: listening)
        took = []
        for n in range(5):
            started = time.monotonic()
            assert a.submit(Asked(AGENT, "hoe vraag ik een paspoort aan?", Place(f"D{n}"), key=f"Ev{n}"))
            deadline = started + 5.0
            while not chat.to(f"D{n}") and time.monotonic() < deadline:
                time.sleep(0.002)
            took.append(time.monotonic() - started)
            assert chat.to(f"D{n}"), f"not handled within 5 s (the poll is {POLL} s)"
        # the reply's outbox item was sent at once too: the sender waits on the outbox up to 20 s
        assert max(took) < 1.0, took
        assert serving.waiting_events() == 0
    finally:
        stop()
        if submitting is not serving:
            submitting.close()
        serving.close()


def test_a_database_that_stays_away_is_logged_once_with_its_reason_then_a_line_now_and_then(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Any) -> None:
    from knowledge.postgres import wakeups

    monkeypatch.setattr(wakeups, "RETRY_FIRST", 0.01)
    monkeypatch.setattr(wakeups, "RETRY_MAX", 0.02)
    monkeypatch.setattr(wakeups, "QUIET_ATTEMPTS", 5)
    listener = wakeups.Wakeups(f"host={tmp_path} port=5 dbname=none connect_timeout=1", {}, {"events": "s.inbox"})
    began = time.monotonic()
    assert not listener.wait("events", 0.01)  # starts the listener; nothing to connect to
    try:
        while sum("listener" in r.getMessage() for r in caplog.records) < 4 and time.monotonic() - began < 20:
            time.sleep(0.05)
    finally:
        listener.close()
    said = [r for r in caplog.records if "listener" in r.getMessage()]
    assert said[0].getMessage() == "PostgreSQL listener lost its connection; reconnecting" and said[0].exc_info
    assert all(r.getMessage().startswith("PostgreSQL listener still cannot connect (") and not r.exc_info
               for r in said[1:]) and len(said) >= 4
    assert [int(r.getMessage().split("(")[1].split()[0]) for r in said[1:4]] == [5, 10, 15]  # one in five attempts
