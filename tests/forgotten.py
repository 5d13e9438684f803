"""Looking for what should be gone: every value of every table of a SQLite file (FTS shadow tables, vectors and
other blobs, the inbox, the outbox, the audit log's chain and details included), its SQL dump, and log lines."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path


def _values(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    for table in tables:
        cursor = conn.execute(f"SELECT * FROM [{table}]")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            for name, value in zip(names, row, strict=True):
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "ignore")
                if isinstance(value, str):
                    yield f"{table}.{name}", value


def traces(db: Path | str, needles: Iterable[str]) -> list[tuple[str, str]]:
    """(where, needle) for each needle found in any case: table.column, or 'dump' for the SQL dump."""
    wanted = [n.casefold() for n in needles]
    conn = sqlite3.connect(db)
    try:
        found = {(where, n) for where, value in _values(conn) for n in wanted if n in value.casefold()}
        dump = "\n".join(conn.iterdump()).casefold()
    finally:
        conn.close()
    return sorted(found | {("dump", n) for n in wanted if n in dump})


def in_lines(lines: Iterable[str], needles: Iterable[str]) -> list[str]:
    """The log lines that hold a needle, in any case."""
    wanted = [n.casefold() for n in needles]
    return [line for line in lines if any(n in line.casefold() for n in wanted)]


def log_lines(records: Iterable[logging.LogRecord]) -> list[str]:
    """Each record as the serving process's handlers write it (bot.logs: filtered by PrivateRecords, formatted
    with its traceback); capture at INFO, the level of `-v`."""
    from bot.logs import FORMAT, PrivateRecords

    private, formatter = PrivateRecords(), logging.Formatter(FORMAT)
    return [formatter.format(r) for r in records if private.filter(r)]
