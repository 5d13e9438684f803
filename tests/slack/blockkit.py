"""The Block Kit limits Slack enforces (https://api.slack.com/reference/block-kit), so the fake Web API
refuses what real Slack would refuse with ``invalid_blocks`` / ``invalid_arguments``."""

from __future__ import annotations

from typing import Any


def problems(blocks: list[dict[str, Any]], *, limit: int = 50) -> list[str]:
    found = []
    if len(blocks) > limit:
        found.append(f"{len(blocks)} blocks > {limit}")
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(block_ids) != len(set(block_ids)):
        found.append(f"duplicate block_id in {block_ids}")
    for block in blocks:
        kind = block.get("type")
        if kind == "section" and len(block["text"]["text"]) > 3000:
            found.append("section text > 3000")
        if kind == "section" and not block["text"]["text"].strip():
            found.append("empty section text")
        if kind == "context" and not 0 < len(block["elements"]) <= 10:
            found.append("context elements not 1..10")
        if kind == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            if len(ids) != len(set(ids)) or not 0 < len(ids) <= 25:
                found.append(f"actions block with action_ids {ids}")
            for element in block["elements"]:
                if len(element["text"]["text"]) > 75 or len(element.get("value", "")) > 2000:
                    found.append("button text > 75 or value > 2000")
        if kind == "input":
            element = block["element"]
            if element["type"] == "static_select" and not 0 < len(element["options"]) <= 100:
                found.append("static_select needs 1..100 options")
            if len(element.get("initial_value", "")) > element.get("max_length", 3000):
                found.append("initial_value longer than max_length")
    return found


def view_problems(view: dict[str, Any]) -> list[str]:
    found = problems(view.get("blocks", []), limit=100)
    for key in ("title", "submit", "close"):
        if key in view and len(view[key]["text"]) > 24:
            found.append(f"modal {key} > 24 characters")
    if view.get("type") == "modal" and "title" not in view:
        found.append("modal without title")
    return found
