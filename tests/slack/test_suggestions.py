"""A suggestion in Slack shows the figure the question asks for (through the fake Web API)."""

from __future__ import annotations

import json

from tests.slack.conftest import Running
from tests.slack.driver import dm, eventually


def test_a_suggestion_in_slack_shows_the_price(running: Running) -> None:
    running.slack.event(dm("hoeveel kost een paspoort"))
    card = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    shown = json.dumps(card["blocks"], ensure_ascii=False)
    assert "Bedoel je een van deze?" in shown and "Paspoort aanvragen" in shown
    [price] = [b for b in card["blocks"] if b["type"] == "context" and "84,35" in b["elements"][0]["text"]]
    assert "€ 84,35" in price["elements"][0]["text"]


def test_small_talk_in_slack_is_answered_shortly_and_posts_nothing_to_the_experts(running: Running) -> None:
    running.slack.event(dm("dank je wel!"))
    reply = eventually(lambda: running.fake.posted("D0AGENT"))[0].args
    assert reply["text"] == "Graag gedaan!"
    assert [c for c in running.fake.called_full("chat.postMessage") if c.args.get("channel") != "D0AGENT"] == []
    assert running.store.count("questions") == 0
