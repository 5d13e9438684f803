"""Forgetting a person and the retention purge reach the audit log (issue #24 item 1): a conversation in the
console, then `vraagbaak forget` and `vraagbaak purge`, and nothing of the texts and names is left in any table
(the audit log's chain and details included), in the SQL dump or in any log line, while `audit verify` passes.
The same through Slack and Teams: tests/slack/test_audit_forget.py and tests/teams/test_audit_forget.py."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handlers.desk import Desk
from knowledge.forget import forget
from knowledge.model import Place, User
from knowledge.retention import purge
from tests.fakes import FakeChat
from tests.forgotten import in_lines, traces

ROOT = Path(__file__).resolve().parents[1]
OLIFANT = "Mag ik een olifant houden op mijn balkon?"
ANSWER = "Nee, een olifant op een balkon is niet toegestaan."
BRAMS = "Hoe vraag ik een ontheffing aan voor mijn zeilboot in de gracht?"
ANNAS = ("olifant", "balkon", "anna")


def cli(db: Path, *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VRAAGBAAK_DB": str(db), "VRAAGBAAK_SEMANTIC": "off", "PYTHONIOENCODING": "utf-8"}
    env.pop("VRAAGBAAK_AUDIT_KEY", None)
    return subprocess.run([sys.executable, "-m", "bot", "-v", *argv], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=True)


@pytest.mark.process
def test_a_console_conversation_forgotten_and_purged_leaves_no_trace_and_the_chain_holds(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    log = cli(db, "demo", "--no-chat").stderr
    log += cli(db, "chat", "--as", "anna", stdin=OLIFANT + "\n").stderr
    conn = sqlite3.connect(db)
    [(post,)] = conn.execute("SELECT post_message FROM escalations e JOIN questions q ON q.id = e.question_id"
                             " WHERE q.asker_id = 'anna'").fetchall()
    conn.close()
    log += cli(db, "chat", "--as", "piet", "--role", "expert", stdin=f"/antwoord {post} {ANSWER}\n").stderr
    log += cli(db, "chat", "--as", "bram", stdin=BRAMS + "\n").stderr
    found = traces(db, (*ANNAS, "zeilboot"))
    assert {"olifant", "anna"} <= {n for where, n in found if where.startswith("audit")}  # the log has them

    log += cli(db, "forget", "anna").stderr
    assert [where for where, _ in traces(db, ANNAS) if where.startswith("audit")] == []
    assert [n for where, n in traces(db, ["zeilboot"]) if where.startswith("audit")]  # bram's question is not hers

    time.sleep(1)  # the purge takes what is older than this second
    purged = cli(db, "purge", "--older-than", "0d")
    log += purged.stderr
    assert "auditregels (details gewist; de keten blijft)" in purged.stdout
    assert traces(db, (*ANNAS, "zeilboot")) == []
    assert in_lines(log.splitlines(), (*ANNAS, "zeilboot")) == []
    verify = cli(db, "audit", "verify")
    said = re.match(r"Auditlog intact: (\d+) regels \(van (\d+) zijn de details gewist\)", verify.stdout)
    assert said and 461 < int(said[2]) < int(said[1])  # the demo's entries and the conversation's, erased


def test_forget_erases_exactly_their_entries_details(desk: Desk, chat: FakeChat) -> None:
    """Theirs as actor, about their question or an escalation only they wait on, or naming them; another's stay."""
    anna, bram, piet = User("U0ANNA", "Anna de Vries"), User("U0BRAM", "Bram"), User("U0PIET", "Piet")
    desk.ask(anna, OLIFANT, Place("D0ANNA"))
    desk.ask(bram, BRAMS, Place("D0BRAM"))
    store = desk.store
    for q in store.rows("SELECT id FROM questions ORDER BY id"):
        if store.escalation_for_question(q["id"]) is None:
            desk.escalate(q["id"], anna if q["id"] == 1 else bram)
    escalations = [store.escalation_for_question(q["id"]) for q in store.rows("SELECT id FROM questions ORDER BY id")]
    for esc, text in zip(escalations, (ANSWER, "Dat kan, vraag het Anna de Vries van havens."), strict=True):
        assert esc and esc.place
        desk.thread_reply(Place(esc.place.channel, esc.place.message, f"r{esc.id}"), piet, text)
    before = {r["id"]: r for r in store.audit_log()}

    report = forget(store, "U0ANNA")

    after = {r["id"]: r for r in store.audit_log()}
    erased = sorted(i for i in before if before[i]["detail"] != after[i]["detail"] or
                    before[i]["actor"] != after[i]["actor"])
    assert report.counts["audit"] == len(erased) > 0
    assert not [word for word in ("U0ANNA", "Anna", "olifant") if word in json.dumps(list(after.values()))]
    # bram's question and what the expert told him stay, but for the line that names her
    assert [json.loads(after[i]["detail"]).get("text") for i in after if after[i]["action"] == "ask"] == [None, BRAMS]
    assert after[max(after)]["action"] == "forget"
    assert json.loads(after[max(after)]["detail"])["erased"] == [[a, b] for a, b in _runs(erased)]
    assert store.verify_audit().intact and store.verify_audit().erased == len(erased)


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    from knowledge.audit import ranges

    return [(a, b) for a, b in ranges(ids)]


def test_the_purge_erases_the_details_it_is_due_and_counts_stay(desk: Desk, chat: FakeChat) -> None:
    anna = User("U0ANNA", "Anna de Vries")
    desk.ask(anna, "hoe vraag ik een paspoort aan?", Place("D0ANNA"))
    q = desk.store.rows("SELECT id FROM questions")[0]["id"]
    desk.feedback(q, False, anna)
    counts = desk.store.not_helpful_counts(0)
    assert counts
    assert purge(desk.store, 0, now=datetime.now(UTC) - timedelta(days=1)).counts["audit"] == 0  # not due yet
    report = purge(desk.store, 0, now=datetime.now(UTC) + timedelta(seconds=2))
    assert report.counts["audit"] == len(desk.store.audit_log()) - 2  # all but the two purges' own
    left = json.dumps(desk.store.audit_log())
    assert "U0ANNA" not in left and "paspoort aan" not in left
    assert desk.store.not_helpful_counts(0) == counts  # what was said of the article is a fact: it stays
    assert desk.store.verify_audit().intact
