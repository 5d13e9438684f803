"""The audit log is a hash chain: appending works from many threads and processes, and every kind of rewrite
(INSERT OR REPLACE, a changed, removed or inserted entry, a dropped log) is refused or shows in `audit verify`."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from bot.parser import main
from knowledge import audit as chain
from knowledge.sqlite.schema import MIGRATIONS
from knowledge.sqlite.store import SqliteStore


def filled(path: Path, n: int = 5, key: bytes = b"") -> SqliteStore:
    store = SqliteStore(str(path), audit_key=key)
    for i in range(n):
        store.audit(f"u{i}", "ask", str(i), text=f"vraag {i}")
    return store


def raw(path: Path) -> sqlite3.Connection:
    """Someone with write access to the file and no regard for the rules: triggers dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name in ("audit_no_update", "audit_no_delete", "audit_append_only", "audit_head_no_delete"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    return conn


def test_a_fresh_chain_verifies_and_each_entry_names_its_predecessor(tmp_path: Path) -> None:
    store = filled(tmp_path / "a.db")
    verdict = store.verify_audit()
    assert verdict.intact and verdict.entries == 5 and "intact" in str(verdict)
    rows = store.audit_log()
    assert rows[0]["prev"] == chain.GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(rows, rows[1:], strict=False))


def test_insert_or_replace_over_an_old_entry_is_refused(tmp_path: Path) -> None:
    store = filled(tmp_path / "a.db")
    for sql in ("INSERT OR REPLACE INTO audit (id, at, actor, action, subject, detail, prev, hash)"
                " VALUES (1, 'x', 'mallory', 'ask', '1', '{}', 'p', 'h')",
                "REPLACE INTO audit (id, at, actor, action) VALUES (2, 'x', 'mallory', 'ask')",
                "INSERT INTO audit (at, actor, action, hash) VALUES ('x', 'mallory', 'ask', 'h')",
                "INSERT INTO audit (id, at, actor, action) VALUES (6, 'x', 'mallory', 'ask')",
                "DELETE FROM audit_head"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.db.execute(sql)
    assert store.audit_log()[0]["actor"] == "u0" and store.verify_audit().intact


@pytest.mark.parametrize("tamper, problem", [
    ("UPDATE audit SET actor = 'mallory' WHERE id = 2", "entry 2 was changed"),
    ("UPDATE audit SET detail = '{\"text\": \"iets anders\"}' WHERE id = 5", "entry 5 was changed"),
    ("DELETE FROM audit WHERE id = 3", "entry 3 is missing"),
    ("DELETE FROM audit WHERE id = 5", "head says 5 entries"),
    ("DELETE FROM audit", "head says 5 entries"),
    ("INSERT INTO audit (id, at, actor, action, subject, detail, prev, hash) SELECT 6, at, actor, action,"
     " subject, detail, hash, 'f00' FROM audit WHERE id = 5", "entry 6 was changed"),
    ("DROP TABLE audit; CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT,"
     " subject TEXT, detail TEXT, prev TEXT, hash TEXT)", "head says 5 entries"),
    ("DROP TABLE audit_head", "head record is missing"),
])
def test_every_rewrite_shows(tmp_path: Path, tamper: str, problem: str) -> None:
    path = tmp_path / "a.db"
    filled(path).close()
    conn = raw(path)
    conn.executescript(tamper)
    conn.close()
    if "DROP TABLE audit_head" in tamper:  # the store would recreate nothing: the check must still speak
        verdict = chain.verify(sqlite3_rows(path), None)
    else:
        verdict = SqliteStore(str(path)).verify_audit()
    assert not verdict.intact and problem in verdict.problem


def sqlite3_rows(path: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY id")]
    conn.close()
    return rows


def test_a_consistent_rewrite_is_caught_by_the_key(tmp_path: Path) -> None:
    """Recomputing every hash after a change fools a plain chain, not a keyed one."""
    path = tmp_path / "a.db"
    filled(path, key=b"geheim").close()
    conn = raw(path)
    rows = sqlite3_rows(path)
    rows[1]["actor"] = "mallory"
    prev = chain.GENESIS
    for row in rows:  # the forger recomputes with plain SHA-256: they do not have the key
        digest = chain.entry_hash(prev, [row[f] for f in chain.FIELDS])
        conn.execute("UPDATE audit SET actor = ?, prev = ?, hash = ? WHERE id = ?", [row["actor"], prev, digest,
                                                                                     row["id"]])
        prev = digest
    conn.execute("UPDATE audit_head SET hash = ?", [prev])
    conn.close()
    assert not SqliteStore(str(path), audit_key=b"geheim").verify_audit().intact
    assert SqliteStore(str(path)).verify_audit().intact  # what a plain chain could not tell


def test_entries_from_before_the_chain_are_folded_in(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(";".join(MIGRATIONS[:5]) + f";PRAGMA user_version = {5};")
    for i in range(3):
        conn.execute("INSERT INTO audit (at, actor, action) VALUES ('2026-01-01', ?, 'ask')", [f"old{i}"])
    conn.close()
    store = SqliteStore(str(path))
    assert store.verify_audit().intact  # nothing chained yet
    store.audit("new", "ask")
    verdict = store.verify_audit()
    assert verdict.intact and verdict.entries == 4 and verdict.unchained == 3
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 1")
    conn.close()
    assert "entry 4 does not follow" in SqliteStore(str(path)).verify_audit().problem


def _append(path: str, who: str) -> None:
    store = SqliteStore(path)
    for i in range(25):
        store.audit(who, "ask", str(i))
    store.close()


@pytest.mark.process
def test_processes_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    path = str(tmp_path / "many.db")
    SqliteStore(path).close()
    procs = [multiprocessing.get_context("spawn").Process(target=_append, args=(path, f"p{n}")) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    verdict = SqliteStore(path).verify_audit()
    assert verdict.intact and verdict.entries == 100


def test_audit_verify_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    filled(path).close()
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["audit", "verify"]) == 0
    assert "Audit log intact: 5 entries" in capsys.readouterr().out
    conn = raw(path)
    conn.execute("UPDATE audit SET subject = '99' WHERE id = 4")
    conn.close()
    assert main(["audit", "verify"]) == 1
    assert "entry 4 was changed" in capsys.readouterr().out
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")  # the verdict follows the language, like every other line
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().out.strip() == "Auditlog NIET intact: regel 4 is gewijzigd nadat hij geschreven was"
