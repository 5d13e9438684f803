"""The Bolt app: one WebClient, one Dispatcher, and every listener, registered through ``Routes`` so a test
can hold them against manifest.yml. Redeliveries are dropped by the inbox (an event's key is stored once)."""

from __future__ import annotations

import functools
import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack import asking, home, messages, rerouting, resolving
from bot.slack.adapter import Adapter
from bot.slack.client import LOOKUP_TIMEOUT_SECONDS, web_client
from bot.slack.people import People
from handlers.dispatch import Dispatcher

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
        self.app.event(event_type)(shaped(listener))
        self.manifest.update(f"event:{name}" for name in (manifest or (event_type,)))
        self.count += 1

    def command(self, name: str, listener: Listener) -> None:
        self.app.command(name)(shaped(listener))
        self.manifest.add(f"command:{name}")
        self.count += 1

    def shortcut(self, callback_id: str, listener: Listener) -> None:
        self.app.message_shortcut(callback_id)(shaped(listener))
        self.manifest.add(f"shortcut:{callback_id}")
        self.count += 1

    def action(self, action_id: str, listener: Listener) -> None:
        self.app.action(action_id)(shaped(listener))
        self.count += 1

    def view(self, callback_id: str, listener: Listener) -> None:
        self.app.view(callback_id)(shaped(listener))
        self.count += 1


SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError)


def shaped(listener: Listener) -> Listener:
    """A listener that treats a payload not shaped like Slack's as nothing to do: logged (never the body),
    acknowledged, no exception (Bolt would answer 500, and Slack would retry it)."""

    @functools.wraps(listener)
    def guarded(**kwargs: Any) -> Any:
        try:
            return listener(**kwargs)
        except SHAPE_ERRORS as error:
            log.warning("a payload not shaped like Slack's (%s in %s): ignored", type(error).__name__,
                        listener.__name__)
            if callable(kwargs.get("ack")):
                kwargs["ack"]()
            return None

    return guarded


_ROUTES: weakref.WeakKeyDictionary[App, Routes] = weakref.WeakKeyDictionary()
_DISPATCHERS: weakref.WeakKeyDictionary[App, Dispatcher] = weakref.WeakKeyDictionary()


def routes_of(app: App) -> Routes:
    return _ROUTES[app]


def build_app(settings: Settings, desk: Desk, *, client: WebClient | None = None) -> App:
    """The Bolt app for ``desk``. Calls auth.test once (on ``settings.slack_api_url``)."""
    client = client or web_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=bool(settings.slack_signing_secret),
        ignoring_self_events_enabled=True,
        # the listener (which only stores the event) runs before Slack gets its 200: stored before acknowledged
        process_before_response=True,
    )
    dispatcher = Dispatcher(desk)
    # who asked: looked up before the acknowledgement, so never retried nor waited on for long (a storm of
    # 429s must not hold Slack's 200; a failed lookup gives the id alone and is asked again later)
    lookups = web_client(settings, retries=0, timeout=LOOKUP_TIMEOUT_SECONDS)
    adapter = Adapter(dispatcher=dispatcher, client=client, people=People(lookups))
    routes = Routes(app)
    messages.register(routes, adapter)
    asking.register(routes, adapter)
    resolving.register(routes, adapter)
    home.register(routes, adapter)
    rerouting.register(routes, adapter)
    _ROUTES[app] = routes
    _DISPATCHERS[app] = dispatcher
    return app


def dispatcher_of(app: App) -> Dispatcher:
    """The Dispatcher behind ``app``: ``start()`` its workers to handle what the app stores."""
    return _DISPATCHERS[app]
