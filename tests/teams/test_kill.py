"""kill -9 of a real `vraagbaak serve teams` right after it answered an activity with 200 (stored, not yet
handled): after a restart the question is answered, exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import demo_copy
from tests.slack.test_kill import free_port
from tests.teams.fakes import APP_ID, TENANT, FakeMicrosoft, bot_token
from tests.teams.harness import EXPERTS_CHANNEL, activity

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]


def serve(ms: FakeMicrosoft, db: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VRAAGBAAK_DB": str(db), "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s3cret",
           "MICROSOFT_APP_TENANT_ID": TENANT, "MICROSOFT_AUTHORITY_HOST": ms.base,
           "BOTFRAMEWORK_OPENID_METADATA": f"{ms.base}/botframework/openid", "GRAPH_API_URL": ms.base,
           "TEAMS_ESCALATION_CHANNEL": EXPERTS_CHANNEL, "VRAAGBAAK_LEASE_SECONDS": "6", "VRAAGBAAK_WORKERS": "1",
           "REQUESTS_CA_BUNDLE": str(ms.ca_file), "VRAAGBAAK_ENV_FILE": "/nonexistent"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "teams", "--port", str(port), *extra],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
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


def demo_db(tmp_path: Path) -> Path:
    """A database with the demo data (no history), closed again for `serve teams` to open."""
    return Path(demo_copy(tmp_path / "teams.db"))


def test_kill_9_after_the_200_loses_nothing(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey,
                                            ) -> None:
    db = demo_db(tmp_path)
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
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM questions WHERE asker_id = 'waiting-user'").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM inbox WHERE status = 'new'").fetchone()[0] == 1
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
        with sqlite3.connect(db) as conn:
            asked = dict(conn.execute("SELECT asker_id, count(*) FROM questions GROUP BY asker_id").fetchall())
            assert asked == {"busy-user": 1, "waiting-user": 1}
            assert {r[0] for r in conn.execute("SELECT status FROM inbox")} == {"done"}
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
