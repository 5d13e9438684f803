"""Resolving an escalation: ✅ on a reply, the "Markeer als antwoord" message shortcut, or the button on the
escalation post. The Dispatcher has the Desk relay the answer and update the post."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter, delivery_key, where_clicked
from handlers.events import Clicked, Marked
from handlers.replies import Action
from knowledge.model import Place

if TYPE_CHECKING:
    from bot.slack.app import Routes

MARK_SHORTCUT = "markeer_antwoord"
MARK_REACTION = "white_check_mark"


def register(routes: Routes, adapter: Adapter) -> None:
    def on_reaction(body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]) -> None:
        item = event.get("item") or {}
        user_id = event.get("user")
        if event.get("reaction") != MARK_REACTION or item.get("type") != "message" or not user_id:
            return
        if user_id == context.get("bot_user_id"):
            return
        # reaction_added does not say which thread: the Desk finds the reply by its message id; a ✅ on any
        # message is no request to the bot, so a reason it does not count is only logged (quiet)
        place = Place(channel=str(item["channel"]), thread=None, message=str(item["ts"]))
        adapter.submit(Marked(adapter.user(user_id), place, quiet=True, key=delivery_key(body)))

    def on_mark_shortcut(ack: Callable[..., None], body: dict[str, Any]) -> None:
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "")
        place = Place(channel=channel, thread=message.get("thread_ts"), message=str(message.get("ts") or ""))
        adapter.submit(Marked(adapter.user(str(body["user"]["id"])), place, key=delivery_key(body)))
        ack()

    def on_mark_button(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
        adapter.submit(Clicked(adapter.user(str(body["user"]["id"])), Action.MARK_ANSWER, str(action.get("value")),
                               where_clicked(body), key=delivery_key(body)))
        ack()

    routes.event("reaction_added", on_reaction)
    routes.shortcut(MARK_SHORTCUT, on_mark_shortcut)
    routes.action(Action.MARK_ANSWER, on_mark_button)
