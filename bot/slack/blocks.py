"""handlers.replies.Message -> Block Kit. Only translation: every word comes from the Message.

All text is plain text from people or the knowledge base, so it is escaped before it reaches Slack:
``& < >`` become entities (``<!channel>`` and ``<@U…>`` stay inert) and a literal ``@channel``,
``@here`` or ``@everyone`` gets a zero-width space so no client turns it into a mass mention.
"""

from __future__ import annotations

import re
from typing import Any

from handlers.replies import Button, Line, Message
from knowledge.model import Person

Block = dict[str, Any]

SECTION_LIMIT = 3000  # characters in a section's text
TEXT_LIMIT = 4000  # characters in a message's top-level text
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100

_MASS_MENTION = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$")


def escape(text: str) -> str:
    """Plain text -> Slack text that shows exactly that text and mentions nobody."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MASS_MENTION.sub(lambda m: "@\u200b" + m.group(1), text)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fallback_text(message: Message) -> str:
    """The notification / fallback text of a message."""
    return clip(escape(message.text), TEXT_LIMIT)


def mention(person: Person) -> str:
    handle = person.handle("slack")
    if handle and _SLACK_USER_ID.match(handle):
        return f"<@{handle}>"
    return escape(person.name)


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT) or " "}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def line_blocks(line: Line, index: int = 0) -> list[Block]:
    """The blocks of one line (an ``actions`` line may need more than one row)."""
    if line.kind == "actions":
        rows = _rows(line.buttons, split_on_value=False)
        return [_actions_block(row, f"vb_line_{index}" + (f"_{n}" if n else "")) for n, row in enumerate(rows)]
    block = _line_block(line)
    return [block] if block is not None else []


def _line_block(line: Line) -> Block | None:
    text = escape(line.text)
    if line.kind == "divider":
        return {"type": "divider"}
    if line.kind == "title":
        if line.url and _SAFE_URL.match(line.url):
            return _section(f"*<{line.url.replace('&', '&amp;')}|{text}>*")
        return _section(f"*{text}*")
    if line.kind == "quote":
        return _section("\n".join("&gt; " + part for part in text.split("\n")))
    if line.kind == "context":
        return {"type": "context", "elements": [_mrkdwn(text)]}
    if line.kind == "warning":
        return _section(f":warning: *{text}*")
    if line.kind == "people":
        names = ", ".join(mention(p) for p in line.people)
        return _section(f"{text} {names}".strip())
    return _section(text) if text else None


def _button(button: Button) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": button.action,
        "text": {"type": "plain_text", "text": clip(button.label, BUTTON_LABEL_LIMIT), "emoji": True},
        "value": clip(button.value, BUTTON_VALUE_LIMIT),
    }
    if button.style:
        element["style"] = button.style
    return element


def _rows(buttons: tuple[Button, ...], *, split_on_value: bool) -> list[list[Button]]:
    """Buttons in rows: a new row whenever an action id would repeat in a row (Slack forbids that)
    and, for a message's own buttons, for each new value (one row per item)."""
    rows: list[list[Button]] = []
    for button in buttons:
        row = rows[-1] if rows else []
        new_item = split_on_value and row and button.value != row[-1].value
        if not row or new_item or button.action in {b.action for b in row} or len(row) == 25:
            rows.append([button])
        else:
            row.append(button)
    return rows


def button_blocks(buttons: tuple[Button, ...]) -> list[Block]:
    return [_actions_block(row, f"vb_actions_{n}") for n, row in enumerate(_rows(buttons, split_on_value=True))]


def _actions_block(buttons: list[Button], block_id: str) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": [_button(b) for b in buttons]}


def render(message: Message, *, limit: int = MESSAGE_BLOCK_LIMIT) -> list[Block]:
    """The blocks of ``message``; a message without lines shows its text."""
    blocks = [block for i, line in enumerate(message.lines) for block in line_blocks(line, i)]
    if not blocks and message.text:
        blocks = [_section(escape(message.text))]
    actions = button_blocks(message.buttons)
    room = max(limit - len(actions), 0)
    return blocks[:room] + actions[:limit]
