"""Bounded work for any input: time and peak RSS of hostile questions against the demo knowledge base.

    python -m benchmarks.bench_input [scenario ...]

Scenarios (each runs in a fresh process, so its peak RSS is its own):

    word40   40 different 4,000-letter words, each asked through the Desk (what a chat adapter does)
    ask40k   ``vraagbaak ask --json`` style: ``Searcher.search`` on one 40,000-letter word
    ask100k  the same with 100,000 letters
    mixed1m  ``Searcher.search`` on one 1 MB question of mixed alphabets (emoji, RTL, CJK, control characters, NULs)
    desk1m   the same question asked through the Desk

Issue 13 measured before the limits: word40 37 -> 698 MB; ask40k 10 s and 1.8 GB; ask100k 102 s and 10 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENARIOS = ("word40", "ask40k", "ask100k", "mixed1m", "desk1m")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=n))


def mixed(rng: random.Random, n: int) -> str:
    pieces = ["paspoort ", "😀", "שלום ", "مرحبا ", "你好世界", "\x00", "\x07", "\u200f", "é", "\ufeff", " ", "ß"]
    return "".join(rng.choices(pieces, k=n // 3))[:n]


def run_one(name: str) -> dict[str, float | str]:
    from bot.bootstrap import build_desk, build_searcher, load_demo, open_store
    from bot.config import Settings
    from bot.console.chat import ConsoleChat, dm
    from knowledge.model import Place, User

    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_path=str(Path(tmp) / "bench.db"))
        store = open_store(settings)
        load_demo(store)
        before = rss_mb()
        started = time.perf_counter()
        if name == "word40":
            desk = build_desk(settings, ConsoleChat(store), store=store)
            agent = User("agent", "agent")
            for _ in range(40):
                desk.ask(agent, letters(rng, 4_000), Place(dm(agent.id)))
            outcome = "40 asked"
        elif name == "desk1m":
            desk = build_desk(settings, ConsoleChat(store), store=store)
            agent = User("agent", "agent")
            outcome = desk.ask(agent, mixed(rng, 1_000_000), Place(dm(agent.id))).text[:30].replace("\n", " ")
        else:
            question = {"ask40k": lambda: letters(rng, 40_000), "ask100k": lambda: letters(rng, 100_000),
                        "mixed1m": lambda: mixed(rng, 1_000_000)}[name]()
            outcome = build_searcher(settings, store).search(question).decision
        seconds = time.perf_counter() - started
        store.close()
    return {"scenario": name, "seconds": round(seconds, 2), "rss_before_mb": round(before),
            "peak_rss_mb": round(rss_mb()), "outcome": outcome}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS), help=f"any of {', '.join(SCENARIOS)}")
    parser.add_argument("--one", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    print(f"{'scenario':<10}{'seconds':>9}{'RSS before':>12}{'peak RSS':>10}  outcome")
    for name in args.scenarios:
        done = subprocess.run([sys.executable, "-m", "benchmarks.bench_input", "--one", name],
                              capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{name:<10}{row['seconds']:>9}{row['rss_before_mb']:>9} MB{row['peak_rss_mb']:>7} MB  {row['outcome']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
