"""The audit log's details erased by forget and the purge: the same entries on SQLite and PostgreSQL (PostgreSQL
reads the facts as jsonb where SQLite uses json_extract, quotes the ids as json_quote does, and compares the time
as text in byte order)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from knowledge import forget
from knowledge.model import Place, User
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore

SEEN = "SELECT id, actor, action, subject, detail FROM audit ORDER BY id"


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(str(tmp_path / "erase.db"))
    yield opened
    opened.close()


def _write(store: Any) -> None:
    """Zoë (U9) asked twice; her first question escalated, only she waits on it; entries by, about and naming her,
    and some that are not."""
    mine = store.add_question(User("U9", "Zoë Ünal"), "slack", Place("D-U9"), "vraag", "nl", "escalate", None, [])
    other = store.add_question(User("U7", "Bram"), "slack", Place("D-U7"), "vraag", "nl", "suggest", None, [])
    escalation = store.add_escalation(mine.id, "kcc", [], [])
    store.audit("U9", "ask", str(mine.id), decision="escalate")  # 1: by her
    store.audit("U7", "ask", str(other.id), decision="suggest")  # 2: not hers
    store.audit("", "feedback", str(mine.id), helped=False, comment="n")  # 3: about her question (the subject)
    store.audit("E1", "expert_reply", str(escalation.id), text="antwoord")  # 4: her escalation
    store.audit("vraagbaak", "reopen", "x", escalation=escalation.id, question=other.id, note="n")  # 5: a fact
    store.audit("vraagbaak", "reopen", "y", question=mine.id, note="n")  # 6: a fact
    store.audit("owner", "edit", "a", note="gesprek met ZOË ÜNAL")  # 7: her name, another case
    store.audit("owner", "edit", "b", note="U9")  # 8: her id as the JSON quotes it
    store.audit("owner", "edit", "c", note="U99")  # 9: not her id
    store.audit("owner", "edit", "d", who=str(escalation.id), note="n")  # 10: a number as text is no fact
    store.audit("owner", "edit", "zoë", note="n")  # 11: a subject that is not hers (the name a word apart: no)


def test_forget_erases_the_same_details_on_both(lite: SqliteStore, pg_store: PostgresStore) -> None:
    for store in (lite, pg_store):
        _write(store)
    reports = [forget.forget(s, "U9") for s in (lite, pg_store)]
    assert reports[1] == reports[0]
    logs = [s.rows(SEEN) for s in (lite, pg_store)]
    assert logs[1] == logs[0]
    erased = json.loads(logs[1][-1]["detail"])["erased"]
    assert reports[1].counts["audit"] == 7 and erased == [[1, 1], [3, 8]]
    assert lite.verify_audit().intact and pg_store.verify_audit().intact


def test_the_purge_counts_and_erases_the_same_details_on_both(lite: SqliteStore, pg_store: PostgresStore) -> None:
    for store in (lite, pg_store):
        _write(store)
    past, future = "2000-01-01T00:00:00+00:00", (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    assert [s.purgeable_counts(past)["audit"] for s in (lite, pg_store)] == [0, 0]
    assert [s.purgeable_counts(future)["audit"] for s in (lite, pg_store)] == [11, 11]
    assert [s.purge_before(future, "vraagbaak", 0)["audit"] for s in (lite, pg_store)] == [11, 11]
    logs = [s.rows(SEEN) for s in (lite, pg_store)]
    assert logs[1] == logs[0] and json.loads(logs[1][-1]["detail"])["erased"] == [[1, 11]]
    assert [s.purgeable_counts(future)["audit"] for s in (lite, pg_store)] == [0, 0]
    assert lite.verify_audit().intact and pg_store.verify_audit().intact
