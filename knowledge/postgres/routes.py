"""Re-routing on PostgreSQL (the same methods and results as knowledge/sqlite/routes.py). Moving is a conditional
UPDATE: of two moves at once the second waits for the first's row lock, then finds the count of moves changed and
moves nothing."""

from __future__ import annotations

import json
from collections.abc import Sequence

from knowledge import stored
from knowledge.model import LearnedRoute
from knowledge.postgres.base import PostgresBase, plain


class RouteRecords(PostgresBase):
    def move_escalation(self, escalation_id: int, channel: str, moves: int) -> bool:
        """Move an unanswered escalation to ``channel`` if it has been moved ``moves`` times; see SqliteStore."""
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE escalations SET channel = %s, moves = moves + 1, stage = 0, routed_at = now(),"
                " post_channel = NULL, post_thread = NULL, post_message = NULL, post_extra = '', status = 'pending'"
                " WHERE id = %s AND moves = %s AND status IN ('pending', 'open') AND channel <> %s",
                [channel, escalation_id, moves, channel]).rowcount == 1

    def learn_route(self, escalation_id: int, words: Sequence[str], channel: str, source: str, by: str,
                    answered: bool = False) -> LearnedRoute:
        """Learn that questions with ``words`` go to ``channel`` (one lesson per escalation)."""
        with self.transaction() as conn:
            row = conn.execute(
                "INSERT INTO learned_routes (words, channel, source, escalation_id, learned_by, answered)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (escalation_id) DO UPDATE SET words = excluded.words,"
                " channel = excluded.channel, source = excluded.source, learned_by = excluded.learned_by,"
                " learned_at = now(), answered = excluded.answered, undone_at = NULL, undone_by = ''"
                " RETURNING *",
                [json.dumps(list(words), ensure_ascii=False), channel, source, escalation_id, by, answered]).fetchone()
        assert row is not None
        return stored.learned_route(plain(row))

    def confirm_route(self, escalation_id: int, channel: str) -> bool:
        """An answer was marked in ``channel`` for an escalation whose lesson sends questions there."""
        with self.transaction() as conn:
            return conn.execute("UPDATE learned_routes SET answered = true WHERE escalation_id = %s AND channel = %s"
                                " AND undone_at IS NULL AND NOT answered", [escalation_id, channel]).rowcount == 1

    def learned_routes(self, undone: bool = False) -> list[LearnedRoute]:
        """The lessons in use, the latest first (``undone``: also those an owner undid)."""
        where = "" if undone else " WHERE undone_at IS NULL"
        rows = self.rows(f"SELECT * FROM learned_routes{where} ORDER BY id DESC")
        return [stored.learned_route(plain(r)) for r in rows]

    def learned_route(self, route_id: int) -> LearnedRoute | None:
        found = self.rows("SELECT * FROM learned_routes WHERE id = %s", [route_id])
        return stored.learned_route(plain(found[0])) if found else None

    def undo_learned_route(self, route_id: int, by: str) -> bool:
        """Stop using a lesson (kept, with who undid it and when); False when it is unknown or undone already."""
        with self.transaction() as conn:
            return conn.execute("UPDATE learned_routes SET undone_at = now(), undone_by = %s"
                                " WHERE id = %s AND undone_at IS NULL", [by, route_id]).rowcount == 1
