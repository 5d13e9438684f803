"""A storm of 429s and 500s on every Web API method the replies use: afterwards every reply and every note to
one person arrives, once."""

from __future__ import annotations

import time

import pytest

from handlers.replies import Action
from tests.slack.conftest import Running
from tests.slack.driver import click, dm, eventually

pytestmark = pytest.mark.slow

QUESTION = "hoe vraag ik een paspoort aan?"


def test_after_a_storm_every_reply_and_notice_arrives_once(running: Running) -> None:
    fake, store = running.fake, running.store
    for method in ("chat.postMessage", "chat.postEphemeral", "conversations.open"):
        fake.fail(method, 500, times=6)
        fake.fail(method, 429, times=6, retry_after=0)
    dms = [f"D0STORM{n}" for n in range(8)]
    for n, channel in enumerate(dms):
        assert running.slack.event(dm(QUESTION, user=f"U0STORM{n}", channel=channel)).status == 200
    eventually(lambda: store.count("questions") == len(dms), timeout=60)
    asked = {r["asker_id"]: r["id"] for r in store.rows("SELECT id, asker_id FROM questions")}
    for n in range(4):  # each asker clicks "helpful" in a channel: the thanks is a note to one person
        payload = click(Action.HELPFUL, str(asked[f"U0STORM{n}"]), user=f"U0STORM{n}", channel="C0KCC")
        assert running.slack.interaction(payload).status == 200
    eventually(lambda: store.waiting_events() == 0 and store.count("inbox") == len(dms) + 4, timeout=60)

    deadline = time.monotonic() + 90
    while store.pending_outbox() and time.monotonic() < deadline:  # the outbox timer, faster (a loaded machine: slow)
        running.desk.flush_outbox()
    assert store.pending_outbox() == []
    for channel in dms:
        assert len(fake.posted(channel)) == 1, channel
    notes = [c for c in fake.called_full("chat.postEphemeral") if c.result.get("ok")]
    assert sorted(c.args["user"] for c in notes) == [f"U0STORM{n}" for n in range(4)]
    assert all("Dank je" in c.args["text"] for c in notes)
