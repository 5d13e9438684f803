"""The Teams endpoint holds against clients that are slow, many, or send garbage: a body size, a read
timeout, a limit on requests handled at once, and 400 with a log line for what is no Teams activity."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.teams import web as teams_web
from tests.slack.test_http_edge import JSON, paths
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import Bot, activity, make_settings

FILLED = {"TEXT": "hoe vraag ik een paspoort aan", "ACTION": "helpful", "VALUE": "1", "ROOT": "1700000000000",
          "AUTHOR": "7b2d3e4f-0000-4000-8000-0000000e4e1b", "MESSAGE": "1700000000001"}
RECORDED = ["personal_message", "channel_mention", "thread_reply", "card_submit", "message_action",
            "conversation_update"]


def port_of(bot: Bot) -> int:
    assert bot.client is not None
    return int(bot.client.port or 0)


async def raw_request(port: int, head: bytes, body: bytes, *, wait: float = 5.0) -> bytes:
    def talk() -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=wait) as conn:
            conn.sendall(head + body)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
            return b"".join(chunks)

    return await asyncio.to_thread(talk)


def head(length: int, token: str = "Bearer garbage") -> bytes:
    return (f"POST /api/messages HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            f"Authorization: {token}\r\nContent-Length: {length}\r\n\r\n").encode()


def test_garbage_bodies_get_400_and_a_log_line_and_big_ones_413(
        ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            port = port_of(bot)
            for body in (b'{"type": "message", "text": "\xff\xfe"}', b"{not json", b"[]", b"\x00" * 10):
                with caplog.at_level(logging.WARNING, logger="bot.teams.web"):
                    response = await raw_request(port, head(len(body)), body)
                assert response.startswith(b"HTTP/1.1 400"), response
            assert "no JSON activity" in caplog.text
            big = b'{"text": "' + b"a" * teams_web.MAX_BODY + b'"}'
            assert (await raw_request(port, head(len(big)), big)).startswith(b"HTTP/1.1 413")

    asyncio.run(scenario())


def test_a_half_sent_body_gets_408_and_requests_past_the_limit_503(
        ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(teams_web, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(teams_web, "MAX_REQUESTS", 1)

    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            port = port_of(bot)
            held = asyncio.create_task(raw_request(port, head(100), b'{"type": "mess'))  # holds the one slot
            await asyncio.sleep(0.2)
            refused = await raw_request(port, head(2), b"{}")
            assert refused.startswith(b"HTTP/1.1 503"), refused
            assert (await held).startswith(b"HTTP/1.1 408")
            status, _ = await bot.post(bot.act("personal_message", TEXT="paspoort"))  # the slot is back
            assert status == 200

    asyncio.run(scenario())


@st.composite
def activities(draw: st.DrawFn, service_url: str) -> Any:
    """A recorded activity with a few fields (anywhere in it) replaced by any JSON value, or any JSON value;
    mostly with the serviceUrl the token names, so it gets past authentication."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)
    data = activity(draw(st.sampled_from(RECORDED)), service_url, **FILLED)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(paths(data)))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = draw(JSON)
    if isinstance(data, dict) and draw(st.integers(0, 4)):
        data["serviceUrl"] = service_url
    return data


def test_any_activity_shape_gets_a_2xx_or_4xx(ms: FakeMicrosoft, tmp_path: Path,
                                              signing_key: rsa.RSAPrivateKey) -> None:
    loop = asyncio.new_event_loop()
    bot = Bot(ms, make_settings(ms, tmp_path), signing_key)
    loop.run_until_complete(bot.__aenter__())
    token = bot.token()  # one token for every example: signing is the slow part
    statuses: list[int] = []

    @settings(max_examples=80, deadline=None)
    @given(act=activities(ms.service_url))
    def post_any(act: Any) -> None:
        status, _ = loop.run_until_complete(bot.post(act, token=token))
        statuses.append(status)
        assert 200 <= status < 500, (status, act)

    try:
        post_any()
    finally:
        loop.run_until_complete(bot.__aexit__())
        loop.close()
    assert 200 in statuses  # the examples did get past authentication


def test_half_an_emoji_in_an_activity_is_answered_not_refused(
        ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    """Teams answered an activity with a lone surrogate with 400; now the question is stored with U+FFFD and
    answered or escalated, like any other."""
    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            status, _ = await bot.post(bot.act("personal_message", TEXT="paspoort\ud800verlengen",
                                               NAME="Anna \udc00de Jong"))
            assert status == 200
            assert len(ms.connector_calls()) == 1
            [asked] = bot.store.rows("SELECT text FROM questions")
            assert asked["text"] == "paspoort\ufffdverlengen"

    asyncio.run(scenario())
