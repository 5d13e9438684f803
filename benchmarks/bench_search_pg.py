"""Search at 100,000 articles on SQLite and on PostgreSQL in one run (issue 20's target: lexical p95 on
PostgreSQL at most twice SQLite's).

    python -m benchmarks.bench_search_pg [--articles 100000] [--people 50000] [--queries 300]
                                         [--url postgresql://...] [--db FILE] [--schema NAME] [--rounds 2]

Imports the KB and directory of ``benchmarks/kbgen.py`` (the one ``bench_search`` uses) into a SqliteStore and a
PostgresStore (without ``--url`` a throwaway cluster of tests/postgres.py, shared_buffers 512 MB), asks both the
same questions, and prints p50 / p95 of ``Searcher.search`` (KB and people, lexical) and of ``Searcher.candidates``
per backend. The two backends take turns question by question (which goes first alternates), so both see the same
load on a shared machine; ``--rounds`` repeats the whole pass. It also checks that the candidates (ids, scores,
languages) are the same on both for every question. ``--db`` and ``--schema`` keep the databases for the next run (a run
that finds articles there skips the import and asks the same questions).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import kbgen
from benchmarks.bench_search import _import_chunks, _sample, pct
from benchmarks.search_backends import postgres_url
from knowledge.model import Article
from knowledge.postgres import PostgresStore
from knowledge.search import Searcher
from knowledge.sqlite.store import SqliteStore


def fill(store: Any, label: str, corpus_seed: int, n_articles: int, n_people: int) -> list[str]:
    """Import the generated KB and directory unless the store holds articles; the ids in the order stored."""
    ids = [r["id"] for r in store.rows(_ORDERED[label])]
    if ids:
        print(f"{label}: reused, {len(ids)} articles (no import)")
        return ids
    corpus = kbgen.Corpus(seed=corpus_seed)
    articles_s = _import_chunks(store.upsert_articles, kbgen.articles(corpus, n_articles), n_articles)
    people_s = _import_chunks(store.upsert_people, kbgen.people(corpus, n_people), n_people)
    began = time.perf_counter()
    if isinstance(store, PostgresStore):
        store.merge_index()
        # what autovacuum does within a minute of a bulk load (visibility map, hint bits, statistics): measured
        # right after the import, the first pass would pay for it instead
        with store.pool.connection() as conn:
            for table in ("articles", "article_index", "people", "people_index", "person_handles", "search_terms"):
                conn.execute(f"VACUUM (ANALYZE) {table}")
    print(f"{label}: import {n_articles} articles in {articles_s:.1f} s, {n_people} people in {people_s:.1f} s,"
          f" merge {time.perf_counter() - began:.1f} s")
    return [r["id"] for r in store.rows(_ORDERED[label])]


_ORDERED = {"SQLite": "SELECT id FROM articles ORDER BY rowid", "PostgreSQL": "SELECT id FROM articles ORDER BY seq"}


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = call()
    return (time.perf_counter() - began) * 1000, result


def line(name: str, times: dict[str, list[float]]) -> str:
    lite, pg = times["SQLite"], times["PostgreSQL"]
    return (f"{name}: SQLite p50 {statistics.median(lite):.2f} ms, p95 {pct(lite, 95):.2f} ms;"
            f" PostgreSQL p50 {statistics.median(pg):.2f} ms, p95 {pct(pg, 95):.2f} ms;"
            f" ratio p50 {statistics.median(pg) / statistics.median(lite):.2f}, p95 {pct(pg, 95) / pct(lite, 95):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--url", help="a PostgreSQL URL (default: a throwaway cluster)")
    parser.add_argument("--db", help="keep the SQLite database in this file")
    parser.add_argument("--schema", help="keep the PostgreSQL data in this schema (default: a new one)")
    args = parser.parse_args(argv)

    # a server for 100,000 articles gets the buffers to hold what search reads (about 310 MB: the index, its GIN,
    # the articles, the people's index); the default 128 MB is for a small install (docs/postgres.md)
    with tempfile.TemporaryDirectory() as folder, postgres_url(args.url, "-c shared_buffers=512MB") as url:
        stores: dict[str, Any] = {
            "SQLite": SqliteStore(args.db or str(Path(folder) / "bench.db")),
            "PostgreSQL": PostgresStore(url, schema=args.schema or f"bench_{random.randrange(1 << 40):x}")}
        ids = {label: fill(store, label, args.seed, args.articles, args.people) for label, store in stores.items()}
        if ids["SQLite"] != ids["PostgreSQL"]:
            print("the two stores hold different articles: use a fresh --db or --schema")
            return 1
        picked = _sample(ids["SQLite"])  # the articles bench_search makes its questions from
        sample: list[Article] = stores["SQLite"].articles(picked)
        sourced = kbgen.sourced_questions(kbgen.Corpus(seed=args.seed), sample, args.queries,
                                          random.Random(args.seed + 1))
        questions = [question for question, _ in sourced]
        searchers = {label: Searcher(store) for label, store in stores.items()}
        for label, searcher in searchers.items():
            took, _ = timed(lambda s=searcher: s.search(questions[0]))
            print(f"{label}: first search (loads the vocabulary) {took:.0f} ms")
        search: dict[str, list[float]] = {label: [] for label in stores}
        candidates: dict[str, list[float]] = {label: [] for label in stores}
        same = 0
        for round_ in range(args.rounds):
            for i, question in enumerate(questions):
                order = list(searchers.items())
                if (i + round_) % 2:
                    order.reverse()
                found = {}
                for label, searcher in order:
                    took, _ = timed(lambda s=searcher, text=question: s.search(text))
                    search[label].append(took)
                    q = searcher.query(question)
                    took, found[label] = timed(lambda s=searcher, q=q: s.candidates(q))
                    candidates[label].append(took)
                if round_ == 0:
                    same += [c[:3] for c in found["SQLite"]] == [c[:3] for c in found["PostgreSQL"]]
        print(f"{len(questions)} questions x {args.rounds} rounds, the backends taking turns")
        print(line("search (KB + people)", search))
        print(line("candidates", candidates))
        print(f"identical candidates (ids, scores, languages): {same} of {len(questions)}")
        for store in stores.values():
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
