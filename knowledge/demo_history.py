"""The demo's activity history: six weeks of questions from a few agents, as a deterministic plan, and the one
store step that moves what was recorded into the past.

The plan (``plan``) says who asks what and when, and what each asker and expert would do next; the console
plays it through the real use cases (``bot/demo.py`` drives the Desk), so every question, escalation, reply,
marked answer, provisional article, review item and feedback is what the bot itself records. ``backdate`` then
moves a played question's timestamps to the time the plan gave it. The audit log is append-only and keeps the
moment the demo ran.

What is asked: the phrasings of the demo articles (``demo/articles.jsonl``) in the agent's language (mostly
answered directly), vague one-word questions (suggestions), and the paraphrases of the gaps in
``demo/history.json``: questions no article answers, each with the replies its experts give (some marked).
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

DEMO = Path(__file__).parent / "demo"
HISTORY = DEMO / "history.json"
DAYS = 42
SEED = 2026


class Writable(Protocol):
    def escalation_ids(self, question_id: int) -> list[int]: ...
    def backdate_question(self, question_id: int, at: str, answers: Mapping[int, str], started: Mapping[int, str],
                          marked_at: str | None) -> None: ...


@dataclass(frozen=True)
class Reply:
    author: str  # a name from the directory
    text: str
    after: float  # minutes after the escalation
    marked: bool = False  # marked as the answer ``mark_after`` minutes after the escalation
    mark_after: float = 0.0


@dataclass(frozen=True)
class Visit:
    at: datetime
    agent: str
    text: str
    helpful: bool | None = None  # answered: the asker's feedback (None: none given)
    choose: bool = False  # suggested: the asker picks the first suggestion
    escalate: bool = False  # suggested and not chosen: the asker asks an expert
    replies: tuple[Reply, ...] = ()  # what experts reply once it is escalated
    gap: bool = False  # a question no demo article answers: only an answer logged from an expert's helps


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _phrasings() -> dict[str, list[str]]:
    """The demo articles' phrasings per language."""
    out: dict[str, list[str]] = {"nl": [], "en": []}
    for line in (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            article = json.loads(line)
            out.setdefault(article.get("lang", "nl"), []).extend(article.get("questions", []))
    return out


def _moment(rng: random.Random, day: datetime) -> datetime:
    """Office hours, 07:30 to 16:00 UTC (08:30 to 17:00 in the Netherlands in winter)."""
    return day + timedelta(minutes=450 + rng.randrange(510), seconds=rng.randrange(60))


def _replies(rng: random.Random, given: list[dict[str, Any]]) -> tuple[Reply, ...]:
    out, at = [], 0.0
    for r in given:
        at += 2 + rng.expovariate(1 / 35)
        out.append(Reply(r["author"], r["text"], round(at, 1), bool(r.get("marked")),
                         round(at + 1 + rng.expovariate(1 / 25), 1)))
    return tuple(out)


def _generic(rng: random.Random, data: dict[str, Any], lang: str) -> tuple[Reply, ...]:
    """Half of the escalations of known questions get a reply in the asker's language, half of those marked."""
    if rng.random() >= 0.5:
        return ()
    pick = rng.choice([r for r in data["generic_replies"] if r.get("lang", "nl") == lang] or data["generic_replies"])
    return _replies(rng, [{**pick, "marked": rng.random() < 0.5}])


def plan(now: datetime | None = None, days: int = DAYS, seed: int = SEED, path: Path = HISTORY) -> list[Visit]:
    """The visits of the ``days`` before today (UTC), oldest first; the same for the same seed and day."""
    rng = random.Random(seed)
    data, phrasings = _load(path), _phrasings()
    today = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    agents = data["agents"]
    visits: list[Visit] = []
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        busy = rng.randint(5, 10) if day.weekday() < 5 else rng.randint(0, 2)
        for _ in range(busy):
            agent = rng.choice(agents)
            lang = agent["lang"]
            at = _moment(rng, day)
            if rng.random() < 0.88:
                # feedback on a third: helpful, now and then not (the customer's case was an exception); an agent
                # does not mark the right article unhelpful one time in five (what the calibration learns from)
                helpful = (rng.random() < 0.95) if rng.random() < 0.35 else None
                visits.append(Visit(at, agent["id"], rng.choice(phrasings[lang]), helpful=helpful,
                                    replies=_generic(rng, data, lang)))
            else:
                roll = rng.random()
                visits.append(Visit(at, agent["id"], rng.choice(data["vague"][lang]), choose=roll < 0.6,
                                    escalate=0.6 <= roll < 0.75, replies=_generic(rng, data, lang)))
    for gap in data["gaps"]:
        moments = sorted(_moment(rng, today - timedelta(days=rng.randint(1, days))) for _ in gap["questions"])
        pool = [a for a in agents if a["lang"] == gap.get("lang", "nl")] or agents
        for i, (at, text) in enumerate(zip(moments, gap["questions"], strict=True)):
            visits.append(Visit(at, rng.choice(pool)["id"], text, escalate=True, gap=True,
                                replies=_replies(rng, gap["replies"]) if i == 0 else ()))
    return sorted(visits, key=lambda v: v.at)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def backdate(store: Writable, question_id: int, at: datetime, answers: dict[int, datetime],
             marked_at: datetime | None) -> None:
    """Move a played question to ``at``: the question, the escalation it started (and when it was answered), the
    replies (``answers``: answer id -> when), and the review item and provisional article a marked answer made."""
    started = {escalation_id: f"vb-{escalation_id}" for escalation_id in store.escalation_ids(question_id)}
    store.backdate_question(question_id, _stamp(at), {answer_id: _stamp(when) for answer_id, when in answers.items()},
                            started, None if marked_at is None else _stamp(marked_at))
