"""The Web API client keeps its connection: one TCP connection (and in production one TLS handshake) for many
calls, a connection the server closed is opened again, and 429 and 5xx still reach slack_sdk's retries."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.slack.client import KeepAliveWebClient, web_client
from tests.slack.fake_slack import FakeSlack


def test_calls_share_one_connection(fake: FakeSlack) -> None:
    client = web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake.url))
    assert isinstance(client, KeepAliveWebClient)
    for n in range(5):
        assert client.chat_postMessage(channel="C1", text=f"bericht {n}")["ok"]
    assert client.users_info(user="U0AGENT")["ok"]
    assert fake.connections == 1
    assert [c.args["text"] for c in fake.calls if c.method == "chat.postMessage"] == [f"bericht {n}" for n in range(5)]


def test_threads_share_the_kept_connections(fake: FakeSlack) -> None:
    """Calls at once each get a connection; threads that come and go (the HTTP server's, one per request)
    reuse the ones given back."""
    client = web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake.url))
    for _ in range(3):  # one after the other, each on a new thread
        thread = threading.Thread(target=lambda: [client.auth_test() for _ in range(3)])
        thread.start()
        thread.join()
    assert fake.connections == 1
    fake.slow("auth.test", 0.3, times=3)  # three calls at once, each held by the server for a while
    threads = [threading.Thread(target=client.auth_test) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.connections == 3 and len([c for c in fake.calls if c.method == "auth.test"]) == 12


def test_a_connection_the_server_closed_is_opened_again() -> None:
    """A server that closes each connection after its answer, without saying so (as one does with an idle
    connection after its keep-alive timeout): every call still arrives, once."""
    seen: list[bytes] = []

    class Closing(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802
            seen.append(self.rfile.read(int(self.headers["Content-Length"])))
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Closing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = web_client(Settings(slack_bot_token="xoxb-test",
                                     slack_api_url=f"http://127.0.0.1:{server.server_address[1]}/api/"))
        for n in range(3):
            assert client.chat_postMessage(channel="C1", text=f"bericht {n}")["ok"]
    finally:
        server.shutdown()
        server.server_close()
    assert [b"bericht" in s and f"bericht {n}".encode() in s for n, s in enumerate(seen)] == [True] * 3


@pytest.mark.slow
def test_rate_limits_and_server_errors_still_reach_the_retries(fake: FakeSlack) -> None:
    client = web_client(Settings(slack_bot_token="xoxb-test", slack_api_url=fake.url))
    fake.fail("chat.postMessage", 429, retry_after=0)
    fake.fail("chat.postMessage", 500)
    assert client.chat_postMessage(channel="C1", text="toch")["ok"]  # retried past both
    fake.fail("chat.postMessage", 500, times=5)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C1", text="nee")
    assert raised.value.response.status_code == 500
    assert fake.connections == 1
