"""Retention (AVG): a purge anonymises what is older than the retention period and keeps the rest, the counts
for analytics and an audit entry; a dry run changes nothing; the daily purge runs once a day. A fake clock
(``now``) throughout: nothing sleeps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.parser import main
from knowledge.model import Place, User
from knowledge.retention import purge, purge_due
from knowledge.sqlite.store import SqliteStore

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
OLD = (NOW - timedelta(days=200)).isoformat()
RECENT = (NOW - timedelta(days=10)).isoformat()


def _at(store: SqliteStore, table: str, row_id: int, when: str) -> None:
    with store.transaction() as db:
        db.execute(f"UPDATE {table} SET created_at = ? WHERE id = ?", [when, row_id])


def _question(store: SqliteStore, who: str, text: str, when: str, decision: str = "escalate") -> int:
    q = store.add_question(User(who, who.title()), "slack", Place(f"D-{who}", None, f"{who}.1"), text, "nl",
                           decision, None, [], event_key=f"ev-{who}-{text}")
    _at(store, "questions", q.id, when)
    return q.id


@pytest.fixture
def loop(store: SqliteStore) -> dict[str, int]:
    """An old escalated question joined by a recent one, an expert's old answer, old and recent console lines,
    inbox events and outbox messages."""
    ids: dict[str, int] = {}
    ids["old_q"] = _question(store, "uold", "Mijn paspoort is kwijt, wat nu?", OLD)
    ids["old_direct"] = _question(store, "uold", "openingstijden", OLD, decision="answer")
    ids["new_q"] = _question(store, "unew", "Paspoort kwijt in het buitenland", RECENT)
    ids["old_alone"] = _question(store, "uold", "Wie gaat over mijn bezwaar?", OLD)
    ids["esc_alone"] = store.add_escalation(ids["old_alone"], "kcc-belastingen", [], []).id
    esc = store.add_escalation(ids["old_q"], "kcc-burgerzaken", [], [])
    store.add_waiter(esc.id, ids["new_q"])
    ids["esc"] = esc.id
    _at(store, "escalations", esc.id, OLD)
    answer = store.add_answer(esc.id, User("UEXP", "Eva Expert"), "Meld het bij de politie.", Place("C-exp", "1", "2"))
    _at(store, "answers", answer.id, OLD)
    ids["answer"] = answer.id
    with store.transaction() as db:
        for when, text in ((OLD, "oud"), (RECENT, "nieuw")):
            db.execute("INSERT INTO console_messages (channel, author, text, created_at)"
                       " VALUES ('@uold', 'uold', ?, ?)", [text, when])
    for key, when in (("old-done", OLD), ("new-done", RECENT)):
        event = store.put_event(key, "slack", "asked", {"text": "Mijn BSN is 123456782"})
        assert event
        store.event_done(event)
        _at(store, "inbox", event, when)
    waiting = store.put_event("old-waiting", "slack", "asked", {"text": "nog te doen"})
    assert waiting
    _at(store, "inbox", waiting, OLD)
    for name, when, sent in (("old_sent", OLD, True), ("old_unsent", OLD, False), ("new_sent", RECENT, True)):
        ids[name] = store.queue("send", Place("D-uold"), {"text": f"antwoord {name}"})
        if sent:
            store.outbox_result(ids[name])
        _at(store, "outbox", ids[name], when)
    return ids


def _by_decision(store: SqliteStore) -> dict[str, int]:
    return {r["decision"]: r["n"] for r in store.rows(
        "SELECT decision, count(*) AS n FROM questions GROUP BY decision")}


def test_purge_anonymises_what_is_old_and_keeps_the_rest(store: SqliteStore, loop: dict[str, int]) -> None:
    counts_before = _by_decision(store)
    report = purge(store, 180, now=NOW)
    assert report.counts == {"escalations": 1, "withdrawn": 1, "waiters": 2, "questions": 3, "answers": 1,
                             "console_messages": 1, "inbox": 1, "outbox": 1, "audit": 0}
    assert report.cutoff == (NOW - timedelta(days=180)).isoformat()

    old = store.question(loop["old_q"])
    assert old and (old.text, old.asker, old.place) == ("", User("", ""), Place("", None, None, ""))
    assert (old.decision, old.platform, old.created_at) == ("escalate", "slack", OLD)  # kept for analytics
    assert _by_decision(store) == counts_before
    assert store.question_for_event("ev-uold-Mijn paspoort is kwijt, wat nu?") is None
    assert store.open_questions("uold") == []

    new = store.question(loop["new_q"])
    assert new and new.text == "Paspoort kwijt in het buitenland" and new.asker.id == "unew"
    # the recent asker still waits on the old escalation: an answer is still relayed to them
    assert store.waiting_questions(loop["esc"]) == [loop["new_q"]]
    esc = store.escalation(loop["esc"])
    assert esc and esc.question_id == loop["new_q"] and esc.status == "pending"  # re-rooted at the recent one
    alone = store.escalation(loop["esc_alone"])
    assert alone and alone.status == "withdrawn" and store.waiting_questions(alone.id) == []
    assert [e.id for e, _ in store.open_escalations()] == [loop["esc"]]

    answer = store.answer(loop["answer"])
    assert answer and answer.text == "" and answer.created_at == OLD
    assert [r["text"] for r in store.rows("SELECT text FROM console_messages")] == ["nieuw"]
    assert sorted(r["key"] for r in store.rows("SELECT key FROM inbox")) == ["new-done", "old-waiting"]
    payloads = {r["id"]: json.loads(r["payload"]) for r in store.rows("SELECT id, payload FROM outbox")}
    assert payloads[loop["old_sent"]] == {}
    assert payloads[loop["old_unsent"]] == {"text": "antwoord old_unsent"}  # still to be sent
    assert payloads[loop["new_sent"]] == {"text": "antwoord new_sent"}


def test_each_purge_is_audited_with_counts_only(store: SqliteStore, loop: dict[str, int]) -> None:
    purge(store, 180, now=NOW, actor="cli")
    entry = store.audit_log()[-1]
    assert (entry["actor"], entry["action"]) == ("cli", "purge")
    assert json.loads(entry["detail"]) == {"days": 180, "escalations": 1, "withdrawn": 1, "waiters": 2,
                                           "questions": 3, "answers": 1, "console_messages": 1, "inbox": 1,
                                           "outbox": 1, "audit": 0, "erased": []}
    assert store.verify_audit().intact  # nothing rewritten
    assert purge(store, 180, now=NOW).total == 0  # a second purge finds nothing left


def test_a_dry_run_counts_and_changes_nothing(store: SqliteStore, loop: dict[str, int]) -> None:
    before = list(store.db.conn.iterdump())
    dry = purge(store, 180, dry_run=True, now=NOW)
    assert list(store.db.conn.iterdump()) == before
    assert dry.dry_run and dry.counts == purge(store, 180, now=NOW).counts


def test_a_shorter_period_takes_more(store: SqliteStore, loop: dict[str, int]) -> None:
    assert purge(store, 5, dry_run=True, now=NOW).counts["questions"] == 4
    assert purge(store, 365, dry_run=True, now=NOW).total == 0


def test_the_daily_purge_runs_once_a_day_across_processes(tmp_path: Path) -> None:
    first, second = SqliteStore(str(tmp_path / "v.db")), SqliteStore(str(tmp_path / "v.db"))
    _question(first, "uold", "oude vraag", OLD)
    assert purge_due(first, 180, now=NOW) is not None
    assert purge_due(second, 180, now=NOW + timedelta(hours=11)) is None  # the same day, another process
    _question(first, "uold", "nog een", OLD)
    report = purge_due(second, 180, now=NOW + timedelta(days=1))
    assert report is not None and report.counts["questions"] == 1
    assert purge_due(first, 0, now=NOW + timedelta(days=5)) is None  # retention off
    assert [e["action"] for e in first.audit_log()] == ["purge", "purge"]


def test_the_store_purges_with_its_configured_period(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "v.db"), retention_days=30)
    qid = _question(store, "u1", "vraag", RECENT)
    assert store.purge_due(now=NOW) is not None
    assert store.question(qid).text == "vraag"  # type: ignore[union-attr]
    assert store.purge_due(now=NOW + timedelta(days=25)).counts["questions"] == 1  # type: ignore[union-attr]


def test_cli_purge_prints_what_it_removes(store: SqliteStore, loop: dict[str, int], monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", store.path)
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["purge", "--older-than", "90d", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dry run, nothing was changed.") and "(older than 90 days)" in out
    assert "  questions (text and asker blanked): 4\n" in out  # the real clock: all of them are months old
    assert store.question(loop["old_q"]).text  # type: ignore[union-attr]
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")
    assert main(["purge", "--older-than", "90"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Opgeschoond:") and "  vragen (tekst en vrager gewist): 4\n" in out
    assert store.question(loop["old_q"]).text == ""  # type: ignore[union-attr]


def test_a_bad_retention_setting_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", str(tmp_path / "v.db"))
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    monkeypatch.setenv("VRAAGBAAK_RETENTION_DAYS", "half a year")
    assert main(["purge", "--dry-run"]) == 2
    assert "VRAAGBAAK_RETENTION_DAYS='half a year' is not allowed: give a number of days" in capsys.readouterr().err


def test_the_timer_entry_logs_a_failure_and_tries_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    store = SqliteStore(str(tmp_path / "v.db"))
    _question(store, "u1", "vraag", OLD)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("knowledge.retention.purge", broken)
    assert store.purge_due(now=NOW) is None
    assert "retention purge failed" in caplog.text
    monkeypatch.undo()
    report = store.purge_due(now=NOW)  # the failed run did not count as today's
    assert report is not None and report.counts["questions"] == 1
