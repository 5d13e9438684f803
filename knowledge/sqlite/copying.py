"""SqliteStore's side of copying a whole store (knowledge/copying.py): its tables read and written in the neutral
form, which is SQLite's own (times as text, flags as 0/1), and the full-text indexes made again afterwards."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from itertools import islice
from typing import Any, Protocol

import sqlite_utils

from knowledge import analysis, stored
from knowledge.copying import OWN_META, TABLES
from knowledge.sqlite.articles import index_article, index_person
from knowledge.sqlite.audit import ENTRIES

_CHAIN = ("id", "at", "actor", "action", "subject", "facts", "sealed", "prev", "hash")
_DETAILS = ("id", "actor", "subject", "detail", "salt")


class _Base(Protocol):
    path: str

    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...
    def iter_rows(self, sql: str, params: Any = (), batch: int = 1000) -> Iterator[dict[str, Any]]: ...
    def merge_index(self, *tables: str) -> None: ...


def _known(table: str) -> str:
    if table not in TABLES:
        raise ValueError(f"no table {table!r} to copy")
    return table


def remove_database(path: str) -> None:
    """Remove the SQLite file ``path`` with its write-ahead log (``vraagbaak copy --replace``)."""
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            os.remove(name)


class CopyRecords:
    def copy_count(self: _Base, table: str) -> int:
        """The rows ``copy_rows`` gives for ``table``."""
        if _known(table) == "audit":
            table = "audit_chain"
        if table == "meta":
            return int(self.rows(f"SELECT count(*) AS n FROM meta WHERE key NOT IN ({_own()})")[0]["n"])
        return int(self.rows(f"SELECT count(*) AS n FROM [{table}]")[0]["n"])

    def copy_rows(self: _Base, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table``, first stored first (so the copy stores them in that order too)."""
        if _known(table) == "audit":
            return self.iter_rows(ENTRIES)
        if table == "meta":
            return self.iter_rows(f"SELECT key, value FROM meta WHERE key NOT IN ({_own()}) ORDER BY key")
        return self.iter_rows(f"SELECT * FROM [{table}] ORDER BY rowid")

    def copy_load(self: _Base, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Write ``rows`` (in the neutral form) into ``table``; how many. 'audit_head' and 'meta' overwrite."""
        count = 0
        with self.transaction() as db:
            columns = {r["name"]: r for r in self.rows(f"PRAGMA table_info([{_real(_known(table))}])")}
            batch_of = iter(rows)
            while chunk := list(islice(batch_of, 500)):
                count += len(chunk)
                if table == "audit":
                    for row in chunk:
                        _insert(db, "audit_chain", {k: row[k] for k in _CHAIN}, columns)
                        if row.get("d_salt") is not None:
                            _insert(db, "audit_details", {k: row[k if k == "id" else f"d_{k}"] for k in _DETAILS},
                                    None)
                    continue
                overwrite = {"audit_head": "id", "meta": "key"}.get(table)
                for row in chunk:
                    _insert(db, table, row, columns, overwrite=overwrite)
        return count

    def copy_finish(self: _Base) -> None:
        """Make what is derived from the copied rows: the full-text indexes of articles and people, and the
        generation counters moved on (every process's caches see new content)."""
        with self.transaction() as db:
            db.execute("DELETE FROM article_index")
            db.execute("DELETE FROM people_index")
            for row in self.rows("SELECT rowid AS r, * FROM articles ORDER BY rowid"):
                article = stored.article(row)
                index_article(db, row["r"], article, analysis.analyse(article)[0])
            for row in self.rows("SELECT rowid AS r, * FROM people ORDER BY rowid"):
                index_person(db, row["r"], stored.person(row))
            db.execute("UPDATE meta SET value = value + 1 WHERE key IN ('search_generation', 'people_generation')")
        self.merge_index()


def _own() -> str:
    return ", ".join(f"'{k}'" for k in sorted(OWN_META))


def _real(table: str) -> str:
    return "audit_chain" if table == "audit" else table


def _insert(db: sqlite_utils.Database, table: str, row: dict[str, Any], columns: dict[str, Any] | None,
            overwrite: str | None = None) -> None:
    """Insert ``row`` into ``table``; with ``overwrite`` (the key column) the row in place of the one with that key
    (an update: the audit head may not be deleted, as INSERT OR REPLACE would)."""
    names = list(row)
    values = []
    for name in names:
        value = row[name]
        if isinstance(value, memoryview):
            value = bytes(value)
        elif isinstance(value, bool):
            value = int(value)
        elif value is None and columns and columns.get(name, {}).get("notnull"):
            value = _default(columns[name]["dflt_value"])  # PostgreSQL's NULL for "not yet": SQLite's ''
        values.append(value)
    query = (f"INSERT INTO [{table}] ({', '.join(f'[{n}]' for n in names)}) VALUES"
             f" ({', '.join('?' for _ in names)})")
    if overwrite:
        query += f" ON CONFLICT([{overwrite}]) DO UPDATE SET " + ", ".join(f"[{n}] = excluded.[{n}]" for n in names)
    db.execute(query, values)


def _default(declared: str | None) -> Any:
    """A column's declared default as a value ('' when it has none or it is text)."""
    if declared and declared.lstrip("-").isdigit():
        return int(declared)
    return ""
