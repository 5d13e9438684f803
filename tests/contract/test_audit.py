"""The audit log's design on both backends (knowledge/audit.py): details apart under a salted seal, the head sealed
under the key, every entry chained; the two rewrites of issue #24 item 2 caught; an old log carried over."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from psycopg import sql

from knowledge import audit as chain
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore

KEY = b"geheim"
OLIFANT = "Mag ik een olifant houden op mijn balkon?"


def keyed(spec: dict[str, str]) -> Any:
    if "path" in spec:
        return SqliteStore(spec["path"], audit_key=KEY)
    return PostgresStore(spec["url"], audit_key=KEY, schema=spec["schema"])


@contextmanager
def raw(spec: dict[str, str]) -> Iterator[Any]:
    """The database as someone with write access and no regard for the rules sees it: the triggers off."""
    if "path" in spec:
        conn = sqlite3.connect(spec["path"], isolation_level=None)
        for (name,) in list(conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")):
            conn.execute(f"DROP TRIGGER {name}")
        try:
            yield conn
        finally:
            conn.close()
        return
    with psycopg.connect(spec["url"], autocommit=True) as pg:
        pg.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(spec["schema"])))
        for table in ("audit_chain", "audit_details", "audit_head"):
            pg.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(sql.Identifier(table)))
        yield pg


def rows(spec: dict[str, str], query: str) -> list[tuple[Any, ...]]:
    with raw(spec) as conn:
        return [tuple(r) for r in conn.execute(query).fetchall()]


def filled(spec: dict[str, str], n: int = 5) -> Any:
    store = keyed(spec)
    for i in range(n):
        store.audit(f"u{i}", "ask", str(i), text=f"{OLIFANT} ({i})", decision="escalate")
    return store


def test_the_chain_holds_no_person_or_text_and_the_details_are_sealed(spec: dict[str, str]) -> None:
    store = filled(spec, 2)
    try:
        entry = store.audit_log()[-1]
        said = {"decision": "escalate", "text": f"{OLIFANT} (1)"}
        assert (entry["actor"], json.loads(entry["detail"])) == ("u1", said)
        chained = json.dumps(rows(spec, "SELECT * FROM audit_chain ORDER BY id"))
        assert "olifant" not in chained and '"u1"' not in chained and '"escalate"' in chained.replace("\\", "")
        [(actor, detail, salt)] = rows(spec, "SELECT actor, detail, salt FROM audit_details WHERE id = 2")
        [(sealed,)] = rows(spec, "SELECT sealed FROM audit_chain WHERE id = 2")
        assert sealed == chain.seal(salt, actor, "", detail) and actor == "u1"
        assert store.verify_audit().intact
    finally:
        store.close()


@pytest.mark.parametrize("tamper, problem", [
    # issue #24 item 2 (a): every hash and prev blanked, the head deleted
    ("UPDATE audit_chain SET hash = '', prev = ''; DELETE FROM audit_head", "entry 1 has no hash"),
    # issue #24 item 2 (b): the tail cut off, the head rewritten to match
    ("DELETE FROM audit_details WHERE id > 3; DELETE FROM audit_chain WHERE id > 3; UPDATE audit_head"
     " SET entries = 3, hash = (SELECT hash FROM audit_chain WHERE id = 3)",
     "the head record was not written by Vraagbaak"),
    ("DELETE FROM audit_details WHERE id = 2", "the details of entry 2 are gone"),
    ("UPDATE audit_details SET detail = '{}' WHERE id = 4", "entry 4 was changed"),
])
def test_rewrites_are_caught_under_the_key(spec: dict[str, str], tamper: str, problem: str) -> None:
    filled(spec).close()
    with raw(spec) as conn:
        for statement in tamper.split("; "):
            conn.execute(statement)
    store = keyed(spec)
    try:
        verdict = store.verify_audit()
        assert not verdict.intact and problem in verdict.problem
    finally:
        store.close()


def test_a_log_of_the_first_postgresql_schema_is_carried_over(pg_spec: dict[str, str]) -> None:
    from knowledge.postgres.schema import MIGRATIONS

    first = MIGRATIONS[0]
    assert isinstance(first, str)
    with psycopg.connect(pg_spec["url"], autocommit=True) as pg:
        schema = sql.Identifier(pg_spec["schema"])
        pg.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
        pg.execute(sql.SQL("SET search_path TO {}").format(schema))
        pg.execute(first.encode())
        pg.execute("CREATE TABLE schema_version (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)")
        pg.execute("INSERT INTO schema_version VALUES (1, 1)")
        prev = chain.GENESIS
        for n, who in ((1, "anna"), (2, "vraagbaak")):
            entry = [n, "2025-02-01T00:00:00+00:00", who, "ask" if who == "anna" else "reminder", "1",
                     json.dumps({"text": OLIFANT} if who == "anna" else {"minutes": 30})]
            digest = chain.entry_hash(prev, entry, KEY)
            pg.execute("INSERT INTO audit VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", [*entry, prev, digest])
            prev = digest
        pg.execute("INSERT INTO audit_head VALUES (1, 2, %s)", [prev])
    store = PostgresStore(pg_spec["url"], audit_key=KEY, schema=pg_spec["schema"])
    try:
        verdict = store.verify_audit()
        assert verdict.intact and (verdict.entries, verdict.carried, verdict.old_chain) == (3, 2, "intact")
        assert [e["action"] for e in store.audit_log()] == ["ask", "reminder", chain.MARK]
        assert json.loads(store.audit_log()[0]["detail"]) == {"text": OLIFANT}
        assert "olifant" not in json.dumps(store.rows("SELECT * FROM audit_chain"))
    finally:
        store.close()
