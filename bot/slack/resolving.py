"""Resolving an escalation: ✅ on a reply, the "Markeer als antwoord" message shortcut, or the
button on the escalation post. The Desk relays the answer and updates the post."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter
from bot.slack.asking import where_clicked
from handlers.replies import Action
from knowledge.model import Place

if TYPE_CHECKING:
    from bot.slack.app import Routes

MARK_SHORTCUT = "markeer_antwoord"
MARK_REACTION = "white_check_mark"


def register(routes: Routes, adapter: Adapter) -> None:
    desk = adapter.desk

    def on_reaction(event: dict[str, Any], context: dict[str, Any]) -> None:
        item = event.get("item") or {}
        user_id = event.get("user")
        if event.get("reaction") != MARK_REACTION or item.get("type") != "message" or not user_id:
            return
        if user_id == context.get("bot_user_id"):
            return
        channel = str(item["channel"])
        user = adapter.user(user_id)
        # reaction_added does not say which thread: the Desk finds the reply by its message id
        place = Place(channel=channel, thread=None, message=str(item["ts"]))
        with adapter.reported(user, channel=channel, quiet=True):
            adapter.tell(user.id, desk.mark_answer(place, user), channel=channel)

    def on_mark_shortcut(ack: Callable[..., None], body: dict[str, Any]) -> None:
        ack()
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "")
        thread = message.get("thread_ts")
        user = adapter.user(str(body["user"]["id"]))
        with adapter.reported(user, channel=channel, thread=thread):
            place = Place(channel=channel, thread=thread, message=str(message.get("ts") or ""))
            adapter.tell(user.id, desk.mark_answer(place, user), channel=channel, thread=thread)

    def on_mark_button(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        user = adapter.user(str(body["user"]["id"]))
        channel, thread = where_clicked(body)
        with adapter.reported(user, channel=channel, thread=thread):
            result = desk.mark_latest(int(action["value"]), user)
            adapter.tell(user.id, result, channel=channel, thread=thread)

    routes.event("reaction_added", on_reaction)
    routes.shortcut(MARK_SHORTCUT, on_mark_shortcut)
    routes.action(Action.MARK_ANSWER, on_mark_button)
