"""Errors become an apology and the bot keeps serving; failed posts wait in the outbox; serve's setup."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from bot.config import Settings
from bot.slack.serve import start
from handlers.errors import UserError
from tests.slack.conftest import SECRET, Running
from tests.slack.driver import NONSENSE, SlackSide, dm, eventually, signed_headers


def test_an_unexpected_error_gets_an_apology_and_the_bot_keeps_serving(
    running: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_ask = running.desk.ask

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(running.desk, "ask", broken)
    with caplog.at_level(logging.ERROR):
        running.slack.event(dm("hoe vraag ik een paspoort aan?"))
        apology = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    assert apology["text"].startswith("Sorry, er ging iets mis")
    assert "disk on fire" not in apology["text"]
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "disk on fire" in str(logged[0].exc_info[1])
    monkeypatch.setattr(running.desk, "ask", real_ask)
    running.slack.event(dm("hoe vraag ik een paspoort aan?"))
    answer = eventually(lambda: running.fake.posted("D0AGENT")[1:])[0].args
    assert "Paspoort aanvragen" in answer["text"]


def test_a_failed_escalation_post_waits_in_the_outbox(running: Running) -> None:
    running.fake.fail("chat.postMessage", 500, times=2)  # the first try and its one retry
    running.slack.event(dm(NONSENSE))
    queued = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    assert "klaargezet" in queued["text"]
    running.desk.flush_outbox()  # what the serving process's outbox thread does every 30 s
    post = eventually(lambda: [c for c in running.fake.called_full("chat.postMessage")
                               if c.result.get("ok") and c.result["channel"] == "C0EXPERTS"])[0]
    assert "qwerty" in post.args["text"]
    eventually(lambda: running.store.escalation_at("C0EXPERTS", post.result["ts"]))


def test_start_refuses_without_tokens(settings: Settings) -> None:
    with pytest.raises(UserError, match="SLACK_BOT_TOKEN"):
        start(replace(settings, slack_bot_token=""))
    with pytest.raises(UserError, match="SLACK_SIGNING_SECRET"):
        start(replace(settings, slack_signing_secret=""), http=True)


def test_start_in_http_mode_verifies_and_answers(fake: object, settings: Settings) -> None:
    service = start(settings, http=True, port=0, host="127.0.0.1", flush_every=3600)
    try:
        assert service.port
        side = SlackSide(f"http://127.0.0.1:{service.port}/slack/events", SECRET)
        body = '{"type": "url_verification", "challenge": "abc"}'
        assert side.post(body, "application/json", {}).status == 401
        assert side.post(body, "application/json", signed_headers(SECRET, body)).body.count("abc") == 1
    finally:
        service.stop()
