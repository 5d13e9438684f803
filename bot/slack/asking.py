"""Asking: @mention (answer in the thread), /vraag, the "Vraag Vraagbaak" message shortcut, and the
buttons on an answer (helpful, not helpful, ask an expert)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter
from bot.slack.text import to_plain
from handlers.replies import Action, Message
from knowledge.model import Place, User

if TYPE_CHECKING:
    from bot.slack.app import Routes

ASK_SHORTCUT = "vraag_bericht"
COMMAND = "/vraag"


def register(routes: Routes, adapter: Adapter) -> None:
    desk = adapter.desk

    def on_mention(event: dict[str, Any], context: dict[str, Any]) -> None:
        user_id = event.get("user")
        if not user_id or event.get("bot_id"):
            return
        channel, ts = str(event["channel"]), str(event["ts"])
        place = Place(channel=channel, thread=str(event.get("thread_ts") or ts))
        text = to_plain(str(event.get("text") or ""), drop_user=context.get("bot_user_id"))
        user = adapter.user(user_id)
        with adapter.reported(user, channel=channel, thread=place.thread):
            if place.thread != ts and desk.thread_reply(Place(channel, place.thread, ts), user, text):
                return  # an expert mentioning the bot while answering in an escalation thread
            adapter.reply(place, desk.ask(user, text, place))

    def ask_in_dm(user_id: str, text: str) -> None:
        """Slash command and shortcut: the answer (and a relay later) goes to the asker's DM."""
        user = adapter.user(user_id)
        with adapter.reported(user):
            place = adapter.dm(user_id)
            adapter.reply(place, desk.ask(user, text, place))

    def on_command(ack: Callable[..., None], body: dict[str, Any]) -> None:
        ack()
        ask_in_dm(str(body["user_id"]), to_plain(str(body.get("text") or "")))

    def on_ask_shortcut(ack: Callable[..., None], body: dict[str, Any]) -> None:
        ack()
        ask_in_dm(str(body["user"]["id"]), to_plain(str((body.get("message") or {}).get("text") or "")))

    def answer_button(use_case: Callable[[int, User], Message]) -> Callable[..., None]:
        def on_click(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()
            user = adapter.user(str(body["user"]["id"]))
            channel, thread = where_clicked(body)
            with adapter.reported(user, channel=channel, thread=thread):
                adapter.tell(user.id, use_case(int(action["value"]), user), channel=channel, thread=thread)

        return on_click

    routes.event("app_mention", on_mention)
    routes.command(COMMAND, on_command)
    routes.shortcut(ASK_SHORTCUT, on_ask_shortcut)
    routes.action(Action.HELPFUL, answer_button(lambda qid, by: desk.feedback(qid, True, by)))
    routes.action(Action.NOT_HELPFUL, answer_button(lambda qid, by: desk.feedback(qid, False, by)))
    routes.action(Action.ESCALATE, answer_button(desk.escalate))


def where_clicked(body: dict[str, Any]) -> tuple[str, str | None]:
    """Channel and thread of the message whose button was clicked ("" for App Home)."""
    container = body.get("container") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    message = body.get("message") or {}
    return channel, message.get("thread_ts") or container.get("thread_ts")
