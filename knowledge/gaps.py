"""Knowledge gaps: the questions the knowledge base did not answer, grouped into clusters of similar questions.

A question is a gap when it was escalated to the experts (no article answered it: asked and escalated, or
joined an open escalation) or when its asker said the answer did not help; small talk ('dank je wel', 'test',
``knowledge.smalltalk``) never is, also what was recorded before the bot told it apart. Only the most recent ``limit``
such questions of the period are considered (2,000 by default), so a page stays fast however long the history.

Similarity is lexical, with the search's own analysis (``knowledge/text.py``): a question's content terms are
its folded words less function words (Dutch and English), greetings, the privacy placeholders ([BSN], [ADRES],
...) and words every desk question has ("klant", "inwoner", "vraagt"), stemmed in the question's language. Two
terms match when they are equal, when one is the end of the other (a Dutch compound names what it is last:
"achtertuin" is a "tuin"; both at least 4 letters), or when rapidfuzz's ratio says they are spelled nearly
alike (>= 85, both at least 5 letters: "buitenland" and "buitenlands", a typo; "oud" is no "houd"). Two
questions are similar when their matched terms are at least ``THRESHOLD`` (half) of all their terms (a Dice
coefficient over fuzzy-matched terms) and at least two terms of each side match.

Clustering is greedy, newest question first: a question joins the cluster holding its most similar question (at
or above the threshold), else starts one. It is compared only with earlier questions that share a term with it
exactly (the first few of each cluster, a bounded number), so the work stays bounded: 2,000 questions made of
the same twenty words cluster in under two seconds (README, measured).

Lexical similarity joins questions that share most of their content words: two questions about one subject
that ask different things ("renew a driving licence abroad" and "exchange a foreign driving licence") may land
together. The store keeps no question vectors, so the embeddings are not used.

Texts in the database are masked when they are stored (``knowledge/privacy.py``); this module only reads them,
so what it returns is masked too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Protocol

from rapidfuzz import fuzz

from knowledge import text
from knowledge.privacy import PLACEHOLDERS

LIMIT = 2000  # gap questions considered, the most recent first
THRESHOLD = 0.5  # share of matched terms at which two questions are alike
REPRESENTATIVES = 5  # members of a cluster a new question is compared with
CANDIDATES = 60  # comparisons at most per question
EXCERPT = 600  # characters of an expert answer kept for the page
PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
# Words every question at a customer-contact desk may have, which tell nothing about its subject.
DESK_WORDS = frozenset(
    """klant klanten inwoner inwoners bewoner bewoners burger burgers iemand mevrouw meneer vraagt vraag vragen
    wil willen weet weten moet moeten mogelijk kan kunnen duurt lang voordat hoort heen zit staat graag gemeente
    gemeentelijk gemeentelijke zoals plaats
    customer customers resident residents citizen someone asks asking question possible want wants know
    municipality municipal like""".split())


class Readable(Protocol):
    """What gaps read through (the store)."""

    def gap_questions(self, start: str, stop: str, limit: int) -> list[dict[str, Any]]: ...
    def escalations_of_questions(self, question_ids: list[int]) -> dict[int, tuple[int, ...]]: ...
    def best_expert_answers(self, escalation_ids: list[int]) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class GapQuestion:
    id: int
    text: str  # masked, as stored
    created_at: str
    lang: str
    personal: bool  # it carried personal data (now masked): about one person's case


@dataclass(frozen=True)
class ExpertAnswer:
    escalation_id: int
    answer_id: int
    text: str  # masked, as stored; cut to EXCERPT characters
    author: str
    created_at: str
    marked: bool  # marked as the answer (else the latest reply in the thread)
    personal: bool  # given to a question that carried personal data: look before publishing it


@dataclass(frozen=True)
class Gap:
    questions: tuple[GapQuestion, ...]  # newest first
    escalations: tuple[int, ...]
    answer: ExpertAnswer | None  # the best expert answer so far: marked first, else the latest reply

    @property
    def size(self) -> int:
        return len(self.questions)

    @property
    def title(self) -> str:
        return self.questions[0].text


@dataclass(frozen=True)
class Gaps:
    start: date
    end: date
    clusters: tuple[Gap, ...]  # biggest first
    considered: int  # gap questions read (at most ``limit``)
    capped: bool  # there were more than ``limit``: the oldest were left out


def terms(question: str, lang: str) -> frozenset[str]:
    """The content terms of a (masked) question, as described in the module's docstring."""
    words = text.words(PLACEHOLDER.sub(" ", question))
    content = [w for w in words if w not in text.STOPWORDS["nl"] and w not in text.STOPWORDS["en"]
               and w not in text.COURTESY and w not in DESK_WORDS and not w.isdigit()]
    return frozenset(text.stems(content, lang))


@lru_cache(maxsize=200_000)
def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a)):
        return True
    return min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice over fuzzy-matched terms: the terms of either side that match a term of the other, over all terms;
    0 when fewer than two terms of a side match (one shared word, "achtertuin", makes no paraphrase), unless
    that side has only one term."""
    if not a or not b:
        return 0.0
    shared = a & b
    in_a = len(shared) + sum(any(_alike(x, y) for y in b) for x in a - shared)
    in_b = len(shared) + sum(any(_alike(y, x) for x in a) for y in b - shared)
    if in_a < min(2, len(a)) or in_b < min(2, len(b)):
        return 0.0
    return (in_a + in_b) / (len(a) + len(b))


def gaps(store: Readable, start: date, end: date, limit: int = LIMIT, threshold: float = THRESHOLD) -> Gaps:
    """The knowledge gaps of ``start``..``end`` (UTC days, both included), biggest cluster first."""
    found = store.gap_questions(start.isoformat(), (end + timedelta(days=1)).isoformat(), limit + 1)
    questions = [GapQuestion(r["id"], r["text"], r["created_at"], r["lang"], bool(r["personal"]))
                 for r in found[:limit] if text.has_content(r["text"])]  # small talk is no gap ('dank je wel')
    groups = cluster([terms(q.text, q.lang) for q in questions], threshold)
    escalations = store.escalations_of_questions([q.id for q in questions])
    answers = _best_answers(store, sorted({e for es in escalations.values() for e in es}))
    clusters = []
    for group in groups:
        members = tuple(questions[i] for i in group)
        involved = tuple(sorted({e for q in members for e in escalations.get(q.id, ())}))
        offered = [answers[e] for e in involved if e in answers]
        clusters.append(Gap(members, involved, max(offered, key=_preference) if offered else None))
    clusters.sort(key=lambda g: (-g.size, -max(q.id for q in g.questions)))
    return Gaps(start, end, tuple(clusters), len(questions), len(found) > limit)


def cluster(items: Sequence[frozenset[str]], threshold: float = THRESHOLD) -> list[list[int]]:
    """Greedy clustering of term sets (in the order given): each joins the cluster of its most similar earlier
    item when that is at least ``threshold`` alike, else starts its own. An item is compared with the first
    ``REPRESENTATIVES`` items of each cluster that share a term with it, at most ``CANDIDATES`` of them (those
    sharing the most terms first), so the work stays bounded when every question has the same few words.
    Lists of indexes, in input order."""
    by_term: dict[str, list[int]] = {}
    home: list[int] = []
    groups: list[list[int]] = []
    for i, item in enumerate(items):
        shared: dict[int, int] = {}
        for t in item:
            for j in by_term.get(t, ()):
                shared[j] = shared.get(j, 0) + 1
        best, best_score = -1, threshold
        for j in sorted(shared, key=lambda j: (-shared[j], j))[:CANDIDATES]:
            score = similarity(item, items[j])
            if score > best_score or (score == best_score and best < 0):
                best, best_score = j, score
        if best >= 0:
            home.append(home[best])
            groups[home[best]].append(i)
        else:
            home.append(len(groups))
            groups.append([i])
        if len(groups[home[i]]) <= REPRESENTATIVES:
            for t in item:
                by_term.setdefault(t, []).append(i)
    return groups


def _preference(answer: ExpertAnswer) -> tuple[bool, bool, str, int]:
    """The higher the better: an answer to a question without personal data before one about a person's own
    case, a marked answer before a reply, then the latest."""
    return (not answer.personal, answer.marked, answer.created_at, answer.answer_id)


def _best_answers(store: Readable, escalation_ids: list[int]) -> dict[int, ExpertAnswer]:
    """Per escalation its best answer (the marked one, else the latest reply)."""
    return {r["escalation_id"]: ExpertAnswer(
        r["escalation_id"], r["id"], r["text"][:EXCERPT], r["author_name"] or r["author_id"], r["created_at"],
        bool(r["marked"]), bool(r["personal"])) for r in store.best_expert_answers(escalation_ids)}
