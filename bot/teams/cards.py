"""Neutral ``Message`` -> Bot Framework activity with an Adaptive Card (schema 1.5).

Buttons are ``Action.Submit`` with data ``{"action": <handlers.replies.Action>, "value": ...}``; people
with a Teams handle are mentioned with ``<at>Name</at>`` plus a mention entity (Entra object id).
All text from the handlers is plain: markdown characters are escaped, so relayed text stays inert.
The form labels of the edit and merge cards come from handlers.messages (``ui_`` keys), like every text.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.messages import t
from handlers.replies import Action, Button, Line, Message
from knowledge.model import Article, Person

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"

TITLE_INPUT = "vb_title"
BODY_INPUT = "vb_body"
INTO_INPUT = "vb_into"
CHANNEL_INPUT = "vb_channel"

_MARKDOWN = re.compile(r"([\\*_\[\]])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+\.)(?=\s)", re.MULTILINE)
_STYLES = {"primary": "positive", "danger": "destructive"}
_SAFE_URL = re.compile(r"^https?://[^\s()<>]+$")


def escape(text: str) -> str:
    """Plain text -> Adaptive Card markdown that renders literally.

    Adaptive Cards' markdown knows emphasis, links and lists only, so only their markers are escaped.
    """
    text = re.sub(r"\n+", "\n\n", _MARKDOWN.sub(r"\\\1", text))  # one newline is no break in markdown
    return _LIST_START.sub(lambda m: m[1] + (m[2][:-1] + "\\." if m[2].endswith(".") else "\\" + m[2]), text)


def _mention(person: Person) -> tuple[str, dict[str, Any] | None]:
    handle = person.handle("teams")
    if not handle:
        return escape(person.name), None
    tag = f"<at>{escape(person.name)}</at>"
    entity = {"type": "mention", "text": tag, "mentioned": {"id": handle, "name": person.name}}
    return tag, entity


def _block(line: Line, entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    block: dict[str, Any] = {"type": "TextBlock", "wrap": True, "text": escape(line.text)}
    if line.kind == "title":
        block.update(weight="Bolder", size="Medium")
        if _SAFE_URL.match(line.url):
            block["text"] = f"[{escape(line.text)}]({line.url})"
    elif line.kind == "quote":
        return {"type": "Container", "style": "emphasis", "items": [block]}
    elif line.kind == "context":
        block.update(size="Small", isSubtle=True)
    elif line.kind == "warning":
        block.update(color="Attention", weight="Bolder")
    elif line.kind == "people":
        tags = []
        for person in line.people:
            tag, entity = _mention(person)
            tags.append(tag)
            if entity and entity not in entities:
                entities.append(entity)
        block["text"] = " ".join(x for x in (escape(line.text), ", ".join(tags)) if x)
    elif line.kind == "actions":
        return {"type": "ActionSet", "actions": [_submit(b) for b in line.buttons]} if line.buttons else None
    elif line.kind == "divider":
        return None
    return block


def _submit(button: Button) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": button.label,
        "data": {"action": button.action, "value": button.value},
        **({"style": _STYLES[button.style]} if button.style in _STYLES else {}),
    }


def card(message: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    separate = False
    for line in message.lines or (Line("text", message.text),):
        block = _block(line, entities)
        if block is None:
            separate = bool(body) and line.kind == "divider"
            continue
        if separate:
            block.update(separator=True, spacing="Medium")
            separate = False
        body.append(block)
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.5",
        "body": body,
        "fallbackText": message.text,
        "msteams": {"width": "Full"},
    }
    if entities:
        content["msteams"]["entities"] = entities
    if message.buttons:
        content["actions"] = [_submit(b) for b in message.buttons]
    return content


def activity(message: Message) -> dict[str, Any]:
    """The activity to post: plain text when the message is just text, else an Adaptive Card."""
    if not message.lines and not message.buttons:
        return {"type": "message", "text": message.text, "textFormat": "plain"}
    return {
        "type": "message",
        "summary": message.text[:200],
        "attachments": [{"contentType": CARD_TYPE, "content": card(message)}],
    }


def _form(heading: str, inputs: list[dict[str, Any]], submit: str, data: dict[str, str]) -> dict[str, Any]:
    content = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": escape(heading), "weight": "Bolder", "size": "Medium"},
            *inputs,
        ],
        "actions": [{"type": "Action.Submit", "title": submit, "style": "positive", "data": data}],
    }
    return {"type": "message", "attachments": [{"contentType": CARD_TYPE, "content": content}]}


def edit_form(review_id: int, article: Article, lang: str) -> dict[str, Any]:
    inputs = [
        {
            "type": "Input.Text",
            "id": TITLE_INPUT,
            "label": t("ui_title", lang),
            "value": article.title,
            "isRequired": True,
        },
        {
            "type": "Input.Text",
            "id": BODY_INPUT,
            "label": t("ui_body", lang),
            "value": article.body,
            "isMultiline": True,
            "isRequired": True,
        },
    ]
    data = {"action": Action.EDIT, "value": str(review_id)}
    return _form(t("ui_edit_heading", lang), inputs, t("ui_save_approve", lang), data)


def merge_form(review_id: int, candidates: list[Article], lang: str) -> dict[str, Any]:
    choices = [{"title": a.title, "value": a.id} for a in candidates]
    inputs = [
        {
            "type": "Input.ChoiceSet",
            "id": INTO_INPUT,
            "label": t("ui_merge_into", lang),
            "choices": choices,
            "isRequired": True,
            "value": choices[0]["value"] if choices else "",
        }
    ]
    data = {"action": Action.MERGE, "value": str(review_id)}
    return _form(t("ui_merge_heading", lang), inputs, t("ui_merge", lang), data)


def reroute_form(escalation_id: int, seen: str, choices: list[tuple[str, str]], lang: str) -> dict[str, Any]:
    """The expert channels a question can move to; ``seen`` goes back with the submit (handlers.reroute)."""
    inputs = [
        {
            "type": "Input.ChoiceSet",
            "id": CHANNEL_INPUT,
            "label": t("ui_reroute_to", lang),
            "choices": [{"title": label, "value": value} for value, label in choices],
            "isRequired": True,
        }
    ]
    data = {"action": Action.REROUTE, "value": str(escalation_id), "seen": seen}
    return _form(t("ui_reroute_heading", lang), inputs, t("ui_reroute_title", lang), data)
