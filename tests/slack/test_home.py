"""App Home and the owners' review: approve, edit (modal), merge (modal with a picker), reject."""

from __future__ import annotations

import json
import time

import pytest

from handlers.replies import Action
from tests.slack.conftest import OWNER, Running
from tests.slack.driver import (
    NONSENSE,
    buttons,
    click,
    click_home,
    dm,
    escalate,
    eventually,
    expert_reply,
    home_opened,
    reaction,
    submit,
)

QUESTION = "hoe vraag ik een paspoort aan voor mijn kat?"
REPLY = "Een kat krijgt geen paspoort van de gemeente maar een dierenpaspoort bij de dierenarts."


def reviewable(running: Running, question: str = NONSENSE) -> int:
    """A resolved escalation waiting for review; returns its review id."""
    if question == NONSENSE:
        channel, root = escalate(running)
    else:  # a question with suggestions: escalated with the button
        running.slack.event(dm(question))
        card = eventually(lambda: running.fake.posted("D0AGENT"))[0]
        qid = buttons(card.args["blocks"])[Action.ESCALATE][0]
        running.slack.interaction(click(Action.ESCALATE, qid, user="U0AGENT", message_ts=card.result["ts"]))
        post = eventually(lambda: [c for c in running.fake.called_full("chat.postMessage")
                                   if c.result.get("ok") and not c.result["channel"].startswith("D")])[0]
        channel, root = post.result["channel"], post.result["ts"]
    running.slack.event(reaction(channel, expert_reply(running, channel, root, REPLY)))
    running.fake.wait_for("chat.update")
    return int(running.store.rows("SELECT id FROM reviews ORDER BY id DESC LIMIT 1")[0]["id"])


def home_of(running: Running, user: str, count: int = 1) -> dict:
    running.slack.event(home_opened(user))
    return running.fake.wait_for("views.publish", count, where=lambda a: a["user_id"] == user)[-1]["view"]


def test_everyone_sees_their_home_and_only_owners_the_queue(running: Running) -> None:
    review_id = reviewable(running)
    agent = home_of(running, "U0AGENT")
    assert agent["type"] == "home" and Action.APPROVE not in buttons(agent["blocks"])
    assert "Deze week: 1 gevraagd" in json.dumps(agent["blocks"], ensure_ascii=False)
    owner = home_of(running, OWNER)
    assert buttons(owner["blocks"])[Action.APPROVE] == [str(review_id)]
    assert set(buttons(owner["blocks"])) == {Action.APPROVE, Action.EDIT, Action.MERGE, Action.REJECT}


def test_edit_in_a_modal(running: Running) -> None:
    review_id = reviewable(running)
    running.slack.interaction(click_home(Action.EDIT, str(review_id), user=OWNER))
    modal = running.fake.wait_for("views.open")[0]["view"]
    assert modal["callback_id"] == "vb_edit_view" and modal["private_metadata"] == str(review_id)
    prefilled = {b["block_id"]: b["element"]["initial_value"] for b in modal["blocks"]}
    assert prefilled["body"] == REPLY
    response = running.slack.interaction(
        submit("view_submission_edit", review_id, user=OWNER, title="Dierenpaspoort", body="Bij de dierenarts.")
    )
    assert response.status == 200 and response.body == ""
    notice = running.fake.wait_for("views.publish", where=lambda a: a["user_id"] == OWNER)[0]["view"]
    assert "Bewerkt en goedgekeurd: Dierenpaspoort" in json.dumps(notice["blocks"], ensure_ascii=False)
    item, article = running.desk.review_item(review_id)
    assert item.status == "approved" and (article.title, article.body) == ("Dierenpaspoort", "Bij de dierenarts.")


def test_a_modal_submit_the_desk_refuses_shows_the_reason_in_the_modal(running: Running) -> None:
    review_id = reviewable(running)
    running.slack.interaction(click_home(Action.APPROVE, str(review_id), user=OWNER))
    running.fake.wait_for("views.publish")
    response = running.slack.interaction(submit("view_submission_edit", review_id, user=OWNER))
    body = json.loads(response.body)
    assert body["response_action"] == "errors" and "Al beoordeeld" in body["errors"]["title"]


def test_merge_in_a_modal(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    review_id = reviewable(running, "Mag een inwoner alpaca's uitlaten in het winkelcentrum?")
    candidates = [running.store.article("nl-paspoort-aanvragen"), running.store.article("nl-paspoort-kwijt")]
    monkeypatch.setattr(running.desk, "merge_candidates", lambda rid: candidates if rid == review_id else [])
    running.slack.interaction(click_home(Action.MERGE, str(review_id), user=OWNER))
    modal = running.fake.wait_for("views.open")[0]["view"]
    options = modal["blocks"][0]["element"]["options"]
    assert [(o["value"], o["text"]["text"]) for o in options] == [
        ("nl-paspoort-aanvragen", "Paspoort aanvragen"), ("nl-paspoort-kwijt", "Paspoort of ID-kaart kwijt of gestolen")
    ]
    target = options[1]["value"]
    running.slack.interaction(submit("view_submission_merge", review_id, user=OWNER, into=target))
    running.fake.wait_for("views.publish")
    item, article = running.desk.review_item(review_id)
    assert item.status == "merged" and article.status == "archived"
    assert running.store.article(target).questions[-1].startswith("Mag een inwoner alpaca")


def test_merge_without_candidates_asks_for_an_article_id(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    review_id = reviewable(running)
    monkeypatch.setattr(running.desk, "merge_candidates", lambda rid: [])
    running.slack.interaction(click_home(Action.MERGE, str(review_id), user=OWNER))
    modal = running.fake.wait_for("views.open")[0]["view"]
    assert modal["blocks"][0]["element"]["type"] == "plain_text_input"
    unknown = submit("view_submission_merge", review_id, user=OWNER, into="")
    unknown["view"]["state"]["values"]["into"] = {"value": {"type": "plain_text_input", "value": "bestaat-niet"}}
    refused = json.loads(running.slack.interaction(unknown).body)
    assert "bestaat-niet" in refused["errors"]["into"]
    known = submit("view_submission_merge", review_id, user=OWNER, into="")
    known["view"]["state"]["values"]["into"] = {"value": {"type": "plain_text_input",
                                                          "value": " nl-paspoort-aanvragen "}}
    assert running.slack.interaction(known).body == ""
    running.fake.wait_for("views.publish")
    assert running.desk.review_item(review_id)[0].status == "merged"


def test_reject_and_non_owners(running: Running) -> None:
    review_id = reviewable(running)
    running.slack.interaction(click_home(Action.APPROVE, str(review_id), user="U0AGENT"))
    refused = eventually(lambda: [a for a in running.fake.posted("D0AGENT") if "kennisbeheerders" in a.args["text"]])
    assert refused
    running.slack.interaction(click_home(Action.REJECT, str(review_id), user=OWNER))
    running.fake.wait_for("views.publish")
    assert running.desk.review_item(review_id)[0].status == "rejected"


def test_messages_tab_does_not_publish_home(running: Running) -> None:
    envelope = home_opened(OWNER)
    envelope["event"]["tab"] = "messages"
    running.slack.event(envelope)
    time.sleep(0.2)
    assert running.fake.called("views.publish") == []


def test_an_article_too_long_for_the_modal_keeps_its_body() -> None:
    from bot.slack.home import edit_view
    from knowledge.model import Article

    view = edit_view(3, Article(id="a", title="Lang", body="x" * 3001), "en")
    assert [b["block_id"] for b in view["blocks"]] == ["title"]
    assert view["title"]["text"] == "Edit article" and view["private_metadata"] == "3"
