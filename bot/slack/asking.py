"""Asking: @mention (answer in the thread), /vraag, the "Vraag Vraagbaak" message shortcut, and the
buttons on an answer (helpful, not helpful, ask an expert)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter, delivery_key, where_clicked
from bot.slack.text import to_plain
from handlers.events import Asked, Clicked, ThreadReplied
from handlers.replies import Action
from knowledge.model import Place

if TYPE_CHECKING:
    from bot.slack.app import Routes

ASK_SHORTCUT = "vraag_bericht"
COMMAND = "/vraag"


def register(routes: Routes, adapter: Adapter) -> None:
    def on_mention(body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]) -> None:
        user_id = event.get("user")
        if not user_id or event.get("bot_id"):
            return
        channel, ts = str(event["channel"]), str(event["ts"])
        thread = str(event.get("thread_ts") or ts)
        text = to_plain(str(event.get("text") or ""), drop_user=context.get("bot_user_id"))
        user, key = adapter.user(user_id), delivery_key(body)
        if thread != ts:  # in a thread: an expert mentioning the bot while answering, else a question there
            adapter.submit(ThreadReplied(user, text, Place(channel, thread, ts), or_ask=True, key=key))
        else:
            adapter.submit(Asked(user, text, Place(channel, thread), key=key))

    def on_command(ack: Callable[..., None], body: dict[str, Any]) -> None:
        """Slash command and shortcut: the answer (and a relay later) goes to the asker's DM."""
        adapter.submit(Asked(adapter.user(str(body["user_id"])), to_plain(str(body.get("text") or "")),
                             key=delivery_key(body)))
        ack()

    def on_ask_shortcut(ack: Callable[..., None], body: dict[str, Any]) -> None:
        text = to_plain(str((body.get("message") or {}).get("text") or ""))
        adapter.submit(Asked(adapter.user(str(body["user"]["id"])), text, key=delivery_key(body)))
        ack()

    def on_click(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
        adapter.submit(Clicked(adapter.user(str(body["user"]["id"])), str(action["action_id"]),
                               str(action.get("value") or ""), where_clicked(body), key=delivery_key(body)))
        ack()

    routes.event("app_mention", on_mention)
    routes.command(COMMAND, on_command)
    routes.shortcut(ASK_SHORTCUT, on_ask_shortcut)
    for action in (Action.HELPFUL, Action.NOT_HELPFUL, Action.ESCALATE, Action.URGENT, Action.READ):
        routes.action(action, on_click)
