"""Asking in every way Slack offers, and the buttons on an answer."""

from __future__ import annotations

import json
import time

from handlers.replies import Action
from tests.slack.conftest import Running
from tests.slack.driver import buttons, click, command, dm, eventually, mention, shortcut

PASPOORT = "hoe vraag ik een paspoort aan?"


def texts(running: Running) -> list[str]:
    return [r["text"] for r in running.store.rows("SELECT text FROM questions ORDER BY id")]


def test_mention_is_answered_in_its_thread(running: Running) -> None:
    top = mention(PASPOORT)
    running.slack.event(top)
    answer = eventually(lambda: running.fake.posted("C0KCC"))[0].args
    assert answer["thread_ts"] == top["event"]["ts"]
    inner = mention(PASPOORT, thread="1700000000.999999")
    running.slack.event(inner)
    second = eventually(lambda: running.fake.posted("C0KCC")[1:])[0].args
    assert second["thread_ts"] == "1700000000.999999"
    assert texts(running) == [PASPOORT, PASPOORT]  # the bot's own mention is not part of the question


def test_slash_command_answers_in_the_dm(running: Running) -> None:
    started = time.monotonic()
    response = running.slack.command(command(PASPOORT))
    assert response.status == 200 and time.monotonic() - started < 3
    assert running.fake.wait_for("conversations.open")[0]["users"] == "U0AGENT"
    answer = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    assert "Paspoort aanvragen" in json.dumps(answer["blocks"])


def test_message_shortcut_asks_about_that_message(running: Running) -> None:
    data = shortcut("shortcut_vraag_bericht", user="U0AGENT", channel="C0KCC",
                    message={"ts": "1700499000.000600", "text": "Klant vraagt: hoe vraag ik een paspoort aan?"})
    assert running.slack.interaction(data).status == 200
    answer = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    assert "Paspoort aanvragen" in json.dumps(answer["blocks"])
    assert texts(running) == ["Klant vraagt: hoe vraag ik een paspoort aan?"]


def test_helpful_and_not_helpful(running: Running) -> None:
    running.slack.event(dm(PASPOORT))
    card = eventually(lambda: running.fake.posted("D0AGENT"))[0]
    qid = buttons(card.args["blocks"])[Action.HELPFUL][0]
    running.slack.interaction(click(Action.HELPFUL, qid, user="U0AGENT", message_ts=card.result["ts"]))
    thanks = eventually(lambda: running.fake.posted("D0AGENT")[1:])[0].args
    assert thanks["text"] == "Dank je, genoteerd."
    running.slack.interaction(click(Action.NOT_HELPFUL, qid, user="U0AGENT", message_ts=card.result["ts"]))
    escalated = eventually(lambda: [c for c in running.fake.called_full("chat.postMessage")
                                    if c.result.get("ok") and c.result["channel"] != "D0AGENT"])
    assert "paspoort" in escalated[0].args["text"]


def test_empty_question_gets_the_usage_hint(running: Running) -> None:
    running.slack.event(dm("   "))
    hint = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    assert "Stel je vraag" in hint["text"]


def test_edits_bots_and_the_bot_itself_are_not_questions(running: Running) -> None:
    edited = dm(PASPOORT)
    edited["event"]["subtype"] = "message_changed"
    from_bot = dm(PASPOORT)
    from_bot["event"]["bot_id"] = "B0OTHER"
    itself = dm(PASPOORT, user="UBOT")
    for envelope in (edited, from_bot, itself):
        assert running.slack.event(envelope).status == 200
    time.sleep(0.2)
    assert running.fake.called("chat.postMessage") == [] and texts(running) == []


def test_feedback_from_someone_else_than_the_asker_is_refused(running: Running) -> None:
    top = mention(PASPOORT)
    running.slack.event(top)
    card = eventually(lambda: running.fake.posted("C0KCC"))[0]
    qid = buttons(card.args["blocks"])[Action.HELPFUL][0]
    running.slack.interaction(click(Action.HELPFUL, qid, user="U0OTHER", channel="C0KCC",
                                    message_ts=card.result["ts"], thread=top["event"]["ts"]))
    told = eventually(lambda: running.fake.called("chat.postEphemeral"))[0]
    assert told["user"] == "U0OTHER" and f"Alleen wie vraag {qid} stelde" in told["text"]
    rows = running.store.rows("SELECT action FROM audit WHERE action = 'feedback'")
    assert rows == []


def test_show_all_and_klant_wacht_buttons(running: Running) -> None:
    running.slack.event(dm(PASPOORT))
    card = eventually(lambda: running.fake.posted("D0AGENT"))[0]
    [read] = buttons(card.args["blocks"])[Action.READ]
    running.slack.interaction(click(Action.READ, read, user="U0AGENT", message_ts=card.result["ts"]))
    whole = eventually(lambda: running.fake.posted("D0AGENT")[1:])[0].args
    assert "vingerafdrukken" in json.dumps(whole["blocks"])  # the part the short answer left out
    running.slack.event(dm("qwerty zxcv plof?"))  # escalated: the reply offers "Klant wacht"
    told = eventually(lambda: [c for c in running.fake.posted("D0AGENT") if Action.URGENT in buttons(
        c.args["blocks"])])[0]
    [qid] = buttons(told.args["blocks"])[Action.URGENT]
    running.slack.interaction(click(Action.URGENT, qid, user="U0AGENT", message_ts=told.result["ts"]))
    flagged = eventually(lambda: [c for c in running.fake.posted("D0AGENT") if "klant wacht" in c.args["text"]])
    assert "3 minuten" in flagged[0].args["text"]
    update = eventually(lambda: running.fake.called("chat.update"))[-1]
    assert "Klant wacht" in json.dumps(update["blocks"])
