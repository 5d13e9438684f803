"""Message -> Adaptive Card: plain text stays plain, people are mentioned by Entra id, buttons submit."""

from __future__ import annotations

from bot.teams import cards
from handlers.replies import Action, Button, Line, Message
from knowledge.model import Person

WITH_ID = Person(id="p-1", name="Bram Imker", handles=(("teams", "7b2d3e4f-0000-4000-8000-0000000e4e1b"),))
WITHOUT_ID = Person(id="p-2", name="Ilse van Dijk")


def test_card_shape_buttons_and_mentions() -> None:
    message = Message(
        text="Vraag van Anna",
        lines=(
            Line("title", "Vraag van Anna", url="https://example.org/a"),
            Line("quote", "Wat *nu*?"),
            Line("divider"),
            Line("people", "Kunnen jullie helpen?", people=(WITH_ID, WITHOUT_ID)),
            Line("actions", buttons=(Button("Goedkeuren", Action.APPROVE, "7", "primary"),)),
        ),
        buttons=(
            Button("Markeer", Action.MARK_ANSWER, "3", "primary"),
            Button("Weg", Action.REJECT, "3", "danger"),
        ),
    )
    activity = cards.activity(message)
    assert activity["type"] == "message" and activity["summary"] == "Vraag van Anna"
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5" and card["fallbackText"] == "Vraag van Anna"
    title, quote, people, row = card["body"]
    assert title["text"] == "[Vraag van Anna](https://example.org/a)" and title["weight"] == "Bolder"
    assert quote["type"] == "Container" and quote["items"][0]["text"] == "Wat \\*nu\\*?"
    assert people["separator"] is True
    assert people["text"] == "Kunnen jullie helpen? <at>Bram Imker</at>, Ilse van Dijk"
    assert card["msteams"]["entities"] == [
        {
            "type": "mention",
            "text": "<at>Bram Imker</at>",
            "mentioned": {"id": WITH_ID.handle("teams"), "name": "Bram Imker"},
        }
    ]
    assert row == {
        "type": "ActionSet",
        "actions": [
            {
                "type": "Action.Submit",
                "title": "Goedkeuren",
                "data": {"action": Action.APPROVE, "value": "7"},
                "style": "positive",
            }
        ],
    }
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Markeer",
            "data": {"action": Action.MARK_ANSWER, "value": "3"},
            "style": "positive",
        },
        {
            "type": "Action.Submit",
            "title": "Weg",
            "data": {"action": Action.REJECT, "value": "3"},
            "style": "destructive",
        },
    ]


def test_relayed_text_stays_inert() -> None:
    sneaky = "<at>Iedereen</at> [klik](https://evil.example) *vet* _schuin_\n- lijst\n2. punt"
    card = cards.card(Message(sneaky, lines=(Line("text", sneaky), Line("title", "x", url="javascript:alert(1)"))))
    text, title = card["body"]
    assert "entities" not in card["msteams"]  # <at> without a mention entity mentions nobody
    assert text["text"] == (
        "<at>Iedereen</at> \\[klik\\](https://evil.example) \\*vet\\* \\_schuin\\_\n\n\\- lijst\n\n2\\. punt"
    )
    assert title["text"] == "x"  # only http(s) links become links


def test_plain_message_is_plain_text() -> None:
    assert cards.activity(Message("Dank je!")) == {
        "type": "message",
        "text": "Dank je!",
        "textFormat": "plain",
    }
