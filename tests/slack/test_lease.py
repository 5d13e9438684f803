"""A send slower than the lease (VRAAGBAAK_LEASE_SECONDS) is posted once: the claim on an outgoing message is
renewed while it is being sent, so no other thread or process takes it for a second try (issue 24, item 8).
Through the real app and its workers (the outbox sender looks for messages due every half lease)."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest

from bot.config import Settings
from tests.slack.conftest import Running
from tests.slack.driver import NONSENSE, dm, eventually
from tests.slack.fake_slack import FakeSlack


@pytest.fixture(params=[2])
def lease(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def settings(settings: Settings, lease: int) -> Settings:
    """The settings of ``running``, with a short lease."""
    return replace(settings, lease_seconds=str(lease))


def posts(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """Every chat.postMessage call to ``channel`` (an id or a name), answered or not."""
    return [args for args in fake.called("chat.postMessage") if args["channel"] == channel]


@pytest.mark.parametrize("lease", [1, 2], indirect=True)
def test_a_reply_that_takes_twice_the_lease_is_posted_once(running: Running, lease: int) -> None:
    assert running.desk.lease == lease
    running.fake.slow("chat.postMessage", 2 * lease)
    running.slack.event(dm("hoe vraag ik een paspoort aan?", user="U0SLOW", channel="D0SLOW"))
    eventually(lambda: running.fake.posted("D0SLOW"), timeout=4 * lease + 2)
    time.sleep(1.5 * lease + 1)  # past another lease: nothing else arrives
    assert len(posts(running.fake, "D0SLOW")) == 1
    assert running.store.rows("SELECT count(*) AS n FROM outbox WHERE sent_at = ''")[0]["n"] == 0


def test_an_expert_post_and_its_reply_each_taking_twice_the_lease_are_posted_once(running: Running,
                                                                                   lease: int) -> None:
    running.fake.slow("chat.postMessage", 2 * lease, times=2)
    running.slack.event(dm(NONSENSE, user="U0SLOW", channel="D0SLOW"))  # the KB has no answer: to the experts
    eventually(lambda: running.fake.posted("D0SLOW"), timeout=8 * lease + 2)
    time.sleep(1.5 * lease + 1)
    experts = [args for args in running.fake.called("chat.postMessage") if args["channel"] != "D0SLOW"]
    assert len(experts) == 1 and NONSENSE in experts[0]["text"]
    assert len(posts(running.fake, "D0SLOW")) == 1
