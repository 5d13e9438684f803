"""A long storm of 429s and 500s on every Web API method, against a real `vraagbaak serve slack --http`
process, while agents keep asking and clicking: afterwards every reply and every note arrives, once.

The suite storms for VRAAGBAAK_STORM_SECONDS (default 10 s); the proof run is 60 s:
``VRAAGBAAK_STORM_SECONDS=60 .venv/bin/python -m pytest tests/slack/test_storm_serving.py tests/teams/test_storm.py``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from bot.config import Settings
from handlers.replies import Action
from tests.slack.driver import SlackSide, click, dm, eventually
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_kill import free_port, serve

pytestmark = pytest.mark.slow

STORM_SECONDS = float(os.environ.get("VRAAGBAAK_STORM_SECONDS", "10"))
QUESTIONS = ("hoe vraag ik een paspoort aan?", "wat kost een parkeervergunning?", "How do I apply for a passport?")


def question_ids(path: str) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT asker_id, id FROM questions").fetchall())


def test_a_long_storm_on_every_method_loses_and_doubles_nothing(fake: FakeSlack, settings: Settings) -> None:
    port = free_port()
    process = serve(settings, port)
    slack = SlackSide(f"http://127.0.0.1:{port}/slack/events", settings.slack_signing_secret)
    asked: list[str] = []
    clicked: list[str] = []
    acks: list[float] = []
    try:
        fake.storm(STORM_SECONDS)
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < STORM_SECONDS:  # a question every 0.5 s, from its own agent's DM
            user = f"U0STORM{n:03d}"
            sent = time.monotonic()
            assert slack.event(dm(QUESTIONS[n % 3], user=user, channel=f"D0STORM{n:03d}")).status == 200
            acks.append(time.monotonic() - sent)
            asked.append(user)
            recorded = question_ids(settings.db_path)
            for earlier in asked[:-1:3]:  # every third agent clicks "helpful" once their question is recorded
                if earlier in recorded and earlier not in clicked:
                    payload = click(Action.HELPFUL, str(recorded[earlier]), user=earlier, channel="C0KCC")
                    assert slack.interaction(payload).status == 200
                    clicked.append(earlier)
            n += 1
            time.sleep(0.5)
        assert fake.storm_until <= time.monotonic() and clicked
        assert max(acks) < 3.0  # Slack's limit: the storm never holds an acknowledgement
        # afterwards: every question answered in its DM, every thanks (a note to one person) shown, once
        eventually(lambda: all(fake.posted(f"D0STORM{i:03d}") for i in range(len(asked))), timeout=120)
        notes = lambda: [c for c in fake.called_full("chat.postEphemeral") if c.result.get("ok")]  # noqa: E731
        eventually(lambda: len(notes()) >= len(clicked), timeout=60)
        time.sleep(3)  # past a lease: nothing else arrives
        assert [len(fake.posted(f"D0STORM{i:03d}")) for i in range(len(asked))] == [1] * len(asked)
        assert sorted(c.args["user"] for c in notes()) == sorted(clicked)
        refused = [c for c in fake.calls if c.result == {} and c.method != "auth.test"]
        assert len(refused) > len(asked)  # it did storm: the first tries were refused
        print(f"slack storm {STORM_SECONDS:g} s: {len(asked)} questions and {len(clicked)} clicks, {len(refused)}"
              f" calls refused, slowest acknowledgement {max(acks) * 1000:.0f} ms; all delivered once")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
