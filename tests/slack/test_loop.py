"""The whole loop in Slack, end to end: signed requests into the running app (HTTP mode), the fake Web API
recording what people would see, the store recording what was kept (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from handlers.replies import Action
from tests.conftest import BACKENDS
from tests.slack.conftest import OWNER, Running
from tests.slack.driver import (
    buttons,
    click,
    click_home,
    dm,
    eventually,
    home_opened,
    reaction,
    thread_reply,
)

AGENT_DM = "D0AGENT"
UNKNOWN = "Mag een inwoner alpaca's uitlaten in het winkelcentrum?"
ANSWER = "Ja, aangelijnd mag dat; <!channel> meldt het vooraf bij de centrummanager & de wijkagent."


def dumped(call_args: dict) -> str:
    return json.dumps(call_args, ensure_ascii=False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_ask_escalate_resolve_reuse_review(running: Running) -> None:
    fake, slack = running.fake, running.slack

    # 1. a question the demo knowledge base knows: answered at once, with buttons
    assert slack.event(dm("hoe vraag ik een paspoort aan?")).status == 200
    answer = eventually(lambda: fake.posted(AGENT_DM))[0].args
    assert "Paspoort aanvragen" in dumped(answer["blocks"])
    assert set(buttons(answer["blocks"])) == {Action.HELPFUL, Action.NOT_HELPFUL, Action.READ, Action.ESCALATE}

    # 2. something unknown: suggestions, and one click asks the experts
    slack.event(dm(UNKNOWN))
    card = eventually(lambda: fake.posted(AGENT_DM)[1:])[0]
    question_id = buttons(card.args["blocks"])[Action.ESCALATE][0]
    slack.interaction(click(Action.ESCALATE, question_id, user="U0AGENT", message_ts=card.result["ts"]))
    post = eventually(lambda: [c for c in fake.called_full("chat.postMessage") if c.result.get("channel") != AGENT_DM
                               and c.result.get("ok")])[0]
    expert_channel, root = post.result["channel"], post.result["ts"]
    assert "alpaca" in dumped(post.args["blocks"])
    mentions = [p for p in ("U0DEMO" + f"{i:02d}" for i in range(1, 40)) if f"<@{p}>" in dumped(post.args["blocks"])]
    assert mentions, "the escalation mentions the suggested experts by Slack id"
    esc_id = buttons(post.args["blocks"])[Action.MARK_ANSWER][0]
    assert buttons(post.args["blocks"]) == {Action.MARK_ANSWER: [esc_id], Action.REROUTE: [esc_id]}
    told = eventually(lambda: fake.posted(AGENT_DM)[2:])[0].args
    assert expert_channel in told["text"] and "https://vraagbaak.slack.test/archives/" in told["text"]

    # 3. an expert answers in the thread; 4. a ✅ on that reply marks it
    reply = thread_reply(ANSWER, channel=expert_channel, thread=root, user="U0DEMO05")
    slack.event(reply)
    reply_ts = reply["event"]["ts"]
    eventually(lambda: running.store.answer_at(expert_channel, reply_ts))
    slack.event(reaction(expert_channel, reply_ts, user="U0DEMO05"))
    relay = eventually(lambda: fake.posted(AGENT_DM)[3:])[0].args
    assert "centrummanager" in relay["text"]
    assert "<!channel>" not in dumped(relay) and "@\u200bchannel" in relay["text"]
    update = eventually(lambda: fake.called("chat.update"))[0]
    assert update["channel"] == expert_channel and update["ts"] == root
    assert Action.MARK_ANSWER not in buttons(update["blocks"])
    confirmation = eventually(lambda: fake.called("chat.postEphemeral"))[0]
    assert confirmation["user"] == "U0DEMO05" and confirmation["channel"] == expert_channel

    # 5. the same question again: answered directly, marked provisional
    slack.event(dm(UNKNOWN))
    again = eventually(lambda: fake.posted(AGENT_DM)[4:])[0].args
    assert "centrummanager" in dumped(again["blocks"]) and ":warning:" in dumped(again["blocks"])
    assert len([c for c in fake.called("chat.postMessage") if c["channel"] != AGENT_DM]) == 1

    # 6. the owner approves it from App Home
    slack.event(home_opened(OWNER))
    home = eventually(lambda: fake.called("views.publish"))[0]
    assert home["user_id"] == OWNER
    review_id = buttons(home["view"]["blocks"])[Action.APPROVE][0]
    slack.interaction(click_home(Action.APPROVE, review_id, user=OWNER))
    after = eventually(lambda: fake.called("views.publish")[1:])[0]
    assert Action.APPROVE not in buttons(after["view"]["blocks"])
    item, article = running.desk.review_item(int(review_id))
    assert item.status == "approved" and article.status == "validated"
