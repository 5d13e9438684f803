"""users.info answers are kept; a failed lookup only for a minute, so a name shows once Slack answers again."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.people import People
from tests.slack.fake_slack import FakeSlack


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_failed_lookup_is_retried_after_a_minute_and_a_success_is_kept(fake: FakeSlack) -> None:
    clock = Clock()
    people = People(WebClient(token="xoxb-test-token", base_url=fake.url), clock=clock)
    fake.fail("users.info", error="ratelimited")
    assert people.user("U0NAME").name == ""  # the handlers show the id for now
    clock.now += 30
    assert people.user("U0NAME").name == ""  # not asked again within the minute
    assert len(fake.called("users.info")) == 1
    clock.now += 31
    assert people.user("U0NAME").name == "Persoon U0NAME"
    clock.now += 1_000_000
    assert people.user("U0NAME").name == "Persoon U0NAME"
    assert len(fake.called("users.info")) == 2  # the answer is kept


def test_the_cache_keeps_the_most_recent_people(fake: FakeSlack) -> None:
    people = People(WebClient(token="xoxb-test-token", base_url=fake.url))
    people.SIZE = 2
    for user_id in ("U1", "U2", "U1", "U3", "U1", "U2"):
        people.user(user_id)
    assert [a["user"] for a in fake.called("users.info")] == ["U1", "U2", "U3", "U2"]
