"""How well small talk is told from questions (knowledge/smalltalk.py; docs/judgement.md).

    python -m benchmarks.smalltalk_eval [--sets A,B] [--eval ../shared/eval] [--show]

On the invented sets in tests/data (``smalltalk_not_questions*.tsv`` and ``smalltalk_questions*.tsv``; set A
was written before the rules were measured, set B after): through the whole search on the demo knowledge base
(lexical, default calibration), a non-question is caught when the search says no_question; a question is kept
when it searches. Precision and recall are for "small talk" (the positive class). The classifier alone
(without a knowledge base) is measured too, and, with --eval, the real questions of the development sets
(every one of them a question) against their own knowledge base.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bot import bootstrap
from bot.config import Settings
from knowledge import smalltalk
from knowledge.importers import read_articles
from knowledge.search import Searcher
from knowledge.sqlite import SqliteStore

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def rows(path: Path) -> list[tuple[str, str]]:
    """(language, message) per line of a set; '#' lines are comments."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, message, *_ = line.split("\t")
            out.append((lang, message))
    return out


def sets(names: list[str]) -> tuple[list[str], list[str]]:
    """The non-questions and the questions of the named sets ('A': the files without a suffix)."""
    non, real = [], []
    for name in names:
        suffix = "" if name == "A" else f"_{name}"
        non += [m for _, m in rows(DATA / f"smalltalk_not_questions{suffix}.tsv")]
        real += [m for _, m in rows(DATA / f"smalltalk_questions{suffix}.tsv")]
    return non, real


def demo_searcher(folder: str) -> Searcher:
    store = SqliteStore(str(Path(folder) / "demo.db"))
    bootstrap.load_demo(store)
    return bootstrap.build_searcher(Settings(semantic="off"), store)


def score(caught: int, non: int, flagged_questions: int) -> dict[str, float]:
    flagged = caught + flagged_questions
    return {"precision": round(caught / flagged, 3) if flagged else 1.0,
            "recall": round(caught / non, 3) if non else 1.0}


def measure(searcher: Searcher, non: list[str], real: list[str], show: bool = False) -> dict[str, object]:
    missed = [m for m in non if searcher.search(m).decision != "no_question"]
    stopped = [m for m in real if searcher.search(m).decision == "no_question"]
    escalated = [m for m in non if searcher.search(m).decision == "escalate"]
    alone_missed = [m for m in non if not smalltalk.judge(m).small_talk]
    alone_stopped = [m for m in real if smalltalk.judge(m).small_talk]
    out: dict[str, object] = {
        "non_questions": len(non), "questions": len(real),
        "search": {**score(len(non) - len(missed), len(non), len(stopped)),
                   "non_questions_escalated": len(escalated), "questions_stopped": len(stopped)},
        "classifier_alone": {**score(len(non) - len(alone_missed), len(non), len(alone_stopped)),
                             "note": "doubtful counts as a question here"},
    }
    if show:
        out["missed"], out["stopped"], out["escalated"] = missed, stopped, escalated
    return out


def dev_sets(root: Path) -> dict[str, object]:
    """Every query of each development set is a real question: the share the search takes for small talk."""
    out: dict[str, object] = {}
    for folder in sorted(p for p in root.iterdir() if (p / "kb.jsonl").exists()):
        with tempfile.TemporaryDirectory() as tmp:
            store = SqliteStore(str(Path(tmp) / "kb.db"))
            store.upsert_articles(read_articles(folder / "kb.jsonl"))
            searcher = Searcher(store, default_lang="nl" if folder.name.endswith("-nl") else "en")
            queries = [json.loads(line)["text"] for line in (folder / "queries.jsonl").read_text().splitlines()
                       if line.strip()]
            known = smalltalk.known_by(searcher.queries)
            stopped = [q for q in queries if smalltalk.judge(q, known).small_talk]
            doubtful = [q for q in queries if smalltalk.judge(q, known).verdict == "doubtful"]
            out[folder.name] = {"queries": len(queries), "small_talk": len(stopped), "doubtful": len(doubtful),
                                "examples": (stopped + doubtful)[:10]}
            store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="A", help="comma-separated: A (written first), B (written after)")
    parser.add_argument("--eval", type=Path, help="the development sets' folder (../shared/eval)")
    parser.add_argument("--show", action="store_true", help="list the messages judged wrongly")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        searcher = demo_searcher(tmp)
        report: dict[str, object] = {}
        for name in args.sets.split(","):
            report[name] = measure(searcher, *sets([name]), show=args.show)
        searcher.store.close()
    if args.eval:
        report["dev_sets"] = dev_sets(args.eval)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
