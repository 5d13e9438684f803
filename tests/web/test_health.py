"""The web console's /healthz, /readyz and /metrics and its access log, served by waitress on 127.0.0.1; and
`vraagbaak serve web` as a process: it says where it listens and logs each request (as JSON lines if asked)."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress
from flask import Flask

from knowledge.sqlite import SqliteStore
from tests.scrape import get, scrape


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    server.close()


def test_alive_ready_and_metrics(served: str) -> None:
    assert get(f"{served}/healthz")[::2] == (200, "ok\n")
    assert get(f"{served}/readyz")[::2] == (200, "ready\n")
    found = scrape(served)
    assert [k for k in found if k.startswith("vraagbaak_build_info")][0].startswith(
        'vraagbaak_build_info{platform="web"')
    assert found["vraagbaak_store_up"] == 1 and found["vraagbaak_escalations_open"] >= 0


def test_not_ready_when_the_database_is_gone(served: str, demo_store: SqliteStore) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(demo_store.path + suffix):
            os.remove(demo_store.path + suffix)
    status, _, body = get(f"{served}/readyz")
    assert status == 503 and body == "database: unable to open database file\n"
    assert get(f"{served}/healthz")[0] == 200


def test_each_request_is_logged_without_its_query_string(served: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bot.web.access"):
        assert get(f"{served}/login?token=s3cr3t-t0ken")[0] == 200
        assert get(f"{served}/no-such-page?x=1")[0] == 404
        deadline = time.monotonic() + 5
        while len(caplog.records) < 2 and time.monotonic() < deadline:  # logged once the response is sent
            time.sleep(0.01)
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.web.access"]
    assert [line.rsplit(" ", 2)[0] for line in lines] == ["GET /login 200", "GET /no-such-page 404"]
    assert all(line.endswith(" ms") and float(line.split()[-2]) >= 0 for line in lines)
    assert "s3cr3t" not in caplog.text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.process
def test_serve_web_says_where_it_listens_and_logs_json_lines(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "VRAAGBAAK_DB": str(tmp_path / "web.db"), "VRAAGBAAK_SEMANTIC": "off",
           "VRAAGBAAK_DIGEST": "off", "VRAAGBAAK_LANG": "en", "VRAAGBAAK_ENV_FILE": str(tmp_path / "none.env"),
           "VRAAGBAAK_LOG_FORMAT": "json"}
    env.pop("VRAAGBAAK_WEB_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "web", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stderr is not None
        said = [server.stdout.readline().strip(), server.stdout.readline().strip()]
        assert said[0] == f"Web console on http://127.0.0.1:{port} (and /healthz, /readyz, /metrics); every " \
                          "request is logged."
        assert said[1] == "Note: web-login makes links to VRAAGBAAK_WEB_URL=http://127.0.0.1:8080; set " \
                          "VRAAGBAAK_WEB_URL to the address owners open the console at."
        assert get(f"http://127.0.0.1:{port}/healthz?probe=1")[0] == 200
        line = json.loads(server.stderr.readline())
        assert set(line) == {"time", "level", "logger", "message"} and line["time"].endswith("+00:00")
        assert (line["level"], line["logger"]) == ("INFO", "bot.web.access")
        assert line["message"].startswith("GET /healthz 200 ") and line["message"].endswith(" ms")
    finally:
        server.terminate()
        server.wait(timeout=10)
