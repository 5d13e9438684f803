"""The people directory: who knows about a topic (expertise, title, department)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from knowledge import text
from knowledge.model import Hit, Person, PersonHit

if TYPE_CHECKING:
    from knowledge.query import Query

# "wie weet iets van X", "who knows about X": the asker wants people, not an article.
PEOPLE_QUESTION = re.compile(
    r"^\s*(wie\s+(weet|kent|kan|doet|gaat\s+over|is\s+(er\s+)?(de\s+)?(expert|deskundige))|who\s+(knows|can|is\s+the"
    r"\s+expert|handles|deals))\b", re.IGNORECASE)


class Directory(Protocol):
    """What the people search reads through (the store)."""

    def people_named(self, name: str) -> list[str]: ...
    def people_matching(self, words: list[str], limit: int) -> list[tuple[str, float]]: ...
    def people_vocabulary(self) -> tuple[dict[str, int], int]: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...


def asks_for_people(question: str) -> bool:
    return bool(PEOPLE_QUESTION.search(question))


def find_people(store: Directory, q: Query, hits: list[Hit] | tuple[Hit, ...] = (), limit: int = 3,
                ) -> list[PersonHit]:
    """People ranked by how well their expertise, title and department match the question's terms,
    plus the keywords of the best-matching article (so 'bezwaar WOZ' finds the WOZ expert)."""
    stop = text.STOPWORDS["nl"] | text.STOPWORDS["en"]
    words = {t for t in (*q.terms, *q.weights) if t not in stop and len(t) > 2}
    for hit in hits:
        for kw in hit.article.keywords:
            words.update(text.terms(kw, "nl"))
            words.update(text.terms(kw, "en"))
    words = {w for w in words if w and '"' not in w}
    ranked: dict[str, float] = {}
    # The owner of the best article knows its topic: first among equals.
    for hit in hits[:1]:
        if hit.article.owner:
            for person_id in store.people_named(hit.article.owner):
                ranked[person_id] = 1.0
    telling = selective(store, words)
    if telling:
        found = store.people_matching(sorted(telling), limit)
        best = found[0][1] if found else 1.0
        for person_id, score in found:
            ranked.setdefault(person_id, round(score / (best or 1.0), 3))
    people = {p.id: p for p in store.people(list(ranked))}
    order = sorted(ranked, key=lambda pid: -ranked[pid])
    return [PersonHit(people[pid], ranked[pid]) for pid in order[:limit] if pid in people]


def selective(store: Directory, words: set[str], budget: int = 500, common_share: float = 0.05) -> list[str]:
    """The words that tell people apart: in at most ``common_share`` of the directory (so 'medewerker' does
    not), rarest first, while the people they are in add up to ``budget``; they bound what bm25 scans."""
    df, size = store.people_vocabulary()
    common = max(50.0, common_share * size)
    found = sorted((df[w], w) for w in words if w in df)
    chosen: list[str] = []
    total = 0
    for doc, word in found:
        if doc > common or (chosen and total + doc > budget):
            break
        chosen.append(word)
        total += doc
    return chosen
