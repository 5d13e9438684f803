"""Re-routing in Teams end to end, over the Bot Framework protocol against the fake Microsoft (signed tokens): the
escalation card's "Doorsturen" button shows a form of expert channels, its submit moves the question to a new
thread there (with the history), the old thread gets a note and its card loses its buttons, the agent is told; a
refusal and a stale form say why; the next similar question goes to the learned channel."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from handlers.replies import Action
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import EXPERT, PERSONAL, Bot, make_settings, settle
from tests.teams.test_loop import card_of, card_text, new_calls, q, submits

BENCH = "buurt wil een bankje in het park"
PARKING = "19:kcc-parkeren@thread.tacv2"
PUBLIC_SPACE = "19:kcc-openbare-ruimte@thread.tacv2"


def test_an_expert_reroutes_from_the_card(ms: FakeMicrosoft, tmp_path: Path, signing_key: rsa.RSAPrivateKey) -> None:
    asyncio.run(_reroute(ms, tmp_path, signing_key))


async def _ask(bot: Bot, ms: FakeMicrosoft, text: str, conversation: str = PERSONAL) -> dict[str, Any]:
    """Ask in personal chat and put it to the experts (the escalate button when suggestions came); the post."""
    mark = len(ms.connector_calls())
    ask = bot.act("personal_message", TEXT=text, CONVERSATION=conversation)
    assert (await bot.post(ask))[0] == 200
    calls = new_calls(ms, mark)
    created = [c for c in calls if c["raw_path"] == "/teams/v3/conversations"]
    if not created:
        [escalate] = [d for d in submits(card_of(calls[-1])) if d["action"] == Action.ESCALATE]
        mark = len(ms.connector_calls())
        click = bot.act("card_submit", ACTION=Action.ESCALATE, VALUE=escalate["value"], CONVERSATION=conversation)
        assert (await bot.post(click))[0] == 200
        created = [c for c in new_calls(ms, mark) if c["raw_path"] == "/teams/v3/conversations"]
    return created[0]


async def _in_thread(bot: Bot, ms: FakeMicrosoft, root: str, name: str, **values: str) -> list[dict[str, Any]]:
    act = bot.act(name, USER=EXPERT, NAME="Bram Imker", CONVERSATION=f"{PARKING};messageid={root}",
                  CONVERSATION_TYPE="channel", REPLY_TO=root, **values)
    mark = len(ms.connector_calls())
    assert (await bot.post(act))[0] == 200
    await asyncio.to_thread(settle, bot)
    return new_calls(ms, mark)


async def _reroute(ms: FakeMicrosoft, tmp_path: Path, key: rsa.RSAPrivateKey) -> None:
    async with Bot(ms, make_settings(ms, tmp_path), key) as bot:
        create = await _ask(bot, ms, BENCH)
        assert create["json"]["channelData"]["channel"]["id"] == PARKING
        esc = bot.store.rows("SELECT id, post_message FROM escalations ORDER BY id")[0]
        root, esc_id = esc["post_message"], str(esc["id"])
        [button] = [d for d in submits(card_of(create)) if d["action"] == Action.REROUTE]
        assert button["value"] == esc_id
        reply = bot.act("thread_reply", ROOT=root, TEXT="Geen parkeervraag.", USER=EXPERT, NAME="Bram Imker",
                        CHANNEL=PARKING)
        assert (await bot.post(reply))[0] == 200

        [form] = await _in_thread(bot, ms, root, "card_submit", ACTION=Action.REROUTE, VALUE=esc_id)
        choices = [c["value"] for c in card_of(form)["body"][1]["choices"]]
        assert PUBLIC_SPACE in choices and PARKING not in choices
        [data] = submits(card_of(form))
        assert data == {"action": Action.REROUTE, "value": esc_id, "seen": "0"}

        [same] = await _in_thread(bot, ms, root, "card_submit_reroute", VALUE=esc_id, SEEN="0", TARGET=PARKING)
        assert "staat al in kcc-parkeren" in str(same["json"])
        [unknown] = await _in_thread(bot, ms, root, "card_submit_reroute", VALUE=esc_id, SEEN="0", TARGET="kcc-nergens")
        assert "ken ik niet als expertkanaal" in str(unknown["json"])

        calls = await _in_thread(bot, ms, root, "card_submit_reroute", VALUE=esc_id, SEEN="0", TARGET=PUBLIC_SPACE)
        [moved] = [c for c in calls if c["raw_path"] == "/teams/v3/conversations"]
        assert moved["json"]["channelData"]["channel"]["id"] == PUBLIC_SPACE
        shown = card_text(card_of(moved)).replace("\\", "")
        assert BENCH in shown and "Doorgestuurd vanuit kcc-parkeren door Bram Imker" in shown
        assert "Geen parkeervraag" in shown
        old_thread = f"/teams/v3/conversations/{q(PARKING + ';messageid=' + root)}/activities"
        notes = [c for c in calls if c["method"] == "POST" and c["raw_path"].startswith(old_thread)]
        assert any("Antwoord daar, niet hier" in str(c["json"]) for c in notes)
        [update] = [c for c in calls if c["method"] == "PUT"]
        assert update["raw_path"] == f"{old_thread}/{root}" and not submits(card_of(update))
        personal = f"/teams/v3/conversations/{q(PERSONAL)}/activities"
        assert any(c["raw_path"] == personal and "doorgestuurd naar kcc-openbare-ruimte" in str(c["json"])
                   for c in calls)
        assert bot.store.escalation(int(esc_id)).moves == 1

        # a form opened before that move, submitted after it: nothing moves again
        [late] = await _in_thread(bot, ms, root, "card_submit_reroute", VALUE=esc_id, SEEN="0",
                                  TARGET="19:kcc-afval@thread.tacv2")
        assert "Iemand anders stuurde deze vraag net door" in str(late["json"])
        assert bot.store.escalation(int(esc_id)).moves == 1

        # the next similar question goes to the learned channel
        again = await _ask(bot, ms, "De buurtvereniging wil een bankje plaatsen in het park",
                           "a:1_personal-chat-with-kees")
        assert again["json"]["channelData"]["channel"]["id"] == PUBLIC_SPACE
