"""``vraagbaak copy FROM TO``: a whole store, SQLite file <-> PostgreSQL URL, ids, audit chain, vectors, web
sessions, inbox and outbox kept; a round trip SQLite -> PostgreSQL -> SQLite compares equal, every table and row."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import bootstrap, demo
from bot.config import Settings
from bot.parser import main
from knowledge import copying, weblogin
from knowledge.forget import forget
from knowledge.model import Place, User
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore
from tests import postgres
from tests.contract.conftest import fresh_schema

KEY = "copy-test-key"
# the full-text index's own tables (FTS5 keeps its segments there; they are made again, not copied)
_FTS_PARTS = ("_config", "_content", "_data", "_docsize", "_idx")


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _fill(path: Path) -> None:
    """The demo with its six weeks of history, a purge, an agent forgotten (audit details erased), and a bit of
    everything else: vectors, web sign-ins and sessions (one ended), sign-in attempts, console lines, an event
    waiting in the inbox, a message waiting in the outbox, and two learned routes (one undone)."""
    settings = Settings(db_path=str(path), semantic="off", digest="off", audit_key=KEY)
    store = bootstrap.open_store(settings)
    bootstrap.load_demo(store)
    assert demo.play_history(settings, store) > 150
    now = datetime.now(UTC)
    store.purge_before(_stamp(now - timedelta(days=30)), "test", 30)  # blanks the oldest questions
    assert forget(store, "priya").ids  # an agent of the history: their audit details are erased
    ids = [a.id for a in store.articles()][:3]
    store.put_vectors([(i, "fake", 2, bytes([n, 0, 128, 63, 0, 0, 0, 64]), f"d{n}") for n, i in enumerate(ids)])
    store.add_login_token("tokenhash", "p1", _stamp(now), _stamp(now + timedelta(minutes=15)))
    old = _stamp(now - timedelta(days=1))
    store.start_web_session("s1", "p1", _stamp(now), _stamp(now + timedelta(hours=8)), old)
    store.start_web_session("s2", "p2", _stamp(now), _stamp(now + timedelta(hours=8)), old)
    assert store.end_web_session("s2", _stamp(now))
    assert weblogin.allow_sign_in(store, "127.0.0.1", now)
    weblogin.secret(store)
    store.post_console_message("#kcc", None, "anna", "Goedemorgen", {"kind": "note"})
    store.put_event("slack:waiting", "slack", "message", {"text": "Waar is het stadskantoor?"})
    store.queue("send", Place("D-U1"), {"text": "Nog te versturen"}, key="waiting-message")
    escalations = [e.id for e, _ in store.open_escalations()][:2]
    store.learn_route(escalations[0], ["bankje", "park"], "kcc-openbare-ruimte", "moved", "piet", answered=True)
    lesson = store.learn_route(escalations[1], ["vakantiepark"], "kcc-burgerzaken", "moved", "piet")
    assert store.undo_learned_route(lesson.id, "kim")
    store.close()


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of a SQLite file (the full-text indexes by their rows), every row, in the order stored (rowid;
    a rowid that is not an id column is the file's own, with gaps where rows went); meta by key, its generation
    counters left out (a copy moves them on)."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                 if not r[0].endswith(_FTS_PARTS)]
        found = {}
        for name in names:
            rows = conn.execute(f"SELECT * FROM [{name}] ORDER BY rowid").fetchall()
            if name == "meta":  # by key: a fresh store has some keys first
                rows = sorted(r for r in rows if r[0] not in copying.OWN_META)
            found[name] = rows
        return found
    finally:
        conn.close()


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("copy") / "source.db"
    _fill(path)
    return path


def _copy(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("VRAAGBAAK_AUDIT_KEY", KEY)
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")
    return main(["copy", *argv])


def test_a_round_trip_through_postgresql_compares_equal_table_for_table(
        filled: Path, pg_cluster: postgres.Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{pg_cluster.url()}?schema={fresh_schema()}"
    back = tmp_path / "back.db"
    assert _copy(monkeypatch, str(filled), url) == 0
    assert "intact" in capsys.readouterr().out
    assert _copy(monkeypatch, url, str(back)) == 0
    before, after = _tables(filled), _tables(back)
    assert set(before) == set(after)
    assert {name: len(rows) for name, rows in before.items()} == {name: len(rows) for name, rows in after.items()}
    for name in before:
        assert after[name] == before[name], name
    # the parts that prove the copy was whole: all of them are in the source, so all are compared above
    for table in ("article_vectors", "web_sessions", "web_attempts", "web_logins", "inbox", "outbox",
                  "console_messages", "escalation_posts", "audit_details", "answers", "reviews"):
        assert before[table], table
    assert len(before["audit_chain"]) > len(before["audit_details"])  # priya's were erased


def test_the_postgresql_copy_keeps_ids_goes_on_after_them_and_verifies(
        filled: Path, pg_cluster: postgres.Cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = fresh_schema()
    assert _copy(monkeypatch, str(filled), f"{pg_cluster.url()}?schema={schema}") == 0
    source = SqliteStore(str(filled), audit_key=KEY.encode())
    copy = PostgresStore(pg_cluster.url(), audit_key=KEY.encode(), schema=schema)
    try:
        assert copy.verify_audit().intact and copy.verify_audit().entries == source.verify_audit().entries
        assert copy.verify_audit().head == source.verify_audit().head
        last = source.rows("SELECT max(id) AS n FROM questions")[0]["n"]
        assert [q.id for q in copy.open_questions("U1")] == [q.id for q in source.open_questions("U1")]
        added = copy.add_question(User("U1", "Anna"), "slack", Place("C1"), "Nog een vraag", "nl", "escalate",
                                  None, [])
        assert added.id == last + 1
        copy.audit("test", "after-copy")
        assert copy.verify_audit().intact
        # search finds the same on the copy (its index was made again)
        for text in ("paspoort aanvragen", "grofvuil ophalen", "parkeervergunning"):
            assert [a for a, *_ in copy.matching(f'"{text.split()[0]}"', 5, [0, 10, 5, 2, 1])] == \
                [a for a, *_ in source.matching(f'"{text.split()[0]}"', 5, [0, 10, 5, 2, 1])]
    finally:
        source.close()
        copy.close()


def test_a_target_that_holds_data_is_refused_unless_replace(
        filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "target.db"
    assert _copy(monkeypatch, str(filled), str(target)) == 0
    capsys.readouterr()
    assert _copy(monkeypatch, str(filled), str(target)) == 2
    assert "--replace" in capsys.readouterr().err
    store = SqliteStore(str(target), audit_key=KEY.encode())
    store.add_synonyms("extra", ["toegevoegd"])  # changed after the first copy: --replace must drop it
    store.close()
    assert _copy(monkeypatch, str(filled), str(target), "--replace") == 0
    assert _tables(target) == _tables(filled)
    assert _copy(monkeypatch, str(target), str(target)) == 2
    assert _copy(monkeypatch, str(tmp_path / "missing.db"), str(tmp_path / "new.db")) == 2
    assert not (tmp_path / "new.db").exists()


def test_replace_on_postgresql_drops_the_schema_first(
        filled: Path, pg_cluster: postgres.Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"{pg_cluster.url()}?schema={fresh_schema()}"
    assert _copy(monkeypatch, str(filled), url) == 0
    other = tmp_path / "other.db"
    store = SqliteStore(str(other), audit_key=KEY.encode())
    bootstrap.load_demo(store)
    store.close()
    assert _copy(monkeypatch, str(other), url) == 2
    assert _copy(monkeypatch, str(other), url, "--replace") == 0
    back = tmp_path / "back.db"
    assert _copy(monkeypatch, url, str(back)) == 0
    assert _tables(back) == _tables(other)


def test_a_database_that_cannot_be_reached_is_said_in_one_line(
        filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    nowhere = f"postgresql://nobody@{str(tmp_path / 'no-server').replace('/', '%2F')}:5999/vraagbaak"
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert _copy(monkeypatch, str(filled), nowhere) == 2
    err = capsys.readouterr().err
    assert err.startswith("vraagbaak: the PostgreSQL database cannot be reached: ") and err.count("\n") == 1
    assert "Traceback" not in err


# what a copy makes again instead of copying, per backend, and the tables 'audit' stands for
_DERIVED = {"sqlite": {"article_index", "people_index", "article_vocab", "people_vocab"},
            "postgres": {"article_index", "people_index", "search_terms", "search_totals", "schema_version"}}
_AS = {"audit_chain": "audit", "audit_details": "audit"}


def test_every_table_of_either_backend_is_copied_or_made_again(store: Any) -> None:
    """A migration that adds a table must add it to knowledge.copying.TABLES (or say it is derived)."""
    if isinstance(store, SqliteStore):
        kind = "sqlite"
        names = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")
                 if not r["name"].endswith(_FTS_PARTS)}
    else:
        kind = "postgres"
        names = {r["table_name"] for r in store.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            [store.schema])}
    assert {_AS.get(n, n) for n in names} - _DERIVED[kind] == set(copying.TABLES)


def test_a_copy_with_another_audit_key_says_the_chain_does_not_hold(
        filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    monkeypatch.setenv("VRAAGBAAK_SEMANTIC", "off")
    monkeypatch.setenv("VRAAGBAAK_AUDIT_KEY", "not-the-key")
    assert main(["copy", str(filled), str(tmp_path / "other-key.db")]) == 1
    out = capsys.readouterr().out
    assert "audit chain does not hold" in out and "not hold on the source with this key either" in out
