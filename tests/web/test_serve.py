"""`vraagbaak serve web` as a real process (waitress): every answer carries the security headers, also the
ones waitress writes itself before the app sees the request (a body over the limit, a malformed request)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from bot.web.app import MAX_FORM_BYTES
from bot.web.security import HEADERS
from tests.slack.test_kill import free_port


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {**os.environ, "VRAAGBAAK_DB": str(folder / "web.db"), "VRAAGBAAK_SEMANTIC": "off",
           "VRAAGBAAK_OWNERS": "Kim", "VRAAGBAAK_DIGEST": "off", "VRAAGBAAK_ENV_FILE": str(folder / "none.env")}
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve", "web", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def exchange(port: int, data: bytes) -> tuple[int, dict[str, str]]:
    """Send ``data`` on a new connection; the status and headers of what comes back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        got = b""
        while b"\r\n\r\n" not in got and (chunk := conn.recv(65536)):
            got += chunk
    head = got.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
    return int(head[0].split(" ")[1]), headers


@pytest.mark.parametrize(("request_bytes", "code"), [
    (f"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
     f"Content-Length: {MAX_FORM_BYTES + 1}\r\n\r\n".encode(), 413),
    (b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
    (b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200),
    (b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404),
], ids=["413-too-large", "400-malformed", "200-page", "404-page"])
@pytest.mark.process
def test_every_answer_has_the_security_headers(port: int, request_bytes: bytes, code: int) -> None:
    status, headers = exchange(port, request_bytes)
    assert status == code
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    assert headers.get("Cache-Control") == "no-store"
