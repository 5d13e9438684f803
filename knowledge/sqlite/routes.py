"""Re-routing on SQLite: an escalation moved to another expert channel (once, however many click at once), and
what routing learned from moves and marked answers (knowledge/routing.py reads it; an owner can undo it).

A mixin of SqliteStore; it uses the store's ``transaction`` and ``rows``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlite_utils

from knowledge import stored
from knowledge.clock import now
from knowledge.model import LearnedRoute


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[sqlite_utils.Database]: ...
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


class RouteRecords:
    def move_escalation(self: _Base, escalation_id: int, channel: str, moves: int) -> bool:
        """Move an unanswered escalation to ``channel`` if it has been moved ``moves`` times (what the caller
        saw): its timers start again (stage 0, ``routed_at`` now) and its next post becomes its place (the old
        posts stay its threads). False when it is answered or someone moved it meanwhile: of two clicks at once
        one moves it."""
        with self.transaction() as db:
            return db.execute(
                "UPDATE escalations SET channel = ?, moves = moves + 1, stage = 0, routed_at = ?,"
                " post_channel = NULL, post_thread = NULL, post_message = NULL, post_extra = '', status = 'pending'"
                " WHERE id = ? AND moves = ? AND status IN ('pending', 'open') AND channel != ?",
                [channel, now(), escalation_id, moves, channel]).rowcount == 1

    def learn_route(self: _Base, escalation_id: int, words: Sequence[str], channel: str, source: str, by: str,
                    answered: bool = False) -> LearnedRoute:
        """Learn that questions with ``words`` go to ``channel`` (one lesson per escalation: a later move of the
        same escalation replaces it, and puts an undone one back in use)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO learned_routes (words, channel, source, escalation_id, learned_by, learned_at, answered)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT(escalation_id) DO UPDATE SET words = excluded.words,"
                " channel = excluded.channel, source = excluded.source, learned_by = excluded.learned_by,"
                " learned_at = excluded.learned_at, answered = excluded.answered, undone_at = '', undone_by = ''",
                [json.dumps(list(words), ensure_ascii=False), channel, source, escalation_id, by, now(),
                 int(answered)])
        return stored.learned_route(self.rows("SELECT * FROM learned_routes WHERE escalation_id = ?",
                                              [escalation_id])[0])

    def confirm_route(self: _Base, escalation_id: int, channel: str) -> bool:
        """An answer was marked in ``channel`` for an escalation whose lesson sends questions there."""
        with self.transaction() as db:
            return db.execute("UPDATE learned_routes SET answered = 1 WHERE escalation_id = ? AND channel = ?"
                              " AND undone_at = '' AND answered = 0", [escalation_id, channel]).rowcount == 1

    def learned_routes(self: _Base, undone: bool = False) -> list[LearnedRoute]:
        """The lessons in use, the latest first (``undone``: also those an owner undid)."""
        where = "" if undone else " WHERE undone_at = ''"
        return [stored.learned_route(r) for r in self.rows(f"SELECT * FROM learned_routes{where} ORDER BY id DESC")]

    def learned_route(self: _Base, route_id: int) -> LearnedRoute | None:
        found = self.rows("SELECT * FROM learned_routes WHERE id = ?", [route_id])
        return stored.learned_route(found[0]) if found else None

    def undo_learned_route(self: _Base, route_id: int, by: str) -> bool:
        """Stop using a lesson (kept, with who undid it and when); False when it is unknown or undone already."""
        with self.transaction() as db:
            return db.execute("UPDATE learned_routes SET undone_at = ?, undone_by = ? WHERE id = ? AND undone_at = ''",
                              [now(), by, route_id]).rowcount == 1
