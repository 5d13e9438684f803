"""kill -9 of a real `vraagbaak serve teams` right after it answered an activity with 200 (stored, not yet
handled): after a restart the question is answered, exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.config import Settings
from tests.conftest import BACKENDS, demo_copy
from tests.slack.test_kill import free_port, inbox, rows
from tests.teams.fakes import APP_ID, TENANT, FakeMicrosoft, bot_token
from tests.teams.harness import EXPERTS_CHANNEL, activity

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]


def serve(ms: FakeMicrosoft, db: Path | str, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VRAAGBAAK_DB": str(db), "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s3cret",
           "MICROSOFT_APP_TENANT_ID": TENANT, "MICROSOFT_AUTHORITY_HOST": ms.base,
           "BOTFRAMEWORK_OPENID_METADATA": f"{ms.base}/botframework/openid", "GRAPH_API_URL": ms.base,
           "TEAMS_ESCALATION_CHANNEL": EXPERTS_CHANNEL, "VRAAGBAAK_LEASE_SECONDS": "6", "VRAAGBAAK_WORKERS": "1",
           "REQUESTS_CA_BUNDLE": str(ms.ca_file), "VRAAGBAAK_ENV_FILE": "/nonexistent"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "teams", "--port", str(port), *extra],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60  # a loaded machine takes its time
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/messages", timeout=1)
        except urllib.error.HTTPError:  # 405 on GET: it listens
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("serve teams did not start")


def post(port: int, act: dict[str, object], token: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/messages", data=json.dumps(act).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.status)


def replies_to(ms: FakeMicrosoft, act: dict[str, object], taken: bool = False) -> list[dict[str, object]]:
    """The bot's answers to ``act`` (a reply names the activity it answers); ``taken``: only those the connector
    took (under a storm it refuses some)."""
    return [c for c in ms.connector_calls() if c["method"] == "POST" and str(c["path"]).endswith(f"/{act['id']}")
            and (not taken or int(c["status"]) < 300)]


def teams_db(tmp_path: Path) -> Path:
    """A database with the demo data (no history), closed again for `serve teams` to open."""
    return Path(demo_copy(tmp_path / "teams.db"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_after_the_200_loses_nothing(ms: FakeMicrosoft, demo_db: str, signing_key: rsa.RSAPrivateKey,
                                            ) -> None:
    db = demo_db
    settings = Settings(db_path=db)
    port = free_port()
    process = serve(ms, db, port)
    token = bot_token(signing_key, "key-1", service_url=ms.service_url)
    try:
        ms.slow_next = [30.0]  # the one handling thread is busy: its reply hangs in a slow connector
        busy = activity("personal_message", ms.service_url, TEXT="hoe vraag ik een paspoort aan", USER="busy-user")
        assert post(port, busy, token) == 200  # after the 4 s budget: the reply is still on its way
        waiting = activity("personal_message", ms.service_url, TEXT="hoe vraag ik een paspoort aan",
                           USER="waiting-user")
        assert post(port, waiting, token) == 200  # acknowledged, stored, its turn not come
        assert rows(settings, "SELECT count(*) AS n FROM questions WHERE asker_id = 'waiting-user'")[0]["n"] == 0
        assert inbox(settings).count("new") == 1
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    process = serve(ms, db, port)
    try:
        deadline = time.monotonic() + 20
        while not replies_to(ms, waiting) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(7)  # past a lease: nothing else arrives
        assert len(replies_to(ms, waiting)) == 1
        asked = rows(settings, "SELECT asker_id, count(*) AS n FROM questions GROUP BY asker_id")
        assert {r["asker_id"]: r["n"] for r in asked} == {"busy-user": 1, "waiting-user": 1}
        assert set(inbox(settings)) == {"done"}
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
