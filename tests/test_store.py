"""The SQLite store: migrations keep data, re-imports update, the audit log only grows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import knowledge.clock
from knowledge.model import Article, Person, Place, User
from knowledge.sqlite import schema
from knowledge.sqlite.store import SqliteStore


@pytest.mark.process
def test_processes_opening_an_old_file_at_once_apply_each_migration_once(tmp_path: Path) -> None:
    """Several serving processes started together on a file of an older version: each migration is applied
    once (the others find it done under the write lock), none of them fails, and a migration that inserts
    rows does not insert them twice."""
    import subprocess
    import sys

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(";".join(schema.MIGRATIONS[:4]) + ";PRAGMA user_version = 4;")  # _V5 only inserts
    conn.close()
    opening = ("import sys; from knowledge.sqlite.store import SqliteStore; "
               "SqliteStore(sys.argv[1]).close(); print('ok')")
    runs = [subprocess.Popen([sys.executable, "-c", opening, str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [run.communicate(timeout=120) for run in runs]
    assert [out.strip() for out, _ in results] == ["ok"] * 6, [err[-500:] for _, err in results]
    store = SqliteStore(str(path))
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    keys = [r["key"] for r in store.rows("SELECT key FROM meta")]
    assert len(keys) == len(set(keys))


def test_migrations_are_split_into_whole_statements() -> None:
    assert schema.statements("CREATE TABLE t (a TEXT DEFAULT ';');\nINSERT INTO t VALUES ('x;y');\n") == [
        "CREATE TABLE t (a TEXT DEFAULT ';');", "INSERT INTO t VALUES ('x;y');"]


def test_a_file_at_an_older_version_is_upgraded_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(f"BEGIN; {schema.MIGRATIONS[0]} PRAGMA user_version = 1; COMMIT;")
    conn.execute("INSERT INTO articles (id, title, created_at, updated_at) VALUES ('a1', 'Paspoort', 'x', 'x')")
    conn.execute("INSERT INTO people (id, name) VALUES ('p1', 'Piet')")
    conn.commit()
    conn.close()

    store = SqliteStore(str(path))
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    assert store.article("a1").title == "Paspoort"
    assert [p.name for p in store.people()] == ["Piet"]
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    assert SqliteStore(str(path)).article("a1") is not None  # opening again changes nothing


def test_reimport_updates_by_id_and_never_duplicates(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Oud", "tekst")])
    created = store.rows("SELECT created_at FROM articles")[0]["created_at"]
    store.upsert_articles([Article("a1", "Nieuw", "tekst", keywords=("x",))])
    assert store.count("articles") == 1 and store.count("article_index") == 1
    assert store.article("a1").title == "Nieuw" and store.article("a1").keywords == ("x",)
    assert store.rows("SELECT created_at FROM articles")[0]["created_at"] == created
    store.upsert_people([Person("p1", "A"), Person("p1", "B", expertise=("wmo",))])
    assert [p.name for p in store.people()] == ["B"] and store.count("people_index") == 1


def test_archived_articles_leave_the_index(store: SqliteStore) -> None:
    store.upsert_articles([Article("a1", "Oud", status="archived")])
    assert store.count("article_index") == 0 and store.article("a1").status == "archived"


def test_audit_log_is_append_only(store: SqliteStore) -> None:
    store.audit("u1", "ask", "1", text="x")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit")
    assert store.audit_log()[0]["actor"] == "u1"


def test_questions_and_escalations_survive_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "q.db")
    store = SqliteStore(path)
    q = store.add_question(User("u1", "Anna"), "slack", Place("D1", "1.2"), "vraag", "nl", "escalate", None, [])
    esc = store.add_escalation(q.id, "kcc", ["p1"], [])
    store.set_escalation_post(esc.id, Place("C1", None, "9.9"))
    store.close()
    again = SqliteStore(path)
    assert again.question(q.id).place == Place("D1", "1.2", None, "")
    assert again.escalation_at("C1", "9.9").experts == ("p1",)
    assert again.waiting_questions(esc.id) == [q.id]


def test_writes_from_threads_do_not_collide(store: SqliteStore) -> None:
    import threading

    def work(n: int) -> None:
        for i in range(20):
            store.audit(f"t{n}", "ask", str(i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count("audit") == 100


def test_people_from_two_sources_are_one_person_by_email(store: SqliteStore) -> None:
    store.upsert_people([Person("p-01", "Anna de Vries", title="Adviseur WMO", expertise=("wmo",),
                                email="a.devries@gemeente.nl", handles=(("slack", "U1"),))])
    store.upsert_people([Person("a.devries@gemeente.nl", "Anna de Vries", email="A.deVries@gemeente.nl",
                                handles=(("teams", "aad-1"),))])
    [anna] = store.people()
    assert (anna.id, anna.handle("slack"), anna.handle("teams"), anna.expertise) == ("p-01", "U1", "aad-1", ("wmo",))


def test_platform_ids_move_to_their_own_table(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(";".join(schema.MIGRATIONS[:7]) + ";PRAGMA user_version = 7;")
    conn.execute("INSERT INTO people (id, name, slack_id, teams_id) VALUES ('p1', 'Anna', 'U1', 'aad-1'),"
                 " ('p2', 'Bram', '', 'aad-2')")
    conn.close()
    store = SqliteStore(str(path))
    anna, bram = store.people(["p1", "p2"])
    assert anna.handles == (("slack", "U1"), ("teams", "aad-1")) and bram.handles == (("teams", "aad-2"),)
    assert store.person_by_handle("teams", "aad-2") == bram
    assert "slack_id" not in [r["name"] for r in store.rows("PRAGMA table_info(people)")]


def test_a_message_queued_before_handles_had_a_table_still_reads() -> None:
    from handlers.replies import message_from_dict

    old = {"text": "x", "lines": [{"kind": "people", "people": [
        {"id": "p1", "name": "Anna", "expertise": ["wmo"], "slack_id": "U1", "teams_id": ""}]}]}
    [person] = message_from_dict(old).lines[0].people
    assert person.handle("slack") == "U1" and person.handle("teams") == ""


def test_plain_is_asdict_without_the_copies() -> None:
    """What the inbox and the outbox store: the same dicts ``dataclasses.asdict`` gives, for an event with a
    place and for a reply with people, buttons and nested tuples."""
    from dataclasses import asdict

    from handlers.events import Asked, Clicked
    from handlers.replies import Button, Line, Message
    from knowledge.model import Person, Place, User, plain

    message = Message(text="x", lines=(Line("people", "t", people=(
        Person("p1", "Anna", expertise=("wmo", "zorg"), handles=(("slack", "U1"),)),)),
        Line("actions", buttons=(Button("Ja", "vb_helpful", "3", "primary"),))), buttons=(Button("b", "a", "v"),))
    asked = Asked(User("U1", "Anna", "nl"), "hoi", Place("C1", "t1", "m1", {"team": "T1"}), key="k1")
    clicked = Clicked(User("U2"), "vb_edit", "4", fields={"title": "T"})
    for value in (message, asked, clicked):
        assert plain(value) == asdict(value)


def test_a_bulk_load_leaves_the_full_text_index_in_one_segment(store: SqliteStore) -> None:
    """A search looks up each term in every segment of the index: loads and edits leave many (the demo's
    people index had 13), a bulk load merges them, and searches find the same before and after."""
    from knowledge import text
    from knowledge.sqlite.store import BULK

    def segments(table: str) -> int:
        return int(store.db.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0])

    def found(word: str) -> list[str]:
        return [r["article_id"] for r in store.rows(
            "SELECT article_id FROM article_index WHERE article_index MATCH ? ORDER BY rowid",
            [text.stem(word, "nl")])]

    for n in range(12):  # one at a time, as edits come: a segment each, partly merged by FTS5 itself
        store.upsert_articles([Article(f"e{n}", f"Edit {n} parkeren", "tekst")])
    assert segments("article_index") > 1
    before = found("parkeren")
    store.merge_index()
    assert segments("article_index") == 1 and found("parkeren") == before
    store.upsert_articles([Article(f"b{n}", f"Bulk {n} parkeren", "tekst") for n in range(BULK)])
    store.upsert_people([Person(f"p{n}", f"Persoon {n}", expertise=("wmo",)) for n in range(BULK)])
    assert segments("article_index") == 1 and segments("people_index") == 1
    assert len(found("parkeren")) == 12 + BULK


def test_one_import_is_one_moment_like_on_postgresql(tmp_path: Path) -> None:
    """Articles without their own date written in one import share its time stamp (PostgreSQL's now() is the
    transaction's start): with one stamp per article, a load that crossed a second ordered the article list
    differently on the two backends (a contract test failed now and then)."""
    ticks = iter(range(10_000))
    knowledge.clock.use(lambda: datetime(2026, 5, 4, 9, 0, 0, tzinfo=UTC) + timedelta(seconds=next(ticks)))
    try:
        store = SqliteStore(str(tmp_path / "moment.db"))
        store.upsert_articles([Article(id=f"a{n}", title=f"Artikel {n}", body="Tekst.") for n in range(3)])
    finally:
        knowledge.clock.use(None)
    assert len({a.updated_at for a in store.articles()}) == 1
