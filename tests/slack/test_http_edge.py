"""The HTTP edge holds against clients that are slow, many, or send garbage: timeouts, a connection limit,
400 with a log line for what cannot be parsed, and no exception out of the handler for any payload shape."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.slack.http import PATH, make_server
from tests.slack.conftest import SECRET, Running, payload
from tests.slack.driver import signed_headers

Server = tuple[str, int]


@pytest.fixture
def bounded(running: Running) -> Iterator[Server]:
    """The same app served with a short read timeout and room for two connections."""
    server = make_server(running.app, host="127.0.0.1", port=0, read_timeout=0.3, max_connections=2)
    threading.Thread(target=lambda: server.serve_forever(poll_interval=0.01), daemon=True).start()
    yield "127.0.0.1", int(server.server_address[1])
    server.shutdown()
    server.server_close()


def raw(address: Server, data: bytes, *, wait: float = 5.0) -> bytes:
    """Send ``data`` on a new connection and read what comes back until the server closes it."""
    with socket.create_connection(address, timeout=wait) as conn:
        conn.sendall(data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def request(body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {PATH} HTTP/1.1", "Host: test", "Connection: close", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_a_body_that_is_not_utf8_gets_400_and_a_log_line(running: Running, caplog: pytest.LogCaptureFixture) -> None:
    address = running.slack.server.server_address
    body = b'{"type": "event_callback", "x": "\xff\xfe"}'
    with caplog.at_level(logging.WARNING, logger="bot.slack.http"):
        response = raw(address, request(body, {"Content-Type": "application/json", "Content-Length": str(len(body))}))
    assert status(response) == 400
    assert "not UTF-8" in caplog.text and "\\xff" not in caplog.text


@pytest.mark.parametrize(("body", "content_type"), [
    ("{not json", "application/json"),
    ("[1, 2, 3]", "application/json"),
    ("42", "application/json"),
    ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ("payload=%5B%5D", "application/x-www-form-urlencoded"),
])
def test_a_signed_body_that_is_no_payload_gets_400_and_a_log_line(
        running: Running, caplog: pytest.LogCaptureFixture, body: str, content_type: str) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.slack.http"):
        response = running.slack.post(body, content_type, signed_headers(SECRET, body))
    assert response.status == 400
    assert "cannot parse" in caplog.text


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", ""])
def test_an_invalid_content_length_gets_400(running: Running, length: str) -> None:
    address = running.slack.server.server_address
    assert status(raw(address, request(b"{}", {"Content-Length": length}))) == (400 if length else 401)


@pytest.mark.parametrize("timestamp", ["abc", "", " ", "9" * 5000, "1e9", "-1", "12.5", "١٧٠٠٠٠٠٠٠٠"],
                         ids=["letters", "empty", "space", "huge", "exponent", "negative", "fraction", "arabic"])
def test_a_bad_timestamp_header_gets_401_without_a_traceback(
        running: Running, caplog: pytest.LogCaptureFixture, timestamp: str) -> None:
    """A timestamp Bolt's verifier cannot read (int() raised: 500 and a traceback) is refused like a bad
    signature, even with a signature made with the real secret over that timestamp."""
    body = json.dumps(payload("event_message_im"))
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body.encode())),
               "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": signed_headers(SECRET, body)["X-Slack-Signature"]}
    before = running.store.rows("SELECT count(*) AS n FROM inbox")[0]["n"]
    with caplog.at_level(logging.INFO):
        response = raw(running.slack.server.server_address, request(body.encode(), headers))
    assert status(response) == 401
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert running.store.rows("SELECT count(*) AS n FROM inbox")[0]["n"] == before


def test_a_half_sent_request_is_dropped_after_the_read_timeout(bounded: Server) -> None:
    started = time.monotonic()
    with socket.create_connection(bounded, timeout=5) as conn:
        conn.sendall(request(b'{"type": "ev', {"Content-Length": "100", "Content-Type": "application/json"}))
        assert conn.recv(100) == b""  # closed by the server, nothing answered
    assert time.monotonic() - started < 2.0
    with socket.create_connection(bounded, timeout=5) as conn:
        conn.sendall(b"POST /slack/ev")  # not even a request line
        assert conn.recv(100) == b""


def test_connections_past_the_limit_get_503_at_once_and_the_slots_come_back(bounded: Server) -> None:
    held = [socket.create_connection(bounded, timeout=5) for _ in range(2)]
    try:
        for conn in held:
            conn.sendall(b"POST /slack/events HTTP/1.1\r\n")  # half-sent: each holds a handler thread
        time.sleep(0.05)
        started = time.monotonic()
        assert status(raw(bounded, request(b"{}", {"Content-Length": "2"}))) == 503
        assert time.monotonic() - started < 0.25  # well before the read timeout frees a slot
    finally:
        for conn in held:
            conn.close()
    time.sleep(0.4)  # the held connections' threads end
    assert status(raw(bounded, request(b"{}", {"Content-Length": "2"}))) == 401  # served again (unsigned)


# --- any payload shape: no exception escapes, a 2xx or 4xx comes back ---------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
RECORDED = ["event_message_im", "event_app_mention", "event_thread_reply", "event_reaction_added",
            "event_app_home_opened", "block_actions", "block_actions_home", "shortcut_markeer_antwoord",
            "shortcut_vraag_bericht", "view_submission_edit", "view_submission_merge", "url_verification"]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A recorded payload with a few of its fields (anywhere in it) replaced by any JSON value."""
    data = payload(draw(st.sampled_from(RECORDED)))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(paths(data)))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = draw(JSON)
    return data


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.one_of(mutated(), JSON), form=st.booleans(), signed=st.booleans())
def test_any_payload_shape_gets_a_2xx_or_4xx(running: Running, body: Any, form: bool, signed: bool) -> None:
    if form:
        text, content_type = urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded"
    else:
        text, content_type = json.dumps(body), "application/json"
    response = running.slack.post(text, content_type, signed_headers(SECRET, text) if signed else {})
    assert 200 <= response.status < 500, (response.status, text[:200])
    if not signed:  # refused: Bolt parses before it verifies, so what it cannot parse is a 400, else a 401
        assert response.status in (400, 401)
    with urllib.request.urlopen(running.slack.url.replace(PATH, "/health"), timeout=5) as health:
        assert health.status == 200


def test_half_an_emoji_in_a_message_is_answered_not_dropped(running: Running) -> None:
    """A lone surrogate (half of an emoji, as JSON's \\ud800 escape) is text with U+FFFD in it: the question is
    stored, and the agent gets an answer or an escalation, never a silent 200."""
    from tests.slack.driver import dm, eventually

    envelope = dm("paspoort\ud800verlengen")
    assert "\\ud800" in json.dumps(envelope)  # what Slack sends: the escape, valid JSON
    assert running.slack.event(envelope).status == 200
    replies = eventually(lambda: running.fake.posted("D0AGENT"))
    assert replies and replies[0].args.get("text")
    [asked] = running.store.rows("SELECT text FROM questions")
    assert asked["text"] == "paspoort\ufffdverlengen"
    assert running.store.rows("SELECT status FROM inbox") == [{"status": "done"}]
