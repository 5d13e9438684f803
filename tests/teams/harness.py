"""The bot under test: the real aiohttp app, Desk and SQLite store, talking to a FakeMicrosoft."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

import requests
from aiohttp.test_utils import TestClient, TestServer

from bot.bootstrap import build_desk, on_postgres, open_store
from bot.config import Settings
from bot.teams import TeamsChat, build_web_app
from knowledge.model import Person
from tests.conftest import LOOP_SETTINGS, demo_copy
from tests.teams.fakes import APP_ID, TENANT, FakeMicrosoft, bot_token

ACTIVITIES = Path(__file__).with_name("activities")
AGENT = "6f1c2d3e-0000-4000-8000-00000000a9e1"
AGENT_2 = "6f1c2d3e-0000-4000-8000-00000000a9e2"
EXPERT = "7b2d3e4f-0000-4000-8000-0000000e4e1b"
OWNER = "8c3e4f5a-0000-4000-8000-000000000e11"
EXPERTS_CHANNEL = "19:kcc-experts@thread.tacv2"
PERSONAL = "a:1_personal-chat-with-anna"
BEE_EXPERT = Person(
    id="p-bram",
    name="Bram Imker",
    title="Beheerder gebouwen",
    department="Facilitair",
    expertise=("bijenkasten", "bijen", "imker", "daktuin"),
    handles=(("teams", EXPERT),),
)

_ids = itertools.count(1_700_000_000_001)


def new_id() -> str:
    return str(next(_ids))


def activity(name: str, service_url: str, **values: Any) -> dict[str, Any]:
    """A recorded activity from ``activities/<name>.json`` with its ``{{PLACEHOLDERS}}`` filled in."""
    text = (ACTIVITIES / f"{name}.json").read_text(encoding="utf-8")
    filled = {
        "ID": new_id(),
        "TENANT": TENANT,
        "APP_ID": APP_ID,
        "SERVICE_URL": service_url,
        "USER": AGENT,
        "NAME": "Anna de Jong",
        "CONVERSATION": PERSONAL,
        "CONVERSATION_TYPE": "personal",
        "CHANNEL": EXPERTS_CHANNEL,
        "REPLY_TO": "1700000000000",
        **values,
    }
    for key, value in filled.items():
        text = text.replace("{{" + key + "}}", json.dumps(str(value))[1:-1])
    assert "{{" not in text, text
    return dict(json.loads(text))


def db_dump(path: str) -> list[str]:
    """Everything a store holds: a SQLite file's dump, or every row of every table of a PostgreSQL store."""
    if not on_postgres(path):
        with sqlite3.connect(path) as db:
            return list(db.iterdump())
    store = open_store(Settings(db_path=path))
    try:
        tables = [r["table_name"] for r in store.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " ORDER BY table_name")]
        return [f"{t}: {row}" for t in tables for row in store.rows(f"SELECT * FROM {t} ORDER BY 1")]
    finally:
        store.close()


def make_settings(ms: FakeMicrosoft, tmp_path: Path, **extra: str) -> Settings:
    values = {
        "db_path": str(tmp_path / "vraagbaak.db"),
        "microsoft_app_id": APP_ID,
        "microsoft_app_password": "s3cret",
        "microsoft_app_tenant_id": TENANT,
        "microsoft_authority_host": ms.base,
        "botframework_openid_metadata": f"{ms.base}/botframework/openid",
        "teams_escalation_channel": EXPERTS_CHANNEL,
        "teams_owners": OWNER,
        "digest": "off",  # the weekly digest has its own tests, with a clock of their own
        "graph_api_url": ms.base,
        **LOOP_SETTINGS,
        "suggest_threshold": "0.45",  # the bees question gets suggestions here
        **extra,
    }
    return Settings(**values)


def http_session(ms: FakeMicrosoft) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides ``verify``
    session.verify = str(ms.ca_file)
    return session


class Bot:
    """``async with Bot(...) as bot``: the web app on 127.0.0.1 (port 0) and what it is made of."""

    def __init__(
        self,
        ms: FakeMicrosoft,
        settings: Settings,
        key: Any,
        kid: str = "key-1",
        metadata_url: str | None = None,
        flush_every: float | None = None,
    ) -> None:
        self.ms, self.key, self.kid = ms, key, kid
        if metadata_url:
            settings = Settings(**{**settings.__dict__, "botframework_openid_metadata": metadata_url})
        self.settings = settings
        self.http = http_session(ms)
        self.chat = TeamsChat(settings, http_client=self.http, base_delay=0.01, max_delay=0.05)
        if not on_postgres(settings.db_path):  # on PostgreSQL the test's demo_db holds it already
            demo_copy(settings.db_path)
        self.store = open_store(settings)
        # Teams routes name channel ids, not Slack-style names
        self.store.set_routes([(word, f"19:{name}@thread.tacv2") for word, name in self.store.routes()])
        # everyone in the directory has an Entra object id, as after `import people --from graph`
        people = [
            person.with_handles((("teams", f"00000000-0000-4000-8000-{i:012d}"),))
            for i, person in enumerate(self.store.people())
        ]
        self.store.upsert_people([*people, BEE_EXPERT])
        self.desk = build_desk(settings, self.chat, store=self.store)
        self.app = build_web_app(settings, self.desk, chat=self.chat, http_client=self.http, flush_every=flush_every)
        self.client: TestClient | None = None

    async def __aenter__(self) -> Bot:
        self.client = TestClient(TestServer(self.app, host="127.0.0.1", port=0))
        await self.client.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.client is not None
        await self.client.close()
        self.store.close()  # on PostgreSQL its listener would outlive the cluster and log reconnects at the end

    def token(self, **claims: Any) -> str:
        claims.setdefault("service_url", self.ms.service_url)
        return bot_token(self.key, self.kid, **claims)

    async def post(
        self, act: dict[str, Any], *, token: str | None = None, authorization: str | None = None
    ) -> tuple[int, Any]:
        assert self.client is not None
        header = authorization if authorization is not None else f"Bearer {token or self.token()}"
        headers = {"Authorization": header} if header else {}
        response = await self.client.post("/api/messages", json=act, headers=headers)
        body = await response.text()
        return response.status, (json.loads(body) if body.startswith(("{", "[")) else body)

    def act(self, name: str, **values: Any) -> dict[str, Any]:
        return activity(name, self.ms.service_url, **values)


def settle(bot: Bot, timeout: float = 5.0) -> None:
    """Wait until the outbox is empty (relays go out through the serving process's outbox thread)."""
    import time

    deadline = time.monotonic() + timeout
    while bot.store.pending_outbox() or any(r["status"] == "new" for r in bot.store.rows("SELECT status FROM inbox")):
        assert time.monotonic() < deadline, bot.store.pending_outbox()
        time.sleep(0.01)
