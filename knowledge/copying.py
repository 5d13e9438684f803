"""Copying a whole store to another, on either backend (``vraagbaak copy FROM TO``): every table's rows with
their ids, the audit chain with its details and sealed head, vectors, web sessions, inbox and outbox.

The rows travel in one neutral form, SQLite's: times as the ISO text the store writes ('' for "not yet"), flags
as 0/1, vectors as bytes. Each backend reads its tables into that form (``copy_rows``) and writes them from it
(``copy_load``); the SQL of each is in its own package (knowledge/sqlite/copying.py, knowledge/postgres/copying.py).
What is derived is not copied but made again on the target (``copy_finish``): the full-text indexes, PostgreSQL's
id sequences and its first-stored order (``seq``), the generation counters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

# every table, parents before the rows that point at them. 'audit' is the chain with each entry's details
# (written one after the other: the append-only triggers want them so); 'audit_head' and 'meta' are one row / a few
# keys that the target already has and that are overwritten.
TABLES = (
    "articles", "people", "person_handles", "routes", "synonyms", "questions", "escalations", "learned_routes",
    "waiters", "answers",
    "reviews", "escalation_posts", "channel_settings", "events", "inbox", "outbox", "console_messages",
    "article_vectors", "web_logins", "web_flows", "web_settings", "web_sessions", "web_attempts", "demo_items",
    "audit", "audit_head", "meta",
)
# what says whether a store holds anything (a fresh store has its audit head and counters already)
CONTENT = tuple(t for t in TABLES if t not in ("audit_head", "meta"))
# meta keys that belong to the store that holds them, not to what it holds
OWN_META = frozenset({"search_generation", "people_generation", "analysis_version"})
BATCH = 500


class Copyable(Protocol):
    def transaction(self) -> AbstractContextManager[Any]: ...
    def copy_count(self, table: str) -> int: ...
    def copy_rows(self, table: str) -> Iterator[dict[str, Any]]: ...
    def copy_load(self, table: str, rows: Iterable[dict[str, Any]]) -> int: ...
    def copy_finish(self) -> None: ...


def is_empty(store: Copyable) -> bool:
    """Whether ``store`` holds nothing a copy would overwrite."""
    return all(store.copy_count(table) == 0 for table in CONTENT)


def copy(source: Copyable, target: Copyable, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``, in one transaction of the target (a copy that
    fails leaves it as it was); how many rows of each table. ``progress(done, total)`` as rows go."""
    counts = {table: source.copy_count(table) for table in TABLES}
    total, done = sum(counts.values()), 0
    copied: dict[str, int] = {}

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal done
        for row in rows:
            yield row
            done += 1
            if progress and (done % BATCH == 0 or done == total):
                progress(done, total)

    if progress:
        progress(0, total)
    with target.transaction():
        for table in TABLES:
            copied[table] = target.copy_load(table, counted(source.copy_rows(table)))
        target.copy_finish()
    if progress:
        progress(total, total)
    return copied
