"""Retention (AVG): questions, thread texts and askers' identities are kept ``VRAAGBAAK_RETENTION_DAYS``.

What is older is anonymised in place, not rolled up elsewhere: a question row keeps its decision, platform,
language, status, the articles it was shown and its time, so every count (``knowledge.reports.stats``, the
owners' numbers) stays what it was, while its text, the asker's id and name and where it was asked (a DM's
channel id names a person) are blanked. An expert's answer keeps its row (the escalation's timing) without its
text. The console's transcript lines and handled inbox events (raw platform payloads, unmasked) are deleted;
sent outbox messages keep their row without their payload, place, recipient or delivery key. Articles are
knowledge, not personal data: kept. The audit log's entries keep their chained part (who did what and when, as
ids: knowledge.audit) while their details (people, texts) are erased, so the chain still verifies.

The store does it in one transaction (``purge_before``, in its backend, as steps in the order above). Each purge
writes one audit entry with counts only, and the ids of the entries whose details it erased.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

DEFAULT_DAYS = 180  # VRAAGBAAK_RETENTION_DAYS when not configured
T = TypeVar("T")


class Purgeable(Protocol):
    def purgeable_counts(self, cutoff: str) -> dict[str, int]: ...
    def purge_before(self, cutoff: str, actor: str, days: int) -> dict[str, int]: ...
    def daily_purge(self, today: int, purge: Callable[[], T]) -> T | None: ...


@dataclass(frozen=True)
class PurgeReport:
    cutoff: str  # rows created before this moment were (or, in a dry run, would be) purged
    counts: dict[str, int] = field(default_factory=dict)  # per kind, in the order the purge takes them
    dry_run: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def purge(store: Purgeable, older_than_days: int, dry_run: bool = False, now: datetime | None = None,
          actor: str = "vraagbaak") -> PurgeReport:
    """Remove or anonymise what is older than ``older_than_days`` (see the module); one transaction. A dry
    run counts what would go and changes nothing (no audit entry either)."""
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cutoff = (moment - timedelta(days=older_than_days)).isoformat()
    counts = store.purgeable_counts(cutoff) if dry_run else store.purge_before(cutoff, actor, older_than_days)
    return PurgeReport(cutoff, counts, dry_run)


def purge_due(store: Purgeable, days: int, now: datetime | None = None) -> PurgeReport | None:
    """The daily purge: runs when it has not run yet today (UTC) in any process sharing the database, and
    returns its report; None when it already ran today or ``days`` is 0 (retention off). Serving processes
    call it from their periodic outbox work; the check and the purge are one write transaction, so two
    processes never both purge."""
    if days <= 0:
        return None
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return store.daily_purge(moment.date().toordinal(), lambda: purge(store, days, now=moment))
