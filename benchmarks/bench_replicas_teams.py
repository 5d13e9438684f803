"""Replicas for Teams: two `vraagbaak serve teams` processes on one PostgreSQL (a throwaway cluster), each
activity posted to both (a load balancer that retries on the other), with a Bot Framework token, against the
fake Bot Framework connector on 127.0.0.1 (tests/teams/fakes.py); one replica killed with kill -9 half-way
through the burst. Next to it, in the same run, one process on SQLite.

    .venv/bin/python -m benchmarks.bench_replicas_teams [--questions 1000] [--rate 50] [--seconds 10]

Phases: (1) steady: known questions at ``--rate`` activities/s (reply p50/p99); (2) burst: new questions at once
(8 senders), each goes to the experts: lost and doubled are counted at the connector, one reply per question and
one expert post (a new conversation in the experts' channel) per question. Marks are not part of this one: the
Slack benchmark (bench_replicas.py) relays them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.bench_replicas import KNOWN, LEASE, compare, percentile, stop, unknown, wait_until, word
from bot.bootstrap import load_demo, open_store
from bot.config import Settings
from tests.slack.test_kill import free_port
from tests.teams.fakes import APP_ID, TENANT, FakeMicrosoft, bot_token, jwk, rsa_key
from tests.teams.harness import EXPERTS_CHANNEL, activity


class TimedMicrosoft(FakeMicrosoft):
    """The fake connector, stamping each call with the time it came in."""

    def _connector(self, method: str, path: str, call: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        call["at"] = time.perf_counter()
        return super()._connector(method, path, call)

    def replies(self) -> dict[str, list[float]]:
        """Activity id -> when the bot's answers to it came (a reply names the activity it answers)."""
        found: dict[str, list[float]] = {}
        for c in self.connector_calls():
            if c["method"] == "POST" and "/activities/" in str(c["path"]) and int(c.get("status", 500)) < 300:
                found.setdefault(str(c["path"]).rsplit("/", 1)[1], []).append(c["at"])
        return found

    def expert_posts(self) -> list[str]:
        return [json.dumps(c["json"], ensure_ascii=False) for c in self.connector_calls()
                if c["method"] == "POST" and c["path"] == "/teams/v3/conversations" and int(c.get("status", 500)) < 300]


def serve(ms: FakeMicrosoft, db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VRAAGBAAK_DB": db, "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s3cret",
           "MICROSOFT_APP_TENANT_ID": TENANT, "MICROSOFT_AUTHORITY_HOST": ms.base,
           "BOTFRAMEWORK_OPENID_METADATA": f"{ms.base}/botframework/openid", "GRAPH_API_URL": ms.base,
           "TEAMS_ESCALATION_CHANNEL": EXPERTS_CHANNEL, "VRAAGBAAK_LEASE_SECONDS": str(LEASE),
           "REQUESTS_CA_BUNDLE": str(ms.ca_file), "VRAAGBAAK_ENV_FILE": "/nonexistent",
           "VRAAGBAAK_SEMANTIC": "off", "VRAAGBAAK_DIGEST": "off", "VRAAGBAAK_METRICS_PORT": "0"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "teams", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=log.open("ab"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/messages", timeout=1)
        except urllib.error.HTTPError:  # 405 on GET: it listens
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("serve teams did not start:\n" + log.read_text(errors="replace")[-3000:])


class Balancer:
    def __init__(self, ports: list[int], token: str) -> None:
        self.ports, self.token = ports, token
        self.alive = list(range(len(ports)))
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self.refused = 0

    def kill(self, index: int) -> None:
        with self._lock:
            self.alive.remove(index)

    def _post(self, index: int, act: dict[str, Any]) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.ports[index]}/api/messages",
                                         data=json.dumps(act).encode(), method="POST",
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            with self._lock:
                self.refused += 1
            return 0

    def deliver(self, act: dict[str, Any]) -> bool:
        with self._lock:
            alive, turn = list(self.alive), next(self._turn)
        first, second = alive[turn % len(alive)], alive[(turn + 1) % len(alive)]
        statuses = [self._post(first, act)]
        if second != first:
            statuses.append(self._post(second, act))
        return 200 in statuses


def run(label: str, db: str, count: int, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    store = open_store(Settings(db_path=db))
    load_demo(store)
    key = rsa_key()
    ms = TimedMicrosoft(folder)
    ms.jwks.append(jwk(key, "key-1", ["msteams"]))
    token = bot_token(key, "key-1", service_url=ms.service_url)
    ports = [free_port() for _ in range(count)]
    log = folder / f"teams-{label}.log"
    processes = [serve(ms, db, port, log) for port in ports]
    result: dict[str, Any] = {"backend": label, "replicas": count}
    try:
        lb = Balancer(ports, token)
        warm = [activity("personal_message", ms.service_url, TEXT=KNOWN[n % len(KNOWN)], USER=f"warm-{n}",
                         CONVERSATION=f"a:warm-{n}") for n in range(2 * count)]
        for act in warm:
            lb.deliver(act)
        wait_until(lambda: all(a["id"] in ms.replies() for a in warm), 60)

        total = int(args.rate * args.seconds)
        sent: dict[str, float] = {}
        start = time.perf_counter()

        def steady(n: int) -> None:
            act = activity("personal_message", ms.service_url, TEXT=KNOWN[n % len(KNOWN)], USER=f"agent-{n}",
                           CONVERSATION=f"a:agent-{n}")
            time.sleep(max(0.0, start + n / args.rate - time.perf_counter()))
            sent[str(act["id"])] = time.perf_counter()
            lb.deliver(act)

        with ThreadPoolExecutor(8) as pool:  # Teams waits for the answer (up to its budget): senders in parallel
            list(pool.map(steady, range(total)))
        wait_until(lambda: all(i in ms.replies() for i in sent), 60)
        replies = ms.replies()
        latency = [(replies[i][0] - t) * 1000 for i, t in sent.items() if i in replies]
        result |= {"steady_rate": args.rate, "steady_sent": total, "steady_answered": len(latency),
                   "reply_p50_ms": round(statistics.median(latency), 1) if latency else None,
                   "reply_p99_ms": round(percentile(latency, 0.99), 1),
                   "steady_doubled": sum(1 for i in sent if len(replies.get(i, [])) > 1)}

        questions = args.questions
        acts = [activity("personal_message", ms.service_url, TEXT=unknown(n), USER=f"asker-{n}",
                         CONVERSATION=f"a:asker-{n}") for n in range(questions)]
        counter = itertools.count()

        def ask(n: int) -> bool:
            ok = lb.deliver(acts[n])
            if next(counter) == questions // 2 and count > 1:
                processes[0].send_signal(signal.SIGKILL)
                lb.kill(0)
            return ok

        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            acked = list(pool.map(ask, range(questions)))
        wait_until(lambda: all(a["id"] in ms.replies() for a in acts), 120)
        replies = ms.replies()
        got = [replies[a["id"]][0] for a in acts if a["id"] in replies]
        took = max(got) - start if got else float("nan")

        def posts() -> dict[int, int]:
            marker = {word(n, 1): n for n in range(questions)}
            found: dict[int, int] = {}
            for text in ms.expert_posts():
                for token_, n in marker.items():
                    if token_ in text:
                        found[n] = found.get(n, 0) + 1
                        break
            return found

        wait_until(lambda: len(posts()) >= questions, 120)
        time.sleep(LEASE + 3)
        replies, found = ms.replies(), posts()
        result |= {"burst": questions, "burst_acknowledged": acked.count(True), "burst_replied": len(got),
                   "burst_seconds": round(took, 2), "questions_per_s": round(len(got) / took, 1),
                   "killed": count > 1, "refused_deliveries": lb.refused,
                   "replies_lost": sum(1 for a in acts if a["id"] not in replies),
                   "replies_doubled": sum(1 for a in acts if len(replies.get(a["id"], [])) > 1),
                   "expert_posts_lost": questions - len(found),
                   "expert_posts_doubled": sum(1 for v in found.values() if v > 1)}
    finally:
        stop(processes)
        ms.close()
        store.close()
    return result


def show(r: dict[str, Any]) -> None:
    killed = ", one killed half-way through the burst" if r["killed"] else ""
    print(f"Teams on {r['backend']}, {r['replicas']} replica(s){killed}:")
    print(f"  steady {r['steady_rate']:g} activities/s (each posted to two replicas): {r['steady_answered']} of"
          f" {r['steady_sent']} answered, {r['steady_doubled']} twice; reply p50 {r['reply_p50_ms']} ms,"
          f" p99 {r['reply_p99_ms']} ms")
    print(f"  burst of {r['burst']} new questions: {r['burst_acknowledged']} acknowledged, {r['burst_replied']}"
          f" replied in {r['burst_seconds']} s = {r['questions_per_s']} questions/s"
          f" ({r['refused_deliveries']} deliveries refused by the dead replica)")
    print(f"  replies: lost {r['replies_lost']}, doubled {r['replies_doubled']}; expert posts: lost"
          f" {r['expert_posts_lost']}, doubled {r['expert_posts_doubled']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--replicas", type=int, default=2)
    compare(run, show, parser.parse_args(), "vraagbaak-bench-teams-")


if __name__ == "__main__":
    main()
