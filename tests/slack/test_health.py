"""/healthz, /readyz and /metrics of the Slack bot: on the HTTP port in HTTP mode, on a side port in Socket Mode;
questions asked through signed requests move the counters."""

from __future__ import annotations

import os
import threading
from dataclasses import replace

from bot.config import Settings
from bot.slack.serve import start
from tests.scrape import get, scrape
from tests.slack.conftest import Running
from tests.slack.driver import dm, escalate, eventually, expert_reply, reaction
from tests.slack.fake_slack import FakeSlack


def base(running: Running) -> str:
    return running.slack.url.removesuffix("/slack/events")


def test_alive_and_ready(running: Running) -> None:
    assert get(f"{base(running)}/healthz")[::2] == (200, "ok\n")
    assert get(f"{base(running)}/readyz")[::2] == (200, "ready\n")
    assert running.fake.called("auth.test")  # Slack's part of ready: the token works


def test_not_ready_while_slack_is_unreachable(running: Running) -> None:
    running.fake.stop()
    status, _, body = get(f"{base(running)}/readyz")
    assert status == 503 and body.startswith("slack: auth.test failed") and "database" not in body
    assert get(f"{base(running)}/healthz")[0] == 200  # alive all the same


def test_not_ready_when_slack_refuses_the_token(running: Running) -> None:
    running.fake.fail("auth.test", 200, error="invalid_auth", times=5)
    status, _, body = get(f"{base(running)}/readyz")
    assert (status, body) == (503, "slack: auth.test answered invalid_auth\n")


def test_not_ready_when_the_database_is_gone(running: Running) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(running.settings.db_path + suffix):
            os.remove(running.settings.db_path + suffix)
    status, _, body = get(f"{base(running)}/readyz")
    assert status == 503 and body.startswith("database: unable to open database file")


def test_metrics_count_questions_escalations_replies_and_marks(running: Running) -> None:
    before = scrape(base(running))
    assert before['vraagbaak_questions_total{decision="answer"}'] == 0
    assert before["vraagbaak_escalations_open"] == 0 and before["vraagbaak_inbox_backlog"] == 0
    assert before['vraagbaak_build_info{platform="slack",version="' + _version() + '"}'] == 1
    for question in ("hoe vraag ik een paspoort aan?", "Wat kost een rijbewijs verlengen?", "hallo"):
        running.slack.event(dm(question))
    eventually(lambda: len(running.fake.posted("D0AGENT")) == 3)
    channel, root = escalate(running)
    ts = expert_reply(running, channel, root, "Dat is een toetsenbord, geen vraag.")
    after_reply = scrape(base(running))
    assert after_reply["vraagbaak_escalations_open"] == 1
    running.slack.event(reaction(channel, ts))
    eventually(lambda: running.fake.called("chat.update"))
    found = scrape(base(running))
    asked = {k.split('"')[1]: v for k, v in found.items() if k.startswith("vraagbaak_questions_total")}
    assert asked["answer"] >= 1 and asked["no_question"] == 1 and asked["escalate"] == 1
    assert sum(asked.values()) == 4
    assert found["vraagbaak_search_seconds_count"] == 4  # the greeting too: search tells it is none
    assert found["vraagbaak_escalations_total"] == 1 and found["vraagbaak_escalations_open"] == 0
    assert after_reply["vraagbaak_first_reply_seconds_count"] == 1
    assert found["vraagbaak_answer_marked_seconds_count"] == 1
    assert found['vraagbaak_first_reply_seconds_bucket{le="60.0"}'] == 1  # replied within the minute
    assert found["vraagbaak_outbox_backlog"] == 0 and found["vraagbaak_store_up"] == 1


def test_delivery_failures_and_the_outbox_backlog(running: Running) -> None:
    running.fake.fail("chat.postMessage", 500, times=2)  # the first try and its one retry
    running.slack.event(dm("hoe vraag ik een paspoort aan?"))
    found = eventually(lambda: (s := scrape(base(running)))['vraagbaak_delivery_failures_total{kind="send"}'] and s)
    assert found['vraagbaak_delivery_failures_total{kind="send"}'] == 1
    assert found["vraagbaak_outbox_backlog"] == 1 and found["vraagbaak_outbox_oldest_seconds"] >= 0


def test_socket_mode_answers_on_a_side_port(fake: FakeSlack, settings: Settings) -> None:
    fake.ws_url = "ws://127.0.0.1:9/unreachable"  # no websocket: only the side port is looked at
    service = start(replace(settings, slack_app_token="xapp-1-A0VRAAG-test", slack_signing_secret=""))
    try:
        assert service.port is None and service.health_port
        side = f"http://127.0.0.1:{service.health_port}"
        assert get(f"{side}/healthz")[::2] == (200, "ok\n")
        assert get(f"{side}/readyz")[::2] == (200, "ready\n")
        assert 'vraagbaak_questions_total{decision="answer"}' in scrape(side)
        assert get(f"{side}/slack/events")[0] == 404
    finally:
        threading.Thread(target=service.stop, daemon=True).start()


def _version() -> str:
    from bot.metrics import _version as version

    return version()
