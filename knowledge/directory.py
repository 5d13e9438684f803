"""The people directory: who knows about a topic (expertise, title, department)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowledge import text
from knowledge.model import Hit, PersonHit

if TYPE_CHECKING:
    from knowledge.query import Query
    from knowledge.store import SqliteStore

# "wie weet iets van X", "who knows about X": the asker wants people, not an article.
PEOPLE_QUESTION = re.compile(
    r"^\s*(wie\s+(weet|kent|kan|doet|gaat\s+over|is\s+(er\s+)?(de\s+)?(expert|deskundige))|who\s+(knows|can|is\s+the"
    r"\s+expert|handles|deals))\b", re.IGNORECASE)


def asks_for_people(question: str) -> bool:
    return bool(PEOPLE_QUESTION.search(question))


def find_people(store: SqliteStore, q: Query, hits: list[Hit] | tuple[Hit, ...] = (), limit: int = 3,
                ) -> list[PersonHit]:
    """People ranked by how well their expertise, title and department match the question's terms,
    plus the keywords of the best-matching article (so 'bezwaar WOZ' finds the WOZ expert)."""
    words: set[str] = set()
    for t in q.terms:
        words.add(t)
        words.update(q.variants.get(t, ()))
    for hit in hits:
        for kw in hit.article.keywords:
            words.update(text.terms(kw, "nl"))
            words.update(text.terms(kw, "en"))
    words = {w for w in words if w and '"' not in w}
    if not words:
        return []
    match = " OR ".join(f'"{w}"' for w in sorted(words))
    rows = store.rows(
        "SELECT person_id, bm25(people_index, 0.0, 0.5, 2.0) AS rank FROM people_index"
        " WHERE people_index MATCH ? ORDER BY rank LIMIT ?", [match, limit])
    if not rows:
        return []
    people = {p.id: p for p in store.people([r["person_id"] for r in rows])}
    best = -float(rows[0]["rank"]) or 1.0
    return [PersonHit(people[r["person_id"]], round(-float(r["rank"]) / best, 3))
            for r in rows if r["person_id"] in people]
