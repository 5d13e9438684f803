"""SqliteStore's SQL for the audit log: appending, reading for a check, erasing details, and carrying a log from
before this design over (knowledge.audit says what is chained, what is kept apart and what a check proves).

``audit_chain`` holds the chained entries, ``audit_details`` the details with their salt (a row goes when they
are erased), ``audit_head`` the sealed head. ``audit`` is a view of the two joined, with the columns the log had
before (id, at, actor, action, subject, detail, prev, hash), for the queries that read it: an erased entry shows
its facts and the actor and subject the chain keeps.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from knowledge import audit as chain
from knowledge.clock import now


class _Executes(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


APPEND_ONLY = "SELECT RAISE(ABORT, 'audit log is append-only')"
TABLES = (
    "CREATE TABLE audit_chain (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " subject TEXT NOT NULL DEFAULT '', facts TEXT NOT NULL DEFAULT '{}', sealed TEXT NOT NULL DEFAULT '',"
    " prev TEXT NOT NULL, hash TEXT NOT NULL)",
    "CREATE TABLE audit_details (id INTEGER PRIMARY KEY REFERENCES audit_chain(id), actor TEXT NOT NULL DEFAULT '',"
    " subject TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}', salt TEXT NOT NULL)",
)
# the detail whole again: the facts and the details' JSON objects (both written by json.dumps) joined as text, so
# it reads as it was written
_ROW = ("c.id, c.at, CASE WHEN c.actor != '' THEN c.actor ELSE coalesce(d.actor, '') END AS actor, c.action, {subject}"
        " AS subject, CASE WHEN coalesce(d.detail, '{{}}') = '{{}}' THEN c.facts WHEN c.facts = '{{}}' THEN d.detail"
        " ELSE substr(c.facts, 1, length(c.facts) - 1) || ', ' || substr(d.detail, 2) END AS detail, c.prev, c.hash"
        " FROM audit_chain c LEFT JOIN audit_details d ON d.id = c.id")
GUARDS = (
    "CREATE INDEX audit_chain_subject ON audit_chain(subject, id)",
    f"CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain BEGIN {APPEND_ONLY}; END",
    f"CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain BEGIN {APPEND_ONLY}; END",
    "CREATE TRIGGER audit_chain_append_only BEFORE INSERT ON audit_chain WHEN NEW.id IS NULL"
    f" OR NEW.id != (SELECT coalesce(max(id), 0) + 1 FROM audit_chain) OR NEW.hash = '' BEGIN {APPEND_ONLY}; END",
    # details are erased (deleted), never changed, and written only with their entry
    "CREATE TRIGGER audit_details_no_update BEFORE UPDATE ON audit_details"
    " BEGIN SELECT RAISE(ABORT, 'audit details are erased, never changed'); END",
    "CREATE TRIGGER audit_details_with_entry BEFORE INSERT ON audit_details"
    f" WHEN NEW.id IS NOT (SELECT max(id) FROM audit_chain) BEGIN {APPEND_ONLY}; END",
    # the person-free subject is indexed (an article's history); a person as subject is a detail
    f"CREATE VIEW audit AS SELECT {_ROW.format(subject='c.subject')} WHERE c.subject != ''"
    f" UNION ALL SELECT {_ROW.format(subject='coalesce(d.subject, c.subject)')} WHERE c.subject = ''",
    f"CREATE TRIGGER audit_no_insert INSTEAD OF INSERT ON audit BEGIN {APPEND_ONLY}; END",
    f"CREATE TRIGGER audit_no_update INSTEAD OF UPDATE ON audit BEGIN {APPEND_ONLY}; END",
    f"CREATE TRIGGER audit_no_delete INSTEAD OF DELETE ON audit BEGIN {APPEND_ONLY}; END",
)

# every entry with its details (NULL when it has none or they were erased), for a check or an export
ENTRIES = ("SELECT c.*, d.actor AS d_actor, d.subject AS d_subject, d.detail AS d_detail, d.salt AS d_salt"
           " FROM audit_chain c LEFT JOIN audit_details d ON d.id = c.id ORDER BY c.id")


def check(conn: sqlite3.Connection, key: bytes) -> chain.Verdict:
    """``knowledge.audit.verify`` over the head and every entry, read in the caller's transaction."""
    found = head(conn)
    try:
        return chain.verify(chain.with_details(_dicts(conn, ENTRIES)), found, key)
    except sqlite3.OperationalError:  # a table dropped: the check must still speak
        return chain.broken(0, "no_log")


def _dicts(conn: sqlite3.Connection, sql: str) -> Iterator[dict[str, Any]]:
    """The rows of ``sql`` as dicts, a batch at a time."""
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    try:
        while chunk := cursor.fetchmany(1000):
            yield from (dict(zip(names, r, strict=True)) for r in chunk)
    finally:
        cursor.close()


def head(db: _Executes) -> dict[str, Any] | None:
    """The sealed head; None when there is none (the table dropped too: the check must still speak)."""
    try:
        found = db.execute("SELECT entries, hash, seal FROM audit_head WHERE id = 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return {"entries": found[0], "hash": found[1], "seal": found[2]} if found else None


def _insert(db: _Executes, key: bytes, entry_id: int, prev: str, written: chain.Written) -> str:
    fields = written.fields(entry_id)
    digest = chain.entry_hash(prev, fields, key)
    db.execute("INSERT INTO audit_chain (id, at, actor, action, subject, facts, sealed, prev, hash)"
               " VALUES (?,?,?,?,?,?,?,?,?)", [*fields, prev, digest])
    if written.details:
        d = written.details
        db.execute("INSERT INTO audit_details (id, actor, subject, detail, salt) VALUES (?,?,?,?,?)",
                   [entry_id, d.actor, d.subject, d.detail, d.salt])
    return digest


def _set_head(db: _Executes, key: bytes, entries: int, last: str) -> None:
    db.execute("INSERT INTO audit_head (id, entries, hash, seal) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
               " SET entries = excluded.entries, hash = excluded.hash, seal = excluded.seal",
               [entries, last, chain.head_seal(entries, last, key)])


def append(db: _Executes, key: bytes, actor: str, action: str, subject: str, detail: dict[str, Any]) -> None:
    """One entry at the end of the chain and the head moved on; the caller's write transaction makes it one step
    for every process. The head counts on from what it said (a log cut short stays short of what it says)."""
    last = db.execute("SELECT id, hash FROM audit_chain ORDER BY id DESC LIMIT 1").fetchone()
    prev, next_id = (last[1], last[0] + 1) if last else (chain.GENESIS, 1)
    digest = _insert(db, key, next_id, prev, chain.split(now(), actor, action, subject, detail))
    said = db.execute("SELECT entries FROM audit_head WHERE id = 1").fetchone()
    _set_head(db, key, said[0] + 1 if said else next_id, digest)


def _erase(db: _Executes, ids: list[int]) -> list[int]:
    db.execute("DELETE FROM audit_details WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])
    return ids


_BEFORE = "FROM audit_details d JOIN audit_chain c ON c.id = d.id WHERE c.at < ?"


def count_before(db: _Executes, cutoff: str) -> int:
    """How many entries written before ``cutoff`` still have details."""
    return int(db.execute(f"SELECT count(*) {_BEFORE}", [cutoff]).fetchone()[0])


def erase_before(db: _Executes, cutoff: str) -> list[int]:
    """Erase the details of every entry written before ``cutoff``; their ids."""
    return _erase(db, [r[0] for r in db.execute(f"SELECT d.id {_BEFORE} ORDER BY d.id", [cutoff])])


def _as_text(name: str) -> str:
    return f"(SELECT CAST(value AS TEXT) FROM json_each(:{name}))"


def erase_about(db: _Executes, ids: Iterable[str], questions: Iterable[int], escalations: Iterable[int],
                names: re.Pattern[str] | None) -> list[int]:
    """Erase the details of every entry by or about the person known by ``ids``: theirs as actor or subject,
    about one of their ``questions`` or an escalation only they waited on (``escalations``), or whose details
    name them (one of their ids as the JSON quotes it, or a name ``names`` matches); the ids erased."""
    params = {"ids": json.dumps(list(ids)), "questions": json.dumps(list(questions)),
              "escalations": json.dumps(list(escalations))}
    about = ", ".join(f"'{a}'" for a in chain.QUESTION_ACTIONS)
    escalated = ", ".join(f"'{a}'" for a in chain.ESCALATION_ACTIONS)
    where = (f"d.actor IN {_as_text('ids')} OR d.subject IN {_as_text('ids')}"
             f" OR (c.action IN ({about}) AND c.subject IN {_as_text('questions')})"
             " OR json_extract(c.facts, '$.question') IN (SELECT value FROM json_each(:questions))"
             f" OR (c.action IN ({escalated}) AND c.subject IN {_as_text('escalations')})"
             " OR json_extract(c.facts, '$.escalation') IN (SELECT value FROM json_each(:escalations))"
             " OR EXISTS (SELECT 1 FROM json_each(:ids) i WHERE instr(d.detail, json_quote(i.value)) > 0)")
    found = {r[0] for r in db.execute(f"SELECT d.id FROM audit_details d JOIN audit_chain c ON c.id = d.id"
                                      f" WHERE {where}", params)}
    if names is not None:  # a name anywhere in the details, as a word in any case (Python's case folding)
        found |= {r[0] for r in db.execute("SELECT id, actor, subject, detail FROM audit_details")
                  if any(names.search(text) for text in r[1:])}
    return _erase(db, sorted(found))


# --- carrying a log from before this design over (a migration) ----------------------------------------------
def _legacy(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    return _dicts(conn, "SELECT id, at, actor, action, subject, detail, prev, hash FROM audit ORDER BY id")


def convert(conn: sqlite3.Connection, key: bytes) -> None:
    """Carry the old log (``audit``, detail inside) over to the chain of this design, inside the migration's
    transaction: what the old check says of it now is recorded ("intact"; "unkeyed": it holds without the key,
    so it was chained before the key was set; else what is wrong), then each entry is split (knowledge.audit.split)
    and chained anew in its order (numbered on from 1), and one MARK entry records the count, how many had no hash,
    the old verdict and the old head's hash. The old table goes; ``audit`` becomes the view."""
    found = conn.execute("SELECT entries, hash FROM audit_head WHERE id = 1").fetchone()
    old_head = {"entries": found[0], "hash": found[1]} if found else None
    verdict = chain.verify_legacy(_legacy(conn), old_head, key)
    said = verdict.reason or "intact"
    if not verdict.intact and key and chain.verify_legacy(_legacy(conn), old_head).intact:
        said = "unkeyed"  # the old log holds, but was chained before the key was set
    for statement in TABLES:
        conn.execute(statement)
    prev, count, unchained = chain.GENESIS, 0, 0
    for row in _legacy(conn):
        count += 1
        unchained += not row["hash"]
        written = chain.split(row["at"], row["actor"], row["action"], row["subject"],
                              chain.legacy_detail(row["detail"]))
        prev = _insert(conn, key, count, prev, written)
    if count:
        mark = {"carried": count, "unchained": unchained, "old_chain": said,
                "old_detail": dict(verdict.detail), "old_head": old_head["hash"] if old_head else ""}
        count += 1
        prev = _insert(conn, key, count, prev, chain.split(now(), "vraagbaak", chain.MARK, "", mark))
    conn.execute("DROP TABLE audit")
    conn.execute("ALTER TABLE audit_head ADD COLUMN seal TEXT NOT NULL DEFAULT ''")
    _set_head(conn, key, count, prev)
    for statement in GUARDS:
        conn.execute(statement)
