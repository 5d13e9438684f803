"""HTTP mode: every request is verified, repeats are dropped, Slack's URL check is answered."""

from __future__ import annotations

import io
import json
import logging
import time
import urllib.error
import urllib.request

import pytest

from bot import logs
from tests.slack.conftest import SECRET, Running, payload
from tests.slack.driver import dm, eventually, signed_headers
from tests.test_privacy_at_rest import ANNA, leaks

QUESTION = "hoe vraag ik een paspoort aan?"


def question_count(running: Running) -> int:
    return int(running.store.rows("SELECT count(*) AS n FROM questions")[0]["n"])


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: {}, id="missing"),
        pytest.param(lambda body: signed_headers("not-the-secret", body), id="wrong-secret"),
        pytest.param(lambda body: signed_headers(SECRET, body + " "), id="other-body"),
        pytest.param(lambda body: signed_headers(SECRET, body, timestamp=int(time.time()) - 301), id="too-old"),
        pytest.param(lambda body: {**signed_headers(SECRET, body), "X-Slack-Signature": "v0=00"}, id="garbled"),
    ],
)
def test_unverified_requests_get_401_and_change_nothing(running: Running, headers) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps(dm(QUESTION))
    response = running.slack.post(body, "application/json", headers(body))
    assert response.status == 401
    time.sleep(0.05)  # a wrongly accepted event would be handled in the background by now
    assert question_count(running) == 0
    assert running.fake.called("chat.postMessage") == []


def test_a_signed_request_is_accepted(running: Running) -> None:
    assert running.slack.event(dm(QUESTION)).status == 200
    eventually(lambda: running.fake.called("chat.postMessage"))
    assert question_count(running) == 1


def test_retries_and_duplicates_answer_once(running: Running) -> None:
    envelope = dm(QUESTION)
    assert running.slack.event(envelope).status == 200
    assert running.slack.event(envelope, retry=1).status == 200
    assert running.slack.event(envelope, retry=2).status == 200
    eventually(lambda: running.fake.called("chat.postMessage"))
    time.sleep(0.1)
    assert len(running.fake.called("chat.postMessage")) == 1
    assert question_count(running) == 1


def test_dedupe_survives_a_restart(running: Running) -> None:
    from bot.bootstrap import build_desk, open_store
    from bot.slack import build_app
    from bot.slack.chat import SlackChat
    from bot.slack.client import web_client
    from tests.slack.driver import SlackSide

    envelope = dm(QUESTION)
    running.slack.event(envelope)
    eventually(lambda: running.fake.called("chat.postMessage"))
    client = web_client(running.settings)
    store = open_store(running.settings)
    restarted = build_app(running.settings, build_desk(running.settings, SlackChat(client), store=store),
                          client=client)
    side = SlackSide.serving(restarted, SECRET)
    try:
        assert side.event(envelope, retry=3).status == 200
        time.sleep(0.1)
    finally:
        side.stop()
    assert len(running.fake.called("chat.postMessage")) == 1


def test_url_verification_and_wrong_path(running: Running) -> None:
    challenge = payload("url_verification")
    response = running.slack.event(challenge)
    assert response.status == 200 and challenge["challenge"] in response.body
    url = running.slack.url.replace("/slack/events", "/elsewhere")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=5)
    assert error.value.code == 404


def test_a_slack_request_with_a_bad_signature_is_refused_and_its_body_is_not_logged(running: Running) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(logs.PrivateRecords())
    root = logging.getLogger()
    # what -v does: Bolt's loggers copy the root's level when the app is built, so set theirs too
    loggers = [root, *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.startswith("slack"))]
    levels = [lg.level for lg in loggers]
    root.addHandler(handler)
    for lg in loggers:
        lg.setLevel(logging.INFO)
    try:
        body = json.dumps(dm(ANNA))
        response = running.slack.post(body, "application/json", signed_headers("not-the-secret", body))
        time.sleep(0.05)
    finally:
        root.removeHandler(handler)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
    assert response.status == 401
    text = buffer.getvalue()
    assert "Invalid request signature" in text  # Bolt did log the refusal: the test sees real log lines
    assert leaks(text) == [] and "toeslag" not in text
