"""A message in flight when a process is killed is not posted twice on Slack (issue 24, item 9): every message
sent from the outbox carries its outbox id as message metadata, and one that may have been in flight (its
claim lapsed) is looked for in the channel's history before it is posted again. Against the fake Web API."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

import pytest

from bot.bootstrap import build_desk, open_store
from bot.config import Settings
from bot.slack.chat import LOOK_PAGE, OUTBOX_EVENT, SlackChat
from bot.slack.client import web_client
from handlers.desk import Desk
from handlers.ports import DeliveryFailed, Outgoing
from handlers.replies import Message
from knowledge.clock import now
from knowledge.model import Place, User
from tests.slack.driver import NONSENSE
from tests.slack.fake_slack import FakeSlack

AGENT, EXPERT = User("U0AGENT", "Anna"), User("U0EXPERT", "Piet")
EXPERTS = "C0EXPERTS"
LAPSED = "2000-01-01T00:00:00+00:00"


class Killed(BaseException):
    """What a kill -9 looks like from inside: the work stops wherever it is."""


class DyingSlackChat(SlackChat):
    """Killed while posting to the expert channel: after Slack took the post (``after``) or before it left."""

    def __init__(self, client: Any, *, after: bool) -> None:
        super().__init__(client)
        self.after = after

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        if place.channel != EXPERTS:
            return super().send(place, message, outgoing)
        if self.after:
            super().send(place, message, outgoing)
        raise Killed()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The expert channel by its id: Slack reads a channel's history by id only."""
    return replace(settings, escalation_channel=EXPERTS)


def desk_with(settings: Settings, chat: SlackChat) -> Desk:
    return build_desk(settings, chat, store=open_store(settings))


def lapse_claims(settings: Settings) -> None:
    """The killed process's claims run out (as its lease would)."""
    with sqlite3.connect(settings.db_path) as db:
        db.execute("UPDATE outbox SET claimed_until = ? WHERE sent_at = '' AND claimed_until != ''", [LAPSED])


def posts_of(fake: FakeSlack, outbox_id: int) -> list[Any]:
    """The chat.postMessage calls Slack took that carry outbox item ``outbox_id`` as their metadata."""
    return [c for c in fake.called_full("chat.postMessage") if c.result.get("ok")
            and (c.args.get("metadata") or {}).get("event_type") == OUTBOX_EVENT
            and c.args["metadata"]["event_payload"]["outbox_id"] == outbox_id]


def expert_post_item(settings: Settings) -> int:
    with sqlite3.connect(settings.db_path) as db:
        return int(db.execute("SELECT id FROM outbox WHERE key LIKE 'escalation:%'").fetchone()[0])


def test_a_post_slack_took_before_the_kill_is_found_and_not_posted_again(fake: FakeSlack,
                                                                          settings: Settings) -> None:
    client = web_client(settings, retries=1)
    dying = desk_with(settings, DyingSlackChat(client, after=True))
    with pytest.raises(Killed):
        dying.ask(AGENT, NONSENSE, Place("D0AGENT"))  # escalated; killed while Slack's answer was on its way
    item = expert_post_item(settings)
    assert len(posts_of(fake, item)) == 1  # on Slack, unknown to the database
    lapse_claims(settings)

    desk = desk_with(settings, SlackChat(client))
    assert desk.flush_outbox() == 1
    [post] = posts_of(fake, item)  # found, not posted again
    [looked] = fake.called("conversations.history")
    assert looked["channel"] == EXPERTS and looked["include_all_metadata"] in ("1", "true")
    assert float(looked["oldest"]) > 0 and int(looked["limit"]) == LOOK_PAGE
    [esc] = [e for e, _ in desk.store.open_escalations()]
    assert esc.place == Place(EXPERTS, None, post.result["ts"])
    assert desk.store.rows("SELECT count(*) AS n FROM outbox WHERE sent_at = ''")[0]["n"] == 0
    # the expert's reply in its thread is recorded
    assert desk.thread_reply(Place(EXPERTS, post.result["ts"], fake.post_as_someone(EXPERTS, "Nee.")), EXPERT, "Nee.")
    assert [a.author.id for a in desk.store.answers(esc.id)] == [EXPERT.id]


def test_a_post_killed_before_it_reached_slack_is_posted_after_the_look(fake: FakeSlack, settings: Settings) -> None:
    client = web_client(settings, retries=1)
    dying = desk_with(settings, DyingSlackChat(client, after=False))
    with pytest.raises(Killed):
        dying.ask(AGENT, NONSENSE, Place("D0AGENT"))
    item = expert_post_item(settings)
    assert posts_of(fake, item) == []
    lapse_claims(settings)

    desk = desk_with(settings, SlackChat(client))
    assert desk.flush_outbox() == 1
    assert len(fake.called("conversations.history")) == 1
    [post] = posts_of(fake, item)
    [esc] = [e for e, _ in desk.store.open_escalations()]
    assert esc.place == Place(EXPERTS, None, post.result["ts"])


def test_a_look_slack_refuses_is_tried_again_before_any_post(fake: FakeSlack, settings: Settings) -> None:
    client = web_client(settings, retries=0)
    dying = desk_with(settings, DyingSlackChat(client, after=True))
    with pytest.raises(Killed):
        dying.ask(AGENT, NONSENSE, Place("D0AGENT"))
    item = expert_post_item(settings)
    lapse_claims(settings)
    fake.fail("conversations.history", 429, retry_after=0)

    desk = desk_with(settings, SlackChat(client))
    assert desk.flush_outbox() == 0  # Slack would not say: nothing posted, the item waits
    assert desk.flush_outbox() == 1  # asked again: found
    assert len(fake.called("conversations.history")) == 2 and len(posts_of(fake, item)) == 1


def test_a_message_refused_before_is_posted_without_a_look(fake: FakeSlack, settings: Settings) -> None:
    """A refusal (429) means Slack did not take it: nothing to look for on the next try."""
    client = web_client(settings, retries=0)
    fake.fail("chat.postMessage", 429, retry_after=0)
    desk = desk_with(settings, SlackChat(client))
    desk.ask(AGENT, NONSENSE, Place("D0AGENT"))
    assert desk.flush_outbox() == 1
    assert fake.called("conversations.history") == [] and len(posts_of(fake, expert_post_item(settings))) == 1


# --- SlackChat.find_sent on its own ------------------------------------------------------------------------


def test_every_post_carries_its_outbox_item_and_is_found_by_it(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings))
    mine = Outgoing(41, "reply:slack:Ev1", now())
    root = chat.send(Place(EXPERTS), Message(text="vraag"), mine)
    assert fake.called("chat.postMessage")[0]["metadata"] == {
        "event_type": OUTBOX_EVENT, "event_payload": {"outbox_id": 41, "key": "reply:slack:Ev1"}}
    assert chat.find_sent(Place(EXPERTS), mine) == root
    assert chat.find_sent(Place(EXPERTS), Outgoing(42, "reply:slack:Ev1", now())) is None
    assert chat.find_sent(Place(EXPERTS), Outgoing(41, "reply:slack:Ev2", now())) is None  # another install's 41

    in_thread = Outgoing(43, "reminder:7", now())
    reply = chat.send(Place(EXPERTS, thread=root.message), Message(text="herinnering"), in_thread)
    assert chat.find_sent(Place(EXPERTS, thread=root.message), in_thread) == reply
    assert fake.called("conversations.replies")[0]["ts"] == root.message


def test_a_post_behind_a_busy_channel_is_found_on_a_later_page(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings))
    mine = Outgoing(7, "escalation:7", now())
    posted = chat.send(Place(EXPERTS), Message(text="vraag"), mine)
    for n in range(2 * LOOK_PAGE + 10):
        fake.post_as_someone(EXPERTS, f"bericht {n}")
    assert chat.find_sent(Place(EXPERTS), mine) == posted
    assert len(fake.called("conversations.history")) == 3


def test_what_cannot_be_looked_at_is_posted_again_and_a_busy_slack_later(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings, retries=0))
    mine = Outgoing(9, "escalation:9", now())
    chat.send(Place("kcc-experts"), Message(text="vraag"), mine)
    assert chat.find_sent(Place("kcc-experts"), mine) is None  # a channel by name: history needs its id
    assert fake.called("conversations.history") == []
    fake.fail("conversations.history", 200, error="missing_scope")
    assert chat.find_sent(Place(EXPERTS), mine) is None  # no channels:history: posted again rather than never
    fake.fail("conversations.history", 429, retry_after=0)
    with pytest.raises(DeliveryFailed):  # asked again later, rather than risk a second post
        chat.find_sent(Place(EXPERTS), mine)
