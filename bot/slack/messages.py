"""Message events: a DM to the bot is a question; a reply in a channel thread may be an expert's
answer to an escalation (the Desk decides; it ignores threads that are not escalations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter, delivery_key
from bot.slack.text import to_plain
from handlers.events import Asked, ThreadReplied
from knowledge.model import Place

if TYPE_CHECKING:
    from bot.slack.app import Routes

# subtypes that are still a person writing: plain, with a file, a thread reply also sent to the channel
PERSON_SUBTYPES = (None, "file_share", "thread_broadcast")


def register(routes: Routes, adapter: Adapter) -> None:
    def on_message(body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]) -> None:
        user_id = event.get("user")
        if event.get("subtype") not in PERSON_SUBTYPES or event.get("bot_id") or not user_id:
            return
        if user_id == context.get("bot_user_id"):
            return
        channel, ts, thread = str(event["channel"]), str(event["ts"]), event.get("thread_ts")
        text = to_plain(str(event.get("text") or ""))
        if event.get("channel_type") == "im":
            adapter.submit(Asked(adapter.user(user_id), text, Place(channel, thread), key=delivery_key(body)))
        elif event.get("channel_type") in ("channel", "group") and thread and thread != ts:
            adapter.submit(ThreadReplied(adapter.user(user_id), text, Place(channel, thread, ts),
                                         key=delivery_key(body)))

    routes.event("message", on_message, manifest=("message.im", "message.channels", "message.groups"))
