"""The durable inbox and the races closed in the database: an acknowledged event survives a stop, is handled
once however often it arrives or is handled, and processes racing on one database make one effect each."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from handlers.dispatch import Dispatcher
from handlers.events import Asked, Clicked, Marked
from handlers.ports import Outgoing
from handlers.replies import Action, Message
from knowledge.model import Place, User
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS, demo_copy
from tests.fakes import FakeChat

AGENT, AGENT2, EXPERT = User("agent1", "Anna"), User("agent2", "Bram"), User("expert1", "Piet")
UNKNOWN = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"


def desk_on(path: str, chat: FakeChat | None = None) -> Desk:
    settings = Settings(db_path=path, escalation_channel="kcc-experts", **LOOP_SETTINGS)
    return bootstrap.build_desk(settings, chat or FakeChat(), store=SqliteStore(path))


def test_an_acknowledged_event_is_handled_after_a_stop_exactly_once(desk: Desk, chat: FakeChat) -> None:
    first = Dispatcher(desk)
    assert first.submit(Asked(AGENT, "hoe vraag ik een paspoort aan?", Place("D1"), key="Ev1")) is not None
    # ... the process is killed right after the acknowledgement: nothing was handled
    assert desk.store.count("questions") == 0 and desk.store.waiting_events() == 1
    assert first.submit(Asked(AGENT, "hoe vraag ik een paspoort aan?", Place("D1"), key="Ev1")) is None  # retry
    restarted = Dispatcher(desk_on(desk.store.path, chat))
    assert restarted.drain() == 1 and restarted.drain() == 0
    assert desk.store.count("questions") == 1
    assert [m.text.splitlines()[0] for m in chat.to("D1")] == ["Paspoort aanvragen"]  # one answer, once


def test_an_event_handled_twice_changes_nothing_twice(desk: Desk, chat: FakeChat) -> None:
    """Killed after the use case but before the event was marked done: its claim expires, and it is handled
    again, by this process or another. The question is recorded and escalated once, the reply sent once."""
    dispatcher = Dispatcher(desk, lease=0.001)
    event_id = dispatcher.submit(Asked(AGENT, UNKNOWN, Place("D1"), key="Ev2"))
    row = desk.store.claim_event(0.001, event_id)
    assert row is not None
    dispatcher.guarded(Asked(AGENT, UNKNOWN, Place("D1"), key="Ev2"))  # the use case ran; then the stop
    import time

    time.sleep(1.1)  # the claim (stored at whole seconds) has expired
    assert dispatcher.drain() == 1
    assert desk.store.count("questions") == 1 and desk.store.count("escalations") == 1
    assert len(chat.to("kcc-experts")) == 1 and len(chat.to("D1")) == 1


class Killed(BaseException):
    """What a kill -9 looks like from inside: the work stops wherever it is."""


class DyingChat(FakeChat):
    def __init__(self, die_on: str) -> None:
        super().__init__()
        self.die_on = die_on

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        if place.channel == self.die_on:
            raise Killed()
        return super().send(place, message, outgoing)


def test_a_stop_between_marking_and_relaying_loses_no_relay(tmp_path: Path) -> None:
    path = demo_copy(tmp_path / "mark.db")
    store = SqliteStore(path)
    chat = DyingChat(die_on="D2")
    desk = bootstrap.build_desk(Settings(db_path=path, escalation_channel="kcc-experts"), chat, store=store)
    desk.ask(AGENT, UNKNOWN, Place("D1"))
    desk.ask(AGENT2, UNKNOWN, Place("D2"))  # joins anna's escalation
    [esc] = [e for e, _ in desk.store.open_escalations()]
    reply = Place("kcc-experts", esc.place.message, "r1")
    desk.thread_reply(reply, EXPERT, "Nee, particulieren krijgen geen vergunning.")
    with pytest.raises(Killed):
        desk.mark_answer(reply, EXPERT)  # committed, then killed while relaying to bram
    assert len(chat.to("D1")) == 1 and chat.to("D2") == []  # anna had hers; bram not
    store.close()

    after = FakeChat()
    restarted = desk_on(path, after)
    assert "al beantwoord" in restarted.mark_answer(reply, EXPERT).text  # marking again changes nothing
    restarted.store.db.execute("UPDATE outbox SET claimed_until = ''")  # the dead process's claim expired
    restarted.flush_outbox()
    restarted.flush_outbox()
    assert [m.text.splitlines()[0] for m in after.to("D2")] == ["Antwoord van Piet op je vraag:"]
    assert after.to("D1") == []  # anna had hers before the stop
    assert len(after.updated) == 1  # the escalation post shows the answer, once


# --- processes racing on one database ----------------------------------------------------------------
def _race(path: str, what: str, who: int, start: Any, arg: Any) -> None:
    desk = desk_on(path)
    user = User(f"agent{who}", f"Agent {who}")
    start.wait(30)
    if what == "ask":
        Dispatcher(desk).handle_now(Asked(user, arg, Place(f"D{who}"), key=f"Ev-{who}"))
    elif what == "escalate":
        Dispatcher(desk).handle_now(Clicked(user, Action.ESCALATE, str(arg), Place(f"D{who}"), key=f"c{who}"))
    elif what == "mark":
        Dispatcher(desk).handle_now(Marked(User(f"expert{who}"), Place("kcc-experts", arg[0], arg[1]),
                                           key=f"m{who}"))
    desk.store.close()


def race(path: str, what: str, arg: Any, processes: int) -> list[int | None]:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_race, args=(path, what, n, start, arg)) for n in range(processes)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    return [p.exitcode for p in procs]


@pytest.fixture
def shared(tmp_path: Path) -> str:
    return demo_copy(tmp_path / "race.db")


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_processes_asking_the_same_new_question_make_one_escalation(shared: str, processes: int) -> None:
    assert race(shared, "ask", UNKNOWN, processes) == [0] * processes
    store = SqliteStore(shared)
    assert store.count("questions") == processes and store.count("escalations") == 1
    assert store.count("waiters") == processes
    assert len([r for r in store.pending_outbox()]) == 0
    posts = store.rows("SELECT count(*) AS n FROM outbox WHERE escalation_id IS NOT NULL")[0]["n"]
    assert posts == 1 and store.verify_audit().intact


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_processes_escalating_one_question_escalate_it_once(shared: str, processes: int) -> None:
    desk = desk_on(shared)
    desk.ask(AGENT, "hoe vraag ik een paspoort aan?", Place("D1"))  # answered; every agent presses "ask an expert"
    [q] = desk.store.rows("SELECT id FROM questions")
    desk.store.close()
    assert race(shared, "escalate", q["id"], processes) == [0] * processes
    store = SqliteStore(shared)
    assert store.count("escalations") == 1
    assert store.rows("SELECT count(*) AS n FROM outbox WHERE escalation_id IS NOT NULL")[0]["n"] == 1


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_processes_marking_one_answer_relay_it_once(shared: str, processes: int) -> None:
    desk = desk_on(shared)
    desk.ask(AGENT, UNKNOWN, Place("D1"))
    desk.ask(AGENT2, UNKNOWN, Place("D2"))
    [esc] = [e for e, _ in desk.store.open_escalations()]
    reply = Place("kcc-experts", esc.place.message, "r1")
    desk.thread_reply(reply, EXPERT, "Nee, particulieren krijgen geen vergunning.")
    desk.store.close()
    assert race(shared, "mark", (reply.thread, reply.message), processes) == [0] * processes
    store = SqliteStore(shared)
    relays = store.rows("SELECT channel, count(*) AS n FROM outbox WHERE key LIKE 'relay:%' GROUP BY channel")
    assert {r["channel"]: r["n"] for r in relays} == {"D1": 1, "D2": 1}
    assert store.count("reviews") == 1 and store.count("articles") == store.count("articles")
    assert [r["action"] for r in store.audit_log()].count("mark_answer") == 1


def test_an_idle_worker_looking_for_work_takes_no_write_lock(tmp_path: Path) -> None:
    """Idle workers look for events often (each wake-up, every half second, in every process): with nothing
    waiting, looking must not queue behind another process's write transaction, nor make others queue."""
    import sqlite3
    import time

    path = str(tmp_path / "idle.db")
    store = SqliteStore(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock (an import, a busy worker)
    try:
        started = time.monotonic()
        assert store.claim_event(60.0) is None
        assert time.monotonic() - started < 2.0
    finally:
        other.execute("ROLLBACK")
    assert store.put_event("k1", "console", "Asked", {"x": 1}) is not None
    claimed = store.claim_event(60.0)
    assert claimed is not None and claimed["key"] == "k1" and store.claim_event(60.0) is None


def test_the_timers_are_looked_at_once_a_second_however_often_the_outbox_is_woken(desk: Desk) -> None:
    """Each look at the timers reads every open escalation: on every message sent (and on PostgreSQL every replica
    is woken for every message) a burst of escalations made that quadratic."""
    import time

    looked: list[float] = []
    real = desk.run_timers
    desk.run_timers = lambda: (looked.append(time.monotonic()), real())[1]  # type: ignore[method-assign]
    stop = Dispatcher(desk).start(workers=1, flush_every=3600)
    try:
        time.sleep(0.2)
        for _ in range(40):  # messages queued, 40 wake-ups in 0.8 s
            desk.store.wake("outbox")
            time.sleep(0.02)
    finally:
        stop()
    assert 1 <= len(looked) <= 2, len(looked)
