"""The bot's figures in the Prometheus text format, for ``GET /metrics`` of every serving process.

Two sources. What happens in this process (questions and their decision, search time, escalations, the first
expert reply and the marked answer, refused deliveries) is counted as the use cases tell it through the
``Metrics`` port (handlers/ports.py): per process, so Prometheus sums them over the processes. What waits (inbox
and outbox backlog and the age of their oldest item, what was given up, open escalations) is read from the
database at each scrape: every process on one database reports the same value, so take ``max`` over them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, cast

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from bot.bootstrap import AnyStore
    from handlers.desk import Desk

log = logging.getLogger(__name__)
disable_created_metrics()  # no *_created series: they double the output and no dashboard here reads them

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # the text format every Prometheus reads (metric names are plain ASCII)
DECISIONS = ("answer", "suggest", "escalate", "joined", "people", "no_question")
DELIVERIES = ("send", "update", "tell", "home")
SEARCH_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
WAIT_BUCKETS = (60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 86400.0, 259200.0)


class Monitor:
    """One process's metrics: a registry of its own (so several bots in one test process do not collide), the
    counters the use cases feed (it implements handlers.ports.Metrics), and the store's figures."""

    def __init__(self, store: AnyStore, platform: str) -> None:
        self.store = store
        self.registry = reg = CollectorRegistry(auto_describe=True)
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR, StoreFigures(store)):
            reg.register(collector)
        Gauge("vraagbaak_build_info", "the running version and platform (always 1)", ["version", "platform"],
              registry=reg).labels(_version(), platform).set(1)
        self.questions = Counter("vraagbaak_questions", "questions handled, by what the bot did", ["decision"],
                                 registry=reg)
        for decision in DECISIONS:
            self.questions.labels(decision)
        self.search = Histogram("vraagbaak_search_seconds", "time one search took", buckets=SEARCH_BUCKETS,
                                registry=reg)
        self.escalations = Counter("vraagbaak_escalations", "escalations written (asked, or clicked)", registry=reg)
        self.first_replies = Histogram("vraagbaak_first_reply_seconds", "from an escalation to its first reply "
                                       "by an expert", buckets=WAIT_BUCKETS, registry=reg)
        self.marked = Histogram("vraagbaak_answer_marked_seconds", "from an escalation to its marked answer",
                                buckets=WAIT_BUCKETS, registry=reg)
        self.failures = Counter("vraagbaak_delivery_failures", "messages the platform would not take (each "
                                "attempt; the outbox tries again)", ["kind"], registry=reg)
        for kind in DELIVERIES:
            self.failures.labels(kind)

    # --- handlers.ports.Metrics -------------------------------------------------------------
    def asked(self, decision: str) -> None:
        self.questions.labels(decision).inc()

    def searched(self, seconds: float) -> None:
        self.search.observe(seconds)

    def escalated(self) -> None:
        self.escalations.inc()

    def first_reply(self, seconds: float) -> None:
        self.first_replies.observe(seconds)

    def answer_marked(self, seconds: float) -> None:
        self.marked.observe(seconds)

    def delivery_failed(self, kind: str) -> None:
        self.failures.labels(kind).inc()

    # --- the scrape ---------------------------------------------------------------------------
    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)


def monitor_of(desk: Desk, platform: str) -> Monitor:
    """The Monitor that counts ``desk``'s work: the one it has, else a new one it is given from now on."""
    if isinstance(desk.metrics, Monitor):
        return desk.metrics
    monitor = Monitor(cast("AnyStore", desk.store), platform)  # a serving Desk's store is open_store's
    desk.metrics = monitor
    return monitor


class StoreFigures(Collector):
    """The figures every process shares, read from the database at each scrape (a few indexed counts)."""

    def __init__(self, store: AnyStore) -> None:
        self.store = store

    def describe(self) -> Iterator[Metric]:
        return iter(())  # read at scrape time only: nothing to check for collisions at registration

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        try:
            backlog = self.store.backlog()
        except Exception as error:  # the database unreachable: the rest of /metrics still answers
            log.warning("metrics: the database could not be read: %s", error)
            yield _gauge("vraagbaak_store_up", "1 when the database could be read at this scrape", 0)
            return
        now = datetime.now(UTC)
        yield _gauge("vraagbaak_store_up", "1 when the database could be read at this scrape", 1)
        yield _gauge("vraagbaak_inbox_backlog", "events stored but not handled yet", backlog.events_waiting)
        yield _gauge("vraagbaak_inbox_oldest_seconds", "age of the oldest event not handled yet (0: none)",
                     _age(backlog.oldest_event, now))
        yield _gauge("vraagbaak_inbox_failed", "events set aside after repeated failures (kept a week)",
                     backlog.events_failed)
        yield _gauge("vraagbaak_outbox_backlog", "messages not delivered yet", backlog.messages_waiting)
        yield _gauge("vraagbaak_outbox_oldest_seconds", "age of the oldest message not delivered yet (0: none)",
                     _age(backlog.oldest_message, now))
        yield _gauge("vraagbaak_outbox_given_up", "messages given up after every retry (a person must look)",
                     backlog.messages_given_up)
        yield _gauge("vraagbaak_escalations_open", "escalations without a marked answer", backlog.escalations_open)
        yield _gauge("vraagbaak_store_scrape_seconds", "time reading these figures took",
                     time.perf_counter() - started)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _age(stamp: str, now: datetime) -> float:
    try:
        return max(0.0, (now - datetime.fromisoformat(stamp)).total_seconds()) if stamp else 0.0
    except (ValueError, TypeError):
        return 0.0


def _version() -> str:
    try:
        return metadata.version("vraagbaak")
    except metadata.PackageNotFoundError:
        return "unknown"
