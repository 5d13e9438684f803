"""Drives the running Bolt app the way Slack does: signed HTTP requests built from the recorded payloads."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.slack.http import PATH, make_server
from tests.slack.conftest import payload

_ids = itertools.count(1)


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


@dataclass
class Response:
    status: int
    body: str


@dataclass
class SlackSide:
    """The Slack platform's side of an HTTP-mode app: it POSTs signed requests to ``url``."""

    url: str
    secret: str
    server: ThreadingHTTPServer | None = None

    @classmethod
    def serving(cls, app: Any, secret: str) -> SlackSide:
        """Serve ``app`` on 127.0.0.1 (a free port) and talk to it."""
        server = make_server(app, host="127.0.0.1", port=0)
        threading.Thread(target=lambda: server.serve_forever(poll_interval=0.01), daemon=True).start()
        return cls(f"http://127.0.0.1:{server.server_address[1]}{PATH}", secret, server)

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Response:
        request = urllib.request.Request(self.url, data=body.encode("utf-8"), method="POST")
        request.add_header("Content-Type", content_type)
        for name, value in (headers if headers is not None else signed_headers(self.secret, body)).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Response(response.status, response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode("utf-8"))

    # --- what Slack sends -----------------------------------------------------------------------
    def event(self, envelope: dict[str, Any], *, retry: int | None = None) -> Response:
        body = json.dumps(envelope)
        headers = signed_headers(self.secret, body)
        if retry is not None:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(body, "application/json", headers)

    def command(self, fields: dict[str, str]) -> Response:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded")

    def interaction(self, data: dict[str, Any]) -> Response:
        return self.post(urlencode({"payload": json.dumps(data)}), "application/x-www-form-urlencoded")


# --- payloads, filled in ---------------------------------------------------------------------------
def _event(name: str, **fields: Any) -> dict[str, Any]:
    envelope = payload(name)
    envelope["event_id"] = f"Ev{next(_ids):08d}"
    envelope["event"].update(fields)
    return envelope


def dm(text: str, *, user: str = "U0AGENT", channel: str = "D0AGENT") -> dict[str, Any]:
    ts = f"17001{next(_ids):05d}.000100"
    return _event("event_message_im", text=text, user=user, channel=channel, ts=ts, event_ts=ts)


def mention(text: str, *, user: str = "U0AGENT", channel: str = "C0KCC", thread: str | None = None) -> dict[str, Any]:
    ts = f"17002{next(_ids):05d}.000200"
    fields: dict[str, Any] = {"text": f"<@UBOT> {text}", "user": user, "channel": channel, "ts": ts}
    if thread:
        fields["thread_ts"] = thread
    return _event("event_app_mention", **fields)


def thread_reply(text: str, *, channel: str, thread: str, user: str = "U0DEMO05") -> dict[str, Any]:
    ts = f"17003{next(_ids):05d}.000300"
    return _event("event_thread_reply", text=text, channel=channel, thread_ts=thread, user=user, ts=ts, event_ts=ts)


def reaction(channel: str, ts: str, *, user: str = "U0DEMO05", name: str = "white_check_mark") -> dict[str, Any]:
    item = {"type": "message", "channel": channel, "ts": ts}
    return _event("event_reaction_added", user=user, reaction=name, item=item)


def home_opened(user: str) -> dict[str, Any]:
    return _event("event_app_home_opened", user=user, channel="D" + user[1:])


def command(text: str, *, user: str = "U0AGENT") -> dict[str, str]:
    fields = payload("command_vraag")
    fields.update(text=text, user_id=user, trigger_id=f"{next(_ids)}.1.cmd")
    return fields


def shortcut(name: str, *, user: str, channel: str, message: dict[str, Any]) -> dict[str, Any]:
    data = payload(name)
    data["user"]["id"] = user
    data["channel"]["id"] = channel
    data["message"].update(message)
    data["message_ts"] = data["message"]["ts"]
    data["trigger_id"] = f"{next(_ids)}.2.shortcut"
    return data


def click(action_id: str, value: str, *, user: str, channel: str = "D0AGENT", message_ts: str = "1",
          thread: str | None = None) -> dict[str, Any]:
    data = payload("block_actions")
    data["user"]["id"] = user
    data["container"].update(channel_id=channel, message_ts=message_ts)
    data["channel"]["id"] = channel
    data["message"]["ts"] = message_ts
    if thread:
        data["message"]["thread_ts"] = thread
    data["actions"][0].update(action_id=action_id, value=value)
    data["trigger_id"] = f"{next(_ids)}.3.click"
    return data


def click_home(action_id: str, value: str, *, user: str) -> dict[str, Any]:
    data = payload("block_actions_home")
    data["user"]["id"] = user
    data["actions"][0].update(action_id=action_id, value=value)
    data["trigger_id"] = f"{next(_ids)}.4.home"
    return data


def submit(name: str, review_id: int, *, user: str, **values: Any) -> dict[str, Any]:
    data = payload(name)
    data["user"]["id"] = user
    data["view"]["private_metadata"] = str(review_id)
    state = data["view"]["state"]["values"]
    for block, value in values.items():
        if value is None:
            state.pop(block)
        elif "selected_option" in state[block]["value"]:
            state[block]["value"]["selected_option"]["value"] = value
        else:
            state[block]["value"]["value"] = value
    data["trigger_id"] = f"{next(_ids)}.5.submit"
    return data


def eventually(check: Any, timeout: float = 5.0) -> Any:
    """Poll ``check()`` until it returns something truthy (listeners run after the ack)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "condition not met in time"
            return value
        time.sleep(0.01)


def buttons(blocks: list[dict[str, Any]]) -> dict[str, list[str]]:
    """action_id -> values of the buttons in ``blocks``."""
    found: dict[str, list[str]] = {}
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            found.setdefault(element["action_id"], []).append(element["value"])
    return found


NONSENSE = "qwerty zxcv plof?"


def escalate(running: Any, question: str = NONSENSE) -> tuple[str, str]:
    """Ask something the knowledge base cannot answer; returns the escalation post's (channel, ts)."""
    running.slack.event(dm(question))
    post = eventually(lambda: [c for c in running.fake.called_full("chat.postMessage")
                               if c.result.get("ok") and not c.result["channel"].startswith("D")])[0]
    return str(post.result["channel"]), str(post.result["ts"])


def expert_reply(running: Any, channel: str, root: str, text: str, user: str = "U0DEMO05") -> str:
    """An expert's reply in the escalation thread, once the Desk has stored it; returns its ts."""
    reply = thread_reply(text, channel=channel, thread=root, user=user)
    running.slack.event(reply)
    ts = str(reply["event"]["ts"])
    eventually(lambda: running.store.answer_at(channel, ts))
    return ts
