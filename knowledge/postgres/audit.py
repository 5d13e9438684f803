"""PostgresStore's SQL for the audit log, the design of knowledge/sqlite/audit.py on PostgreSQL: ``audit_chain``
(the chained entries), ``audit_details`` (people and texts, with their salt; a row goes when they are erased),
the sealed ``audit_head``, and ``audit`` as a view with the log's old columns; appending, a check read in one
snapshot, and carrying a log of the first schema over (a migration in Python: it needs the key).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg

from knowledge import audit as chain

Conn = psycopg.Connection[Any]
# the entry's time, as text (it is hashed): the statement's, so entries appended under the loop lock keep order
NOW = "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"

TABLES = (
    "CREATE TABLE audit_chain (id bigint PRIMARY KEY, at text NOT NULL, actor text NOT NULL, action text NOT NULL,"
    " subject text NOT NULL DEFAULT '', facts text NOT NULL DEFAULT '{}', sealed text NOT NULL DEFAULT '',"
    " prev text NOT NULL, hash text NOT NULL)",
    "CREATE TABLE audit_details (id bigint PRIMARY KEY REFERENCES audit_chain (id), actor text NOT NULL DEFAULT '',"
    " subject text NOT NULL DEFAULT '', detail text NOT NULL DEFAULT '{}', salt text NOT NULL)",
)
# the detail whole again: the facts and the details' JSON objects (both written by json.dumps) joined as text
_ROW = ("c.id, c.at, CASE WHEN c.actor <> '' THEN c.actor ELSE coalesce(d.actor, '') END AS actor, c.action,"
        " {subject} AS subject, CASE WHEN coalesce(d.detail, '{{}}') = '{{}}' THEN c.facts WHEN c.facts = '{{}}'"
        " THEN d.detail ELSE substr(c.facts, 1, length(c.facts) - 1) || ', ' || substr(d.detail, 2) END AS detail,"
        " c.prev, c.hash FROM audit_chain c LEFT JOIN audit_details d ON d.id = c.id")
GUARDS = (
    "CREATE INDEX audit_chain_subject ON audit_chain (subject, id)",
    """CREATE FUNCTION audit_chain_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL OR NEW.hash = '' OR NEW.id <> (SELECT coalesce(max(id), 0) + 1 FROM audit_chain) THEN
        RAISE EXCEPTION 'audit log is append-only';
    END IF;
    RETURN NEW;
END $$""",
    """CREATE FUNCTION audit_details_with_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM (SELECT max(id) FROM audit_chain) THEN
        RAISE EXCEPTION 'audit log is append-only';
    END IF;
    RETURN NEW;
END $$""",
    """CREATE FUNCTION audit_details_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit details are erased, never changed';
END $$""",
    "CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain FOR EACH ROW"
    " EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain FOR EACH STATEMENT"
    " EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_chain_append_only BEFORE INSERT ON audit_chain FOR EACH ROW"
    " EXECUTE FUNCTION audit_chain_append()",
    "CREATE TRIGGER audit_details_no_update BEFORE UPDATE ON audit_details FOR EACH ROW"
    " EXECUTE FUNCTION audit_details_refuse()",
    "CREATE TRIGGER audit_details_with_entry BEFORE INSERT ON audit_details FOR EACH ROW"
    " EXECUTE FUNCTION audit_details_with_entry()",
    f"CREATE VIEW audit AS SELECT {_ROW.format(subject='c.subject')} WHERE c.subject <> ''"
    f" UNION ALL SELECT {_ROW.format(subject='coalesce(d.subject, c.subject)')} WHERE c.subject = ''",
    "CREATE TRIGGER audit_no_change INSTEAD OF INSERT OR UPDATE OR DELETE ON audit FOR EACH ROW"
    " EXECUTE FUNCTION audit_refuse()",
)
# every entry with its details (NULL when it has none or they were erased), for a check or an export
ENTRIES = ("SELECT c.*, d.actor AS d_actor, d.subject AS d_subject, d.detail AS d_detail, d.salt AS d_salt"
           " FROM audit_chain c LEFT JOIN audit_details d ON d.id = c.id ORDER BY c.id")


def _rows(conn: Conn, query: str, name: str) -> Iterator[dict[str, Any]]:
    """The rows of ``query`` a batch at a time (a server-side cursor in the caller's transaction)."""
    with conn.cursor(name=name) as cursor:
        cursor.execute(query.encode())
        while chunk := cursor.fetchmany(1000):
            yield from (dict(r) for r in chunk)


def head(conn: Conn) -> dict[str, Any] | None:
    found = conn.execute("SELECT entries, hash, seal FROM audit_head WHERE id = 1").fetchone()
    return dict(found) if found else None


def check(conn: Conn, key: bytes) -> chain.Verdict:
    """``knowledge.audit.verify`` over the head and every entry, read in one snapshot (the caller's transaction,
    which must be REPEATABLE READ)."""
    try:
        found = head(conn)
        return chain.verify(chain.with_details(_rows(conn, ENTRIES, "vraagbaak_audit")), found, key)
    except psycopg.errors.UndefinedTable:  # a table dropped: the check must still speak
        return chain.broken(0, "no_log")


def _insert(conn: Conn, key: bytes, entry_id: int, prev: str, written: chain.Written) -> str:
    fields = written.fields(entry_id)
    digest = chain.entry_hash(prev, fields, key)
    conn.execute("INSERT INTO audit_chain (id, at, actor, action, subject, facts, sealed, prev, hash)"
                 " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", [*fields, prev, digest])
    if written.details:
        d = written.details
        conn.execute("INSERT INTO audit_details (id, actor, subject, detail, salt) VALUES (%s, %s, %s, %s, %s)",
                     [entry_id, d.actor, d.subject, d.detail, d.salt])
    return digest


def _set_head(conn: Conn, key: bytes, entries: int, last: str) -> None:
    conn.execute("INSERT INTO audit_head (id, entries, hash, seal) VALUES (1, %s, %s, %s) ON CONFLICT (id) DO UPDATE"
                 " SET entries = excluded.entries, hash = excluded.hash, seal = excluded.seal",
                 [entries, last, chain.head_seal(entries, last, key)])


def _now(conn: Conn) -> str:
    return str(conn.execute(f"SELECT {NOW} AS at").fetchone()["at"])  # type: ignore[index]


def append(conn: Conn, key: bytes, actor: str, action: str, subject: str, detail: dict[str, Any]) -> None:
    """One entry at the end of the chain and the head moved on; the caller holds the loop lock to commit."""
    last = conn.execute("SELECT id, hash FROM audit_chain ORDER BY id DESC LIMIT 1").fetchone()
    prev, next_id = (last["hash"], last["id"] + 1) if last else (chain.GENESIS, 1)
    digest = _insert(conn, key, next_id, prev, chain.split(_now(conn), actor, action, subject, detail))
    said = conn.execute("SELECT entries FROM audit_head WHERE id = 1").fetchone()
    _set_head(conn, key, said["entries"] + 1 if said else next_id, digest)


def _erase(conn: Conn, ids: list[int]) -> list[int]:
    conn.execute("DELETE FROM audit_details WHERE id = ANY(%s)", [ids])
    return ids


# the time is text, compared as SQLite compares it (byte order)
_BEFORE = "FROM audit_details d JOIN audit_chain c ON c.id = d.id WHERE c.at < %s COLLATE \"C\""


def count_before(conn: Conn, cutoff: str) -> int:
    """How many entries written before ``cutoff`` still have details."""
    found = conn.execute(f"SELECT count(*) AS n {_BEFORE}", [cutoff]).fetchone()
    return int(found["n"]) if found else 0


def erase_before(conn: Conn, cutoff: str) -> list[int]:
    """Erase the details of every entry written before ``cutoff``; their ids."""
    return _erase(conn, [r["id"] for r in conn.execute(f"SELECT d.id {_BEFORE} ORDER BY d.id", [cutoff])])


def erase_about(conn: Conn, ids: Iterable[str], questions: Iterable[int], escalations: Iterable[int],
                names: re.Pattern[str] | None) -> list[int]:
    """Erase the details of every entry by or about the person known by ``ids``, as knowledge/sqlite/audit.py's
    ``erase_about`` does: theirs as actor or subject, about one of their ``questions`` or an escalation only they
    waited on (``escalations``: by the entry's subject, or a number in its facts), or whose details name them (one
    of their ids as the JSON quotes it, or a name ``names`` matches); the ids erased."""
    ids, questions, escalations = list(ids), list(questions), list(escalations)
    params = {"ids": ids, "questions": [str(q) for q in questions], "escalations": [str(e) for e in escalations],
              "question_ids": questions, "escalation_ids": escalations,
              # as SQLite's json_quote quotes them (non-ASCII kept)
              "quoted": [json.dumps(i, ensure_ascii=False) for i in ids]}
    about = ", ".join(f"'{a}'" for a in chain.QUESTION_ACTIONS)
    escalated = ", ".join(f"'{a}'" for a in chain.ESCALATION_ACTIONS)
    # a fact as SQLite's json_extract compares it: a JSON number equal to one of the ids (a string is not)
    fact = "c.facts::jsonb -> '{key}' IN (SELECT to_jsonb(n) FROM unnest(%({ids})s::bigint[]) AS n)"
    where = ("d.actor = ANY(%(ids)s) OR d.subject = ANY(%(ids)s)"
             f" OR (c.action IN ({about}) AND c.subject = ANY(%(questions)s))"
             f" OR {fact.format(key='question', ids='question_ids')}"
             f" OR (c.action IN ({escalated}) AND c.subject = ANY(%(escalations)s))"
             f" OR {fact.format(key='escalation', ids='escalation_ids')}"
             " OR EXISTS (SELECT 1 FROM unnest(%(quoted)s::text[]) AS q (id) WHERE strpos(d.detail, q.id) > 0)")
    found = {r["id"] for r in conn.execute(f"SELECT d.id FROM audit_details d JOIN audit_chain c ON c.id = d.id"
                                           f" WHERE {where}", params)}
    if names is not None:  # a name anywhere in the details, as a word in any case (Python's case folding)
        found |= {r["id"] for r in conn.execute("SELECT id, actor, subject, detail FROM audit_details")
                  if any(names.search(r[column]) for column in ("actor", "subject", "detail"))}
    return _erase(conn, sorted(found))


def convert(conn: Conn, key: bytes) -> None:
    """Carry the first schema's log (``audit``, detail inside) over, as knowledge/sqlite/audit.py's ``convert``
    does: the old check's verdict recorded, each entry split and chained anew, one MARK entry, the old table
    gone and ``audit`` the view."""
    old = "SELECT id, at, actor, action, subject, detail, prev, hash FROM audit ORDER BY id"
    found = conn.execute("SELECT entries, hash FROM audit_head WHERE id = 1").fetchone()
    old_head = dict(found) if found else None
    verdict = chain.verify_legacy(_rows(conn, old, "vraagbaak_old_audit"), old_head, key)
    said = verdict.reason or "intact"
    if not verdict.intact and key and chain.verify_legacy(_rows(conn, old, "vraagbaak_old_audit"), old_head).intact:
        said = "unkeyed"
    for statement in TABLES:
        conn.execute(statement.encode())
    prev, count, unchained = chain.GENESIS, 0, 0
    for row in _rows(conn, old, "vraagbaak_old_audit"):
        count += 1
        unchained += not row["hash"]
        written = chain.split(row["at"], row["actor"], row["action"], row["subject"],
                              chain.legacy_detail(row["detail"]))
        prev = _insert(conn, key, count, prev, written)
    if count:
        mark = {"carried": count, "unchained": unchained, "old_chain": said, "old_detail": dict(verdict.detail),
                "old_head": old_head["hash"] if old_head else ""}
        count += 1
        prev = _insert(conn, key, count, prev, chain.split(_now(conn), "vraagbaak", chain.MARK, "", mark))
    conn.execute("DROP TABLE audit")
    conn.execute("DROP FUNCTION audit_append()")
    conn.execute("ALTER TABLE audit_head ADD COLUMN seal text NOT NULL DEFAULT ''")
    _set_head(conn, key, count, prev)
    for statement in GUARDS:
        conn.execute(statement.encode())
