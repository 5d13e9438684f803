"""kill -9 of a real `vraagbaak serve slack --http` process right after it acknowledged an event: after a
restart the question is answered, exactly once (Slack does not redeliver what it got a 200 for)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bot.bootstrap import on_postgres, open_store
from bot.config import Settings
from tests.conftest import BACKENDS
from tests.slack.driver import SlackSide, dm, eventually
from tests.slack.fake_slack import FakeSlack

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log_of(settings: Settings) -> str:
    """Where a served process logs: beside the SQLite file, or for PostgreSQL in the temporary folder."""
    if on_postgres(settings.db_path):
        return str(Path(tempfile.gettempdir()) / f"vraagbaak-{settings.db_path.rsplit('/', 1)[-1]}.log")
    return f"{settings.db_path}.log"


def serve(settings: Settings, port: int, app_token: str = "", *extra: str) -> subprocess.Popen[bytes]:
    """`vraagbaak serve slack`: HTTP on ``port``, or Socket Mode with ``app_token`` (ready once connected); its
    log goes to the database's path + ``.log`` (pytest keeps the last runs' folders: read it after a failure)."""
    env = {**os.environ, "VRAAGBAAK_DB": settings.db_path, "SLACK_BOT_TOKEN": settings.slack_bot_token,
           "SLACK_SIGNING_SECRET": settings.slack_signing_secret, "SLACK_APP_TOKEN": app_token,
           "SLACK_API_URL": settings.slack_api_url, "VRAAGBAAK_ESCALATION_CHANNEL": "kcc-experts",
           "VRAAGBAAK_LEASE_SECONDS": "2", "VRAAGBAAK_ENV_FILE": "/nonexistent"}
    mode = [*extra] if app_token else ["--http", "--port", str(port), *extra]
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "slack", *mode],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=open(log_of(settings), "ab"))  # noqa: SIM115 (the child keeps it)
    if app_token:
        return process
    deadline = time.monotonic() + 60  # a loaded machine (two cores, several test runs) takes its time
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("serve slack did not start")


def rows(settings: Settings, sql: str) -> list[dict[str, object]]:
    """What a query finds in the store the process serves from (SQLite or PostgreSQL), on a store of its own."""
    store = open_store(settings)
    try:
        return store.rows(sql)
    finally:
        store.close()


def inbox(settings: Settings) -> list[str]:
    return [str(r["status"]) for r in rows(settings, "SELECT status FROM inbox ORDER BY id")]


def unsent(settings: Settings) -> int:
    store = open_store(settings)
    try:
        return store.backlog().messages_waiting
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_right_after_the_acknowledgement_loses_nothing(fake: FakeSlack, settings: Settings) -> None:
    port = free_port()
    process = serve(settings, port)
    slack = SlackSide(f"http://127.0.0.1:{port}/slack/events", settings.slack_signing_secret)
    try:
        # Both workers busy (their replies hang in a slow Slack), so the third question is only stored...
        fake.slow("chat.postMessage", 30, times=2)
        for n in (1, 2):
            assert slack.event(dm("hoe vraag ik een paspoort aan?", user=f"U0BUSY{n}", channel=f"D0BUSY{n}")).status \
                == 200
        fake.wait_for("chat.postMessage", count=2)
        assert slack.event(dm("hoe vraag ik een paspoort aan?", user="U0AGENT", channel="D0AGENT")).status == 200
        assert inbox(settings).count("new") == 1  # acknowledged, stored, not handled yet
    finally:
        process.send_signal(signal.SIGKILL)  # ... and the process dies
        process.wait(10)
    assert rows(settings, "SELECT count(*) AS n FROM questions WHERE asker_id = 'U0AGENT'")[0]["n"] == 0

    process = serve(settings, port)
    try:
        answer = eventually(lambda: fake.posted("D0AGENT"), timeout=20)
        time.sleep(3)  # past a lease: nothing else arrives
        assert len(fake.posted("D0AGENT")) == 1 and "Paspoort aanvragen" in answer[0].args["text"]
        asked = rows(settings, "SELECT asker_id, count(*) AS n FROM questions GROUP BY asker_id")
        assert {r["asker_id"]: r["n"] for r in asked} == {"U0AGENT": 1, "U0BUSY1": 1, "U0BUSY2": 1}
        assert set(inbox(settings)) == {"done"}
        # The two replies in flight at the kill had reached Slack (its answers never came back): the restarted
        # process finds them by their metadata in the DMs' history and does not post them again (issue 24, item 9)
        assert eventually(lambda: fake.shown("D0BUSY1") and fake.shown("D0BUSY2"), timeout=20)
        assert eventually(lambda: fake.called("conversations.history"), timeout=20)
        time.sleep(3)
        assert len(fake.shown("D0BUSY1")) == 1 and len(fake.shown("D0BUSY2")) == 1
        assert unsent(settings) == 0
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)


def test_kill_9_right_after_the_socket_mode_ack_loses_nothing(fake: FakeSlack, settings: Settings) -> None:
    from tests.slack.test_socket_mode import SocketSlack, envelope

    socket_slack = SocketSlack()
    fake.ws_url = socket_slack.url
    process = serve(settings, 0, app_token="xapp-1-A0VRAAG-test")
    try:
        fake.wait_for("apps.connections.open", timeout=30)
        fake.slow("chat.postMessage", 30, times=2)
        for n in (1, 2):
            socket_slack.send(envelope(dm("hoe vraag ik een paspoort aan?", user=f"U0BUSY{n}", channel=f"D0BUSY{n}")))
        fake.wait_for("chat.postMessage", count=2)
        event = dm("hoe vraag ik een paspoort aan?", user="U0AGENT", channel="D0AGENT")
        assert socket_slack.send(envelope(event))["envelope_id"] == f"env-{event['event_id']}-0"  # acknowledged
        assert inbox(settings).count("new") == 1
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    process = serve(settings, 0, app_token="xapp-1-A0VRAAG-test")
    try:
        answer = eventually(lambda: fake.posted("D0AGENT"), timeout=20)
        time.sleep(3)
        assert len(fake.posted("D0AGENT")) == 1 and "Paspoort aanvragen" in answer[0].args["text"]
        assert rows(settings, "SELECT count(*) AS n FROM questions WHERE asker_id = 'U0AGENT'")[0]["n"] == 1
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        socket_slack.server.shutdown()
