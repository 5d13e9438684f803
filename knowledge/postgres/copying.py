"""PostgresStore's side of copying a whole store (knowledge/copying.py): its tables read into the neutral form,
SQLite's (times as the ISO text the store writes, '' for "not yet"; flags as 0/1; bytes), and written from it;
afterwards the id sequences moved past the copied ids and the full-text indexes made again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from itertools import islice
from typing import Any, Protocol

from psycopg import sql

from knowledge import analysis
from knowledge.copying import OWN_META, TABLES
from knowledge.model import Article, Person
from knowledge.postgres.audit import ENTRIES
from knowledge.postgres.base import Conn

_CHAIN = ("id", "at", "actor", "action", "subject", "facts", "sealed", "prev", "hash")
_DETAILS = ("id", "actor", "subject", "detail", "salt")
# the order each table's rows were first stored in (SQLite's rowid), and columns only this backend has
_ORDER = {"articles": "seq", "people": "seq", "escalation_posts": "seq"}
_OWN_COLUMNS = frozenset({"seq"})


class _Base(Protocol):
    schema: str

    def transaction(self) -> AbstractContextManager[Conn]: ...
    def rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...
    def iter_rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = (), batch: int = 1000,
                  ) -> Iterator[dict[str, Any]]: ...
    def articles(self) -> list[Article]: ...
    def people(self) -> list[Person]: ...
    def merge_index(self, *tables: str) -> None: ...
    def _index_articles(self, conn: Conn, analysed: Iterable[tuple[Article, dict[str, str]]]) -> None: ...
    def _index_people(self, conn: Conn, people: Iterable[Person]) -> None: ...


def _known(table: str) -> str:
    if table not in TABLES:
        raise ValueError(f"no table {table!r} to copy")
    return table


class CopyRecords:
    def copy_count(self: _Base, table: str) -> int:
        """The rows ``copy_rows`` gives for ``table``."""
        if _known(table) == "meta":
            return int(self.rows("SELECT count(*) AS n FROM meta WHERE NOT key = ANY(%s)", [sorted(OWN_META)])[0]["n"])
        name = "audit_chain" if table == "audit" else table
        return int(self.rows(sql.SQL("SELECT count(*) AS n FROM {}").format(sql.Identifier(name)))[0]["n"])

    def copy_rows(self: _Base, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` in the neutral form, first stored first."""
        if _known(table) == "audit":
            return (_neutral(r) for r in self.iter_rows(ENTRIES))
        if table == "meta":
            return (_neutral(r) for r in self.iter_rows("SELECT key, value FROM meta WHERE NOT key = ANY(%s)"
                                                        " ORDER BY key COLLATE \"C\"", [sorted(OWN_META)]))
        columns = _columns(self, table)
        order = _ORDER.get(table) or ("id" if "id" in columns else "ctid")
        query = sql.SQL("SELECT * FROM {} ORDER BY {}").format(sql.Identifier(table), sql.Identifier(order))
        return (_neutral(r) for r in self.iter_rows(query))

    def copy_load(self: _Base, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Write ``rows`` (in the neutral form) into ``table``; how many. 'audit_head' and 'meta' overwrite."""
        count = 0
        real = "audit_chain" if _known(table) == "audit" else table
        types = _columns(self, real)
        detail_types = _columns(self, "audit_details") if table == "audit" else {}
        with self.transaction() as conn:
            batch_of = iter(rows)
            while chunk := list(islice(batch_of, 500)):
                count += len(chunk)
                if table != "audit":  # a batch a statement list (executemany: one round trip)
                    _insert(conn, table, [{k: v for k, v in row.items() if k in types} for row in chunk], types,
                            overwrite={"audit_head": "id", "meta": "key"}.get(table))
                    continue
                for row in chunk:  # an entry and then its details: the append-only triggers check each
                    _insert(conn, "audit_chain", [{k: row[k] for k in _CHAIN}], types)
                    if row.get("d_salt") is not None:
                        _insert(conn, "audit_details", [{k: row[k if k == "id" else f"d_{k}"] for k in _DETAILS}],
                                detail_types)
        return count

    def copy_finish(self: _Base) -> None:
        """Move every id sequence past the copied ids, make the full-text indexes again (each article and person
        under the order it was copied in) and move the generation counters on."""
        with self.transaction() as conn:
            for found in self.rows("SELECT table_name, column_name FROM information_schema.columns WHERE"
                                   " table_schema = %s AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
                                   [self.schema]):
                table, column = sql.Identifier(found["table_name"]), sql.Identifier(found["column_name"])
                conn.execute(sql.SQL("SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max({}), 0) + 1, false)"
                                     " FROM {}").format(column, table),
                             [f"{self.schema}.{found['table_name']}", found["column_name"]])
            conn.execute("DELETE FROM article_index")
            conn.execute("DELETE FROM people_index")
            self._index_articles(conn, [(a, analysis.analyse(a)[0]) for a in self.articles()])
            self._index_people(conn, self.people())
            conn.execute("UPDATE meta SET value = value + 1 WHERE key IN ('search_generation', 'people_generation')")
        self.merge_index()


def _columns(store: _Base, table: str) -> dict[str, str]:
    """``table``'s columns and their types, leaving out those only this backend has."""
    return {r["column_name"]: r["data_type"] for r in store.rows(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
        " ORDER BY ordinal_position", [store.schema, table]) if r["column_name"] not in _OWN_COLUMNS}


def _neutral(row: dict[str, Any]) -> dict[str, Any]:
    """A row as SQLite holds it: times are text already (``rows``), flags 0/1, bytea as bytes."""
    out = {}
    for key, value in row.items():
        if key in _OWN_COLUMNS:
            continue
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, memoryview):
            value = bytes(value)
        out[key] = value
    return out


def _value(kind: str, value: Any) -> Any:
    """A neutral value as the column of type ``kind`` takes it."""
    if kind == "boolean" and value is not None:
        return bool(value)
    if kind.startswith("timestamp") and value == "":
        return None  # SQLite's '' for "not yet"
    if kind == "bytea" and value is not None:
        return bytes(value)
    return value


def _insert(conn: Conn, table: str, rows: list[dict[str, Any]], types: dict[str, str],
            overwrite: str | None = None) -> None:
    """Insert ``rows`` (all with the columns of the first) into ``table``; with ``overwrite`` (the key column) a
    row in place of the one with its key."""
    if not rows:
        return
    row = rows[0]
    names = sql.SQL(", ").join(sql.Identifier(n) for n in row)
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table), names, sql.SQL(", ").join(sql.Placeholder() * len(row)))
    if overwrite:
        query = query + sql.SQL(" ON CONFLICT ({}) DO UPDATE SET ({}) = ROW({})").format(
            sql.Identifier(overwrite), names, sql.SQL(", ").join(sql.SQL("excluded.") + sql.Identifier(n) for n in row))
    with conn.cursor() as cursor:
        cursor.executemany(query, [[_value(types.get(n, ""), r[n]) for n in row] for r in rows])
