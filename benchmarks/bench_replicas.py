"""Replicas on one PostgreSQL, from outside: several `vraagbaak serve slack --http` processes on one database
(a throwaway cluster from tests/postgres.py), events spread over them round-robin and every delivery sent twice,
to two different replicas (as a load balancer that retries would), signed as Slack signs them; replies counted at
the fake Slack Web API on 127.0.0.1. One replica is killed with kill -9 half-way through the burst. Next to it, in
the same run, one process on SQLite.

    .venv/bin/python -m benchmarks.bench_replicas [--questions 1000] [--rate 50] [--seconds 10] [--replicas 3]

Phases per backend: (1) steady: known questions at ``--rate`` events/s (reply p50/p99); (2) burst: ``--questions``
new questions at once, each one the knowledge base cannot answer, so each goes to the experts (replica 0 killed
after half of them were sent; what it had acknowledged is handled by the others once its leases ran out);
(3) an expert answers every escalation in its thread, then (4) marks each answer with a ✅, and the answer is
relayed to the agent who asked. Lost and doubled are counted at the fake Web API: one expert post per question,
one relay per agent. The teams half: benchmarks/bench_replicas_teams.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bot.bootstrap import load_demo, open_store
from bot.config import Settings
from tests import postgres
from tests.slack.conftest import SECRET
from tests.slack.driver import SlackSide, dm, reaction, thread_reply
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_kill import free_port

KNOWN = ("hoe vraag ik een paspoort aan?", "wat kost een parkeervergunning?", "How do I apply for a passport?",
         "wanneer wordt het grof vuil opgehaald?", "ik ben mijn rijbewijs kwijt", "hoe geef ik een verhuizing door?")
SYLLABLES = ("ka", "zo", "mi", "tu", "re", "po", "la", "ve", "di", "nu", "fo", "gri", "sta", "plo", "bre", "xu")
ANSWER = "Dat mag alleen met een ontheffing van de balie; vraag die twee weken vooraf aan."
LEASE = 5  # seconds: what a killed replica held is taken over by another this long after


def word(n: int, salt: int) -> str:
    """A made-up word, different for every n (so no two questions are alike and none joins another's)."""
    digits = []
    n = (n * 2654435761 + salt * 40503) % 2**32  # scattered: neighbours share no syllables
    for _ in range(5):
        n, d = divmod(n, len(SYLLABLES))
        digits.append(SYLLABLES[d])
    return "".join(digits)


def unknown(n: int) -> str:
    return f"{word(n, 1)} {word(n, 3)} {word(n, 5)}?"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class CountingSlack(FakeSlack):
    """The fake Web API, noting each successful post per channel with its time and text."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.posts: dict[str, list[tuple[float, str, str]]] = {}  # channel -> (time, ts, text + blocks)

    def answer(self, method: str, args: dict[str, Any], token: str) -> Any:
        result = super().answer(method, args, token)
        if method == "chat.postMessage":
            body = result[2] if isinstance(result, tuple) else result
            found = body if isinstance(body, dict) else {}
            if found.get("ok"):
                text = str(args.get("text", "")) + json.dumps(args.get("blocks", ""), ensure_ascii=False)
                with self._lock:
                    self.posts.setdefault(str(found["channel"]), []).append(
                        (time.perf_counter(), str(found["ts"]), text))
        return result

    def in_channel(self, channel: str) -> list[tuple[float, str, str]]:
        with self._lock:
            return list(self.posts.get(channel, []))


class Balancer:
    """Round-robin over the live replicas; each delivery goes to two different ones (the second a retry that
    crosses the first). A replica that does not answer is taken out, as a health check would."""

    def __init__(self, urls: list[str]) -> None:
        self.sides = [SlackSide(url, SECRET) for url in urls]
        self.alive = list(range(len(urls)))
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.refused = 0

    def kill(self, index: int) -> None:
        with self._lock:
            self.alive.remove(index)

    def _send(self, index: int, send: Callable[[SlackSide], Any]) -> int:
        try:
            return int(send(self.sides[index]).status)
        except (urllib.error.URLError, ConnectionError, OSError):
            with self._lock:
                self.refused += 1
            return 0

    def deliver(self, send: Callable[[SlackSide], Any]) -> bool:
        """Deliver to two replicas in turn; True when at least one acknowledged (200)."""
        with self._lock:
            alive, turn = list(self.alive), next(self._turn)
        first, second = alive[turn % len(alive)], alive[(turn + 1) % len(alive)]
        statuses = [self._send(first, send)]
        if second != first:
            statuses.append(self._send(second, send))
        return 200 in statuses


def serve(db: str, fake_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VRAAGBAAK_DB": db, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_APP_TOKEN": "", "SLACK_API_URL": fake_url, "VRAAGBAAK_ESCALATION_CHANNEL": "kcc-experts",
           "VRAAGBAAK_ENV_FILE": "/nonexistent", "VRAAGBAAK_SEMANTIC": "off", "VRAAGBAAK_DIGEST": "off",
           "VRAAGBAAK_LEASE_SECONDS": str(LEASE), "VRAAGBAAK_METRICS_PORT": "0"}
    return subprocess.Popen([sys.executable, "-m", "bot", "serve", "slack", "--http", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))


def wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise SystemExit("serve slack did not start:\n" + log.read_text(errors="replace")[-3000:])


def wait_until(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def run(label: str, db: str, count: int, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    store = open_store(Settings(db_path=db))
    load_demo(store)
    fake = CountingSlack().start()
    ports = [free_port() for _ in range(count)]
    log = folder / f"{label}.log"
    processes = [serve(db, fake.url, port, log) for port in ports]
    result: dict[str, Any] = {"backend": label, "replicas": count}
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_healthy(port, process, log)
        lb = Balancer([f"http://127.0.0.1:{port}/slack/events" for port in ports])
        for n in range(2 * count):  # warm up: every replica has searched once
            lb.deliver(lambda side, n=n: side.event(dm(KNOWN[n % len(KNOWN)], user=f"UW{n:05d}", channel=f"W{n:07d}")))
        wait_until(lambda: all(fake.in_channel(f"W{n:07d}") for n in range(2 * count)), 60)

        # 1. steady: known questions at the rate, each from its own agent in their own DM
        total = int(args.rate * args.seconds)
        sent: dict[str, float] = {}
        start = time.perf_counter()
        for n in range(total):
            time.sleep(max(0.0, start + n / args.rate - time.perf_counter()))
            channel = f"D{n:07d}"
            envelope = dm(KNOWN[n % len(KNOWN)], user=f"U{n:07d}", channel=channel)
            sent[channel] = time.perf_counter()
            lb.deliver(lambda side, e=envelope: side.event(e))
        wait_until(lambda: all(fake.in_channel(c) for c in sent), 60)
        latency = [(fake.in_channel(c)[0][0] - t) * 1000 for c, t in sent.items() if fake.in_channel(c)]
        result |= {"steady_rate": args.rate, "steady_answered": len(latency), "steady_sent": total,
                   "reply_p50_ms": round(statistics.median(latency), 1) if latency else None,
                   "reply_p99_ms": round(percentile(latency, 0.99), 1)}

        # 2. burst: new questions at once (8 senders), replica 0 killed after half of them
        questions = args.questions
        asked = {f"Q{n:07d}": n for n in range(questions)}
        channels = list(asked)
        half = threading.Event()
        counter = itertools.count()
        acked: list[bool] = []

        def ask(n: int) -> None:
            envelope = dm(unknown(n), user=f"UQ{n:07d}", channel=channels[n])
            acked.append(lb.deliver(lambda side: side.event(envelope)))
            if next(counter) == questions // 2 and count > 1:
                half.set()

        killed = threading.Thread(target=lambda: (half.wait(), processes[0].send_signal(signal.SIGKILL),
                                                  lb.kill(0)) if count > 1 else None, daemon=True)
        killed.start()
        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(ask, range(questions)))
        wait_until(lambda: all(fake.in_channel(c) for c in channels), 120)
        replied = [fake.in_channel(c)[0][0] for c in channels if fake.in_channel(c)]
        took = max(replied) - start if replied else float("nan")
        result |= {"burst": questions, "burst_acknowledged": acked.count(True), "burst_replied": len(replied),
                   "burst_seconds": round(took, 2), "questions_per_s": round(len(replied) / took, 1),
                   "killed": count > 1, "refused_deliveries": lb.refused}

        # the expert posts: one per question, found by the question's made-up words
        expert = fake.channels["kcc-experts"]
        marker = {word(n, 1): n for n in range(questions)}

        def posts_per_question() -> dict[int, list[str]]:
            found: dict[int, list[str]] = {}
            for _, ts, text in fake.in_channel(expert):
                for token, n in marker.items():
                    if token in text:
                        found.setdefault(n, []).append(ts)
                        break
            return found

        wait_until(lambda: len(posts_per_question()) >= questions, 120)
        posts = posts_per_question()

        # 3. an expert answers in each thread; 4. then marks the answer (both in bursts, each sent twice)
        replies = {n: thread_reply(ANSWER, channel=expert, thread=roots[0], user="U0DEMO05")
                   for n, roots in posts.items()}
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda e: lb.deliver(lambda side: side.event(e)), replies.values()))
        wait_until(lambda: store.count("answers") >= len(replies), 120)
        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda e: lb.deliver(lambda side: side.event(
                reaction(expert, e["event"]["ts"], user="U0DEMO05"))), replies.values()))

        def relays(channel: str) -> int:
            return sum(1 for _, _, text in fake.in_channel(channel) if "ontheffing van de balie" in text)

        wait_until(lambda: all(relays(f"Q{n:07d}") for n in posts), 120)
        marked = time.perf_counter() - start
        time.sleep(LEASE + 3)  # past a lease and an outbox round: anything sent twice would be in by now
        posts = posts_per_question()
        counts = {c: relays(c) for c in channels}
        for n in sorted(set(range(questions)) - set(posts))[:5]:  # what the store says about a question without post
            found = store.rows("SELECT q.id, q.status, q.text, w.escalation_id FROM questions q LEFT JOIN waiters w"
                               f" ON w.question_id = q.id WHERE q.asker_id = 'UQ{n:07d}'")
            print(f"  no expert post for question {n} ({unknown(n)}): {found}", flush=True)
        result |= {
            "expert_posts_lost": questions - len(posts),
            "expert_posts_doubled": sum(1 for ts in posts.values() if len(ts) > 1),
            "relays_lost": sum(1 for v in counts.values() if v == 0),
            "relays_doubled": sum(1 for v in counts.values() if v > 1),
            "replies_doubled": sum(1 for c in channels if len(fake.in_channel(c)) > 1 + counts[c]),
            "marks_relayed_in_s": round(marked, 2),
        }
    finally:
        stop(processes)
        fake.stop()
        store.close()
    return result


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask every replica still running to stop, then wait up to 10 s for each, killing one that does not."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def show(result: dict[str, Any]) -> None:
    r = result
    killed = ", one killed half-way through the burst" if r["killed"] else ""
    print(f"{r['backend']}, {r['replicas']} replica(s){killed}:")
    print(f"  steady {r['steady_rate']:g} events/s (each sent twice): {r['steady_answered']} of {r['steady_sent']}"
          f" answered; reply p50 {r['reply_p50_ms']} ms, p99 {r['reply_p99_ms']} ms")
    print(f"  burst of {r['burst']} new questions: {r['burst_acknowledged']} acknowledged, {r['burst_replied']}"
          f" replied in {r['burst_seconds']} s = {r['questions_per_s']} questions/s"
          f" ({r['refused_deliveries']} deliveries refused by the dead replica)")
    print(f"  expert posts: lost {r['expert_posts_lost']}, doubled {r['expert_posts_doubled']};"
          f" relays after the marks: lost {r['relays_lost']}, doubled {r['relays_doubled']}"
          f" (all relayed {r['marks_relayed_in_s']} s after the marks began); other replies doubled:"
          f" {r['replies_doubled']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=1000, help="new questions in the burst")
    parser.add_argument("--rate", type=float, default=50.0, help="events per second in the steady phase")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the steady phase")
    parser.add_argument("--replicas", type=int, default=3, help="serve processes on PostgreSQL")
    compare(run, show, parser.parse_args(), "vraagbaak-bench-replicas-")


Run = Callable[[str, str, int, argparse.Namespace, Path], dict[str, Any]]


def compare(run: Run, show: Callable[[dict[str, Any]], None], args: argparse.Namespace, prefix: str) -> None:
    """``run`` on ``args.replicas`` replicas on a throwaway PostgreSQL, then on one SQLite process, each result
    shown as it comes and all of them as JSON at the end (the Slack and the Teams benchmark alike)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    results = []
    try:
        with postgres.cluster() as cluster:
            print(f"{os.cpu_count()} cores; lease {LEASE} s; lexical ranking (VRAAGBAAK_SEMANTIC=off);"
                  f" logs in {folder}")
            results.append(run("PostgreSQL", f"{cluster.url()}?schema=bench", args.replicas, args, folder))
            show(results[-1])
        results.append(run("SQLite", str(folder / "bench.db"), 1, args, folder))
        show(results[-1])
        print(json.dumps(results))
    finally:
        if not os.environ.get("KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
