"""The Bolt app: one WebClient, the dedupe middleware, and every listener, registered through
``Routes`` so a test can hold them against manifest.yml."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack import asking, home, messages, resolving
from bot.slack.adapter import Adapter
from bot.slack.client import web_client
from bot.slack.talk import People

if TYPE_CHECKING:
    from handlers.desk import Desk

log = logging.getLogger(__name__)
Listener = Callable[..., Any]


class Routes:
    """Registers listeners on the app and remembers which manifest entries they answer:
    ``event:<bot event>``, ``command:/name``, ``shortcut:<callback_id>``."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.manifest: set[str] = set()
        self.count = 0

    def event(self, event_type: str, listener: Listener, *, manifest: tuple[str, ...] = ()) -> None:
        self.app.event(event_type)(listener)
        self.manifest.update(f"event:{name}" for name in (manifest or (event_type,)))
        self.count += 1

    def command(self, name: str, listener: Listener) -> None:
        self.app.command(name)(listener)
        self.manifest.add(f"command:{name}")
        self.count += 1

    def shortcut(self, callback_id: str, listener: Listener) -> None:
        self.app.message_shortcut(callback_id)(listener)
        self.manifest.add(f"shortcut:{callback_id}")
        self.count += 1

    def action(self, action_id: str, listener: Listener) -> None:
        self.app.action(action_id)(listener)
        self.count += 1

    def view(self, callback_id: str, listener: Listener) -> None:
        self.app.view(callback_id)(listener)
        self.count += 1


_ROUTES: weakref.WeakKeyDictionary[App, Routes] = weakref.WeakKeyDictionary()


def routes_of(app: App) -> Routes:
    return _ROUTES[app]


def delivery_key(body: dict[str, Any]) -> str:
    """The id Slack repeats when it redelivers: the event id, else the interaction's trigger id
    (the Desk adds the platform to the key)."""
    if body.get("event_id"):
        return str(body["event_id"])
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return ""


def dedupe(desk: Desk) -> Listener:
    def drop_repeats(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002
        key = delivery_key(body)
        if key and not desk.first_delivery(key):
            log.info("dropped a repeated delivery of %s", key)
            return BoltResponse(status=200, body="")
        next()
        return None

    return drop_repeats


def build_app(settings: Settings, desk: Desk, *, client: WebClient | None = None) -> App:
    """The Bolt app for ``desk``. Calls auth.test once (on ``settings.slack_api_url``)."""
    client = client or web_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=bool(settings.slack_signing_secret),
        ignoring_self_events_enabled=True,
    )
    app.middleware(dedupe(desk))
    adapter = Adapter(desk=desk, client=client, people=People(client))
    routes = Routes(app)
    messages.register(routes, adapter)
    asking.register(routes, adapter)
    resolving.register(routes, adapter)
    home.register(routes, adapter)
    _ROUTES[app] = routes
    return app
