"""Forgetting a person and the retention purge reach the audit log, for a conversation over Teams (issue #24 item 1):
nothing of the texts, names and ids is left in any table, the SQL dump or a log line; `audit verify` passes."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from handlers.replies import Action
from knowledge.forget import forget
from knowledge.retention import purge
from tests.forgotten import in_lines, log_lines, traces
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import AGENT, EXPERT, PERSONAL, Bot, make_settings, settle

OLIFANT = "Mag ik een olifant houden op mijn balkon?"
REPLY = "Nee, dat mag niet: een olifant hoort niet op een balkon."
TRACES = ("olifant", "balkon", "Anna de Jong", AGENT, PERSONAL)


def _submits(node: Any) -> list[dict[str, str]]:
    if isinstance(node, dict):
        found = [node["data"]] if node.get("type") == "Action.Submit" else []
        return found + [s for value in node.values() for s in _submits(value)]
    if isinstance(node, list):
        return [s for value in node for s in _submits(value)]
    return []


def test_a_teams_conversation_forgotten_and_purged_leaves_no_trace(ms: FakeMicrosoft, tmp_path: Path,
                                                                   signing_key: rsa.RSAPrivateKey,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # what `-v` logs
    asyncio.run(_conversation(ms, tmp_path, signing_key))
    db = make_settings(ms, tmp_path).db_path
    from bot.bootstrap import open_store

    store = open_store(make_settings(ms, tmp_path))
    assert "olifant" in [n for where, n in traces(db, TRACES) if where.startswith("audit")]  # the log has it

    forget(store, AGENT)
    assert [where for where, _ in traces(db, TRACES) if where.startswith("audit")] == []
    purge(store, 0, now=datetime.now(UTC) + timedelta(seconds=2))

    assert traces(db, TRACES) == []
    assert in_lines(log_lines(caplog.records), TRACES) == []
    verdict = store.verify_audit()
    assert verdict.intact and verdict.erased > 0


async def _conversation(ms: FakeMicrosoft, tmp_path: Path, key: rsa.RSAPrivateKey) -> None:
    async with Bot(ms, make_settings(ms, tmp_path), key) as bot:
        assert (await bot.post(bot.act("personal_message", TEXT=OLIFANT)))[0] == 200
        [suggest] = ms.connector_calls()
        body = suggest["json"].get("activity", suggest["json"])
        [escalate] = [d for d in _submits(body) if d["action"] == Action.ESCALATE]
        click = bot.act("card_submit", ACTION=Action.ESCALATE, VALUE=escalate["value"], CONVERSATION=PERSONAL,
                        REPLY_TO=suggest["json"].get("id", "1"))
        assert (await bot.post(click))[0] == 200
        esc = bot.store.rows("SELECT post_channel, post_message FROM escalations ORDER BY id")[0]
        reply = bot.act("thread_reply", ROOT=esc["post_message"], TEXT=REPLY, USER=EXPERT, NAME="Bram Imker",
                        CHANNEL=esc["post_channel"])
        assert (await bot.post(reply))[0] == 200
        await asyncio.to_thread(settle, bot)
        assert bot.store.rows("SELECT text FROM answers") == [{"text": REPLY}]
