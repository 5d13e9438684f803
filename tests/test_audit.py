"""The audit log is a hash chain: appending works from many threads and processes, and every kind of rewrite
(INSERT OR REPLACE, a changed, removed or inserted entry, a removed detail, a dropped log, a head rewritten to
match a shorter log, every hash blanked) is refused or shows in `audit verify`. Details (people, texts) are kept
apart under a seal, so they can be erased while the chain still proves the rest."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from bot.parser import main
from knowledge import audit as chain
from knowledge.sqlite.store import SqliteStore

KEY = b"geheim"
OLIFANT = "Mag ik een olifant houden op mijn balkon?"
TRIGGERS = ("audit_chain_no_update", "audit_chain_no_delete", "audit_chain_append_only", "audit_details_no_update",
            "audit_details_with_entry", "audit_head_no_delete")


def filled(path: Path, n: int = 5, key: bytes = b"") -> SqliteStore:
    store = SqliteStore(str(path), audit_key=key)
    for i in range(n):
        store.audit(f"u{i}", "ask", str(i), text=f"vraag {i}", decision="answer")
    return store


def raw(path: Path) -> sqlite3.Connection:
    """Someone with write access to the file and no regard for the rules: triggers dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    return conn


def table(path: Path, name: str) -> list[dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute(f"SELECT * FROM {name} ORDER BY 1")]
    conn.close()
    return rows


def test_a_fresh_chain_verifies_and_each_entry_names_its_predecessor(tmp_path: Path) -> None:
    store = filled(tmp_path / "a.db")
    verdict = store.verify_audit()
    assert verdict.intact and verdict.entries == 5 and "intact" in str(verdict)
    rows = store.audit_log()
    assert rows[0]["prev"] == chain.GENESIS
    assert all(b["prev"] == a["hash"] for a, b in zip(rows, rows[1:], strict=False))


def test_the_chain_keeps_who_what_and_when_and_seals_the_details_kept_apart(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "a.db"))
    store.audit("anna", "ask", "7", decision="escalate", text=OLIFANT, shown=["nl-kapvergunning"])
    store.audit("vraagbaak", "reminder", "3", minutes=30)
    store.audit("kim", "web_sign_in", "kim", how="link")
    store.audit("kim", "expertise_set", "p-anna", expertise=["dieren"])
    [ask, reminder, sign_in, expertise] = table(tmp_path / "a.db", "audit_chain")
    # the chain: the action, the time, ids and facts; no person, no text
    assert (ask["actor"], ask["action"], ask["subject"]) == ("", "ask", "7")
    assert json.loads(ask["facts"]) == {"decision": "escalate", "shown": ["nl-kapvergunning"]}
    assert (reminder["actor"], reminder["facts"], reminder["sealed"]) == ("vraagbaak", '{"minutes": 30}', "")
    assert (sign_in["actor"], sign_in["subject"], expertise["subject"]) == ("", "", "")
    chained = json.dumps(table(tmp_path / "a.db", "audit_chain"))
    assert not [word for word in ("anna", "olifant", "kim", "dieren") if word in chained]
    # the details, apart, salted and sealed: the seal is not the hash of the text alone
    details = {d["id"]: d for d in table(tmp_path / "a.db", "audit_details")}
    assert set(details) == {1, 3, 4} and details[1]["actor"] == "anna" and OLIFANT in str(details[1]["detail"])
    assert ask["sealed"] == chain.seal(str(details[1]["salt"]), "anna", "", str(details[1]["detail"]))
    assert len(str(details[1]["salt"])) == 32 and details[1]["salt"] != details[3]["salt"]
    # what readers see: the entry whole, as before
    whole = store.audit_log()
    assert (whole[0]["actor"], json.loads(whole[0]["detail"])["text"]) == ("anna", OLIFANT)
    assert (whole[2]["actor"], whole[2]["subject"], whole[3]["subject"]) == ("kim", "kim", "p-anna")
    assert store.verify_audit().intact


def test_insert_or_replace_over_an_old_entry_is_refused(tmp_path: Path) -> None:
    store = filled(tmp_path / "a.db")
    for sql in ("INSERT OR REPLACE INTO audit_chain (id, at, actor, action, subject, facts, sealed, prev, hash)"
                " VALUES (1, 'x', 'mallory', 'ask', '1', '{}', '', 'p', 'h')",
                "REPLACE INTO audit (id, at, actor, action) VALUES (2, 'x', 'mallory', 'ask')",
                "INSERT INTO audit_chain (at, actor, action, prev, hash) VALUES ('x', 'mallory', 'ask', 'p', 'h')",
                "INSERT INTO audit_chain (id, at, actor, action, prev, hash) VALUES (6, 'x', 'mallory', 'ask', 'p',"
                " '')",
                "INSERT INTO audit_details (id, salt) VALUES (2, '00')",
                "UPDATE audit SET actor = 'mallory'",
                "DELETE FROM audit_chain",
                "DELETE FROM audit_head"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.db.execute(sql)
    with pytest.raises(sqlite3.DatabaseError, match="erased, never changed"):
        store.db.execute("UPDATE audit_details SET actor = 'mallory'")
    assert store.audit_log()[0]["actor"] == "u0" and store.verify_audit().intact


@pytest.mark.parametrize("tamper, problem", [
    ("UPDATE audit_chain SET action = 'read' WHERE id = 2", "entry 2 was changed"),
    ("UPDATE audit_chain SET facts = '{\"decision\": \"escalate\"}' WHERE id = 4", "entry 4 was changed"),
    ("UPDATE audit_details SET detail = '{\"text\": \"iets anders\"}' WHERE id = 5", "entry 5 was changed"),
    ("UPDATE audit_details SET actor = 'mallory' WHERE id = 2", "entry 2 was changed"),
    ("DELETE FROM audit_details WHERE id = 2", "the details of entry 2 are gone"),
    ("DELETE FROM audit_chain WHERE id = 3", "entry 3 is missing"),
    ("DELETE FROM audit_chain WHERE id = 5", "head says 5 entries"),
    ("DELETE FROM audit_chain", "head says 5 entries"),
    ("INSERT INTO audit_chain SELECT 6, at, actor, action, subject, facts, sealed, hash, 'f00' FROM audit_chain"
     " WHERE id = 5", "entry 6 was changed"),
    ("DROP TABLE audit_chain; CREATE TABLE audit_chain (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT,"
     " subject TEXT, facts TEXT, sealed TEXT, prev TEXT, hash TEXT)", "head says 5 entries"),
    ("DROP TABLE audit_head", "head record is missing"),
    ("DROP VIEW audit; DROP TABLE audit_details; DROP TABLE audit_chain", "the audit log's tables are missing"),
    ("UPDATE audit_head SET seal = ''", "head record was not written by Vraagbaak"),
])
def test_every_rewrite_shows(tmp_path: Path, tamper: str, problem: str) -> None:
    path = tmp_path / "a.db"
    filled(path).close()
    conn = raw(path)
    conn.executescript(tamper)
    conn.close()
    verdict = SqliteStore(str(path)).verify_audit()
    assert not verdict.intact and problem in verdict.problem


def _entries(path: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    from knowledge.sqlite import audit as audit_log
    rows = list(chain.with_details(dict(r) for r in conn.execute(audit_log.ENTRIES)))
    conn.close()
    return rows


def test_a_consistent_rewrite_is_caught_by_the_key(tmp_path: Path) -> None:
    """Recomputing every hash and the head's seal after a change fools a plain chain, not a keyed one."""
    path = tmp_path / "a.db"
    filled(path, key=KEY).close()
    conn = raw(path)
    prev = chain.GENESIS
    for row in _entries(path):  # the forger recomputes with plain SHA-256: they do not have the key
        subject = "99" if row["id"] == 2 else row["subject"]
        digest = chain.entry_hash(prev, [subject if f == "subject" else row[f] for f in chain.FIELDS])
        conn.execute("UPDATE audit_chain SET subject = ?, prev = ?, hash = ? WHERE id = ?",
                     [subject, prev, digest, row["id"]])
        prev = digest
    conn.execute("UPDATE audit_head SET hash = ?, seal = ?", [prev, chain.head_seal(5, prev)])
    conn.close()
    assert "entry 1 was changed" in SqliteStore(str(path), audit_key=KEY).verify_audit().problem
    assert SqliteStore(str(path)).verify_audit().intact  # what a plain chain could not tell


# --- issue #24 item 2: two rewrites that passed with VRAAGBAAK_AUDIT_KEY --------------------------------------
def test_blanking_every_hash_and_the_head_is_caught(tmp_path: Path) -> None:
    """Before: every entry then counted as 'from before the chain' (`Auditlog intact: 461 regels (461 van vóór
    de keten)`). Now every entry must have a hash: there is no 'before the chain' but a carried-over log."""
    path = tmp_path / "a.db"
    filled(path, key=KEY).close()
    conn = raw(path)
    conn.executescript("UPDATE audit_chain SET hash = '', prev = ''; DELETE FROM audit_head;")
    conn.close()
    verdict = SqliteStore(str(path), audit_key=KEY).verify_audit()
    assert not verdict.intact and verdict.problem == "entry 1 has no hash"
    conn = raw(path)
    conn.execute("DELETE FROM audit_chain")  # and with the entries gone as well: the head is missing
    conn.close()
    assert SqliteStore(str(path), audit_key=KEY).verify_audit().problem == "the chain's head record is missing"


def test_cutting_the_tail_with_a_matching_head_is_caught(tmp_path: Path) -> None:
    """Before: the head was not keyed, so entries 4 and 5 could go with a head that said 3 entries ending in
    entry 3's hash. Now the head is sealed under the key, and only the key's holder can write one."""
    path = tmp_path / "a.db"
    filled(path, key=KEY).close()
    conn = raw(path)
    conn.executescript("DELETE FROM audit_details WHERE id > 3; DELETE FROM audit_chain WHERE id > 3;"
                       " UPDATE audit_head SET entries = 3, hash = (SELECT hash FROM audit_chain WHERE id = 3);")
    conn.close()
    verdict = SqliteStore(str(path), audit_key=KEY).verify_audit()
    assert not verdict.intact and verdict.reason == "head_seal"
    conn = raw(path)  # a seal computed without the key does not help either
    conn.execute("UPDATE audit_head SET seal = ?", [chain.head_seal(3, str(_entries(path)[2]["hash"]))])
    conn.close()
    assert SqliteStore(str(path), audit_key=KEY).verify_audit().reason == "head_seal"


def _append(path: str, who: str) -> None:
    store = SqliteStore(path)
    for i in range(25):
        store.audit(who, "ask", str(i), text=f"vraag {i} van {who}")
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
    assert "Audit log intact: 5 entries, head" in capsys.readouterr().out
    conn = raw(path)
    conn.execute("UPDATE audit_chain SET subject = '99' WHERE id = 4")
    conn.close()
    assert main(["audit", "verify"]) == 1
    assert "entry 4 was changed" in capsys.readouterr().out
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")  # the verdict follows the language, like every other line
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().out.strip() == "Auditlog NIET intact: regel 4 is gewijzigd nadat hij geschreven was"


# --- a log from before this design is carried over once -------------------------------------------------------
def old_log(path: Path, key: bytes = b"", tamper: bool = False) -> str:
    """A database of the release before: two entries from before the chain, two chained ones with their detail
    inside, and the unsealed head; the head's hash."""
    from knowledge.sqlite.schema import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(";".join(MIGRATIONS[:5]) + ";PRAGMA user_version = 5;")  # no chain yet
    for who in ("anna", "bram"):
        conn.execute("INSERT INTO audit (at, actor, action, subject, detail) VALUES ('2025-01-01T00:00:00+00:00',"
                     " ?, 'ask', '1', ?)", [who, json.dumps({"text": f"{OLIFANT} ({who})", "decision": "escalate"})])
    old = MIGRATIONS[5:13]
    assert all(isinstance(m, str) for m in old)
    conn.executescript(";".join(str(m) for m in old) + ";PRAGMA user_version = 13;")
    rows = [list(r) for r in conn.execute("SELECT id, at, actor, action, subject, detail FROM audit ORDER BY id")]
    prev = chain.GENESIS
    for row in rows:
        prev = chain.entry_hash(prev, row, key)
    for n, who in ((3, "anna"), (4, "vraagbaak")):
        row = [n, "2025-02-01T00:00:00+00:00", who, "feedback" if who == "anna" else "reminder", "2",
               json.dumps({"helpful": False, "article": "nl-paspoort"} if who == "anna" else {"minutes": 30})]
        digest = chain.entry_hash(prev, row, key)
        conn.execute("INSERT INTO audit (id, at, actor, action, subject, detail, prev, hash) VALUES (?,?,?,?,?,?,?,?)",
                     [*row, prev, digest])
        prev = digest
    conn.execute("INSERT INTO audit_head (id, entries, hash) VALUES (1, 4, ?)", [prev])
    if tamper:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 3")
    conn.close()
    return prev


def test_an_old_log_is_carried_over_split_and_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.db"
    old_head = old_log(path, key=KEY)
    store = SqliteStore(str(path), audit_key=KEY)
    verdict = store.verify_audit()
    assert verdict.intact and verdict.entries == 5 and (verdict.carried, verdict.unchained) == (4, 2)
    assert verdict.old_chain == "intact"
    mark = json.loads(table(path, "audit_chain")[4]["facts"])
    assert mark == {"carried": 4, "unchained": 2, "old_chain": "intact", "old_detail": {}, "old_head": old_head}
    assert "olifant" not in json.dumps(table(path, "audit_chain"))  # the texts are details now
    assert [r["action"] for r in store.audit_log()] == ["ask", "ask", "feedback", "reminder", chain.MARK]
    assert json.loads(store.audit_log()[0]["detail"])["text"].startswith(OLIFANT)
    assert store.not_helpful_counts(0) == {"nl-paspoort": 1}  # readers of the log read it as before
    store.audit("kim", "ask", "3", text="na de omzetting")
    store.close()
    reopened = SqliteStore(str(path), audit_key=KEY)  # carried over once
    assert reopened.verify_audit().entries == 6
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    monkeypatch.setenv("VRAAGBAAK_AUDIT_KEY", KEY.decode())
    monkeypatch.setenv("VRAAGBAAK_LANG", "nl")
    assert main(["audit", "verify"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Auditlog intact: 6 regels (de eerste 4 overgenomen uit het oude log op 20")
    assert "; 2 daarvan van vóór de keten)" in said


def test_blanking_the_hashes_of_a_carried_over_log_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old_log(path, key=KEY)
    SqliteStore(str(path), audit_key=KEY).close()
    conn = raw(path)
    conn.executescript("UPDATE audit_chain SET hash = '', prev = ''; DELETE FROM audit_head;")
    conn.close()
    assert SqliteStore(str(path), audit_key=KEY).verify_audit().problem == "entry 1 has no hash"


@pytest.mark.parametrize("tamper, key, said", [
    (True, KEY, "the old log was NOT intact then: entry 3 was changed after it was written"),
    (False, b"", ""),
])
def test_what_the_old_check_said_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], tamper: bool, key: bytes,
                                         said: str) -> None:
    path = tmp_path / "old.db"
    old_log(path, key=key, tamper=tamper)
    store = SqliteStore(str(path), audit_key=KEY)  # the key is set now: it seals the chain from here on
    verdict = store.verify_audit()
    assert verdict.intact and verdict.old_chain == ("changed" if tamper else "unkeyed")
    monkeypatch.setenv("VRAAGBAAK_DB", str(path))
    monkeypatch.setenv("VRAAGBAAK_AUDIT_KEY", KEY.decode())
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert (said or "the old log was intact then, but chained without VRAAGBAAK_AUDIT_KEY") in out
