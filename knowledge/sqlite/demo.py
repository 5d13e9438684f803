"""SqliteStore's SQL for what ``vraagbaak demo`` put in (``demo_items``), so a second run leaves alone what
people changed or removed (knowledge.demo_load)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlite_utils

from knowledge.demo_load import PLAYED


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


class DemoRecords:
    def demo_items(self: _Base) -> dict[str, set[str]]:
        """What earlier demo runs put in, by kind."""
        found: dict[str, set[str]] = {}
        for r in self.rows("SELECT kind, item FROM demo_items"):
            found.setdefault(r["kind"], set()).add(r["item"])
        return found

    def remember_demo(self: _Base, kind: str, items: Iterable[str]) -> None:
        """Remember that the demo put ``items`` of ``kind`` in."""
        with self.transaction() as db:
            db.conn.executemany("INSERT OR IGNORE INTO demo_items (kind, item) VALUES (?, ?)",
                                [(kind, item) for item in items])

    def demo_history_played(self: _Base) -> bool:
        return bool(self.rows("SELECT 1 FROM demo_items WHERE kind = 'history' AND item = ?", [PLAYED]))
