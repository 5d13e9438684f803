"""Search: SQLite FTS5 finds candidates, rapidfuzz and term statistics rank them, thresholds decide.

One call, ``Searcher.search``, serves every entry point (chat, CLI, eval).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge import text
from knowledge.directory import find_people
from knowledge.model import Article, Hit, SearchResult
from knowledge.query import Query, QueryBuilder
from knowledge.store import SqliteStore

# Column weights for bm25 over (article_id, title, questions, keywords, body).
FIELD_WEIGHTS = (0.0, 4.0, 3.0, 2.0, 1.0)
CANDIDATES = 40


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.62
    suggest: float = 0.35
    margin: float = 0.04


class Searcher:
    def __init__(self, store: SqliteStore, thresholds: Thresholds | None = None, default_lang: str = "nl") -> None:
        self.store = store
        self.thresholds = thresholds or Thresholds()
        self.default_lang = default_lang
        self.queries = QueryBuilder(store)

    def search(self, query: str, *, limit: int = 5, people: bool = True) -> SearchResult:
        lang = text.detect_lang(query, self.default_lang)
        q = self.queries.build(query, lang)
        hits = self.rank(q, limit=max(limit, 3))
        decision = self.decide(hits)
        found_people = find_people(self.store, q, hits[:1]) if people else ()
        return SearchResult(query=query, decision=decision, hits=tuple(hits[:limit]),
                            people=tuple(found_people), lang=lang)

    def candidates(self, q: Query) -> list[tuple[str, float]]:
        if not q.match:
            return []
        weights = ", ".join(str(w) for w in FIELD_WEIGHTS)
        rows = self.store.rows(
            f"SELECT article_id, bm25(article_index, {weights}) AS rank FROM article_index"
            " WHERE article_index MATCH ? ORDER BY rank LIMIT ?",
            [q.match, CANDIDATES],
        )
        return [(r["article_id"], -float(r["rank"])) for r in rows]

    def rank(self, q: Query, *, limit: int) -> list[Hit]:
        found = self.candidates(q)
        if not found:
            return []
        articles = {a.id: a for a in self.store.articles([aid for aid, _ in found])}
        best_bm25 = max(score for _, score in found) or 1.0
        scored = []
        for aid, bm in found:
            article = articles.get(aid)
            if article is None:
                continue
            score = confidence(q, article, bm / best_bm25)
            scored.append(Hit(article, round(score, 4)))
        scored.sort(key=lambda h: (-h.score, h.article.id))
        return scored[:limit]

    def decide(self, hits: list[Hit]) -> str:
        if not hits:
            return "escalate"
        best = hits[0].score
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        t = self.thresholds
        if best >= t.answer and best - runner_up >= t.margin:
            return "answer"
        if best >= t.suggest:
            return "suggest"
        return "escalate"


def confidence(q: Query, article: Article, bm25_share: float) -> float:
    """0..1: how well ``article`` answers ``q``: term coverage, phrasing similarity, bm25 share."""
    lang = article.lang
    phrasings = [article.title, *article.questions]
    analysed = [" ".join(text.terms(p, lang)) for p in phrasings]
    query_text = " ".join(q.terms)
    similarity = max((fuzz.token_set_ratio(query_text, a) for a in analysed if a), default=0.0) / 100
    everything = set(" ".join([*analysed, " ".join(text.terms(" ".join(article.keywords), lang)),
                               " ".join(text.terms(article.body, lang))]).split())
    total = sum(q.weights.values()) or 1.0
    covered = sum(w for t, w in q.weights.items() if t in everything or any(
        v in everything for v in q.variants.get(t, ())))
    coverage = covered / total
    return 0.45 * coverage + 0.35 * similarity + 0.2 * math.sqrt(bm25_share)
