"""A fake Slack Web API: a real HTTP server on 127.0.0.1 (port 0) that records every call and answers
the methods the adapter uses. ``fail(method, status)`` makes the next calls fail (429 + Retry-After, 500);
``slow(method, seconds)`` answers late what it did at once. Posted messages are kept per channel, with their
metadata, for conversations.history and conversations.replies."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.slack.blockkit import problems, view_problems

BOT_USER = "UBOT"
TEAM = "T0VRAAG"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str
    result: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    status: int
    retry_after: int = 0
    error: str = ""


@dataclass
class FakeSlack:
    channels: dict[str, str] = field(default_factory=lambda: {"kcc-experts": "C0EXPERTS"})
    users: list[dict[str, Any]] = field(default_factory=list)
    profile_fields: list[dict[str, Any]] = field(default_factory=list)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    ws_url: str = ""
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    delays: dict[str, list[float]] = field(default_factory=dict)
    storm_until: float = 0.0  # time.monotonic() until which every method but auth.test fails (429 / 500 in turn)
    connections: int = 0  # TCP connections accepted (a client that keeps its connection opens one)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel id -> its messages, oldest first

    def __post_init__(self) -> None:
        self._storms = itertools.count()
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    # --- control ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.01)

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(
        self, method: str, status: int = 200, *, times: int = 1, retry_after: int = 0, error: str = ""
    ) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` (or ``{"ok": false, "error": error}``)."""
        with self._lock:
            queue = self.failures.setdefault(method, [])
            queue.extend(Failure(status, retry_after, error) for _ in range(times))

    def storm(self, seconds: float, retry_after: int = 1) -> None:
        """For ``seconds`` from now every call but auth.test is refused: 429 (Retry-After) and 500 in turn."""
        self.storm_retry_after = retry_after
        self.storm_until = time.monotonic() + seconds

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are answered only after ``seconds`` (what they do is done at
        once: a message posted so is in the channel's history while its sender still waits)."""
        with self._lock:
            self.delays.setdefault(method, []).extend([seconds] * times)

    def called(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.args for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0,
                 where: Callable[[dict[str, Any]], bool] = lambda _: True) -> list[dict[str, Any]]:
        """The calls to ``method`` matching ``where``, once there are ``count`` (listeners run after ack)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [a for a in self.called(method) if where(a)]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"{method}: {len(found)} of {count} calls; all: {self.names()}"
                return found
            time.sleep(0.01)

    def called_full(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def posted(self, channel: str) -> list[Call]:
        """Successful chat.postMessage calls that landed in ``channel`` (an id)."""
        with self._lock:
            calls = [c for c in self.calls if c.method == "chat.postMessage" and c.result.get("ok")]
        return [c for c in calls if c.result["channel"] == channel]

    def shown(self, channel: str) -> list[dict[str, Any]]:
        """The messages people see in ``channel`` (an id), oldest first: also one whose sender still waits for
        Slack's answer, or was killed before it came."""
        with self._lock:
            return [dict(m) for m in self.history.get(channel, [])]

    def names(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    # --- answers ----------------------------------------------------------------------------
    Answer = tuple[int, dict[str, str], dict[str, Any]]

    def answer(self, method: str, args: dict[str, Any], token: str) -> Answer:
        call = Call(method, args, token)
        with self._lock:
            self.calls.append(call)
            queue = self.failures.get(method) or []
            failure = queue.pop(0) if queue else None
            if failure is None and method != "auth.test" and time.monotonic() < self.storm_until:
                failure = Failure(429, self.storm_retry_after) if next(self._storms) % 2 else Failure(500)
            delays = self.delays.get(method) or []
            delay = delays.pop(0) if delays else 0.0
        if failure is not None:
            time.sleep(delay)
            if failure.error:
                return 200, {}, {"ok": False, "error": failure.error}
            headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
            error = "ratelimited" if failure.status == 429 else "fatal_error"
            return failure.status, headers, {"ok": False, "error": error}
        if not token and method != "apps.connections.open":
            return 200, {}, {"ok": False, "error": "not_authed"}
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        invalid = problems(args.get("blocks") or []) + (view_problems(args["view"]) if "view" in args else [])
        if invalid:
            call.result = {"ok": False, "error": "invalid_blocks", "errors": invalid}
            return 200, {}, call.result
        result = {"ok": True, **handler(args)}  # done at once (a posted message is in the history from now)...
        time.sleep(delay)  # ... and answered late: a slow Slack, or a sender killed while it waits
        call.result = result
        return 200, {}, result

    def _channel(self, args: dict[str, Any]) -> str:
        name = str(args.get("channel", ""))
        return self.channels.get(name, name)

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://vraagbaak.slack.test/", "team": "Vraagbaak", "user": "vraagbaak",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0BOT", "is_enterprise_install": False}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        ts = f"{int(time.time())}.{next(self._ts):06d}"  # a time, as Slack's are (history is read from one)
        channel = self._channel(args)
        message = {"type": "message", "text": args.get("text"), "ts": ts, "bot_id": "B0BOT", "user": BOT_USER}
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        if isinstance(args.get("metadata"), dict):
            message["metadata"] = args["metadata"]
        with self._lock:
            self.history.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": ts, "message": message}

    def post_as_someone(self, channel: str, text: str, user: str = "U0SOMEONE") -> str:
        """A person's message in ``channel`` (in its history, as if they wrote it); returns its ts."""
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        with self._lock:
            self.history.setdefault(channel, []).append({"type": "message", "text": text, "ts": ts, "user": user})
        return ts

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            for message in self.history.get(self._channel(args), []):
                if message["ts"] == args.get("ts"):
                    message["text"] = args.get("text")
        return {"channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}

    def _messages(self, args: dict[str, Any], *, thread: str | None) -> dict[str, Any]:
        """A page of ``args["channel"]``'s messages after ``oldest``: top level newest first (history), or a
        thread's oldest first (replies); ``metadata`` only with ``include_all_metadata``, as Slack does."""
        if str(args.get("channel", "")) in self.channels:  # a name: Slack reads history by channel id only
            return {"ok": False, "error": "channel_not_found"}
        channel = self._channel(args)
        oldest = float(args.get("oldest") or 0)
        with self._lock:
            every = [dict(m) for m in self.history.get(channel, [])]
        if thread is None:
            found = [m for m in every if m.get("thread_ts", m["ts"]) == m["ts"]][::-1]
        else:
            found = [m for m in every if m["ts"] == thread or m.get("thread_ts") == thread]
        found = [m for m in found if float(m["ts"]) > oldest]
        if str(args.get("include_all_metadata", "")).lower() not in ("1", "true"):
            for m in found:
                m.pop("metadata", None)
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 100)
        more = start + limit < len(found)
        return {"messages": found[start:start + limit], "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._messages(args, thread=None)

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._messages(args, thread=str(args.get("ts", "")))

    def _chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        ts = str(args.get("message_ts", "")).replace(".", "")
        link = f"https://vraagbaak.slack.test/archives/{args.get('channel')}/p{ts}"
        return {"channel": args.get("channel"), "permalink": link}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"message_ts": f"1700999{next(self._ts):03d}.000100"}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V0HOME", **(args.get("view") or {})}}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V0MODAL", **(args.get("view") or {})}}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(args.get("users", "")).lstrip("UW")}}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        uid = str(args.get("user"))
        known = {u["id"]: u for u in self.users}
        return {"user": known.get(uid, {"id": uid, "name": uid.lower(), "locale": "nl-NL",
                                         "profile": {"display_name": f"Persoon {uid}"}})}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = self.users[start:start + limit]
        more = start + limit < len(self.users)
        return {"members": page, "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _users_profile_get(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"profile": self.profiles.get(str(args.get("user")), {})}

    def _team_profile_get(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"profile": {"fields": self.profile_fields}}

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.ws_url}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait on a kept connection

        def setup(self) -> None:
            super().setup()
            with fake._lock:
                fake.connections += 1

        def _serve(self) -> None:
            url = urlsplit(self.path)
            method = url.path.removeprefix("/api/")
            args: dict[str, Any] = dict(parse_qsl(url.query))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            if raw and "json" in (self.headers.get("Content-Type") or ""):
                args.update(json.loads(raw))
            elif raw:
                args.update(parse_qsl(raw))
            for key in ("blocks", "view"):
                if isinstance(args.get(key), str):
                    args[key] = json.loads(args[key])
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
            token = token or str(args.pop("token", "") or "")
            status, headers, body = fake.answer(method, args, token)
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _serve  # noqa: N815
        do_POST = _serve  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler
