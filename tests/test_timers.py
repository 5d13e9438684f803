"""Time matters, on a fake clock: reminders when the experts are slow, the second call with a call-back note,
"klant wacht", nothing after an answer or twice, and the owners' weekly digest."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import knowledge.clock
from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from handlers.errors import UserError
from handlers.replies import Action
from handlers.timers import Schedule
from knowledge.model import ChannelSettings, Place, User
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS
from tests.fakes import FakeChat

AGENT, AGENT2, EXPERT, OWNER = User("agent1", "Anna"), User("agent2", "Bram"), User("expert1", "Piet"), User("kim")
UNKNOWN = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def later(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Iterator[Clock]:
    """One fake clock for the use cases and the store's stamps (the store's own clock ran on meanwhile, so on a
    loaded machine "15 minutes later" on the fake one fell seconds short of the escalation's real stamp)."""
    fake = Clock()
    knowledge.clock.use(fake)
    yield fake
    knowledge.clock.use(None)


def desk_with(path: str, chat: FakeChat, clock: Clock, **schedule: object) -> Desk:
    desk = bootstrap.build_desk(Settings(db_path=path, escalation_channel="kcc-experts", **LOOP_SETTINGS), chat,
                                store=SqliteStore(path))
    desk.clock = clock
    desk.schedule = Schedule(**schedule)  # type: ignore[arg-type]
    desk.owners = frozenset({OWNER.id})
    return desk


@pytest.fixture
def timed(demo_store: SqliteStore, chat: FakeChat, clock: Clock) -> Desk:
    return desk_with(demo_store.path, chat, clock)


def escalate(desk: Desk, who: User = AGENT, text: str = UNKNOWN) -> tuple[int, Place]:
    desk.ask(who, text, Place(f"D-{who.id}"))
    q = desk.store.rows("SELECT id FROM questions WHERE asker_id = ? ORDER BY id DESC", [who.id])[0]["id"]
    esc = desk.store.escalation_for_question(q)
    assert esc is not None and esc.place is not None
    return q, esc.place


def in_thread(chat: FakeChat, root: Place) -> list[str]:
    return [m.text for p, m in chat.sent if p.channel == root.channel and p.thread == root.message]


def test_reminder_at_the_target_then_the_backup_channel_and_a_call_back_note(timed: Desk, chat: FakeChat,
                                                                           clock: Clock) -> None:
    timed.store.set_channel_settings(ChannelSettings("kcc-experts", 10, ("p-01",), "kcc-teamleiders"))
    _, root = escalate(timed)
    escalate(timed, AGENT2)  # joins anna's
    clock.later(9)
    assert timed.run_timers() == 0 and in_thread(chat, root) == []
    clock.later(1)
    assert timed.run_timers() == 1
    [reminder] = [m for p, m in chat.sent if p.thread == root.message]
    mentioned = [p.id for line in reminder.lines for p in line.people]
    assert "10 minuten" in reminder.text and mentioned[-1] == "p-01"  # the suggested experts, then the backup
    assert timed.run_timers() == 0  # once
    clock.later(10)
    assert timed.run_timers() == 1
    [again] = chat.to("kcc-teamleiders")
    assert "20 minuten" in again.text and UNKNOWN in "\n".join(line.text for line in again.lines)
    for agent in ("D-agent1", "D-agent2"):
        [note] = chat.to(agent)
        assert "kcc-teamleiders" in note.text and "Terugbelnotitie" in "\n".join(x.text for x in note.lines)
        assert UNKNOWN in note.text and "https://chat.example/" in note.text
    clock.later(60)
    assert timed.run_timers() == 0 and len(chat.sent) == 5  # post, reminder, again, two notes


def test_a_marked_answer_stops_the_timers(timed: Desk, chat: FakeChat, clock: Clock) -> None:
    _, root = escalate(timed)
    reply = Place(root.channel, root.message, "r1")
    timed.thread_reply(reply, EXPERT, "Nee.")
    timed.mark_answer(reply, EXPERT)
    sent = len(chat.sent)
    clock.later(120)
    assert timed.run_timers() == 0 and len(chat.sent) == sent


def test_timers_fire_once_after_a_restart_and_with_two_processes(demo_store: SqliteStore, clock: Clock) -> None:
    first_chat, second_chat = FakeChat(), FakeChat()
    first = desk_with(demo_store.path, first_chat, clock)
    _, root = escalate(first)
    clock.later(15)
    second = desk_with(demo_store.path, second_chat, clock)  # another process, or the same one restarted
    fired = first.run_timers() + second.run_timers() + first.run_timers()
    reminders = [m for chat in (first_chat, second_chat) for p, m in chat.sent if p.thread == root.message]
    assert fired == 1 and len(reminders) == 1
    assert [r["action"] for r in demo_store.audit_log()].count("reminder") == 1


def test_klant_wacht_when_asking_and_afterwards(timed: Desk, chat: FakeChat, clock: Clock) -> None:
    told = timed.ask(AGENT, f"klant wacht: {UNKNOWN}", Place("D-agent1"))
    assert "3 minuten" in told.text or not [b for b in told.buttons if b.action == Action.URGENT]
    q = timed.store.rows("SELECT id, text FROM questions")[0]
    assert q["text"] == UNKNOWN  # the flag is no part of the question
    esc = timed.store.escalation_for_question(q["id"])
    assert esc is not None and esc.urgent
    assert any("Klant wacht" in line.text for _, m in chat.sent for line in m.lines)  # on the post itself
    clock.later(3)
    assert timed.run_timers() == 1

    # afterwards, with the button under "I asked the experts"
    told2 = timed.ask(AGENT2, "qwerty zxcv plof?", Place("D-agent2"))
    [button] = [b for b in told2.buttons if b.action == Action.URGENT]
    with pytest.raises(UserError, match="Alleen wie de vraag stelde"):
        timed.flag_urgent(int(button.value), AGENT)
    assert "3 minuten" in timed.flag_urgent(int(button.value), AGENT2).text


def test_the_weekly_digest_has_what_waits_and_nothing_is_sent_when_nothing_waits(tmp_path: Path,
                                                                              clock: Clock) -> None:
    path = str(tmp_path / "digest.db")
    store = SqliteStore(path)
    chat = FakeChat()
    clock.now = datetime(2026, 11, 30, 7, 59, tzinfo=UTC)  # a Monday, before 08:00
    desk = desk_with(path, chat, clock)
    assert desk.send_digests() == 0  # nothing at all waits: no message
    clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert desk.send_digests() == 0 and chat.sent == []

    bootstrap.load_demo(store)  # articles past their review date
    _, root = escalate(desk)
    reply = Place(root.channel, root.message, "r1")
    desk.thread_reply(reply, EXPERT, "Nee, particulieren krijgen geen vergunning.")
    desk.mark_answer(reply, EXPERT)  # a provisional answer waits for review
    for _ in range(4):
        store.audit(AGENT.id, "feedback", "1", helpful=False, article="nl-paspoort-aanvragen")
    clock.now = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)  # next Monday
    sent_before = len(chat.sent)
    assert desk.send_digests() == 1 and desk.send_digests() == 0  # once a week
    [(place, digest)] = chat.sent[sent_before:]
    assert place.channel == "D-kim"
    assert any(b.action == Action.APPROVE for line in digest.lines for b in line.buttons)
    assert "herziening" in digest.text and "niet nuttig" in digest.text and "Paspoort" in digest.text
    clock.now = datetime(2026, 12, 9, 9, 30, tzinfo=UTC)  # Wednesday: the week's digest went out
    assert desk.send_digests() == 0


def test_klant_wacht_on_a_question_that_only_got_suggestions_makes_its_escalation_urgent(timed: Desk,
                                                                                         chat: FakeChat) -> None:
    reply = timed.ask(AGENT, "klant wacht: parkeren", Place("D-agent1"))  # a word alone: suggestions
    q = timed.store.rows("SELECT id FROM questions")[0]["id"]
    if timed.store.escalation_for_question(q) is None:
        assert "Bedoel je" in reply.text or "zeker" in reply.text
        timed.escalate(q, AGENT)
    esc = timed.store.escalation_for_question(q)
    assert esc is not None and esc.urgent
    [post] = [m for p, m in chat.sent if any(b.action == Action.MARK_ANSWER for b in m.buttons)]
    assert any("Klant wacht" in line.text for line in post.lines)
    # flagged afterwards, before asking an expert: the same
    timed.ask(AGENT2, "parkeren", Place("D-agent2"))
    q2 = timed.store.rows("SELECT id FROM questions WHERE asker_id = 'agent2'")[0]["id"]
    assert "3 minuten" in timed.flag_urgent(q2, AGENT2).text
    timed.escalate(q2, AGENT2)
    assert timed.store.escalation_for_question(q2).urgent
