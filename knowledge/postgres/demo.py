"""PostgresStore's record of what ``vraagbaak demo`` put in (``demo_items``), so a second run leaves alone what
people changed or removed (knowledge.demo_load; the same methods as knowledge/sqlite/demo.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from knowledge.demo_load import PLAYED
from knowledge.postgres.base import Conn


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[Conn]: ...
    def rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...


class DemoRecords:
    def demo_items(self: _Base) -> dict[str, set[str]]:
        """What earlier demo runs put in, by kind."""
        found: dict[str, set[str]] = {}
        for r in self.rows("SELECT kind, item FROM demo_items"):
            found.setdefault(r["kind"], set()).add(r["item"])
        return found

    def remember_demo(self: _Base, kind: str, items: Iterable[str]) -> None:
        """Remember that the demo put ``items`` of ``kind`` in."""
        with self.transaction() as conn, conn.cursor() as cursor:
            cursor.executemany("INSERT INTO demo_items (kind, item) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                               [(kind, item) for item in items])

    def demo_history_played(self: _Base) -> bool:
        return bool(self.rows("SELECT 1 FROM demo_items WHERE kind = 'history' AND item = %s", [PLAYED]))
