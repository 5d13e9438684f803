"""A long storm of 429s and 500s on every Bot Connector call, against a real `vraagbaak serve teams` process,
while agents keep asking and clicking "helpful": every activity is acknowledged in time, and afterwards every
reply and every thanks arrives, once. VRAAGBAAK_STORM_SECONDS sets the length (10 s in the suite; the proof run
is 60 s, see tests/slack/test_storm_serving.py)."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from handlers.replies import Action
from tests.slack.test_kill import free_port
from tests.slack.test_storm_serving import QUESTIONS, STORM_SECONDS
from tests.teams.fakes import FakeMicrosoft, bot_token
from tests.teams.harness import activity
from tests.teams.test_kill import post, replies_to, serve, teams_db

pytestmark = pytest.mark.process


def test_a_long_storm_on_the_connector_loses_and_doubles_nothing(ms: FakeMicrosoft, tmp_path: Path,
                                                                 signing_key: rsa.RSAPrivateKey) -> None:
    db = teams_db(tmp_path)
    port = free_port()
    process = serve(ms, db, port)
    token = bot_token(signing_key, "key-1", service_url=ms.service_url)
    asked: list[dict[str, object]] = []
    clicks: list[dict[str, object]] = []
    acks: list[float] = []
    try:
        ms.storm_until = time.monotonic() + STORM_SECONDS
        n = 0
        while time.monotonic() < ms.storm_until:  # a question every 0.5 s, each agent in their own chat
            act = activity("personal_message", ms.service_url, TEXT=QUESTIONS[n % 3], USER=f"storm-{n}",
                           CONVERSATION=f"a:storm-{n}")
            sent = time.monotonic()
            assert post(port, act, token) == 200
            acks.append(time.monotonic() - sent)
            asked.append(act)
            with sqlite3.connect(db) as conn:
                recorded = dict(conn.execute("SELECT asker_id, id FROM questions").fetchall())
            if n >= 2 and n % 3 == 2 and f"storm-{n - 2}" in recorded:  # an earlier agent clicks "helpful"
                click = activity("card_submit", ms.service_url, ACTION=Action.HELPFUL,
                                 VALUE=str(recorded[f"storm-{n - 2}"]), USER=f"storm-{n - 2}",
                                 CONVERSATION=f"a:storm-{n - 2}")
                assert post(port, click, token) == 200
                clicks.append(click)
            n += 1
            time.sleep(0.5)
        assert max(acks) < 15.0 and clicks  # Teams' limit: the storm never holds an acknowledgement past it

        deadline = time.monotonic() + 120
        everything = [*asked, *clicks]
        while not all(replies_to(ms, a, taken=True) for a in everything) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(7)  # past a lease: nothing else arrives
        assert [len(replies_to(ms, a, taken=True)) for a in everything] == [1] * len(everything)
        thanks = [replies_to(ms, c, taken=True)[0]["json"] for c in clicks]
        assert all("Dank je" in str(reply) for reply in thanks)
        refused = [c for c in ms.connector_calls() if int(c["status"]) >= 400]
        assert len(refused) > len(everything)  # it did storm: first tries were refused
        print(f"teams storm {STORM_SECONDS:g} s: {len(asked)} questions and {len(clicks)} clicks, {len(refused)}"
              f" connector calls refused, slowest acknowledgement {max(acks) * 1000:.0f} ms; all delivered once")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
