"""Search on SQLite and on PostgreSQL side by side, on the answer-quality sets (../shared/eval).

    python -m benchmarks.search_backends [--url postgresql://...] [--eval ../shared/eval] [--sets xsid-en ...]

Loads each set's KB into a SqliteStore and into a PostgresStore (a fresh schema; without ``--url`` a throwaway
cluster of tests/postgres.py) and, for every query, compares the lexical candidates ``Searcher.candidates`` takes
from ``store.matching`` (the top 24: Jaccard of the two sets, identical lists, the largest score difference, how
often the expected article is among them on each backend), then runs the whole eval as ``vraagbaak eval`` does
(calibration on the KB, then every query through ``Searcher.search``) on both and prints the metrics side by side.

``vraagbaak eval`` itself still opens a SQLite store: the four calibration methods PostgresStore lacks so far are
given here by a shim (no feedback in an eval set; calibration kept in memory; the count of articles not archived).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from knowledge import calibration
from knowledge.evaluate import Metrics, metrics, read_queries
from knowledge.importers import read_articles
from knowledge.postgres import PostgresStore
from knowledge.search import Searcher, Thresholds
from knowledge.sqlite import SqliteStore

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SETS = ("xsid-en", "vira-en", "rijksoverheid-nl")


class EvalPostgresStore(PostgresStore):
    """PostgresStore with what calibration reads that it does not have yet (none of it is SQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._calibration: dict[str, dict[str, int]] = {}

    def feedback_questions(self, limit: int) -> list[tuple[str, str, bool]]:
        return []

    def calibration_values(self, mode: str) -> dict[str, int]:
        return dict(self._calibration.get(mode, {}))

    def save_calibration_values(self, mode: str, values: dict[str, int]) -> None:
        self._calibration.setdefault(mode, {}).update(values)

    def count_unarchived_articles(self) -> int:
        return len(self.article_phrasings())


@contextmanager
def postgres_url(url: str | None, settings: str = "") -> Iterator[str]:
    """``url``, or a throwaway cluster's (with the server options ``settings``) while the block runs."""
    if url:
        yield url
        return
    from tests import postgres  # a throwaway cluster, as the tests start one

    with postgres.cluster(settings) as cluster:
        yield cluster.url()


def evaluate(store: Any, queries: list[dict[str, Any]]) -> tuple[Metrics, list[dict[str, Any]]]:
    """What knowledge.evaluate.run does after loading the KB: calibrate, then search every query."""
    searcher = Searcher(store, Thresholds())
    searcher.thresholds = calibration.calibrate(searcher, "lexical", Thresholds()).thresholds(Thresholds())
    results = []
    began = time.perf_counter()
    for query in queries:
        found = searcher.search(query["text"], limit=5, people=False)
        results.append({"text": query["text"], "expected": query["expected"], "answered": found.decision == "answer",
                        "top": [[h.article.id, h.score] for h in found.hits]})
    return metrics(results, (time.perf_counter() - began) * 1000 / max(len(queries), 1)), results


def compare(sets: Path, name: str, url: str, folder: Path) -> None:
    articles = read_articles(sets / name / "kb.jsonl")
    queries = read_queries(sets / name / "queries.jsonl")
    lite = SqliteStore(str(folder / f"{name}.db"))
    pg = EvalPostgresStore(url, schema=f"eval_{uuid.uuid4().hex[:12]}")
    loaded = {}
    for label, store in (("sqlite", lite), ("postgres", pg)):
        began = time.perf_counter()
        store.upsert_articles(articles)
        loaded[label] = time.perf_counter() - began
    on_lite, on_pg = Searcher(lite), Searcher(pg)
    jaccard, identical, same_query, worst = [], 0, 0, 0.0
    found = {"sqlite": 0, "postgres": 0}
    took: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    answerable = sum(1 for q in queries if q["expected"])
    for query in queries:
        q = on_lite.query(query["text"])
        same_query += on_pg.query(query["text"]) == q
        lists = {}
        for label, searcher in (("sqlite", on_lite), ("postgres", on_pg)):
            began = time.perf_counter()
            lists[label] = searcher.candidates(q)
            took[label].append((time.perf_counter() - began) * 1000)
            found[label] += query["expected"] in {c[0] for c in lists[label]}
        a, b = {c[0] for c in lists["sqlite"]}, {c[0] for c in lists["postgres"]}
        jaccard.append(len(a & b) / len(a | b) if a | b else 1.0)
        identical += [c[:3] for c in lists["sqlite"]] == [c[:3] for c in lists["postgres"]]
        if len(lists["sqlite"]) == len(lists["postgres"]):
            worst = max([worst, *(abs(x[1] - y[1]) for x, y in zip(lists["sqlite"], lists["postgres"], strict=True))])
    print(f"\n{name}: {len(articles)} articles, {len(queries)} queries; loaded in {loaded['sqlite']:.1f} s (SQLite),"
          f" {loaded['postgres']:.1f} s (PostgreSQL)")
    print(f"  the same Query built on both: {same_query}/{len(queries)}")
    print(f"  top-24 candidates: Jaccard mean {statistics.fmean(jaccard):.4f}, min {min(jaccard):.4f};"
          f" identical lists (ids, scores, languages) {identical}/{len(queries)}; largest score difference {worst:.2e}")
    print(f"  expected article among them: SQLite {found['sqlite']}/{answerable}, PostgreSQL {found['postgres']}/"
          f"{answerable}")
    print(f"  candidates ms/query p50: SQLite {statistics.median(took['sqlite']):.2f},"
          f" PostgreSQL {statistics.median(took['postgres']):.2f}")
    figures = {}
    for label, store in (("sqlite", lite), ("postgres", pg)):
        figures[label], results = evaluate(store, queries)
        figures[label + "-top"] = [r["top"] for r in results]  # type: ignore[assignment]
    same_top = sum(1 for x, y in zip(figures["sqlite-top"], figures["postgres-top"], strict=True) if x == y)
    for key in ("correct", "false_answers", "oos_answered", "recall_at_3", "correct_at_far10", "ms_per_query"):
        print(f"  eval {key:17s} SQLite {getattr(figures['sqlite'], key):>8}   PostgreSQL"
              f" {getattr(figures['postgres'], key):>8}")
    print(f"  eval: identical top five (ids and scores) for {same_top}/{len(queries)} queries")
    lite.close()
    pg.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL URL (default: a throwaway cluster)")
    parser.add_argument("--eval", type=Path, default=EVAL, help="the folder of the sets (default: %(default)s)")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    args = parser.parse_args(argv)
    with postgres_url(args.url) as url, tempfile.TemporaryDirectory() as folder:
        for name in args.sets:
            compare(args.eval, name, url, Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
