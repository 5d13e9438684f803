"""Inbound shapes beyond the main loop: welcome, edit and merge forms, group chats, what is ignored,
errors, and the outbox when the connector is down."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.teams import cards
from handlers.replies import Action
from knowledge.model import Place, User
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import AGENT, EXPERT, OWNER, PERSONAL, Bot, db_dump, make_settings, settle
from tests.teams.test_loop import BEES, PLUMBUS, card_of, card_text, q, submits

Scenario = Callable[[Bot], Awaitable[None]]


def run(ms: FakeMicrosoft, tmp_path: Path, key: rsa.RSAPrivateKey, scenario: Scenario) -> None:
    async def main() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), key) as bot:
            await scenario(bot)

    asyncio.run(main())


def logged_answer(bot: Bot, question: str = PLUMBUS) -> str:
    """Escalate, answer and mark one question through the Desk; returns the review id."""
    bot.chat.remember(bot.act("personal_message", TEXT="hallo"))  # as if an activity had arrived
    agent = User(AGENT, "Anna de Jong")
    bot.desk.ask(agent, question, Place(PERSONAL, extra=bot.ms.service_url))
    if not bot.store.rows("SELECT id FROM escalations"):
        bot.desk.escalate(bot.store.rows("SELECT id FROM questions")[0]["id"], agent)
    esc = bot.store.rows("SELECT id, post_channel, post_message FROM escalations")[0]
    reply = Place(esc["post_channel"], esc["post_message"], "9001", bot.ms.service_url)
    bot.desk.thread_reply(reply, User(EXPERT, "Bram Imker"), "Dat is een grap; niets mee doen.")
    bot.desk.mark_latest(esc["id"], User(EXPERT, "Bram Imker"))
    settle(bot)  # the relays go out through the outbox thread
    return str(bot.store.rows("SELECT id FROM reviews")[0]["id"])


def owner_click(bot: Bot, action: str, value: str, **inputs: str) -> dict[str, Any]:
    act = bot.act("card_submit", ACTION=action, VALUE=value, USER=OWNER, NAME="Fatima el Amrani")
    act["value"].update(inputs)
    return act


def test_bot_added_in_personal_chat_shows_home(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    async def scenario(bot: Bot) -> None:
        assert (await bot.post(bot.act("conversation_update")))[0] == 200
        [home] = ms.connector_calls()
        assert home["raw_path"] == f"/teams/v3/conversations/{q(PERSONAL)}/activities"
        assert "Vraagbaak" in card_text(card_of(home))

    run(ms, tmp_path, signing_key, scenario)


def test_owner_edits_through_a_form(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        review = logged_answer(bot)
        mark = len(ms.connector_calls())
        assert (await bot.post(owner_click(bot, Action.EDIT, review)))[0] == 200
        [form] = ms.connector_calls()[mark:]
        inputs = {i["id"]: i for i in card_of(form)["body"] if i["type"] == "Input.Text"}
        assert inputs[cards.TITLE_INPUT]["value"] == PLUMBUS
        assert submits(card_of(form)) == [{"action": Action.EDIT, "value": review}]
        save = owner_click(bot, Action.EDIT, review, vb_title="Grapvraag over plumbus", vb_body="Niets mee doen.")
        assert (await bot.post(save))[0] == 200
        article = bot.store.articles(status="validated")
        assert [a.body for a in article if a.title == "Grapvraag over plumbus"] == ["Niets mee doen."]

    run(ms, tmp_path, signing_key, scenario)


def test_owner_merges_through_a_form(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        review = logged_answer(bot, BEES)
        mark = len(ms.connector_calls())
        assert (await bot.post(owner_click(bot, Action.MERGE, review)))[0] == 200
        [form] = ms.connector_calls()[mark:]
        [choices] = [i for i in card_of(form)["body"] if i["type"] == "Input.ChoiceSet"]
        target = choices["choices"][0]["value"]
        assert (await bot.post(owner_click(bot, Action.MERGE, review, vb_into=target)))[0] == 200
        assert BEES in bot.store.article(target).questions

    run(ms, tmp_path, signing_key, scenario)


def test_non_owner_gets_no_edit_form(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        review = logged_answer(bot)
        mark = len(ms.connector_calls())
        assert (await bot.post(bot.act("card_submit", ACTION=Action.EDIT, VALUE=review)))[0] == 200
        [answer] = ms.connector_calls()[mark:]
        assert "attachments" not in answer["json"] and answer["json"]["text"]

    run(ms, tmp_path, signing_key, scenario)


def test_group_chat_mention_is_a_question(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        act = bot.act("channel_mention", TEXT="hoe vraag ik een paspoort aan", NAME="Anna de Jong")
        act["conversation"].update(id="19:groupchat-1@thread.v2", conversationType="groupChat")
        act.pop("channelData")
        assert (await bot.post(act))[0] == 200
        [reply] = ms.connector_calls()
        assert reply["raw_path"] == f"/teams/v3/conversations/{q('19:groupchat-1@thread.v2')}/activities/{act['id']}"
        assert "Paspoort aanvragen" in card_text(card_of(reply))
        question = bot.store.rows("SELECT * FROM questions")[0]
        assert question["asker_id"] == AGENT

    run(ms, tmp_path, signing_key, scenario)


def test_what_is_ignored(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        before = db_dump(bot.settings.db_path)
        unaddressed = bot.act("channel_mention", TEXT="koffie iemand?", NAME="Anna de Jong")
        unaddressed["entities"] = []  # a channel post seen through the RSC permission
        unaddressed["text"] = "koffie iemand?"
        own = bot.act("personal_message", TEXT="echo")
        own["from"] = dict(own["recipient"])
        typing = bot.act("personal_message", TEXT="")
        typing["type"] = "typing"
        for act in (unaddressed, own, typing):
            assert (await bot.post(act))[0] == 200
        assert ms.connector_calls() == []
        assert [r for r in db_dump(bot.settings.db_path) if "questions" in r] == [r for r in before if "questions" in r]
        status, body = await bot.post(
            {
                **bot.act("message_action", ROOT="1", MESSAGE="2", TEXT="x", AUTHOR="y"),
                "name": "composeExtension/query",
            }
        )
        assert (status, body) == (200, {})

    run(ms, tmp_path, signing_key, scenario)


def test_marking_a_message_outside_an_escalation_says_why(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    async def scenario(bot: Bot) -> None:
        invoke = bot.act("message_action", ROOT="1700000000555", MESSAGE="1700000000556", TEXT="hoi", AUTHOR=EXPERT)
        status, body = await bot.post(invoke)
        assert status == 200 and body["task"]["type"] == "message" and body["task"]["value"]
        assert ms.connector_calls() == []

    run(ms, tmp_path, signing_key, scenario)


def test_unexpected_error_gets_an_apology(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        from handlers.messages import apology, t

        assert (await bot.post(bot.act("card_submit", ACTION=Action.ESCALATE, VALUE="not-a-number")))[0] == 200
        [unclear] = ms.connector_calls()
        assert unclear["json"]["text"] == t("unknown_action", "nl")  # a malformed value is no crash

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("disk on fire")

        bot.desk.escalate = broken  # type: ignore[method-assign]
        assert (await bot.post(bot.act("card_submit", ACTION=Action.ESCALATE, VALUE="1")))[0] == 200
        [_, sorry] = ms.connector_calls()
        assert sorry["json"]["text"] == apology("nl") and "disk" not in sorry["json"]["text"]

    run(ms, tmp_path, signing_key, scenario)


def test_connector_down_then_the_outbox_timer_delivers(
    ms: FakeMicrosoft,
    tmp_path: Path,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    async def main() -> None:
        async with Bot(ms, make_settings(ms, tmp_path), signing_key, flush_every=0.1) as bot:
            ms.fail_next = [502] * 5  # every attempt of the escalation post fails
            assert (await bot.post(bot.act("personal_message", TEXT=PLUMBUS)))[0] == 200
            # five failed attempts, and the timer (every 0.1 s) may already have sent the sixth
            assert [c["path"] for c in ms.connector_calls()].count("/teams/v3/conversations") in (5, 6)
            assert len(bot.store.pending_outbox()) <= 1  # every message passes the outbox; one may wait
            for _ in range(50):  # the app's periodic desk.flush_outbox() posts it once Teams is back
                await asyncio.sleep(0.1)
                if bot.store.rows("SELECT post_message FROM escalations")[0]["post_message"]:
                    break
            assert bot.store.rows("SELECT post_message FROM escalations")[0]["post_message"]
            assert [c["path"] for c in ms.connector_calls()].count("/teams/v3/conversations") == 6

    asyncio.run(main())


@pytest.mark.slow
def test_the_message_action_is_answered_at_once_while_the_connector_is_throttled(
    ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey,
) -> None:
    """Teams gives an invoke 5 s. Marking only changes the store and queues the relays; a connector answering
    429 does not hold the answer (it took 8.6 s when the relays were sent first)."""
    import time

    async def scenario(bot: Bot) -> None:
        bot.chat.remember(bot.act("personal_message", TEXT="hallo"))
        agent = User(AGENT, "Anna de Jong")
        bot.desk.ask(agent, PLUMBUS, Place(PERSONAL, extra=bot.ms.service_url))
        if not bot.store.rows("SELECT id FROM escalations"):
            bot.desk.escalate(bot.store.rows("SELECT id FROM questions")[0]["id"], agent)
        esc = bot.store.rows("SELECT id, post_channel, post_message FROM escalations")[0]
        bot.desk.thread_reply(Place(esc["post_channel"], esc["post_message"], "9001", bot.ms.service_url),
                              User(EXPERT, "Bram Imker"), "Dat is een grap; niets mee doen.")
        ms.fail_next = [429] * 4
        ms.slow_next = [3.0]  # and slow: a relay sent before answering would hold the invoke
        invoke = bot.act("message_action", ROOT=esc["post_message"], MESSAGE="9001", TEXT="x", AUTHOR=EXPERT,
                         CHANNEL=esc["post_channel"])
        started = time.monotonic()
        status, body = await bot.post(invoke)
        assert status == 200 and "Gemarkeerd" in body["task"]["value"]
        assert time.monotonic() - started < 2.0
        await asyncio.to_thread(settle, bot, 30.0)  # the relay goes out once the connector takes it
        relays = [c for c in ms.connector_calls() if c["method"] == "POST" and "grap" in json.dumps(c["json"])]
        assert relays

    run(ms, tmp_path, signing_key, scenario)


def test_show_all_opens_the_whole_article(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    async def scenario(bot: Bot) -> None:
        assert (await bot.post(bot.act("personal_message", TEXT="hoe vraag ik een paspoort aan")))[0] == 200
        [answer] = ms.connector_calls()
        [read] = [d for d in submits(card_of(answer)) if d["action"] == Action.READ]
        assert (await bot.post(bot.act("card_submit", ACTION=Action.READ, VALUE=read["value"])))[0] == 200
        [_, whole] = ms.connector_calls()
        assert "vingerafdrukken" in card_text(card_of(whole))  # the part the short answer left out

    run(ms, tmp_path, signing_key, scenario)
