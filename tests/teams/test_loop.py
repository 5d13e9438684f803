"""The whole loop over the Bot Framework protocol, end to end, against the fake Microsoft:

agent asks in personal chat -> answered; unknown question -> escalate button -> new thread in the expert
channel mentioning the expert -> expert replies in the thread -> marked by message action -> relayed to the
agent, escalation card updated; a channel @mention escalates at once -> marked by card button -> relayed
into the agent's channel thread; the same question again -> answered directly; the owner approves by card.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from handlers.replies import Action
from tests.conftest import BACKENDS
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import (
    AGENT_2,
    EXPERT,
    EXPERTS_CHANNEL,
    OWNER,
    PERSONAL,
    Bot,
    db_dump,
    make_settings,
    settle,
)

BEES = "Wie regelt de bijenkasten op het dak van het stadhuis?"
BEES_ANSWER = "De bijenkasten op het stadhuisdak zijn van imkersvereniging De Honingraat; de voorzitter is Bram."
PLUMBUS = "Quantumverstrengeling plumbus xylofoon?"
AGENTS_CHANNEL = "19:agents-general@thread.tacv2"


def q(conversation: str) -> str:
    return quote(conversation, safe="")


def card_of(call: dict[str, Any]) -> dict[str, Any]:
    body = call["json"].get("activity", call["json"])
    return dict(body["attachments"][0]["content"])


def card_text(card: dict[str, Any]) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                parts.append(str(node.get("text", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("body", []))
    return "\n".join(parts)


def submits(card: dict[str, Any]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def new_calls(ms: FakeMicrosoft, since: int) -> list[dict[str, Any]]:
    return ms.connector_calls()[since:]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_whole_loop(ms: FakeMicrosoft, demo_db: str, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    asyncio.run(_loop(ms, tmp_path, signing_key, demo_db))


async def _loop(ms: FakeMicrosoft, tmp_path: Path, key: rsa.RSAPrivateKey, db: str) -> None:
    async with Bot(ms, make_settings(ms, tmp_path, db_path=db), key) as bot:
        personal_activities = f"/teams/v3/conversations/{q(PERSONAL)}/activities"

        # 1. A known question in personal chat: answered with a card and the three buttons.
        ask = bot.act("personal_message", TEXT="hoe vraag ik een paspoort aan")
        assert (await bot.post(ask))[0] == 200
        [reply] = ms.connector_calls()
        assert reply["method"] == "POST" and reply["raw_path"] == f"{personal_activities}/{ask['id']}"
        card = card_of(reply)
        assert card["version"] == "1.5" and "Paspoort aanvragen" in card_text(card)
        assert [d["action"] for d in submits(card)] == [Action.HELPFUL, Action.NOT_HELPFUL, Action.READ,
                                                        Action.ESCALATE]

        # The same activity delivered again: nothing answered twice, nothing stored twice.
        before = db_dump(bot.settings.db_path)
        assert (await bot.post(ask))[0] == 200
        assert len(ms.connector_calls()) == 1 and db_dump(bot.settings.db_path) == before

        # 2. An unknown question: suggestions and an escalate button; the agent clicks it.
        mark = len(ms.connector_calls())
        assert (await bot.post(bot.act("personal_message", TEXT=BEES)))[0] == 200
        [suggest] = new_calls(ms, mark)
        [escalate] = [d for d in submits(card_of(suggest)) if d["action"] == Action.ESCALATE]
        click = bot.act(
            "card_submit",
            ACTION=Action.ESCALATE,
            VALUE=escalate["value"],
            CONVERSATION=PERSONAL,
            REPLY_TO=suggest["json"].get("id", "1"),
        )
        mark = len(ms.connector_calls())
        assert (await bot.post(click))[0] == 200
        create, told = new_calls(ms, mark)
        esc = bot.store.rows("SELECT post_channel, post_message FROM escalations ORDER BY id")[0]
        channel, root = esc["post_channel"], esc["post_message"]
        assert create["raw_path"] == "/teams/v3/conversations" and channel.endswith("@thread.tacv2")
        assert create["json"]["channelData"]["channel"]["id"] == channel
        post = card_of(create)
        assert BEES in card_text(post).replace("\\", "")
        # the suggested experts are mentioned by Entra object id (who they are is the core's choice)
        entities = post["msteams"]["entities"]
        assert entities and all(e["text"] in card_text(post) for e in entities)
        ids = {p.name: p.handle("teams") for p in bot.store.people()}
        assert all(e["text"] == f"<at>{e['mentioned']['name']}</at>" for e in entities)
        assert all(e["mentioned"]["id"] == ids[e["mentioned"]["name"]] for e in entities)
        assert root and told["raw_path"] == f"{personal_activities}/{click['id']}"

        # 3. The expert answers in the thread; a bare @mention there is ignored.
        reply_act = bot.act(
            "thread_reply", ROOT=root, TEXT=BEES_ANSWER, USER=EXPERT, NAME="Bram Imker", CHANNEL=channel
        )
        bare = bot.act(
            "thread_reply",
            ROOT=root,
            TEXT="<at>Vraagbaak</at>",
            USER=EXPERT,
            NAME="Bram Imker",
            CHANNEL=channel,
        )
        bare["entities"].append({"type": "mention", "text": "<at>Vraagbaak</at>", "mentioned": bare["recipient"]})
        mark = len(ms.connector_calls())
        for act in (reply_act, bare):
            assert (await bot.post(act))[0] == 200
        assert new_calls(ms, mark) == []
        assert [a["message"] for a in bot.store.rows("SELECT message FROM answers")] == [reply_act["id"]]

        # 4. Marked with the message action: relayed to the agent, the escalation card updated.
        invoke = bot.act(
            "message_action",
            ROOT=root,
            MESSAGE=reply_act["id"],
            TEXT=BEES_ANSWER,
            USER=EXPERT,
            NAME="Bram Imker",
            AUTHOR=EXPERT,
            CHANNEL=channel,
        )
        invoke["value"]["data"]["opmerking"] = "Bel bij twijfel 06-12345678."  # the manifest's optional field
        mark = len(ms.connector_calls())
        status, body = await bot.post(invoke)
        assert status == 200 and body["task"]["type"] == "message" and body["task"]["value"]
        await asyncio.to_thread(settle, bot)  # relays and the update go out through the outbox thread
        calls = new_calls(ms, mark)
        relay = [c for c in calls if c["method"] == "POST"]
        update = [c for c in calls if c["method"] == "PUT"]
        assert [c["raw_path"] for c in relay] == [personal_activities]
        assert "Honingraat" in card_text(card_of(relay[0]))
        assert "Opmerking van Bram Imker: Bel bij twijfel [TELEFOON]." in card_text(card_of(relay[0])).replace("\\", "")
        assert [c["raw_path"] for c in update] == [
            f"/teams/v3/conversations/{q(channel + ';messageid=' + root)}/activities/{root}"
        ]
        assert "Honingraat" in card_text(card_of(update[0]))
        assert not [d for d in submits(card_of(update[0])) if d["action"] == Action.MARK_ANSWER]

        # 5. An @mention in a channel with a question nobody knows: escalated at once, answer in that thread.
        mention = bot.act("channel_mention", TEXT=PLUMBUS, USER=AGENT_2, NAME="Kees Smit")
        mark = len(ms.connector_calls())
        assert (await bot.post(mention))[0] == 200
        create, told = new_calls(ms, mark)
        assert create["raw_path"] == "/teams/v3/conversations" and "Kees Smit" in card_text(card_of(create))
        agents_thread = f"/teams/v3/conversations/{q(AGENTS_CHANNEL + ';messageid=' + mention['id'])}/activities"
        assert told["raw_path"] == f"{agents_thread}/{mention['id']}"
        root2 = bot.store.rows("SELECT post_message FROM escalations ORDER BY id")[1]["post_message"]
        [mark_button] = [d for d in submits(card_of(create)) if d["action"] == Action.MARK_ANSWER]

        for text in ("Even uitzoeken.", "Dat is een grap van de afdeling ICT; niets mee doen."):
            act = bot.act("thread_reply", ROOT=root2, TEXT=text, USER=EXPERT, NAME="Bram Imker")
            assert (await bot.post(act))[0] == 200

        # 6. Marked with the card button on the escalation post: the latest reply goes to Kees's thread.
        click = bot.act(
            "card_submit",
            ACTION=Action.MARK_ANSWER,
            VALUE=mark_button["value"],
            USER=EXPERT,
            NAME="Bram Imker",
            CONVERSATION=f"{EXPERTS_CHANNEL};messageid={root2}",
            CONVERSATION_TYPE="channel",
            REPLY_TO=root2,
        )
        mark = len(ms.connector_calls())
        assert (await bot.post(click))[0] == 200
        await asyncio.to_thread(settle, bot)
        calls = new_calls(ms, mark)
        relayed = [c for c in calls if c["raw_path"] == agents_thread]
        assert len(relayed) == 1 and "grap van de afdeling ICT" in card_text(card_of(relayed[0]))
        assert [c["method"] for c in calls].count("PUT") == 1

        # 7. The same question again: answered directly from the logged answer.
        mark = len(ms.connector_calls())
        assert (await bot.post(bot.act("personal_message", TEXT=BEES)))[0] == 200
        [again] = new_calls(ms, mark)
        assert "Honingraat" in card_text(card_of(again))

        # 8. The owner opens the overview in personal chat and approves the logged answer by card.
        owner_chat = "a:1_personal-chat-with-owner"
        mark = len(ms.connector_calls())
        home = bot.act("personal_message", TEXT="overzicht", USER=OWNER, NAME="Fatima el Amrani")
        home["conversation"]["id"] = owner_chat
        assert (await bot.post(home))[0] == 200
        [queue] = new_calls(ms, mark)
        approvals = [d for d in submits(card_of(queue)) if d["action"] == Action.APPROVE]
        assert len(approvals) == 2

        # A non-owner's click changes nothing; the owner's click approves.
        review_id = approvals[0]["value"]
        article_id = bot.store.review(int(review_id)).article_id
        sneaky = bot.act("card_submit", ACTION=Action.APPROVE, VALUE=review_id, CONVERSATION=PERSONAL)
        assert (await bot.post(sneaky))[0] == 200
        assert bot.store.article(article_id).status == "provisional"
        approve = bot.act(
            "card_submit",
            ACTION=Action.APPROVE,
            VALUE=review_id,
            USER=OWNER,
            NAME="Fatima el Amrani",
            CONVERSATION=owner_chat,
        )
        assert (await bot.post(approve))[0] == 200
        assert bot.store.article(article_id).status == "validated"
        assert ms.connector_calls()[-1]["raw_path"].startswith(f"/teams/v3/conversations/{q(owner_chat)}/")
