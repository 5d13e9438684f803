"""SlackChat against the fake Web API: posts, updates, links, retries, and DeliveryFailed."""

from __future__ import annotations

import time

import pytest

from bot.config import Settings
from bot.slack.chat import SlackChat
from bot.slack.client import web_client
from handlers.ports import DeliveryFailed
from handlers.replies import Action, Button, Line, Message
from knowledge.model import Place
from tests.slack.fake_slack import FakeSlack

MESSAGE = Message(text="Vraag <!channel>", lines=(Line("quote", "Vraag <!channel>"),),
                  buttons=(Button("Markeer", Action.MARK_ANSWER, "3"),))


def test_send_posts_in_the_thread_and_returns_the_new_place(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings))
    posted = chat.send(Place("kcc-experts"), MESSAGE)
    assert posted.channel == "C0EXPERTS" and posted.thread is None and posted.message
    reply = chat.send(Place("C0EXPERTS", thread=posted.message), MESSAGE)
    assert reply.thread == posted.message
    first, second = fake.called("chat.postMessage")
    assert first["channel"] == "kcc-experts" and "thread_ts" not in first
    assert second["thread_ts"] == posted.message
    assert first["text"] == "Vraag &lt;!channel&gt;"
    assert first["blocks"][-1]["elements"][0]["action_id"] == Action.MARK_ANSWER


def test_update_and_link(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings))
    chat.update(Place("C0EXPERTS", message="1700000001.000100"), MESSAGE)
    assert fake.called("chat.update")[0]["ts"] == "1700000001.000100"
    link = chat.link(Place("C0EXPERTS", message="1700000001.000100"))
    assert link == "https://vraagbaak.slack.test/archives/C0EXPERTS/p1700000001000100"
    assert chat.link(Place("C0EXPERTS")) == ""
    fake.fail("chat.getPermalink", error="message_not_found")
    assert chat.link(Place("C0EXPERTS", message="1")) == ""


@pytest.mark.slow
def test_rate_limit_and_server_errors_are_retried(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings))
    fake.fail("chat.postMessage", 429, retry_after=0)
    fake.fail("chat.postMessage", 500)
    posted = chat.send(Place("C0EXPERTS"), MESSAGE)
    assert posted.message and len(fake.called("chat.postMessage")) == 3


@pytest.mark.slow
def test_retries_end_within_the_budget_so_a_claim_on_the_outbox_row_is_never_outlived(
        fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings, budget=2.5))
    fake.fail("chat.postMessage", 429, retry_after=1)  # waiting 1 s (+ up to 1) fits the budget
    fake.fail("chat.postMessage", 429, retry_after=1)  # a second wait would not: the call fails instead
    fake.fail("chat.postMessage", 429, retry_after=1)
    started = time.monotonic()
    with pytest.raises(DeliveryFailed):
        chat.send(Place("C0EXPERTS"), MESSAGE)
    assert len(fake.called("chat.postMessage")) == 2 and time.monotonic() - started < 2.5
    posted = chat.send(Place("C0EXPERTS"), MESSAGE)  # the next try (the outbox's) waits again, within budget
    assert posted.message and len(fake.called("chat.postMessage")) == 4


def test_a_post_that_keeps_failing_raises_delivery_failed(fake: FakeSlack, settings: Settings) -> None:
    chat = SlackChat(web_client(settings, retries=0))
    fake.fail("chat.postMessage", 503)
    with pytest.raises(DeliveryFailed):
        chat.send(Place("C0EXPERTS"), MESSAGE)
    fake.fail("chat.update", error="channel_not_found")
    with pytest.raises(DeliveryFailed):
        chat.update(Place("C0EXPERTS", message="1"), MESSAGE)
    with pytest.raises(DeliveryFailed):
        chat.update(Place("C0EXPERTS"), MESSAGE)


def test_a_note_goes_to_the_dm_only_when_slack_cannot_show_it_in_the_channel(fake: FakeSlack,
                                                                               settings: Settings) -> None:
    chat = SlackChat(web_client(settings, retries=0))
    fake.fail("chat.postEphemeral", error="user_not_in_channel")
    chat.tell("U0ANNA", Place("C0KCC"), MESSAGE)  # not in the channel: a message in Anna's DM instead
    assert [c["channel"] for c in fake.called("chat.postMessage")] == ["D0ANNA"]
    for refusal in ({"status": 429, "retry_after": 1}, {"status": 500}, {"error": "fatal_error"}):
        fake.fail("chat.postEphemeral", **refusal)  # a refusal that passes: the outbox tries the ephemeral again
        with pytest.raises(DeliveryFailed):
            chat.tell("U0ANNA", Place("C0KCC"), MESSAGE)
    assert len(fake.called("chat.postMessage")) == 1  # no DM for those
    chat.tell("U0ANNA", Place("C0KCC"), MESSAGE)
    assert len(fake.called("chat.postEphemeral")) == 5
