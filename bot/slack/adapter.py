"""What every listener shares: the Dispatcher (the one way into the use cases), one Web API client and user
lookups. A listener only parses a Slack payload into a neutral event and submits it: the event is stored
before Bolt acknowledges it (the app runs with ``process_before_response``), and a worker handles it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.slack.people import People
from handlers.dispatch import Dispatcher
from handlers.events import Event
from knowledge.model import Place, User


@dataclass
class Adapter:
    dispatcher: Dispatcher
    client: WebClient
    people: People

    @property
    def desk(self) -> Any:
        return self.dispatcher.desk

    def user(self, user_id: str) -> User:
        return self.people.user(user_id)

    def submit(self, event: Event) -> None:
        self.dispatcher.submit(event)


def delivery_key(body: dict[str, Any]) -> str:
    """The id Slack repeats when it redelivers: the event id, else the interaction's trigger id."""
    if body.get("event_id"):
        return str(body["event_id"])
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return ""


def where_clicked(body: dict[str, Any]) -> Place | None:
    """The conversation (and thread) of the message whose button was clicked; None for App Home."""
    container = body.get("container") or {}
    if container.get("type") == "view" or body.get("view"):
        return None
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    message = body.get("message") or {}
    thread = message.get("thread_ts") or container.get("thread_ts")
    return Place(channel, thread) if channel else None
