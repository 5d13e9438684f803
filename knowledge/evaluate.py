"""Answer-quality measurement over a KB and a query set (format: ../shared/eval/README.md)."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge import calibration, semantic
from knowledge.importers import read_articles
from knowledge.rows import ImportProblem, Problem, read_text
from knowledge.search import Searcher, Thresholds
from knowledge.sqlite.store import SqliteStore

if TYPE_CHECKING:
    from knowledge.postgres import PostgresStore


@dataclass(frozen=True)
class Metrics:
    queries: int
    answerable: int
    correct: float
    false_answers: float
    oos_answered: float
    recall_at_3: float
    correct_at_far10: float
    ms_per_query: float

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["recall@3"] = out.pop("recall_at_3")
        out["correct@far10"] = out.pop("correct_at_far10")
        return out


def read_queries(path: Path) -> list[dict[str, Any]]:
    """The query set, one ``{"text": ..., "expected": ARTICLE-ID or null}`` a line; ImportProblem names each bad
    line."""
    queries, problems = [], []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if line.strip():
            try:
                item = json.loads(line)
                queries.append({"text": str(item["text"]), "expected": item.get("expected")})
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                problems.append(Problem(f"{path}:{number}", "bad_query"))
    if problems:
        raise ImportProblem(problems)
    return queries


def metrics(results: list[dict[str, Any]], ms_per_query: float = 0.0) -> Metrics:
    answerable = [r for r in results if r["expected"] is not None]
    oos = [r for r in results if r["expected"] is None]
    answered = [r for r in results if r["answered"]]

    def top1(r: dict[str, Any]) -> str | None:
        return r["top"][0][0] if r["top"] else None

    correct = sum(1 for r in answerable if r["answered"] and top1(r) == r["expected"])
    wrong = sum(1 for r in answered if top1(r) != r["expected"])
    recall = sum(1 for r in answerable if r["expected"] in [a for a, _ in r["top"][:3]])
    return Metrics(
        queries=len(results), answerable=len(answerable),
        correct=_share(correct, len(answerable)), false_answers=_share(wrong, len(answered)),
        oos_answered=_share(sum(1 for r in oos if r["answered"]), len(oos)),
        recall_at_3=_share(recall, len(answerable)), correct_at_far10=correct_at_far(results, 0.10),
        ms_per_query=round(ms_per_query, 3),
    )


def correct_at_far(results: list[dict[str, Any]], far: float) -> float:
    """``correct`` with the rank-1 threshold set so that ``far`` of unanswerable queries are answered."""
    answerable = [r for r in results if r["expected"] is not None]
    oos_scores = sorted((r["top"][0][1] if r["top"] else float("-inf") for r in results
                         if r["expected"] is None), reverse=True)
    allowed = int(far * len(oos_scores))
    # Answer when score > threshold; the threshold is the oos score just below the allowed ones.
    threshold = oos_scores[allowed] if allowed < len(oos_scores) else float("-inf")
    hits = sum(1 for r in answerable if r["top"] and r["top"][0][1] > threshold
               and r["top"][0][0] == r["expected"])
    return _share(hits, len(answerable))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@contextmanager
def scratch_store(db: str = "") -> Iterator[SqliteStore | PostgresStore]:
    """An empty store on the backend ``db`` names (VRAAGBAAK_DB), removed afterwards even on error: for a
    ``postgresql://`` URL a temporary schema in that database, else a SQLite file in a temporary folder (the
    file ``db`` names is never touched)."""
    if db.startswith(("postgresql://", "postgres://")):
        from knowledge.postgres.scratch import temporary_store  # psycopg is loaded only by those who use it

        with temporary_store(db, prefix="eval") as found:
            yield found
        return
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "eval.db"))
        try:
            yield store
        finally:
            store.close()


def run(kb: Path, queries_path: Path, *, thresholds: Thresholds | None = None,
        embedder: semantic.Embedder | None = None,
        progress: Callable[[int, int], None] | None = None,
        configure: Callable[[Thresholds], Thresholds] | None = None,
        embed_progress: Callable[[int, int], None] | None = None,
        db: str = "") -> tuple[Metrics, list[dict[str, Any]]]:
    """Load ``kb`` into a fresh temporary store on the backend ``db`` names (``scratch_store``; SQLite when
    empty) and run every query through ``Searcher.search`` (with the semantic rerank when ``embedder`` is given;
    embedding the KB is not timed). Without
    ``thresholds`` the searcher calibrates them on ``kb`` as the bot does (``configure`` then applies the
    configured ones), so the figures are those of a default install. ``progress(done, total)`` after each
    query."""
    articles = read_articles(kb)
    queries = read_queries(queries_path)
    with scratch_store(db) as store:
        store.upsert_articles(articles)
        reranker = None
        if embedder is not None:
            semantic.ensure_vectors(store, embedder, progress=embed_progress)
            reranker = semantic.SemanticReranker(store, embedder)
        base = semantic.THRESHOLDS if embedder else Thresholds()
        searcher = Searcher(store, thresholds or base, reranker=reranker)
        searcher.budget = None  # the figures must not depend on how busy the machine is
        if thresholds is None:
            chosen = calibration.calibrate(searcher, "semantic" if embedder else "lexical", base).thresholds(base)
            searcher.thresholds = configure(chosen) if configure else chosen
        results = []
        started = time.perf_counter()
        for index, query in enumerate(queries):
            found = searcher.search(query["text"], limit=5, people=False)
            results.append({
                "text": query["text"], "expected": query["expected"], "answered": found.decision == "answer",
                "top": [[h.article.id, h.score] for h in found.hits],
            })
            if progress:
                progress(index + 1, len(queries))
        elapsed = (time.perf_counter() - started) * 1000 / max(len(queries), 1)
    return metrics(results, elapsed), results
