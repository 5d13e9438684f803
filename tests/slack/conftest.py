from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from tests.conftest import LOOP_SETTINGS
from tests.slack.fake_slack import FakeSlack

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
OWNER = "U0OWNER"


def payload(name: str) -> dict[str, Any]:
    """A recorded payload from tests/slack/payloads/ (a fresh copy each time)."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()
    refused = [(c.method, c.result["errors"]) for c in server.calls if c.result.get("error") == "invalid_blocks"]
    assert not refused, f"Slack would refuse these: {refused}"


@pytest.fixture
def settings(fake: FakeSlack, demo_db: str) -> Settings:
    """Settings for the fake Web API, on a copy of the demo knowledge base (SQLite, or a parametrized
    ``backend``)."""
    return Settings(
        db_path=demo_db,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_app_token="",
        slack_api_url=fake.url,
        slack_owners=OWNER,
        escalation_channel="kcc-experts",
        digest="off",  # the weekly digest has its own tests, with a clock of their own
        metrics_port="0",  # Socket Mode's /metrics on a free port, not the default one
        **LOOP_SETTINGS,
    )


@dataclass
class Running:
    """The Slack bot running in HTTP mode against the fake Web API, on a demo knowledge base."""

    fake: FakeSlack
    settings: Settings
    store: Any
    desk: Any
    app: Any
    slack: Any


@pytest.fixture
def running(fake: FakeSlack, settings: Settings) -> Iterator[Running]:
    from bot.bootstrap import build_desk, open_store
    from bot.slack import build_app
    from bot.slack.app import dispatcher_of
    from bot.slack.chat import SlackChat
    from bot.slack.client import web_client
    from tests.slack.driver import SlackSide

    store = open_store(settings)
    client = web_client(settings, retries=1)
    desk = build_desk(settings, SlackChat(client), store=store)
    app = build_app(settings, desk, client=client)
    stop_workers = dispatcher_of(app).start(flush_every=3600)
    slack = SlackSide.serving(app, SECRET)
    yield Running(fake, settings, store, desk, app, slack)
    slack.stop()
    stop_workers()
    store.close()  # on PostgreSQL its listener would outlive the cluster and log reconnects at the session's end
