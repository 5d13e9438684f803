"""Block Kit rendering of handlers.replies.Message: what a person sees, and that nothing mass-mentions."""

from __future__ import annotations

import json

from bot.slack.blocks import escape, render
from bot.slack.text import to_plain
from handlers.replies import Action, Button, Line, Message
from knowledge.model import Person


def test_escape_makes_mentions_inert() -> None:
    text = escape("Tom & Jerry <!channel> <@U123> @here @Everyone a<b>c")
    assert text == "Tom &amp; Jerry &lt;!channel&gt; &lt;@U123&gt; @\u200bhere @\u200bEveryone a&lt;b&gt;c"


def test_every_line_kind_is_escaped() -> None:
    evil = "<!everyone> & @channel"
    message = Message(
        text=evil,
        lines=tuple(Line(kind, evil) for kind in ("title", "text", "quote", "context", "warning", "people")),
    )
    dumped = json.dumps(render(message))
    assert "<!everyone>" not in dumped and "@channel" not in dumped
    assert dumped.count("&lt;!everyone&gt; &amp; @\\u200bchannel") == 6


def test_lines_render_as_blocks() -> None:
    expert = Person(id="p1", name="Anna de Vries", handles=(("slack", "U0DEMO01"),))
    no_slack = Person(id="p2", name="Bob <b>")
    message = Message(
        text="t",
        lines=(
            Line("title", "Parkeervergunning", url="https://example.org/a?b=1&c=2"),
            Line("warning", "Voorlopig"),
            Line("quote", "regel 1\nregel 2"),
            Line("context", "Bron: x"),
            Line("people", "Wie weet meer:", people=(expert, no_slack)),
            Line("divider"),
            Line("title", "geen link", url="javascript:alert(1)"),
        ),
    )
    blocks = render(message)
    assert blocks[0]["text"]["text"] == "*<https://example.org/a?b=1&amp;c=2|Parkeervergunning>*"
    assert blocks[1]["text"]["text"] == ":warning: *Voorlopig*"
    assert blocks[2]["text"]["text"] == "&gt; regel 1\n&gt; regel 2"
    assert blocks[3] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "Bron: x"}]}
    assert blocks[4]["text"]["text"] == "Wie weet meer: <@U0DEMO01>, Bob &lt;b&gt;"
    assert blocks[5] == {"type": "divider"}
    assert blocks[6]["text"]["text"] == "*geen link*"


def test_buttons_and_action_rows() -> None:
    row1 = (Button("Goedkeuren", Action.APPROVE, "1", "primary"), Button("Afwijzen", Action.REJECT, "1", "danger"))
    row2 = (Button("Goedkeuren", Action.APPROVE, "2", "primary"),)
    message = Message(
        text="queue",
        lines=(Line("title", "een"), Line("actions", buttons=row1),
               Line("title", "twee"), Line("actions", buttons=row2)),
        buttons=(Button("Nuttig", Action.HELPFUL, "7"), Button("Niet nuttig", Action.NOT_HELPFUL, "7"),
                 Button("Nuttig", Action.HELPFUL, "8")),
    )
    blocks = render(message)
    kinds = [b["type"] for b in blocks]
    assert kinds == ["section", "actions", "section", "actions", "actions", "actions"]
    assert [e["action_id"] for e in blocks[1]["elements"]] == [Action.APPROVE, Action.REJECT]
    assert blocks[1]["elements"][0] == {
        "type": "button", "action_id": Action.APPROVE, "value": "1", "style": "primary",
        "text": {"type": "plain_text", "text": "Goedkeuren", "emoji": True},
    }
    assert [e["value"] for e in blocks[4]["elements"]] == ["7", "7"]
    assert [e["value"] for e in blocks[5]["elements"]] == ["8"]
    assert len({b["block_id"] for b in blocks if b["type"] == "actions"}) == 4


def test_limits_are_respected() -> None:
    message = Message(text="x" * 50_000, lines=tuple(Line("text", "y" * 5000) for _ in range(80)),
                      buttons=(Button("z" * 100, Action.ESCALATE, "1"),))
    blocks = render(message)
    assert len(blocks) == 50 and blocks[-1]["type"] == "actions"
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert len(blocks[-1]["elements"][0]["text"]["text"]) <= 75
    assert render(Message(text="alleen tekst")) == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "alleen tekst"}}
    ]


def test_slack_markup_becomes_plain_text() -> None:
    raw = "<@UBOT> hoe zit het met <#C123|parkeren> &amp; <https://x.nl/a|de regeling> &lt;3 <!here> <@U9|anna>"
    assert to_plain(raw, drop_user="UBOT") == "hoe zit het met #parkeren & de regeling <3 @here @anna"


def test_what_we_render_is_what_slack_accepts() -> None:
    from tests.slack.blockkit import problems

    busy = Message(text="x", lines=tuple(Line("text", "y" * 5000) for _ in range(80)) + (Line("actions", buttons=(
        Button("a" * 100, Action.APPROVE, "1"), Button("b", Action.APPROVE, "2"))),), buttons=(
        Button("c", Action.HELPFUL, "1"), Button("d", Action.HELPFUL, "1")))
    assert problems(render(busy)) == []
    assert problems(render(busy, limit=100), limit=100) == []
    assert problems([{"type": "actions", "elements": [_b("x"), _b("x")]}])  # the checker can say no


def _b(action_id: str) -> dict[str, object]:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": "t"}, "value": "v"}
