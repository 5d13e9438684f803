"""Marking the answer: the message shortcut, the button on the escalation post, ✅ only on real replies."""

from __future__ import annotations

import time

from handlers.replies import Action
from tests.slack.conftest import Running
from tests.slack.driver import buttons, click, escalate, eventually, expert_reply, reaction, shortcut

REPLY = "Stuur de inwoner naar het formulier op de site."


def test_mark_with_the_message_shortcut(running: Running) -> None:
    channel, root = escalate(running)
    reply_ts = expert_reply(running, channel, root, REPLY)
    data = shortcut("shortcut_markeer_antwoord", user="U0DEMO05", channel=channel,
                    message={"ts": reply_ts, "thread_ts": root, "text": REPLY})
    assert running.slack.interaction(data).status == 200
    relay = eventually(lambda: running.fake.posted("D0AGENT")[1:])[0].args
    assert "formulier" in relay["text"]
    update = running.fake.wait_for("chat.update")[0]
    assert (update["channel"], update["ts"]) == (channel, root)
    note = running.fake.wait_for("chat.postEphemeral")[0]
    assert note["user"] == "U0DEMO05" and note["thread_ts"] == root and "Gemarkeerd" in note["text"]


def test_mark_latest_with_the_button(running: Running) -> None:
    channel, root = escalate(running)
    post = [c for c in running.fake.called("chat.postMessage") if c["channel"] != "D0AGENT"][0]
    esc_id = buttons(post["blocks"])[Action.MARK_ANSWER][0]
    running.slack.interaction(click(Action.MARK_ANSWER, esc_id, user="U0DEMO05", channel=channel, message_ts=root))
    too_early = running.fake.wait_for("chat.postEphemeral")[0]
    assert "nog geen reactie" in too_early["text"]
    expert_reply(running, channel, root, "eerste gedachte")
    expert_reply(running, channel, root, REPLY)
    running.slack.interaction(click(Action.MARK_ANSWER, esc_id, user="U0DEMO05", channel=channel, message_ts=root))
    relay = eventually(lambda: running.fake.posted("D0AGENT")[1:])[0].args
    assert "formulier" in relay["text"] and "eerste gedachte" not in relay["text"]


def test_shortcut_on_a_message_that_is_no_reply_explains(running: Running) -> None:
    data = shortcut("shortcut_markeer_antwoord", user="U0AGENT", channel="C0KCC",
                    message={"ts": "1700000123.000100", "text": "willekeurig"})
    data["message"].pop("thread_ts")
    running.slack.interaction(data)
    note = running.fake.wait_for("chat.postEphemeral")[0]
    assert note["channel"] == "C0KCC" and "geen reactie in een expertvraag" in note["text"]


def test_reactions_elsewhere_stay_silent(running: Running) -> None:
    channel, root = escalate(running)
    reply_ts = expert_reply(running, channel, root, REPLY)
    running.slack.event(reaction("C0RANDOM", "1700000555.000100"))  # ✅ on any message
    running.slack.event(reaction(channel, reply_ts, name="thumbsup"))  # another emoji on the reply
    running.slack.event(reaction(channel, reply_ts, user="UBOT"))  # the bot itself
    time.sleep(0.2)
    assert running.fake.called("chat.postEphemeral") == [] and running.fake.called("chat.update") == []
    assert len(running.fake.posted("D0AGENT")) == 1


def test_the_bots_own_thread_messages_are_no_answers(running: Running) -> None:
    channel, root = escalate(running)
    from tests.slack.driver import thread_reply

    own = thread_reply("door de bot", channel=channel, thread=root, user="UBOT")
    other_bot = thread_reply("door een bot", channel=channel, thread=root)
    other_bot["event"]["bot_id"] = "B0OTHER"
    running.slack.event(own)
    running.slack.event(other_bot)
    time.sleep(0.2)
    assert running.store.answer_at(channel, own["event"]["ts"]) is None
    assert running.store.answer_at(channel, other_bot["event"]["ts"]) is None
