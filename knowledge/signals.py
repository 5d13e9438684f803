"""Wake-ups inside one process: a count per topic ("events", "outbox") and a condition to wait on it.

A store bumps a topic when it stored work for it (after the commit); a worker thread waits until the count
moved past the last one that thread saw, so a bump that came while it was busy is not lost either. SQLite's
store uses this alone (another process's work is found by the worker's poll, the timeout); PostgreSQL's
listener (knowledge/postgres/wakeups.py) bumps it for every NOTIFY from any replica. ``wake`` bumps without
work, for a process that stops its workers or wants its outbox looked at now.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

TOPICS = ("events", "outbox")


class Signals:
    def __init__(self, topics: Iterable[str] = TOPICS) -> None:
        self._counts = dict.fromkeys(topics, 0)
        self._seen = threading.local()
        self._changed = threading.Condition()

    def wait(self, topic: str, timeout: float) -> bool:
        """Block until ``topic`` was bumped after the bump this thread saw last, or ``timeout`` seconds passed;
        True when woken. The first call of a thread starts from now."""
        seen: dict[str, int] = self._seen.__dict__.setdefault("counts", {})
        with self._changed:
            if topic not in seen:
                seen[topic] = self._counts[topic]
            woken = self._changed.wait_for(lambda: self._counts[topic] > seen[topic], timeout)
            seen[topic] = self._counts[topic]
        return woken

    def bump(self, topics: Iterable[str] | None = None) -> None:
        """Wake the threads waiting on ``topics`` (every topic when None)."""
        with self._changed:
            for topic in self._counts if topics is None else topics:
                self._counts[topic] += 1
            self._changed.notify_all()
