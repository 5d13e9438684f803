"""Speed of the console's reads: analytics (knowledge/analytics.py) and gaps (knowledge/gaps.py) over a history
of 100,000 questions in 90 days (a third escalated, with answers, feedback and choices in the audit log).

    python -m benchmarks.bench_analytics [--questions 100000] [--db PATH]  (an existing --db is reused)

The history is written with plain SQL (fast), shaped like what the Desk stores; the reads are the real ones.
Prints the time of a 30-day and a 90-day analytics call (all channels and one), of gaps over 30 days, and of
the experts' list and one person's answers.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot import bootstrap
from knowledge.analytics import analytics
from knowledge.experts import answers_of, experts
from knowledge.gaps import gaps
from knowledge.sqlite.store import SqliteStore

CHANNELS = ["kcc-burgerzaken", "kcc-belastingen", "kcc-wmo", "kcc-afval", "kcc-parkeren", "kcc-experts"]
WORDS = ("vuurwerk tuin kippen houden bankje park standplaats markt rijbewijs buitenland paspoort kind "
         "parkeren vergunning bedrijfsbus afval container kapot belasting kwijtschelding uitkering").split()


def fill(store: SqliteStore, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    articles = [r["id"] for r in store.rows("SELECT id FROM articles")]
    people = [(r["id"], r["name"]) for r in store.rows("SELECT id, name FROM people ORDER BY id")]
    end = datetime.now(UTC).replace(microsecond=0)
    questions, escalations, waiters, answers, audit = [], [], [], [], []
    for qid in range(1, n + 1):
        at = end - timedelta(minutes=rng.randrange(90 * 24 * 60))
        roll = rng.random()
        decision = "answer" if roll < 0.5 else "suggest" if roll < 0.7 else "escalate"
        status = "answered" if decision == "answer" else "open"
        text = " ".join(rng.choice(WORDS) for _ in range(6)) + "?"
        if decision == "suggest" and rng.random() < 0.5:
            status = "answered"
            audit.append((at + timedelta(minutes=1), "chose", str(qid), {"article": rng.choice(articles)}))
        if decision == "answer" and rng.random() < 0.3:
            helpful = rng.random() < 0.8
            audit.append((at + timedelta(minutes=2), "feedback", str(qid),
                          {"helpful": helpful, "article": rng.choice(articles)}))
        if decision == "escalate":
            eid = len(escalations) + 1
            answered = rng.random() < 0.7
            done = at + timedelta(minutes=rng.expovariate(1 / 45))
            status = "resolved" if answered else "escalated"
            escalations.append((eid, qid, rng.choice(CHANNELS), "open" if not answered else "answered",
                                at.isoformat(), done.isoformat() if answered else "", None))
            waiters.append((eid, qid))
            first = at + timedelta(minutes=rng.expovariate(1 / 20))
            author = rng.choice(people)
            answers.append((eid, author[0], author[1], "Zo werkt het: " + text, CHANNELS[0], first.isoformat(),
                            int(answered)))
        questions.append((qid, "agent1", "Anna", "fake", "D1", text, "nl", decision,
                          rng.choice(articles) if decision == "answer" else None,
                          json.dumps(rng.sample(articles, 3) if decision == "suggest" else []), status,
                          at.isoformat()))
    with store.transaction() as db:
        db.conn.executemany("INSERT INTO questions (id, asker_id, asker_name, platform, channel, text, lang, decision,"
                            " article_id, shown, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", questions)
        db.conn.executemany("INSERT INTO escalations (id, question_id, channel, status, created_at, answered_at,"
                            " answer_id) VALUES (?,?,?,?,?,?,?)", escalations)
        db.conn.executemany("INSERT INTO waiters VALUES (?,?)", waiters)
        db.conn.executemany("INSERT INTO answers (escalation_id, author_id, author_name, text, channel, created_at,"
                            " accepted) VALUES (?,?,?,?,?,?,?)", answers)
        db.conn.execute("UPDATE escalations SET answer_id = (SELECT a.id FROM answers a WHERE a.escalation_id ="
                        " escalations.id) WHERE status = 'answered'")
        first_id = int(db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]) + 1
        db.conn.executemany("INSERT INTO audit (id, at, actor, action, subject, detail, hash) VALUES (?,?,?,?,?,?,?)",
                            [(first_id + i, at.isoformat(), "agent1", action, subject, json.dumps(detail), "bench")
                             for i, (at, action, subject, detail) in enumerate(sorted(audit, key=lambda a: a[0]))])


def timed(label: str, work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    took = time.perf_counter() - started
    print(f"{label}: {took * 1000:.0f} ms")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    path = args.db or str(Path(tempfile.mkdtemp()) / "bench.db")
    store = SqliteStore(path)
    if not store.count("questions"):  # a --db filled before is read again as it is
        bootstrap.load_demo(store)
        started = time.perf_counter()
        fill(store, args.questions)
        print(f"{args.questions} questions written in {time.perf_counter() - started:.1f} s ({path})")
    today = date.today()
    timed("analytics, 30 days, all channels", lambda: analytics(store, today - timedelta(days=29), today))
    timed("analytics, 90 days, all channels", lambda: analytics(store, today - timedelta(days=89), today))
    timed("analytics, 90 days, one channel", lambda: analytics(store, today - timedelta(days=89), today,
                                                                  channel=CHANNELS[1]))
    timed("gaps, 30 days (2,000 most recent)", lambda: gaps(store, today - timedelta(days=29), today))
    timed("experts (every reply matched to the directory)", lambda: experts(store))
    timed("answers of one person", lambda: answers_of(store, "p-01"))


if __name__ == "__main__":
    main()
