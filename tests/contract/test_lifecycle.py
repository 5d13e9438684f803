"""Retention, forgetting a person, export and the demo history's time stamps give the same results on SQLite and
PostgreSQL: the same counts and the same rows left, over one history of the loop written to both
(tests/contract/history.py); the daily purge runs once a day however many processes try at once."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from knowledge import export, forget, retention
from knowledge.model import Article, ChannelSettings, Place, User
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore
from tests.contract import history
from tests.contract.conftest import open_store

CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload([__name__])
TODAY = history.TODAY.toordinal()

# What a person's data or a purge leaves in each table: every column both backends hold alike (the times the
# history fixed included; those stamped "now", a moment apart on the two, left out).
LEFT = {
    "questions": "SELECT id, asker_id, asker_name, platform, channel, thread, message, extra, text, lang, decision,"
                 " article_id, shown, status, created_at, personal, event_key, urgent FROM questions ORDER BY id",
    "escalations": "SELECT id, question_id, channel, post_channel, post_thread, post_message, status, experts, tried,"
                   " created_at, answered_at, answer_id, urgent, stage FROM escalations ORDER BY id",
    "waiters": "SELECT escalation_id, question_id FROM waiters ORDER BY escalation_id, question_id",
    "answers": "SELECT id, escalation_id, author_id, author_name, text, channel, thread, message, created_at, accepted"
               " FROM answers ORDER BY id",
    "outbox": "SELECT id, kind, channel, thread, message, extra, payload, attempts, escalation_id, key, recipient"
              " FROM outbox ORDER BY id",
    "inbox": "SELECT id, key, platform, kind, payload, status, attempts FROM inbox ORDER BY id",
    "articles": "SELECT id, title, body, owner, source, status, version, updated_at FROM articles ORDER BY id",
    "provisional": "SELECT id, created_at FROM articles WHERE id LIKE 'vb-%' ORDER BY id",
    "people": "SELECT id, name, email, expertise FROM people ORDER BY id",
    "person_handles": "SELECT person_id, platform, handle FROM person_handles ORDER BY person_id, platform",
    "reviews": "SELECT id, article_id, escalation_id, status, created_at, decided_by FROM reviews ORDER BY id",
    "audit": "SELECT id, actor, action, subject, detail FROM audit ORDER BY id",
}


def left(store: Any) -> dict[str, list[dict[str, Any]]]:
    return {table: store.rows(sql) for table, sql in LEFT.items()}


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(str(tmp_path / "lifecycle.db"))
    yield opened
    opened.close()


def both(lite: SqliteStore, pg_store: PostgresStore) -> tuple[SqliteStore, PostgresStore]:
    assert history.build(lite) == history.build(pg_store)
    return lite, pg_store


def assert_same(lite: SqliteStore, pg_store: PostgresStore) -> None:
    expected, found = left(lite), left(pg_store)
    for table in LEFT:
        assert found[table] == expected[table], table
    assert lite.verify_audit().intact and pg_store.verify_audit().intact


# --- retention -------------------------------------------------------------------------------------
def test_a_purge_counts_and_leaves_the_same_on_both(lite: SqliteStore, pg_store: PostgresStore) -> None:
    stores = both(lite, pg_store)
    a_month, everything = history.at(20).isoformat(), (datetime.now(UTC) + timedelta(days=1)).isoformat()
    for cutoff in (a_month, everything):
        assert stores[1].purgeable_counts(cutoff) == stores[0].purgeable_counts(cutoff)
    assert [s.purgeable_counts(a_month) for s in stores] == [{
        "escalations": 0, "withdrawn": 0, "waiters": 1, "questions": 1, "answers": 1, "console_messages": 0,
        "inbox": 0, "outbox": 0, "audit": 0}] * 2  # the history's audit entries were written today
    assert [s.purge_before(a_month, "vraagbaak", 20) for s in stores] == [{
        "escalations": 0, "withdrawn": 0, "waiters": 1, "questions": 1, "answers": 1, "console_messages": 0,
        "inbox": 0, "outbox": 0, "audit": 0}] * 2
    assert_same(*stores)
    # everything else: the dragon's escalation, which Anna and Bram wait on, is withdrawn (nobody is left)
    counts = [s.purge_before(everything, "vraagbaak", 0) for s in stores]
    assert counts[1] == counts[0] and list(counts[1]) == list(counts[0])
    assert counts[0] == {"escalations": 0, "withdrawn": 1, "waiters": 4, "questions": 8, "answers": 4,
                         "console_messages": 0, "inbox": 9, "outbox": 4, "audit": 16}  # handled events, sent posts
    assert_same(*stores)
    assert [s.purgeable_counts(everything) for s in stores] == [dict.fromkeys(counts[0], 0)] * 2


def test_the_daily_purge_runs_once_a_day_and_a_failed_one_again(store: Any) -> None:
    runs: list[int] = []

    def purge() -> int:
        runs.append(len(runs))
        return len(runs)

    def failing() -> int:
        raise RuntimeError("disk full")

    assert store.daily_purge(TODAY, purge) == 1
    assert store.daily_purge(TODAY, purge) is None and store.daily_purge(TODAY - 1, purge) is None
    with pytest.raises(RuntimeError):
        store.daily_purge(TODAY + 1, failing)
    assert store.daily_purge(TODAY + 1, purge) == 2  # the failed one did not count as that day's
    assert store.daily_purge(TODAY + 1, purge) is None and runs == [0, 1]


def test_purge_due_purges_what_is_older_than_the_retention_once_a_day(lite: SqliteStore,
                                                                      pg_store: PostgresStore) -> None:
    stores = both(lite, pg_store)
    later = datetime.now(UTC) + timedelta(days=200)  # everything is older than the 180 days kept
    reports = [s.purge_due(later) for s in stores]
    assert reports[0] is not None and reports[1] == reports[0] and reports[0].counts["questions"] == 9
    assert [s.purge_due(later) for s in stores] == [None, None]
    assert_same(*stores)
    assert [e["action"] for e in pg_store.audit_log()].count("purge") == 1


def _purge_once(spec: dict[str, str], who: int, start: Any, out: str) -> None:
    store = open_store(spec)
    start.wait(60)

    def purge() -> dict[str, int]:
        time.sleep(0.3)  # long enough for every other process to get to its own check meanwhile
        return retention.purge(store, 180, actor=f"U{who}").counts

    found = store.daily_purge(TODAY, purge)
    store.close()
    Path(out, f"{who}.json").write_text(json.dumps(found))


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_processes_starting_the_daily_purge_together_purge_once(spec: dict[str, str], tmp_path: Path,
                                                                 processes: int) -> None:
    open_store(spec).close()  # migrated before the race
    start = CTX.Event()
    procs = [CTX.Process(target=_purge_once, args=(spec, n, start, str(tmp_path))) for n in range(processes)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * processes
    found = [json.loads((tmp_path / f"{n}.json").read_text()) for n in range(processes)]
    assert len([f for f in found if f is not None]) == 1
    store = open_store(spec)
    try:
        assert [e["action"] for e in store.audit_log()].count("purge") == 1
    finally:
        store.close()


# --- forgetting a person ---------------------------------------------------------------------------
def test_forgetting_someone_in_the_directory_counts_and_leaves_the_same(lite: SqliteStore,
                                                                        pg_store: PostgresStore) -> None:
    stores = both(lite, pg_store)
    for store in stores:  # an open escalation only she waits on (withdrawn), and a review she decided
        question = store.add_question(history.ANNA, "slack", Place("D-U1"), "waar vind ik de milieustraat?", "nl",
                                      "escalate", None, [])
        store.add_escalation(question.id, "kcc-afval", ["p3"], [])
        store.decide_review(store.pending_reviews()[0].id, "approved", "Anna Bakker")
    reports = [forget.forget(s, "ANNA@gemeente.NL") for s in stores]
    assert reports[1] == reports[0] and list(reports[1].counts) == list(reports[0].counts)
    # the dragon's escalation is re-rooted at Bram's question, the new one withdrawn; the replies in threads
    # only she waited on blanked, the relays and the note to her dropped, the posts of her escalations blanked
    # and the one of Bram's that names her renamed
    assert reports[0].ids == ("p3", "U1") and reports[0].counts == {
        "escalations": 1, "withdrawn": 1, "waiters": 4, "answers": 2, "outbox_unsent": 3, "outbox": 3,
        "console_messages": 0, "questions": 6, "inbox": 5, "answers_by": 0, "articles": 0, "outbox_renamed": 1,
        "reviews": 1, "experts": 1, "handles": 1, "learned_routes": 0, "people": 1, "audit": 9}
    assert_same(*stores)
    assert "Anna" not in json.dumps(left(pg_store)["questions"]) + json.dumps(left(pg_store)["outbox"])


def test_forgetting_an_expert_renames_them_where_they_answered(lite: SqliteStore, pg_store: PostgresStore) -> None:
    stores = both(lite, pg_store)
    reports = [forget.forget(s, "piet JANSEN") for s in stores]  # by name, any case
    assert reports[1] == reports[0] and reports[0].ids == ("p1", "E1")
    assert reports[0].counts["answers_by"] == 1 and reports[0].counts["articles"] == 3  # source or owner
    assert reports[0].counts["experts"] == 3
    assert_same(*stores)
    paspoort = pg_store.article("paspoort")
    assert paspoort is not None and paspoort.owner == "" and paspoort.version == 2


def test_forgetting_a_chat_user_outside_the_directory(lite: SqliteStore, pg_store: PostgresStore) -> None:
    stores = both(lite, pg_store)
    reports = [forget.forget(s, "U2") for s in stores]
    assert reports[1] == reports[0] and reports[0].person is None and reports[0].counts["questions"] == 4
    assert_same(*stores)


def test_who_is_known_as_what(lite: SqliteStore, pg_store: PostgresStore) -> None:
    stores = both(lite, pg_store)
    asked = {who: [s.person_ids_known_as(who) for s in stores] for who in (
        "piet@gemeente.nl", "PIET@GEMEENTE.NL", "E1", "U1", "piet jansen", "Els de Vries", "Émile@gemeente.nl",
        "émile dubois", "Émile Dubois", "niemand", "")}
    assert {who: found[1] for who, found in asked.items()} == {who: found[0] for who, found in asked.items()}
    assert asked["PIET@GEMEENTE.NL"][1] == ["p1"] and asked["U1"][1] == ["p3"]
    # any case of the ASCII letters only, as SQLite's lower() and NOCASE
    assert asked["Émile@gemeente.nl"][1] == [] and asked["Émile Dubois"][1] == ["p4"]
    known = {who: [s.chat_user_known(who) for s in stores] for who in ("U1", "E9", "piet jansen", "p1", "U7")}
    assert known == {"U1": [True] * 2, "E9": [True] * 2, "piet jansen": [True] * 2, "p1": [False] * 2,
                     "U7": [False] * 2}


@pytest.mark.parametrize("step", ["forget", "purge"])
def test_a_question_joining_meanwhile_keeps_the_escalation_open(store: Any, step: str) -> None:
    """Bram's question joins the escalation of Anna's while she is forgotten (or her question purged): the step
    waits for the join to commit (SQLite: the one writer; PostgreSQL: the loop lock), then re-roots the
    escalation at Bram's question instead of withdrawing it under him."""
    asked = store.add_question(history.ANNA, "slack", Place("D-U1"), "mag ik een draak houden?", "nl", "escalate",
                               None, [])
    escalation = store.add_escalation(asked.id, "kcc-dieren", [], [])
    store.backdate_question(asked.id, history.at(10).isoformat(), {}, {escalation.id: "vb-x"}, None)
    found: list[Any] = []

    def remove() -> None:
        if step == "forget":
            found.append(forget.forget(store, "U1").counts)
        else:
            found.append(store.purge_before(history.at(5).isoformat(), "vraagbaak", 5))

    with store.transaction():  # Desk.ask: the join check, then the join
        assert [e for e, _ in store.open_escalation_questions()] == [escalation.id]
        other = threading.Thread(target=remove)
        other.start()
        other.join(0.5)
        assert other.is_alive()  # waits for the join to commit
        joined = store.add_question(history.BRAM, "slack", Place("D-U2"), "draak in de tuin?", "nl", "escalate",
                                    None, [])
        store.add_waiter(escalation.id, joined.id)
    other.join(30)
    assert found and (found[0]["escalations"], found[0]["withdrawn"]) == (1, 0)
    now = store.escalation(escalation.id)
    assert now is not None and now.status == "pending" and now.question_id == joined.id


def test_forgetting_while_an_answer_is_marked_waits_for_it(store: Any) -> None:
    """Marking an answer saves an article (moving the search counter on) and then audits (the loop lock);
    forgetting someone meanwhile waits for it to commit, and neither is broken off as a deadlock."""
    store.add_question(history.BRAM, "slack", Place("D-U2"), "vraag", "nl", "suggest", None, [])
    failed: list[BaseException] = []

    def forget_bram() -> None:
        try:
            forget.forget(store, "U2")
        except BaseException as error:
            failed.append(error)

    other = threading.Thread(target=forget_bram)
    with store.transaction():  # the tail of Desk.mark_answer
        store.upsert_articles([Article("vb-1", "Vraag", "Antwoord", status="provisional")])
        other.start()
        other.join(0.5)
        store.audit("E1", "mark_answer", "1", article="vb-1")
    other.join(30)
    assert not other.is_alive() and not failed
    assert [e["action"] for e in store.audit_log()] == ["mark_answer", "forget"]


# --- export ---------------------------------------------------------------------------------------
def test_an_export_writes_the_same_files(lite: SqliteStore, pg_store: PostgresStore, tmp_path: Path) -> None:
    stores = both(lite, pg_store)
    for store in stores:
        store.set_routes([("draak", "kcc-dieren"), ("paspoort", "kcc-burgerzaken")])
        store.add_synonyms("draak", ["wyvern", "Draken"])
        store.set_channel_settings(ChannelSettings("kcc-dieren", 30.0, ("p1",), "kcc-backup"))
    reports = [export.export(s, tmp_path / name) for s, name in zip(stores, ("lite", "pg"), strict=True)]
    assert reports[1].counts == reports[0].counts == {
        "articles": 7, "people": 4, "routes": 2, "synonyms": 1, "channels": 1, "audit": 16}
    for name in ("articles.jsonl", "people.jsonl", "routes.jsonl", "synonyms.jsonl", "channels.jsonl",
                 *(f"articles/{p.name}" for p in (tmp_path / "lite" / "articles").iterdir())):
        assert (tmp_path / "pg" / name).read_text() == (tmp_path / "lite" / name).read_text(), name
    # less what differs by design: the time, the hashes, and each details' random salt (so their seal)
    audits = [[{k: {d: e for d, e in v.items() if d != "salt"} if k == "details" and v else v
                for k, v in json.loads(line).items() if k not in ("at", "prev", "hash", "sealed")}
               for line in (tmp_path / name / "audit.jsonl").read_text().splitlines()] for name in ("lite", "pg")]
    assert audits[1] == audits[0]


def test_an_export_reads_one_moment_while_others_write(store: Any) -> None:
    store.upsert_articles([Article("a", "Eerste", updated_at=history.UPDATED)])
    with store.export_snapshot() as snapshot:
        assert list(snapshot.routes()) == []  # the moment is taken at the first read
        store.upsert_articles([Article("b", "Tweede", updated_at=history.UPDATED)])
        store.set_routes([("b", "kcc-b")])
        store.audit("owner", "edit", "b")
        assert [r["id"] for r in snapshot.articles()] == ["a"]
        assert list(snapshot.routes()) == [] and list(snapshot.audit()) == []
    with store.export_snapshot() as snapshot:
        assert [r["id"] for r in snapshot.articles()] == ["a", "b"] and len(list(snapshot.audit())) == 1


def test_a_table_left_half_read_is_closed_with_its_snapshot(pg_store: PostgresStore) -> None:
    """PostgreSQL reads a table through a server-side cursor of the snapshot's transaction: one left half read is
    closed while that transaction is still the snapshot's, not later (closed by the garbage collector, it would
    send CLOSE on a connection the pool has since lent to someone else's transaction)."""
    pg_store.upsert_articles([Article(f"a{n:04}", f"Artikel {n}", updated_at=history.UPDATED) for n in range(1500)])
    with pg_store.export_snapshot() as snapshot:
        rows = iter(snapshot.articles())
        assert next(rows)["id"] == "a0000"
    with pytest.raises(StopIteration):
        next(rows)
    assert len(pg_store.articles()) == 1500


# --- the demo history ------------------------------------------------------------------------------
def test_backdating_moves_a_question_its_escalation_replies_review_and_article(lite: SqliteStore,
                                                                                pg_store: PostgresStore) -> None:
    ids = history.build(lite)
    assert history.build(pg_store) == ids
    asked = {name: [s.escalation_ids(q) for s in (lite, pg_store)] for name, q in ids.items()}
    assert {k: v[1] for k, v in asked.items()} == {k: v[0] for k, v in asked.items()}
    assert asked["dragon"][1] == [ids["esc_dragon"]] and asked["dragon_joined"][1] == []
    question, escalation = pg_store.question(ids["not_helped"]), pg_store.escalation(ids["esc_paspoort"])
    assert question is not None and question.created_at == history.at(4).isoformat()
    assert escalation is not None and escalation.created_at == question.created_at
    assert escalation.answered_at == history.at(4, 10, 30).isoformat()
    answer = pg_store.latest_answer(escalation.id)
    assert answer is not None and answer.created_at == history.at(4, 10, 10).isoformat()
    assert_same(lite, pg_store)
    for store in (lite, pg_store):  # an escalation without a marked answer keeps answered_at ""
        store.backdate_question(ids["dragon"], history.at(9).isoformat(), {}, {ids["esc_dragon"]: "vb-x"},
                                history.at(8).isoformat())
    assert pg_store.escalation(ids["esc_dragon"]).answered_at == ""  # type: ignore[union-attr]
    assert_same(lite, pg_store)


def test_escalation_ids_of_a_question_without_any(store: Any) -> None:
    question = store.add_question(User("U1"), "slack", Place("D1"), "vraag", "nl", "suggest", None, [])
    assert store.escalation_ids(question.id) == []
