"""Forgetting a person and the retention purge reach the audit log, for a conversation over Slack (issue #24 item 1):
nothing of the texts, names and ids is left in any table, the SQL dump or a log line; `audit verify` passes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from handlers.replies import Action
from knowledge.forget import forget
from knowledge.retention import purge
from tests.forgotten import in_lines, log_lines, traces
from tests.slack.conftest import Running
from tests.slack.driver import buttons, click, dm, eventually, expert_reply

OLIFANT = "Mag ik een olifant houden op mijn balkon?"
REPLY = "Nee, dat mag niet: een olifant hoort niet op een balkon."
ANNA = {"id": "U0ANNA", "name": "anna.devries", "real_name": "Anna de Vries", "locale": "nl-NL",
        "profile": {"display_name": "Anna de Vries", "real_name": "Anna de Vries"}}
TRACES = ("olifant", "balkon", "Anna de Vries", "anna.devries", "U0ANNA", "D0ANNA")


def test_a_slack_conversation_forgotten_and_purged_leaves_no_trace(running: Running,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # what `-v` logs
    running.fake.users = [ANNA]
    running.slack.event(dm(OLIFANT, user="U0ANNA", channel="D0ANNA"))
    card = eventually(lambda: running.fake.posted("D0ANNA"))[0]  # suggestions, and a button to ask the experts
    [qid] = buttons(card.args["blocks"])[Action.ESCALATE]
    running.slack.interaction(click(Action.ESCALATE, qid, user="U0ANNA", channel="D0ANNA",
                                    message_ts=card.result["ts"]))
    post = eventually(lambda: [c for c in running.fake.called_full("chat.postMessage")
                               if c.result.get("ok") and not c.result["channel"].startswith("D")])[0]
    expert_reply(running, str(post.result["channel"]), str(post.result["ts"]), REPLY)
    running.slack.interaction(click(Action.HELPFUL, qid, user="U0ANNA", channel="D0ANNA",
                                    message_ts=card.result["ts"]))
    eventually(lambda: running.fake.posted("D0ANNA")[2:])  # "asked the experts", "thanks"
    store, db = running.store, running.settings.db_path
    assert "olifant" in [n for where, n in traces(db, TRACES) if where.startswith("audit")]  # the log has it

    forget(store, "U0ANNA")
    assert [where for where, _ in traces(db, TRACES) if where.startswith("audit")] == []
    purge(store, 0, now=datetime.now(UTC) + timedelta(seconds=2))

    assert traces(db, TRACES) == []
    assert in_lines(log_lines(caplog.records), TRACES) == []
    verdict = store.verify_audit()
    assert verdict.intact and verdict.erased > 0
