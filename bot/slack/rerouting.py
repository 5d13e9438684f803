"""Re-routing in Slack: the escalation post's "Doorsturen" button opens a modal with the other expert channels;
its submit is a Clicked event like any other, handled at once so a refusal shows in the modal. The result is told
to the expert in the channel where they clicked (ephemeral)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter, delivery_key, where_clicked
from bot.slack.blocks import clip
from handlers.errors import UserError
from handlers.events import Clicked
from handlers.messages import t
from handlers.replies import Action
from knowledge.model import Place

if TYPE_CHECKING:
    from bot.slack.app import Routes

log = logging.getLogger(__name__)
REROUTE_VIEW = "vb_reroute_view"
OPTION_LIMIT = 100  # static_select options


def register(routes: Routes, adapter: Adapter) -> None:
    desk, dispatcher = adapter.desk, adapter.dispatcher

    def on_click(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
        """The form opens at once (Slack's trigger expires in 3 s) and changes nothing."""
        ack()
        user = adapter.user(str(body["user"]["id"]))
        where = where_clicked(body)
        escalation_id = int(action["value"])
        seen, choices = desk.channel_choices(escalation_id)
        view = reroute_view(escalation_id, seen, choices, where, user.lang)
        try:
            adapter.client.views_open(trigger_id=body["trigger_id"], view=view)
        except Exception:
            log.exception("opening the re-route form for %s failed", user.id)

    def on_submit(ack: Callable[..., Any], body: dict[str, Any], view: dict[str, Any]) -> None:
        """Handled at once: a reason it cannot move (an unknown or the same channel) goes back into the form."""
        try:
            user = adapter.user(str(body["user"]["id"]))
            meta = json.loads(view["private_metadata"])
            chosen = view["state"]["values"]["channel"]["value"]
            channel = str((chosen.get("selected_option") or {}).get("value") or chosen.get("value") or "")
            where = Place(str(meta["channel"]), meta.get("thread")) if meta.get("channel") else None
            fields = {"channel": channel, "seen": str(meta.get("seen", ""))}
            event = Clicked(user, Action.REROUTE, str(int(meta["escalation"])), where, fields, key=delivery_key(body))
        except (LookupError, TypeError, AttributeError, ValueError) as error:
            log.warning("a view submission not shaped like ours (%s): closed", type(error).__name__)
            ack()
            return
        try:
            reply = dispatcher.handle_now(event, strict=True)
        except UserError as error:
            ack(response_action="errors", errors={"channel": clip(str(error), 150)})
            return
        ack()
        if reply is not None:
            desk.deliver(where or desk.nowhere, reply, kind="tell", recipient=user.id)

    routes.action(Action.REROUTE, on_click)
    routes.view(REROUTE_VIEW, on_submit)


def reroute_view(escalation_id: int, seen: str, choices: list[tuple[str, str]], where: Place | None,
                 lang: str | None) -> dict[str, Any]:
    """A modal with a picker of the other expert channels (a field to type one when there are none)."""
    options = [{"text": {"type": "plain_text", "text": clip(label, 75)}, "value": clip(value, 150)}
               for value, label in choices[:OPTION_LIMIT]]
    element: dict[str, Any] = ({"type": "static_select", "action_id": "value", "options": options} if options
                               else {"type": "plain_text_input", "action_id": "value", "max_length": 150})
    meta = {"escalation": escalation_id, "seen": seen, "channel": where.channel if where else "",
            "thread": where.thread if where else None}
    return {
        "type": "modal", "callback_id": REROUTE_VIEW, "private_metadata": json.dumps(meta),
        "title": {"type": "plain_text", "text": t("ui_reroute_title", lang)},
        "submit": {"type": "plain_text", "text": t("ui_reroute_title", lang)},
        "close": {"type": "plain_text", "text": t("ui_cancel", lang)},
        "blocks": [{"type": "input", "block_id": "channel",
                    "label": {"type": "plain_text", "text": t("ui_reroute_to", lang)}, "element": element}],
    }

