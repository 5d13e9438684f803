"""The core of a question without a platform: stored in the inbox, claimed, searched, recorded, the reply queued
in the outbox and sent to a fake chat, all in this process on one thread. Prints the CPU time a question takes,
so a change in handlers/ or knowledge/ can be compared without the noise of HTTP and a second process.

    .venv/bin/python -m benchmarks.bench_core [--questions 500] [--distinct] [--rounds 3]

Lexical unless VRAAGBAAK_SEMANTIC is set (the rerank's query embedding would be most of the figure).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("VRAAGBAAK_SEMANTIC", "off")

from benchmarks.bench_slack import question  # noqa: E402
from bot.bootstrap import build_desk, load_demo, open_store  # noqa: E402
from bot.config import Settings  # noqa: E402
from handlers.dispatch import Dispatcher  # noqa: E402
from handlers.events import Asked  # noqa: E402
from knowledge.model import User  # noqa: E402
from tests.fakes import FakeChat  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--distinct", action="store_true", help="no question text twice")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (after one to warm up)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vraagbaak-bench-core-"))
    try:
        settings = Settings(db_path=str(folder / "core.db"), escalation_channel="kcc-experts")
        store = open_store(settings)
        load_demo(store)
        chat = FakeChat(platform="slack")
        desk = build_desk(settings, chat, store=store)
        dispatcher = Dispatcher(desk)
        asked = 0

        def round_() -> float:
            nonlocal asked
            start = time.process_time()
            for _ in range(args.questions):
                dispatcher.submit(Asked(User(f"U{asked}", "Agent"), question(asked, args.distinct), key=f"e{asked}"))
                asked += 1
            dispatcher.drain()
            desk.send_due()
            return (time.process_time() - start) / args.questions * 1000

        round_()  # warm up: calibration, caches
        figures = [round_() for _ in range(args.rounds)]
        print(f"{args.questions} {'distinct' if args.distinct else 'repeated'} questions a round, {args.rounds} rounds:"
              f" median {statistics.median(figures):.2f} ms CPU a question"
              f" ({', '.join(f'{f:.2f}' for f in figures)}); replies sent: {len(chat.sent)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
