"""Search: SQLite FTS5 finds candidates; term statistics and rapidfuzz rank them; thresholds decide.

One call, ``Searcher.search``, serves every entry point (chat, CLI, eval). Scores are 0..1, higher is
more confident; the weights and thresholds below were chosen by measurement on the development sets
(README: "Search quality").
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge import text
from knowledge.directory import find_people
from knowledge.model import Article, Hit, SearchResult
from knowledge.query import Query, QueryBuilder
from knowledge.store import SqliteStore

# bm25 column weights over (article_id, title, questions, keywords, body).
FIELD_WEIGHTS = (0.0, 4.0, 3.0, 2.0, 1.0)
CANDIDATES = 40
# How the confidence is made: idf-weighted cosine with the best phrasing, token-sort similarity of the
# stems and of the words with the best phrasing, and the bm25 score relative to the best candidate.
W_COSINE, W_STEMS, W_WORDS, W_BM25 = 0.35, 0.25, 0.30, 0.10


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.65   # answer at once at or above this ...
    margin: float = 0.05   # ... when the runner-up is at least this much lower
    suggest: float = 0.45  # below this nothing is relevant: escalate at once


@dataclass(frozen=True)
class Phrasings:
    """An article's title, alternate questions and keywords, folded and stemmed once."""

    folded: tuple[str, ...]
    stems: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, article: Article) -> Phrasings:
        lang = article.lang if article.lang in ("nl", "en") else "nl"
        sources = [article.title, *article.questions]
        if article.keywords:
            sources.append(" ".join(article.keywords))
        return cls(tuple(" ".join(text.words(s)) for s in sources), tuple(tuple(text.terms(s, lang))
                                                                           for s in sources))


class Searcher:
    def __init__(self, store: SqliteStore, thresholds: Thresholds | None = None, default_lang: str = "nl") -> None:
        self.store = store
        self.thresholds = thresholds or Thresholds()
        self.default_lang = default_lang
        self.queries = QueryBuilder(store)
        self._phrasings: OrderedDict[tuple[str, str], Phrasings] = OrderedDict()

    def search(self, query: str, *, limit: int = 5, people: bool = True) -> SearchResult:
        lang = text.detect_lang(query, self.default_lang)
        q = self.queries.build(query, lang)
        hits = self.rank(q, limit=max(limit, 3))
        decision = self.decide(hits)
        found_people = find_people(self.store, q, hits[:1]) if people else []
        return SearchResult(query=query, decision=decision, hits=tuple(hits[:limit]),
                            people=tuple(found_people), lang=lang)

    def candidates(self, q: Query, minimum: int = 3) -> list[tuple[str, float]]:
        """The best bm25 matches on the question's selective terms; when they are fewer than ``minimum``,
        the common terms join in, and then any articles fill up (so a list always has something to show)."""
        found: dict[str, float] = {}
        for match in dict.fromkeys(m for m in (q.match, q.broad) if m):
            if len(found) >= minimum:
                break
            for aid, score in self._bm25(match):
                found.setdefault(aid, score)
        if len(found) < minimum:
            for row in self.store.rows("SELECT article_id FROM article_index LIMIT ?", [minimum + len(found)]):
                found.setdefault(row["article_id"], 0.0)
        return list(found.items())

    def _bm25(self, match: str) -> list[tuple[str, float]]:
        weights = ", ".join(str(w) for w in FIELD_WEIGHTS)
        rows = self.store.rows(
            f"SELECT article_id, bm25(article_index, {weights}) AS rank FROM article_index"
            " WHERE article_index MATCH ? ORDER BY rank LIMIT ?",
            [match, CANDIDATES],
        )
        return [(r["article_id"], -float(r["rank"])) for r in rows]

    def rank(self, q: Query, *, limit: int) -> list[Hit]:
        found = self.candidates(q)
        if not found:
            return []
        articles = {a.id: a for a in self.store.articles([aid for aid, _ in found])}
        best_bm25 = max((score for _, score in found), default=0.0) or 1.0
        idf = self.queries.vocabulary.idf
        scored = []
        for aid, bm in found:
            article = articles.get(aid)
            if article is not None:
                score = confidence(q, self.phrasings(article), bm / best_bm25, idf)
                scored.append(Hit(article, round(score, 4)))
        scored.sort(key=lambda h: (-h.score, h.article.id))
        return scored[:limit]

    def phrasings(self, article: Article) -> Phrasings:
        key = (article.id, article.updated_at)
        found = self._phrasings.get(key)
        if found is None:
            found = self._phrasings[key] = Phrasings.of(article)
            if len(self._phrasings) > 20_000:
                self._phrasings.popitem(last=False)
        return found

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


def cosine(weights: dict[str, float], stems: tuple[str, ...], idf: object) -> float:
    """idf-weighted cosine between the query's matched forms and one phrasing's stems."""
    if not stems or not weights:
        return 0.0
    unique = set(stems)
    dot = sum(w * w for form, w in weights.items() if form in unique)
    norm_q = math.sqrt(sum(w * w for w in weights.values()))
    norm_p = math.sqrt(sum(idf(s) ** 2 for s in unique))  # type: ignore[operator]
    return dot / (norm_q * norm_p) if norm_q and norm_p else 0.0


def confidence(q: Query, phrasings: Phrasings, bm25_share: float, idf: object) -> float:
    """0..1: how well an article answers ``q``, from its best-matching phrasing and its bm25 share."""
    stems = " ".join(q.terms)
    best_cosine = max((cosine(q.weights, p, idf) for p in phrasings.stems), default=0.0)
    best_stems = max((fuzz.token_sort_ratio(stems, " ".join(p)) for p in phrasings.stems), default=0.0)
    best_words = max((fuzz.token_sort_ratio(q.folded, p) for p in phrasings.folded), default=0.0)
    return min(1.0, W_COSINE * best_cosine + W_STEMS * best_stems / 100 + W_WORDS * best_words / 100
               + W_BM25 * bm25_share)
