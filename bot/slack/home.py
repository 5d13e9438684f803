"""App Home: everyone's open questions and numbers, and for knowledge owners the review queue with
approve, edit (a modal), merge (a modal with a picker) and reject."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.slack.adapter import Adapter
from bot.slack.asking import where_clicked
from bot.slack.blocks import VIEW_BLOCK_LIMIT, Block, clip, render
from bot.slack.labels import label
from handlers.errors import UserError
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
    desk = adapter.desk

    def publish(user: User, notice: Message | None = None) -> None:
        blocks: list[Block] = []
        if notice is not None:
            blocks = [{**b, "block_id": f"notice_{b['block_id']}"} if "block_id" in b else b
                      for b in render(notice, limit=10)]
            blocks.append({"type": "divider"})
        blocks += render(desk.home(user), limit=VIEW_BLOCK_LIMIT - len(blocks))
        adapter.client.views_publish(user_id=user.id, view={"type": "home", "blocks": blocks})

    def show(user: User, body: dict[str, Any], result: Message) -> None:
        """A review result: on App Home as a notice above the refreshed home, elsewhere to the clicker."""
        if (body.get("container") or {}).get("type") == "view" or body.get("view"):
            publish(user, result)
        else:
            channel, thread = where_clicked(body)
            adapter.tell(user.id, result, channel=channel, thread=thread)

    def on_home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user = adapter.user(str(event["user"]))
        with adapter.reported(user):
            publish(user)

    def decision(use_case: Callable[[int, User], Message]) -> Callable[..., None]:
        def on_click(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()
            user = adapter.user(str(body["user"]["id"]))
            channel, thread = where_clicked(body)
            with adapter.reported(user, channel=channel, thread=thread):
                show(user, body, use_case(int(action["value"]), user))

        return on_click

    def modal(builder: Callable[[int, User], dict[str, Any]]) -> Callable[..., None]:
        def on_click(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()
            user = adapter.user(str(body["user"]["id"]))
            channel, thread = where_clicked(body)
            with adapter.reported(user, channel=channel, thread=thread):
                view = builder(int(action["value"]), user)
                adapter.client.views_open(trigger_id=body["trigger_id"], view=view)

        return on_click

    def edit_modal(review_id: int, user: User) -> dict[str, Any]:
        _item, article = desk.review_item(review_id)
        return edit_view(review_id, article, user.lang)

    def merge_modal(review_id: int, user: User) -> dict[str, Any]:
        return merge_view(review_id, desk.merge_candidates(review_id), user.lang)

    Submit = Callable[[int, User, dict[str, Any]], Message]

    def submitted(use_case: Submit, field: str) -> Callable[..., None]:
        """A modal's submit: field errors go back into the modal; the result shows on App Home."""

        def on_submit(ack: Callable[..., Any], body: dict[str, Any], view: dict[str, Any]) -> None:
            try:
                user = adapter.user(str(body["user"]["id"]))
                values = {block: next(iter(v.values())) for block, v in view["state"]["values"].items()}
                review_id = int(view["private_metadata"])
            except (LookupError, TypeError, AttributeError, ValueError, StopIteration) as error:
                log.warning("a view submission not shaped like ours (%s): closed", type(error).__name__)
                ack()
                return
            try:
                result = use_case(review_id, user, values)
            except UserError as error:
                ack(response_action="errors", errors={field: clip(str(error), 150)})
                return
            except Exception:
                ack()
                with adapter.reported(user):
                    raise
                return
            ack()
            with adapter.reported(user):
                publish(user, result)

        return on_submit

    def save_edit(review_id: int, user: User, values: dict[str, Any]) -> Message:
        title = str(values["title"].get("value") or "")
        if "body" in values:
            body = str(values["body"].get("value") or "")
        else:  # too long for a modal: only the title was editable
            body = desk.review_item(review_id)[1].body
        return desk.edit(review_id, user, title, body)

    def save_merge(review_id: int, user: User, values: dict[str, Any]) -> Message:
        into = values["into"]
        chosen = (into.get("selected_option") or {}).get("value") or into.get("value") or ""
        return desk.merge(review_id, str(chosen).strip(), user)

    routes.event("app_home_opened", on_home_opened)
    routes.action(Action.APPROVE, decision(desk.approve))
    routes.action(Action.REJECT, decision(lambda rid, by: desk.reject(rid, by)))
    routes.action(Action.EDIT, modal(edit_modal))
    routes.action(Action.MERGE, modal(merge_modal))
    routes.view(EDIT_VIEW, submitted(save_edit, "title"))
    routes.view(MERGE_VIEW, submitted(save_merge, "into"))


def _text(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _input(block_id: str, text: str, element: dict[str, Any]) -> Block:
    return {"type": "input", "block_id": block_id, "label": _text(text), "element": element}


def edit_view(review_id: int, article: Article, lang: str | None) -> dict[str, Any]:
    blocks = [_input("title", label("title", lang), {
        "type": "plain_text_input", "action_id": "value", "initial_value": clip(article.title, 150),
        "max_length": 150,
    })]
    if len(article.body) <= INPUT_LIMIT:
        blocks.append(_input("body", label("body", lang), {
            "type": "plain_text_input", "action_id": "value", "multiline": True,
            "initial_value": article.body, "max_length": INPUT_LIMIT,
        }))
    return _modal(EDIT_VIEW, review_id, label("edit_title", lang), label("save", lang), lang, blocks)


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
    blocks = [_input("into", label("merge_into", lang), element)]
    return _modal(MERGE_VIEW, review_id, label("merge_title", lang), label("merge", lang), lang, blocks)


def _modal(
    callback_id: str, review_id: int, title: str, submit: str, lang: str | None, blocks: list[Block]
) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": callback_id, "private_metadata": str(review_id),
        "title": _text(title), "submit": _text(submit), "close": _text(label("cancel", lang)),
        "blocks": blocks,
    }
