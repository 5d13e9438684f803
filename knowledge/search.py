"""Search: SQLite FTS5 finds candidates; term statistics and rapidfuzz rank them; thresholds decide.

One call, ``Searcher.search``, serves every entry point (chat, CLI, eval). Scores are 0..1, higher is
more confident; the weights and thresholds below were chosen by measurement on the development sets
(README: "Search quality").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from knowledge import text
from knowledge.analysis import Phrasing
from knowledge.directory import find_people
from knowledge.model import Hit, SearchResult
from knowledge.query import Query, QueryBuilder
from knowledge.store import SqliteStore

# bm25 column weights over (article_id, title, questions, keywords, body).
FIELD_WEIGHTS = (0.0, 4.0, 3.0, 2.0, 1.0)
CANDIDATES = 24         # lexical candidates ranked per question (20-40 measured the same on the dev sets)
RERANK_CANDIDATES = 40  # with a reranker more of them get a second opinion
BM25_COST = 2_500  # bm25 orders the candidates when their terms are in at most this many articles (together)
# How the confidence is made: idf-weighted cosine with the best phrasing, token-sort similarity of the
# stems and of the words with the best phrasing, and the bm25 score relative to the best candidate.
W_COSINE, W_STEMS, W_WORDS, W_BM25 = 0.35, 0.25, 0.30, 0.10
OTHER_LANGUAGE = 0.9  # an article in another language than the question plainly is in ranks a little lower
MAX_QUERY = 4_000  # characters of a question searched, whoever calls: the rest is cut (Desk keeps as many)


Candidate = tuple[str, float, str, tuple[Phrasing, ...]]  # article id, bm25 (0: unordered), language, phrasings


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.65   # answer at once at or above this ...
    margin: float = 0.10   # ... when the runner-up is at least this much lower
    suggest: float = 0.45  # below this nothing is relevant: escalate at once


class Reranker(Protocol):
    """An optional second opinion on the lexical candidates (knowledge.semantic.SemanticReranker)."""

    def rerank(self, query: str, hits: Sequence[Hit]) -> list[Hit]: ...


class Searcher:
    def __init__(self, store: SqliteStore, thresholds: Thresholds | None = None, default_lang: str = "nl",
                 reranker: Reranker | None = None) -> None:
        self.store = store
        self.thresholds = thresholds or Thresholds()
        self.default_lang = default_lang
        self.queries = QueryBuilder(store)
        self.reranker = reranker
        self._norms: dict[str | None, dict[str, float]] = {}
        self._squares: dict[str | None, dict[str, float]] = {}
        self._norms_generation: object = None

    def search(self, query: str, *, limit: int = 5, people: bool = True) -> SearchResult:
        query = text.scrub(query[:MAX_QUERY])
        said = text.guess_lang(query)
        lang = said or self.default_lang
        q = self.queries.build(query, lang, said=said)
        if self.reranker is None:
            hits = self.rank(q, limit=max(limit, 3))
        else:  # the reranker sees every candidate, before the list is cut
            hits = self.reranker.rerank(query, self.rank(q, limit=RERANK_CANDIDATES, candidates=RERANK_CANDIDATES))
            hits = hits[:max(limit, 3)]
        decision = self.decide(hits)
        # the best article's owner and keywords point at experts only when that article is relevant
        topic = hits[:1] if decision != "escalate" else []
        found_people = find_people(self.store, q, topic) if people else []
        return SearchResult(query=query, decision=decision, hits=tuple(hits[:limit]),
                            people=tuple(found_people), lang=lang)

    def candidates(self, q: Query, minimum: int = 3, limit: int = CANDIDATES) -> list[Candidate]:
        """The best bm25 matches on the question's selective terms; when they are fewer than ``minimum``,
        the common terms join in, and then any articles fill up (so a list always has something to show).
        A question of nothing but common words would make bm25 score most of a large KB: then the first
        matches are taken unordered (the ranking after this still orders them)."""
        found: dict[str, Candidate] = {}
        for match, cost in ((q.match, q.match_cost), (q.broad, q.broad_cost)):
            if len(found) >= minimum or not match:
                continue
            for item in self.store.matching(match, limit, FIELD_WEIGHTS if cost <= BM25_COST else None):
                found.setdefault(item[0], item)
        if len(found) < minimum:
            for item in self.store.matching(None, minimum + len(found)):
                found.setdefault(item[0], item)
        return list(found.values())

    def rank(self, q: Query, *, limit: int, candidates: int = CANDIDATES) -> list[Hit]:
        found = self.candidates(q, limit=candidates)
        if not found:
            return []
        best_bm25 = max(score for _, score, _, _ in found) or 1.0
        norms = self.norms(q.said)
        scored = sorted(
            ((round(confidence(q, phrasings, bm / best_bm25, norms)
                    * (OTHER_LANGUAGE if q.said and lang != q.said else 1.0), 4), aid)
             for aid, bm, lang, phrasings in found),
            key=lambda pair: (-pair[0], pair[1]),
        )[:limit]
        articles = {a.id: a for a in self.store.articles([aid for _, aid in scored])}
        return [Hit(articles[aid], score) for score, aid in scored if aid in articles]

    def norms(self, lang: str | None) -> Callable[[str], float]:
        """The idf norm of a phrasing's stems, with rarity counted in ``lang`` (Vocabulary.idf); cached until
        the vocabulary changes (norms per phrasing, squared idf per stem)."""
        vocabulary = self.queries.vocabulary
        if self._norms_generation != vocabulary.generation:
            self._norms, self._squares, self._norms_generation = {}, {}, vocabulary.generation
        cache = self._norms.setdefault(lang, {})
        squares = self._squares.setdefault(lang, {})
        idf = vocabulary.idf

        def norm(stems: str) -> float:
            found = cache.get(stems)
            if found is None:
                if len(cache) > 200_000:
                    cache.clear()
                total = 0.0
                for stem in set(stems.split()):
                    square = squares.get(stem)
                    if square is None:
                        square = squares[stem] = idf(stem, lang) ** 2
                    total += square
                found = cache[stems] = math.sqrt(total)
            return found

        return norm

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


def confidence(q: Query, phrasings: tuple[Phrasing, ...], bm25_share: float, norms: Callable[[str], float]) -> float:
    """0..1: how well an article answers ``q``, from its best-matching phrasing and its bm25 share: the best
    idf-weighted cosine between the query's matched forms and a phrasing's stems, and the best token-sort
    similarity of the stems and of the words. (Phrasings and the query's words are stored sorted, so
    ``ratio`` is the token-sort ratio; ``extractOne`` takes the best of them in one call.)"""
    weights = q.weights
    norm_q = math.sqrt(sum(w * w for w in weights.values()))
    best_cosine = 0.0
    for _, stems in phrasings:
        shared = weights.keys() & stems.split()
        if shared and norm_q:
            norm_p = norms(stems)
            if norm_p:
                best_cosine = max(best_cosine, sum(weights[s] ** 2 for s in shared) / (norm_q * norm_p))
    best_stems = process.extractOne(q.sorted_stems, [stems for _, stems in phrasings], scorer=fuzz.ratio)
    best_words = process.extractOne(q.sorted_words, [words for words, _ in phrasings], scorer=fuzz.ratio)
    return min(1.0, W_COSINE * best_cosine + W_STEMS * (best_stems[1] if best_stems else 0.0) / 100
               + W_WORDS * (best_words[1] if best_words else 0.0) / 100 + W_BM25 * bm25_share)
