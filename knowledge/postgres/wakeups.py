"""Workers woken by LISTEN/NOTIFY: one listening connection per store, on a thread of its own.

A store NOTIFYs a channel of its schema in the transaction that stores an event or queues a message (so the
notice goes out when that commits, and never for a rollback). Every process that waits LISTENs on one
connection of its own and counts the notices per topic; a waiting thread returns as soon as the count moved
past the last one it saw, so a notice that came while it was busy is not lost either. After a lost connection
the listener reconnects and wakes every waiter once (a notice may have gone by meanwhile), so callers look
for work after each wake-up and still poll now and then: NOTIFY makes them prompt, it is not their only chance.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg import sql

from knowledge.signals import Signals

log = logging.getLogger(__name__)

RETRY_FIRST = 1.0    # seconds before the listener's first reconnect; doubled after each failure ...
RETRY_MAX = 10.0     # ... up to this
QUIET_ATTEMPTS = 6   # while the database stays away, one line every this many failed attempts (about a minute)


class Wakeups(Signals):
    def __init__(self, conninfo: str, options: Mapping[str, Any], channels: Mapping[str, str]) -> None:
        super().__init__(channels)
        self._conninfo, self._options = conninfo, dict(options)
        self._topics = {channel: topic for topic, channel in channels.items()}
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def wait(self, topic: str, timeout: float) -> bool:
        """Block until a notice on ``topic`` came after the one this thread saw last (or ``wake``), or
        ``timeout`` seconds passed; True when woken. The first call of a thread starts from now."""
        self._start()
        return super().wait(topic, timeout)

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._listen, name="vraagbaak-pg-listen", daemon=True)
                self._thread.start()
        self._ready.wait(10)

    def _listen(self) -> None:
        first = True
        failed = 0  # attempts in a row that failed: the first is logged with its traceback, then one line a minute
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, **self._options) as conn:
                    for channel in self._topics:
                        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    if not first:
                        self.bump()  # reconnected: whatever came meanwhile, look again
                    if failed:
                        log.warning("PostgreSQL listener reconnected after %d failed attempts", failed)
                    first, failed = False, 0
                    self._ready.set()
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=0.5):
                            if notice.channel in self._topics:
                                self.bump([self._topics[notice.channel]])
            except psycopg.Error as error:
                if self._stop.is_set():
                    return
                failed += 1
                if failed == 1:
                    log.warning("PostgreSQL listener lost its connection; reconnecting", exc_info=True)
                elif failed % QUIET_ATTEMPTS == 0:
                    log.warning("PostgreSQL listener still cannot connect (%d attempts): %s", failed,
                                str(error).splitlines()[0] if str(error) else type(error).__name__)
                self._ready.set()  # waiters fall back on their timeouts meanwhile
                self._stop.wait(min(RETRY_MAX, RETRY_FIRST * 2 ** (failed - 1)))

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
