"""Inbound authentication: only the Bot Framework, for this bot, via this serviceUrl, gets in."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.teams.fakes import FakeMicrosoft, bot_token, jwk, rsa_key
from tests.teams.harness import Bot, db_dump, make_settings

QUESTION = "hoe vraag ik een paspoort aan"


def forged(key: rsa.RSAPrivateKey, other: rsa.RSAPrivateKey, service_url: str) -> dict[str, Any]:
    """Authorization header values that must all be refused."""
    good = {"service_url": service_url}
    now = int(time.time())
    return {
        "missing header": "",
        "not bearer": "Basic dXNlcjpwYXNz",
        "garbage": "Bearer not-a-jwt",
        "other key": "Bearer " + bot_token(other, "key-1", **good),
        "wrong audience": "Bearer " + bot_token(key, "key-1", audience="someone-else", **good),
        "wrong issuer": "Bearer " + bot_token(key, "key-1", issuer="https://evil.example", **good),
        "expired": "Bearer " + bot_token(key, "key-1", expires_in=-301 - 60, **good),
        "serviceUrl mismatch": "Bearer " + bot_token(key, "key-1", service_url="https://evil.example/teams/"),
        "HS256 with public key": "Bearer "
        + jwt.encode(
            {"iss": "https://api.botframework.com", "aud": "x", "exp": now + 60},
            "a-shared-secret-of-at-least-32-bytes!",
            algorithm="HS256",
            headers={"kid": "key-1"},
        ),
    }


def test_every_bad_token_gets_401_and_changes_nothing(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
    other_key: rsa.RSAPrivateKey,
) -> None:
    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            before = db_dump(bot.settings.db_path)
            for reason, header in forged(signing_key, other_key, ms.service_url).items():
                act = bot.act("personal_message", TEXT=QUESTION)
                status, _ = await bot.post(act, authorization=header)
                assert status == 401, reason
            assert db_dump(bot.settings.db_path) == before
            assert ms.connector_calls() == []
            status, _ = await bot.post(bot.act("personal_message", TEXT=QUESTION))
            assert status == 200
            assert len(ms.connector_calls()) == 1 and db_dump(bot.settings.db_path) != before

    asyncio.run(scenario())


def test_leeway_and_endorsements(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    unendorsed = rsa_key()
    ms.jwks.append(jwk(unendorsed, "key-webchat", ["webchat"]))

    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            late = bot.token(expires_in=-200)  # expired, but within five minutes' leeway
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=late))[0] == 200
            token = bot_token(unendorsed, "key-webchat", service_url=ms.service_url)
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=token))[0] == 401

    asyncio.run(scenario())


def test_unknown_kid_refreshes_keys_exactly_once(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    rotated = rsa_key()

    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION)))[0] == 200
            assert ms.jwks_fetches == 1
            ms.jwks.append(jwk(rotated, "key-2", ["msteams"]))  # Microsoft rotates its keys
            token = bot_token(rotated, "key-2", service_url=ms.service_url)
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=token))[0] == 200
            assert ms.jwks_fetches == 2
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=token))[0] == 200
            assert ms.jwks_fetches == 2  # cached

    asyncio.run(scenario())


def test_unknown_kid_is_refused_after_one_refresh(
    ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey
) -> None:
    stranger = rsa_key()

    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            before = db_dump(bot.settings.db_path)
            token = bot_token(stranger, "key-nobody", service_url=ms.service_url)
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=token))[0] == 401
            assert ms.jwks_fetches == 1  # the keys were just loaded: refetching them would change nothing
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION)))[0] == 200
            after_good = db_dump(bot.settings.db_path)
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=token))[0] == 401
            assert ms.jwks_fetches == 2  # cached keys, unknown kid: exactly one refresh
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=token))[0] == 401
            assert ms.jwks_fetches == 2  # no refresh storm from repeated unknown kids
            assert db_dump(bot.settings.db_path) == after_good != before

    asyncio.run(scenario())


def test_key_fetch_does_not_block_the_event_loop(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    """The OpenID metadata and keys are served by the bot's own event loop: a blocking fetch would hang."""

    async def scenario() -> None:
        keys = web.Application()
        base = ""

        async def metadata(_: web.Request) -> web.Response:
            return web.json_response({"jwks_uri": f"{base}/keys"})

        async def jwks(_: web.Request) -> web.Response:
            return web.json_response({"keys": ms.jwks})

        keys.router.add_get("/openid", metadata)
        keys.router.add_get("/keys", jwks)
        runner = web.AppRunner(keys)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        base = f"http://127.0.0.1:{port}"
        try:
            async with Bot(ms, make_settings(ms, tmp_path), signing_key, metadata_url=f"{base}/openid") as bot:
                status, _ = await asyncio.wait_for(bot.post(bot.act("personal_message", TEXT=QUESTION)), 10)
                assert status == 200
        finally:
            await runner.cleanup()

    asyncio.run(scenario())


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
def test_malformed_body_is_refused(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
    body: bytes,
) -> None:
    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            assert bot.client is not None
            response = await bot.client.post(
                "/api/messages", data=body, headers={"Authorization": f"Bearer {bot.token()}"}
            )
            assert response.status == 400

    asyncio.run(scenario())


GOV = "https://api.botframework.us"


def test_the_issuer_follows_the_cloud_s_metadata(ms: FakeMicrosoft, tmp_path: Path,
                                                 signing_key: rsa.RSAPrivateKey) -> None:
    """A US Government cloud's metadata names its own issuer: its tokens get in, the public cloud's do not."""
    ms.botframework_issuer = GOV

    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            act = bot.act("personal_message", TEXT=QUESTION)
            assert (await bot.post(act, token=bot.token(issuer=GOV)))[0] == 200
            public = bot.token(issuer="https://api.botframework.com")
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=public))[0] == 401

    asyncio.run(scenario())


def test_a_configured_issuer_wins(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario() -> None:
        settings = make_settings(ms, tmp_path, botframework_issuer=GOV)
        async with Bot(ms, settings, signing_key) as bot:
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION), token=bot.token(issuer=GOV)))[0] == 200
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION)))[0] == 401

    asyncio.run(scenario())


@pytest.mark.parametrize("channel", [None, "", ["msteams"], 7], ids=["absent", "empty", "list", "number"])
def test_an_activity_without_a_channel_id_is_refused(
    ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey, channel: Any
) -> None:
    """The endorsement check needs the activity's channelId: without one (or with one that is no text) the
    request is refused, whatever channels the key is endorsed for; before, the check was skipped."""
    unendorsed = rsa_key()
    ms.jwks.append(jwk(unendorsed, "key-webchat", ["webchat"]))

    async def scenario() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            before = db_dump(bot.settings.db_path)
            for token in (bot.token(), bot_token(unendorsed, "key-webchat", service_url=ms.service_url)):
                act = bot.act("personal_message", TEXT=QUESTION)
                act.pop("channelId")
                if channel is not None:
                    act["channelId"] = channel
                assert (await bot.post(act, token=token))[0] == 401
            assert db_dump(bot.settings.db_path) == before and ms.connector_calls() == []
            assert (await bot.post(bot.act("personal_message", TEXT=QUESTION)))[0] == 200

    asyncio.run(scenario())
