"""App Home: everyone's open questions and numbers, and for knowledge owners the review queue with
approve, edit (a modal), merge (a modal with a picker) and reject."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter, delivery_key, where_clicked
from bot.slack.blocks import Block, clip
from handlers.errors import UserError
from handlers.events import Clicked, OpenedHome
from handlers.messages import t
from handlers.replies import Action, Message
from knowledge.model import Article, User

if TYPE_CHECKING:
    from bot.slack.app import Routes

log = logging.getLogger(__name__)
EDIT_VIEW = "vb_edit_view"
MERGE_VIEW = "vb_merge_view"
INPUT_LIMIT = 3000  # plain_text_input max_length
OPTION_LIMIT = 100  # static_select options


def register(routes: Routes, adapter: Adapter) -> None:
    desk, dispatcher = adapter.desk, adapter.dispatcher

    def on_home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        adapter.submit(OpenedHome(adapter.user(str(event["user"])), key=delivery_key(body)))

    def on_decision(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
        adapter.submit(Clicked(adapter.user(str(body["user"]["id"])), str(action["action_id"]),
                               str(action.get("value") or ""), where_clicked(body), key=delivery_key(body)))
        ack()

    def modal(builder: Callable[[int, User], dict[str, Any]]) -> Callable[..., None]:
        """A form opens at once (Slack's trigger expires in 3 s) and changes nothing; what is submitted in it
        is an event like any other."""

        def on_click(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()
            user = adapter.user(str(body["user"]["id"]))
            try:
                desk.require_owner(user)
                view = builder(int(action["value"]), user)
                adapter.client.views_open(trigger_id=body["trigger_id"], view=view)
            except UserError as error:
                desk.deliver(where_clicked(body) or desk.nowhere, Message(text=str(error)), kind="tell",
                             recipient=user.id)
            except Exception:
                log.exception("opening a form for %s failed", user.id)

        return on_click

    def edit_modal(review_id: int, user: User) -> dict[str, Any]:
        _item, article = desk.review_item(review_id)
        return edit_view(review_id, article, user.lang)

    def merge_modal(review_id: int, user: User) -> dict[str, Any]:
        return merge_view(review_id, desk.merge_candidates(review_id), user.lang)

    def submitted(action: str, field: str, fields: Callable[[dict[str, Any]], dict[str, str]]) -> Callable[..., None]:
        """A form's submit, handled at once: a reason it cannot be saved goes back into the form; the
        result shows on App Home."""

        def on_submit(ack: Callable[..., Any], body: dict[str, Any], view: dict[str, Any]) -> None:
            try:
                user = adapter.user(str(body["user"]["id"]))
                values = {block: next(iter(v.values())) for block, v in view["state"]["values"].items()}
                event = Clicked(user, action, str(int(view["private_metadata"])), None, fields(values),
                                key=delivery_key(body))  # a resubmission after an error is a new trigger
            except (LookupError, TypeError, AttributeError, ValueError, StopIteration) as error:
                log.warning("a view submission not shaped like ours (%s): closed", type(error).__name__)
                ack()
                return
            try:
                reply = dispatcher.handle_now(event, strict=True)
            except UserError as error:
                ack(response_action="errors", errors={field: clip(str(error), 150)})
                return
            ack()
            if reply is not None:
                desk.deliver(desk.nowhere, reply, kind="home", recipient=user.id)

        return on_submit

    def edit_fields(values: dict[str, Any]) -> dict[str, str]:
        found = {"title": str(values["title"].get("value") or "")}
        if "body" in values:  # too long for a modal: only the title was editable, the body stays
            found["body"] = str(values["body"].get("value") or "")
        return found

    def merge_fields(values: dict[str, Any]) -> dict[str, str]:
        into = values["into"]
        return {"into": str((into.get("selected_option") or {}).get("value") or into.get("value") or "")}

    routes.event("app_home_opened", on_home_opened)
    routes.action(Action.APPROVE, on_decision)
    routes.action(Action.REJECT, on_decision)
    routes.action(Action.EDIT, modal(edit_modal))
    routes.action(Action.MERGE, modal(merge_modal))
    routes.view(EDIT_VIEW, submitted(Action.EDIT, "title", edit_fields))
    routes.view(MERGE_VIEW, submitted(Action.MERGE, "into", merge_fields))


def _text(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, text: str, element: dict[str, Any]) -> Block:
    return {"type": "input", "block_id": block_id, "label": _text(text), "element": element}


def edit_view(review_id: int, article: Article, lang: str | None) -> dict[str, Any]:
    blocks = [_input("title", t("ui_title", lang), {
        "type": "plain_text_input", "action_id": "value", "initial_value": clip(article.title, 150),
        "max_length": 150,
    })]
    if len(article.body) <= INPUT_LIMIT:
        blocks.append(_input("body", t("ui_body", lang), {
            "type": "plain_text_input", "action_id": "value", "multiline": True,
            "initial_value": article.body, "max_length": INPUT_LIMIT,
        }))
    return _modal(EDIT_VIEW, review_id, t("ui_edit_title", lang), t("ui_save", lang), lang, blocks)


def merge_view(review_id: int, candidates: list[Article], lang: str | None) -> dict[str, Any]:
    """A picker of the candidates; without candidates (Slack allows no empty picker) a field for the
    article id, which the Desk checks."""
    options = [
        {"text": _text(clip(a.title, 75)), "value": clip(a.id, 150)} for a in candidates[:OPTION_LIMIT]
    ]
    if options:
        element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options,
                                   "initial_option": options[0]}
    else:
        element = {"type": "plain_text_input", "action_id": "value", "max_length": 150}
    blocks = [_input("into", t("ui_merge_into", lang), element)]
    return _modal(MERGE_VIEW, review_id, t("ui_merge_title", lang), t("ui_merge", lang), lang, blocks)


def _modal(
    callback_id: str, review_id: int, title: str, submit: str, lang: str | None, blocks: list[Block]
) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": callback_id, "private_metadata": str(review_id),
        "title": _text(title), "submit": _text(submit), "close": _text(t("ui_cancel", lang)),
        "blocks": blocks,
    }
