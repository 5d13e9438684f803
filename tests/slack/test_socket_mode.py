"""Socket Mode against a local websocket server: apps.connections.open on the fake Web API hands out
its ws:// URL; envelopes go in, acks come back, the answers go out through the Web API."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from websockets.sync.server import ServerConnection, serve

from bot.config import Settings
from bot.slack.serve import start
from tests.slack.driver import dm
from tests.slack.fake_slack import FakeSlack


class SocketSlack:
    """Slack's side of Socket Mode: hello, then whatever envelopes the test sends; acks are collected."""

    def __init__(self) -> None:
        self.outgoing: queue.Queue[dict[str, Any]] = queue.Queue()
        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self.server = serve(self.handle, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=test"

    def handle(self, ws: ServerConnection) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0VRAAG"}}))

        def pump() -> None:
            while True:
                envelope = self.outgoing.get()
                ws.send(json.dumps(envelope))

        threading.Thread(target=pump, daemon=True).start()
        for raw in ws:
            self.acks.put(json.loads(raw))

    def send(self, envelope: dict[str, Any]) -> dict[str, Any]:
        self.outgoing.put(envelope)
        return self.acks.get(timeout=5)


@pytest.fixture
def socket_slack(fake: FakeSlack) -> Iterator[SocketSlack]:
    side = SocketSlack()
    fake.ws_url = side.url
    yield side
    side.server.shutdown()


def envelope(payload: dict[str, Any], retry: int = 0, kind: str = "events_api") -> dict[str, Any]:
    return {"envelope_id": f"env-{payload.get('event_id', 'x')}-{retry}", "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api", "retry_attempt": retry,
            "retry_reason": "timeout" if retry else ""}


def test_socket_mode_answers_and_drops_retries(
    fake: FakeSlack, settings: Settings, socket_slack: SocketSlack
) -> None:
    settings = replace(settings, slack_app_token="xapp-1-A0VRAAG-test", slack_signing_secret="")
    service = start(settings)
    try:
        assert service.port is None
        fake.wait_for("apps.connections.open")
        event = dm("hoe vraag ik een paspoort aan?")
        ack = socket_slack.send(envelope(event))
        assert ack["envelope_id"] == f"env-{event['event_id']}-0"
        answer = fake.wait_for("chat.postMessage")[0]
        assert answer["channel"] == "D0AGENT" and "Paspoort aanvragen" in json.dumps(answer["blocks"])
        assert socket_slack.send(envelope(event, retry=1))["envelope_id"] == f"env-{event['event_id']}-1"
        time.sleep(0.2)  # a repeat that got through would be answered by now
        assert [c.token for c in fake.called_full("apps.connections.open")] == ["xapp-1-A0VRAAG-test"]
        assert len(fake.called("chat.postMessage")) == 1
    finally:
        # closing waits for the client's blocking read (up to 3 s): let it finish in the background
        threading.Thread(target=service.stop, daemon=True).start()
