"""A heartbeat on claims: a claim on work in hand is renewed while the work runs, so it outlasts a slow step.

An outgoing message is claimed for a lease (VRAAGBAAK_LEASE_SECONDS) while it is sent; a send slower than the
lease (a slow platform, up to the HTTP timeouts of 10 s on Slack and 15 s on Teams) would otherwise let another
thread or process claim it again and post it twice. ``holding`` renews the claim every third of a lease until
the send returns; a process that dies stops renewing, and its claims expire as before.

One thread per process renews every claim held, started when there is one and ended when there has been none
for a while.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

IDLE = 30.0  # seconds without a claim to keep, after which the heartbeat's thread ends (a new one starts on demand)
BEATS = 3    # renewals per lease: two may be late (a busy database, a descheduled thread) before a claim lapses

Renew = Callable[[int, float], bool]  # (item id, lease) -> whether the claim was still held and is renewed


class Heartbeat:
    def __init__(self) -> None:
        self._held: dict[int, tuple[Renew, int, float, float]] = {}  # token -> (renew, item id, lease, due)
        self._tokens = iter(range(1, 1 << 62))
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, renew: Renew, item_id: int, lease: float) -> Iterator[None]:
        """Renew the claim on ``item_id`` with ``renew(item_id, lease)`` every ``lease / BEATS`` seconds while the
        block runs."""
        with self._changed:
            token = next(self._tokens)
            self._held[token] = (renew, item_id, lease, time.monotonic() + lease / BEATS)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="vraagbaak-heartbeat", daemon=True)
                self._thread.start()
            self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                del self._held[token]

    def _run(self) -> None:
        while True:
            with self._changed:
                if not self._held and not self._changed.wait_for(lambda: bool(self._held), IDLE):
                    self._thread = None
                    return
                now = time.monotonic()
                first = min(due for *_, due in self._held.values())
                if first > now:
                    self._changed.wait(first - now)
                    continue
                due = [(token, held) for token, held in self._held.items() if held[3] <= now]
                for token, (renew, item_id, lease, _) in due:
                    self._held[token] = (renew, item_id, lease, now + lease / BEATS)
            for token, (renew, item_id, lease, _) in due:  # outside the lock: the database may take a moment
                try:
                    if not renew(item_id, lease) and token in self._held:  # (not when the work just ended)
                        log.warning("the claim on %s lapsed before it was renewed", item_id)
                except Exception:
                    log.exception("renewing the claim on %s failed (tried again in %.1f s)", item_id, lease / BEATS)


HEARTBEAT = Heartbeat()
holding = HEARTBEAT.holding
