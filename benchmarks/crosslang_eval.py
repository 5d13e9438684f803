"""Questions across languages: does an English question on a mostly Dutch knowledge base find its article?

    python -m benchmarks.crosslang_eval [--set tests/data/crosslang_demo.tsv] [--kb DEMO|KB.jsonl] [--show]

Loads the knowledge base (the demo by default) into a temporary database, embeds it with the bundled model,
and asks every question of the set twice: with the default install (semantic rerank) and lexically
(``VRAAGBAAK_SEMANTIC=off``). Per question language it prints how often the first article is one that answers
(``top1``), the preferred one (``pref``: the article in the question's language when there is one), one that
answers among the first three (``top3``), and the decisions (answered, of which wrong; suggested; escalated).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bot import bootstrap
from bot.config import Settings
from knowledge.evaluate import read_articles
from knowledge.search import Searcher
from knowledge.sqlite.store import SqliteStore

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "crosslang_demo.tsv"


def read_set(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(language, question, answering article ids with the preferred one first) per row of a set."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, question, expected = line.split("\t")
            rows.append((lang, question, tuple(expected.split("|"))))
    return rows


def searchers(folder: str, kb: str) -> dict[str, Searcher]:
    """The default install's searcher and the lexical one, over the same knowledge base."""
    path = str(Path(folder) / "kb.db")
    store = SqliteStore(path)
    if kb == "DEMO":
        bootstrap.load_demo(store)
    else:
        store.upsert_articles(read_articles(Path(kb)))
    settings = Settings(db_path=path)
    bootstrap.embed(settings, store)
    semantic = bootstrap.build_searcher(settings, store)
    semantic.budget = None  # the figures must not depend on how busy the machine is
    lexical = bootstrap.build_searcher(Settings(db_path=path, semantic="off"), SqliteStore(path))
    return {"default": semantic, "lexical": lexical}


def measure(searcher: Searcher, rows: list[tuple[str, str, tuple[str, ...]]], show: bool = False,
            ) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for lang, question, expected in rows:
        found = searcher.search(question, people=False)
        ids = [h.article.id for h in found.hits]
        c = counts.setdefault(lang, Counter())
        c["n"] += 1
        first_right = bool(ids) and ids[0] in expected
        c["top1"] += first_right
        c["pref"] += bool(ids) and ids[0] == expected[0]
        c["top3"] += any(i in expected for i in ids[:3])
        c[found.decision] += 1
        c["wrong"] += found.decision == "answer" and not first_right
        if show:
            score = found.hits[0].score if found.hits else 0.0
            mark = "ok " if first_right else "MISS"
            print(f"  {mark} {found.decision:<8} {score:.3f} {ids[0] if ids else '-':<36} {question}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(DEFAULT_SET), help="a tsv: language, question, article ids")
    parser.add_argument("--kb", default="DEMO", help="DEMO (the demo knowledge base) or a KB.jsonl")
    parser.add_argument("--show", action="store_true", help="print each question's outcome")
    args = parser.parse_args(argv)
    rows = read_set(Path(args.set))
    with tempfile.TemporaryDirectory() as folder:
        for name, searcher in searchers(folder, args.kb).items():
            if args.show:
                print(f"{name}:")
            for lang, c in sorted(measure(searcher, rows, args.show).items()):
                n = c["n"]
                print(f"{name:<8} {lang}: n {n}  top1 {c['top1'] / n:.2f}  pref {c['pref'] / n:.2f}"
                      f"  top3 {c['top3'] / n:.2f}  answered {c['answer']} (wrong {c['wrong']})"
                      f"  suggested {c['suggest']}  escalated {c['escalate']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
