"""A message in flight when a process is killed is sent again by another (issue 24, item 9): every post of an
escalation is then its thread, and a platform that can tell (Slack, tests/slack/test_duplicates.py) is asked
first whether the message is there already. Here the platform-neutral part, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from handlers.ports import Outgoing
from handlers.replies import Message, message_from_dict
from knowledge.model import Place, User
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS, demo_copy
from tests.fakes import FakeChat

AGENT, EXPERT, EXPERT2 = User("agent1", "Anna"), User("expert1", "Piet"), User("expert2", "Joke")
UNKNOWN = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"
LAPSED = "2000-01-01T00:00:00+00:00"


def desk_on(path: str, chat: FakeChat) -> Desk:
    settings = Settings(db_path=path, escalation_channel="kcc-experts", **LOOP_SETTINGS)
    return bootstrap.build_desk(settings, chat, store=SqliteStore(path))


def killed_after_posting(desk: Desk) -> Place:
    """What ``Desk._send`` does up to a kill -9: claim the waiting escalation post, have the platform take it,
    record where it went; the process dies before it marks the item sent."""
    item = desk.store.claim_outbox(desk.lease)
    assert item is not None and item["escalation_id"]
    posted = desk.chat.send(Place(item["channel"]), message_from_dict(item["payload"]))
    desk.store.set_escalation_post(item["escalation_id"], posted)
    return posted


def lapse_claims(desk: Desk) -> None:
    """The dead process's claims run out (as its lease would)."""
    desk.store.db.execute("UPDATE outbox SET claimed_until = ? WHERE sent_at = '' AND claimed_until != ''", [LAPSED])


def test_an_escalation_posted_again_after_a_kill_has_both_posts_as_its_threads(tmp_path: Path) -> None:
    path = demo_copy(tmp_path / "dup.db")
    chat = FakeChat()
    dying = desk_on(path, chat)
    chat.failing = True  # the expert post waits in the outbox (the platform refused it once) ...
    dying.ask(AGENT, UNKNOWN, Place("D1"))
    chat.failing = False  # ... and its next try is the one the kill interrupts
    one = killed_after_posting(dying)
    lapse_claims(dying)

    desk = desk_on(path, chat)  # the next process, on the same platform
    assert desk.flush_outbox() == 1  # the platform cannot tell it has it: posted again
    assert len(chat.to("kcc-experts")) == 2
    [esc] = [e for e, _ in desk.store.open_escalations()]
    two = desk.store.escalation_posts(esc.id)[1]
    assert desk.store.escalation_posts(esc.id) == [Place("kcc-experts", None, one.message), two]
    assert esc.place == Place("kcc-experts", None, one.message)  # the first stays the link the asker has

    # An expert answers in each thread: both are the escalation's (before, the second post took the first's place)
    in_first = Place("kcc-experts", one.message, "r1")
    in_second = Place("kcc-experts", two.message, "r2")
    assert desk.thread_reply(in_first, EXPERT, "Nee, particulieren krijgen geen vergunning.")
    assert desk.thread_reply(in_second, EXPERT2, "Nee, alleen professionals met een ontheffing.")
    assert [a.author.id for a in desk.store.answers(esc.id)] == ["expert1", "expert2"]

    # The mark in the second thread is relayed, once; a mark in the first thread after it changes nothing
    assert "doorgestuurd naar 1 collega" in desk.mark_answer(in_second, EXPERT2).text
    assert "al beantwoord" in desk.mark_answer(in_first, EXPERT).text
    desk.flush_outbox()
    relays = [m.text.splitlines()[0] for m in chat.to("D1")]
    assert relays == ["Antwoord van Joke op je vraag:"]
    # both posts show the answer
    assert sorted(p.message or "" for p, _ in chat.updated) == sorted([one.message or "", two.message or ""])


class RememberingChat(FakeChat):
    """A platform that keeps which outbox item each post was, as Slack does in message metadata."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[tuple[str, int, str], Place] = {}
        self.looked: list[Outgoing] = []

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        posted = super().send(place, message, outgoing)
        if outgoing is not None:
            self.marks[(place.channel, outgoing.id, outgoing.key)] = posted
        return posted

    def find_sent(self, place: Place, outgoing: Outgoing) -> Place | None:
        self.looked.append(outgoing)
        return self.marks.get((place.channel, outgoing.id, outgoing.key))


def test_a_post_in_flight_at_a_kill_is_looked_for_first_and_not_posted_again(tmp_path: Path) -> None:
    path = demo_copy(tmp_path / "found.db")
    chat = RememberingChat()
    dying = desk_on(path, chat)
    chat.failing = True
    dying.ask(AGENT, UNKNOWN, Place("D1"))
    chat.failing = False
    item = dying.store.claim_outbox(dying.lease)  # claimed and posted; killed before anything was recorded
    assert item is not None and not item["in_doubt"]
    posted = chat.send(Place(item["channel"]), message_from_dict(item["payload"]),
                       Outgoing(item["id"], item["key"], item["created_at"]))
    lapse_claims(dying)

    desk = desk_on(path, chat)
    assert desk.flush_outbox() == 1
    assert len(chat.to("kcc-experts")) == 1  # found where it was, not posted again
    assert [o.id for o in chat.looked] == [item["id"]]
    [esc] = [e for e, _ in desk.store.open_escalations()]
    assert esc.place == posted and desk.store.escalation_posts(esc.id) == [posted]
    assert desk.store.rows("SELECT count(*) AS n FROM outbox WHERE sent_at = ''")[0]["n"] == 0


def test_only_a_claim_that_lapsed_makes_a_message_in_doubt(tmp_path: Path) -> None:
    """A refusal is not in doubt (the platform said no: nothing to look for); a claim that ran out is, and stays
    so until the message is sent (a look refused by a busy platform is tried again)."""
    store = SqliteStore(demo_copy(tmp_path / "doubt.db"))
    refused = store.queue("send", Place("C1"), {"text": "a"})
    claimed = store.claim_outbox(60, refused)
    assert claimed is not None and not claimed["in_doubt"]
    store.outbox_result(refused, "ratelimited")
    again = store.claim_outbox(60, refused)
    assert again is not None and not again["in_doubt"]
    store.db.execute("UPDATE outbox SET claimed_until = ? WHERE id = ?", [LAPSED, refused])
    lapsed = store.claim_outbox(60, refused)
    assert lapsed is not None and lapsed["in_doubt"]
    store.outbox_result(refused, "ratelimited")  # the look, or the post after it, refused: still in doubt
    after = store.claim_outbox(60, refused)
    assert after is not None and after["in_doubt"]
    queued = store.queue("send", Place("C1"), {"text": "b"}, claim=60)  # queued claimed by its sender, who died
    store.db.execute("UPDATE outbox SET claimed_until = ? WHERE id = ?", [LAPSED, queued])
    taken = store.claim_outbox(60, queued)
    assert taken is not None and taken["in_doubt"]
