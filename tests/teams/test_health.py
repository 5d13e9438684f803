"""/healthz, /readyz and /metrics of the Teams bot, on its aiohttp server on 127.0.0.1, against the fake
Microsoft: ready while a token can be had, not ready while Entra ID is unreachable or the database is gone."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from bot.teams.web import HEALTH
from tests.scrape import samples
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import Bot, make_settings, settle


async def get(bot: Bot, path: str) -> tuple[int, str, str]:
    assert bot.client is not None
    response = await bot.client.get(path)
    return response.status, response.headers.get("Content-Type", ""), await response.text()


def test_alive_ready_and_counting(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def run() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            assert (await get(bot, "/healthz"))[::2] == (200, "ok\n")
            assert (await get(bot, "/readyz"))[::2] == (200, "ready\n")
            assert ms.token_requests  # a token for the Bot Framework was had
            for text in ("hoe vraag ik een paspoort aan", "Quantumverstrengeling plumbus xylofoon?"):
                assert (await bot.post(bot.act("personal_message", TEXT=text)))[0] == 200
            await asyncio.to_thread(settle, bot)
            status, content_type, body = await get(bot, "/metrics")
            assert status == 200 and content_type.startswith("text/plain; version=0.0.4")
            found = samples(body)
            assert found['vraagbaak_questions_total{decision="answer"}'] == 1
            assert found['vraagbaak_questions_total{decision="escalate"}'] == 1
            assert found["vraagbaak_escalations_open"] == 1 and found["vraagbaak_escalations_total"] == 1
            assert found["vraagbaak_search_seconds_count"] == 2 and found["vraagbaak_inbox_backlog"] == 0
            assert 'vraagbaak_build_info{platform="teams",version="' in body

    asyncio.run(run())


def test_not_ready_while_entra_id_is_unreachable(ms: FakeMicrosoft, tmp_path: Path,
                                                 signing_key: rsa.RSAPrivateKey) -> None:
    async def run() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            ms.close()
            status, _, body = await get(bot, "/readyz")
            assert status == 503 and body == "teams: the token endpoint is unreachable: ConnectionError\n"
            assert (await get(bot, "/healthz"))[0] == 200

    asyncio.run(run())


def test_not_ready_when_the_database_is_gone(ms: FakeMicrosoft, tmp_path: Path,
                                             signing_key: rsa.RSAPrivateKey) -> None:
    async def run() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key) as bot:
            assert bot.app[HEALTH].problems() == []
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(bot.settings.db_path + suffix):
                    os.remove(bot.settings.db_path + suffix)
            status, _, body = await get(bot, "/readyz")
            assert status == 503 and body == "database: unable to open database file\n"

    asyncio.run(run())
