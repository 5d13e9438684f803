"""Search: SQLite FTS5 finds candidates; term statistics and rapidfuzz rank them; thresholds decide.

One call, ``Searcher.search``, serves every entry point (chat, CLI, eval). Scores are 0..1, higher is
more confident; the weights and thresholds below were chosen by measurement on the development sets
(README: "Search quality").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from rapidfuzz import fuzz, process

from knowledge import smalltalk, text
from knowledge.analysis import Phrasing
from knowledge.answerability import Evidence
from knowledge.directory import Directory, find_people
from knowledge.model import UNSEARCHABLE, Article, Decision, Hit, SearchResult
from knowledge.query import Query, QueryBuilder
from knowledge.query import Store as VocabularyStore

# bm25 column weights over (article_id, title, questions, keywords, body).
FIELD_WEIGHTS = (0.0, 4.0, 3.0, 2.0, 1.0)
CANDIDATES = 24         # lexical candidates ranked per question (20-40 measured the same on the dev sets)
RERANK_CANDIDATES = 40  # with a reranker more of them get a second opinion
NEIGHBOURS = 8  # articles nearest in meaning that join them for a question across languages (``Searcher.across``)
# Finding them scans every stored vector: 1.5 kB of memory an article and, at 100,000 articles, 8 ms a question;
# there it made bench_search's semantic p95 a third to a half slower and its memory 207 -> 317 MB. Up to this many
# articles the scan costs under 2 ms and 30 MB; above it a question is not searched across (an approximate index
# would be needed: docs/judgement.md, "Across languages").
ACROSS_MAX_ARTICLES = 20_000
BM25_COST = 2_500  # bm25 orders the candidates when their terms are in at most this many articles (together)
# How the confidence is made (``confidence``): the idf evidence the article's phrasings hold for the question,
# the token-sort similarity of the words with its best phrasing, and the bm25 score relative to the best
# candidate; then the first one gains LEAD times its lead over the runner-up (README: "Search quality").
W_EVIDENCE, W_WORDS, W_BM25 = 0.50, 0.45, 0.05
LEAD = 1.0
NO_QUESTION: Decision = "no_question"  # the decision for a message without content: ask for the question, show nothing
OTHER_LANGUAGE = 0.9  # an article in another language than the question plainly is in ranks a little lower
MAX_QUERY = 4_000  # characters of a question searched, whoever calls: the rest is cut (Desk keeps as many)
# Seconds a question waits for the reranker (the model's vector of it) before it is answered from the lexical
# ranking; a normal question's takes 10-40 ms of CPU, an odd one's at most ~0.1 s (knowledge/budget.py). 0: no limit.
SEMANTIC_BUDGET = 0.5

log = logging.getLogger(__name__)


Candidate = tuple[str, float, str, tuple[Phrasing, ...]]  # article id, bm25 (0: unordered), language, phrasings
LeaveOut = tuple[str, str | None]  # an article id, and the sorted words of one of its phrasings (None: all)


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.78   # answer at once at or above this ...
    margin: float = 0.0    # ... when the runner-up is at least this much lower (the lead is in the score)
    suggest: float = 0.55  # below this nothing is relevant: escalate at once


# A lexical candidate in the question's own language this good (the built-in lexical answer threshold) and the
# question is not searched across languages (``Searcher.across``): that scan costs a pass over every vector.
ACROSS_ENOUGH = Thresholds().answer


class SearchStore(VocabularyStore, Directory, Protocol):
    """What search reads through: full-text candidates, the articles, and the vocabulary and people behind them
    (knowledge.sqlite: FTS5 and bm25; another backend brings its own index)."""

    def matching(self, match: str | None, limit: int, weights: Sequence[float] | None = None,
                 ) -> list[Candidate]: ...
    def articles(self, ids: Iterable[str] | None = None, status: str | None = None) -> list[Article]: ...


S = TypeVar("S", bound=SearchStore, covariant=True)  # the store a searcher was given (calibration reads more of it)


class OverBudget(Exception):
    """The reranker had no opinion by the question's deadline: the lexical ranking stands."""


class Reranker(Protocol):
    """An optional second opinion on the lexical candidates (knowledge.semantic.SemanticReranker)."""

    def rerank(self, query: str, hits: Sequence[Hit], deadline: float | None = None, across: str | None = None,
               ) -> list[Hit]:
        """``hits`` reranked; with a ``deadline`` (``time.monotonic()``) by then, or OverBudget. ``across``: the
        question's language when it is asked across languages (``Searcher.across``)."""
        ...

    def neighbours(self, query: str, limit: int, skip: Collection[str] = (), deadline: float | None = None,
                   ) -> list[str]:
        """The ids of the ``limit`` articles nearest in meaning to ``query`` (``skip`` left out), by the deadline."""
        ...

    def ready(self) -> bool:
        """Whether it can judge now (the semantic rerank: when the articles have their vectors)."""
        ...


class Searcher(Generic[S]):
    def __init__(self, store: S, thresholds: Thresholds | None = None, default_lang: str = "nl",
                 reranker: Reranker | None = None, calibrate: Callable[[Searcher[S]], Thresholds] | None = None,
                 ) -> None:
        self.store = store
        self.thresholds = thresholds or Thresholds()
        self.default_lang = default_lang
        self.queries = QueryBuilder(store)
        self.reranker = reranker
        self.calibrate = calibrate  # thresholds for the knowledge base as it is now (knowledge.calibration)
        self._calibrated_at: object = None
        # seconds a question waits for the reranker (None or 0: as long as it takes; calibration and evaluation)
        self.budget: float | None = SEMANTIC_BUDGET
        self.fallbacks = 0  # questions answered from the lexical ranking because the reranker ran out of time

    @property
    def semantic(self) -> bool:
        """Whether the reranker takes part: there is one, and it is ready (until then the bot serves lexically)."""
        return self.reranker is not None and self.reranker.ready()

    def recalibrate(self) -> None:
        """Take the thresholds ``calibrate`` gives, when the knowledge base or the ranking in use changed since
        the last time."""
        now = (self.store.generation, self.semantic)
        if self.calibrate is not None and now != self._calibrated_at:
            self._calibrated_at = now  # first: calibrating searches, and must not recurse
            self.thresholds = self.calibrate(self)

    def search(self, query: str, *, limit: int = 5, people: bool = True) -> SearchResult:
        query = text.scrub(query[:MAX_QUERY])
        judged = smalltalk.judge(query, smalltalk.known_by(self.queries))
        if judged.small_talk:  # 'hallo', 'dank je', 'test', 'asdf': nothing to search for
            return smalltalk.no_question(query, judged, self.default_lang)
        self.recalibrate()
        deadline = time.monotonic() + self.budget if self.budget else None
        q = self.query(judged.question)  # without the small talk around it ('hoi, ik heb een vraag: ...')
        hits, reranked, _ = self._hits(q, limit=limit, deadline=deadline)
        decision = self.decide(hits)
        if not reranked and decision == "answer":
            decision = "suggest"  # the thresholds are the rerank's: the lexical ranking alone does not answer
        if decision == "escalate" and judged.verdict == "doubtful":  # 'top, dan bel ik terug': nothing found
            return smalltalk.no_question(query, judged, self.default_lang)
        # the best article's owner and keywords point at experts only when that article is relevant
        topic = hits[:1] if decision != "escalate" else []
        found_people = find_people(self.store, q, topic) if people else []
        return SearchResult(query=query, decision=decision, hits=tuple(hits[:limit]),
                            people=tuple(found_people), lang=q.lang)

    def query(self, question: str) -> Query:
        said = text.guess_lang(question)
        return self.queries.build(question, said or self.default_lang, said=said)

    def hits(self, q: Query, *, limit: int = 5, leave_out: LeaveOut | None = None) -> list[Hit]:
        """The ranked articles for ``q``, at least three; ``leave_out`` ranks as if an article, or one phrasing
        of it, were not in the knowledge base (what calibration asks)."""
        return self._hits(q, limit=limit, leave_out=leave_out)[0]

    def judged(self, q: Query, *, limit: int = 5, leave_out: LeaveOut | None = None,
               ) -> tuple[list[Hit], Evidence]:
        """``hits`` with what the ranking knew besides them (knowledge.answerability; its training reads it)."""
        hits, _, evidence = self._hits(q, limit=limit, leave_out=leave_out, evidence=True)
        assert evidence is not None
        return hits, evidence

    def _hits(self, q: Query, *, limit: int, leave_out: LeaveOut | None = None, deadline: float | None = None,
              evidence: bool = False) -> tuple[list[Hit], bool, Evidence | None]:
        """``hits``, False when the reranker should have judged them but ran out of time (``deadline``): then
        they are the lexical ranking of the candidates it was given; and, when asked for (``evidence``), what
        the ranking knew besides them (only the answerability measurement asks: it cost a search 12 %)."""
        coverage: dict[str, float] | None = {} if evidence else None
        if self.reranker is None or not self.semantic:
            found = self.rank(q, limit=max(limit, 3), leave_out=leave_out, coverage=coverage)
            return lead(found), True, _evidence(found, coverage)
        # the reranker sees every candidate, before the list is cut
        found = self.rank(q, limit=RERANK_CANDIDATES, candidates=RERANK_CANDIDATES, leave_out=leave_out,
                          coverage=coverage)
        known = _evidence(found, coverage)
        across = self.across(q, found)
        try:
            if across:  # the articles nearest in meaning join the candidates: they may share no word with it
                found = found + self._neighbours(q, found, leave_out, deadline)
            return (lead(self.reranker.rerank(q.raw, found, deadline=deadline, across=across)[:max(limit, 3)]), True,
                    known)
        except OverBudget:
            self.fallbacks += 1
            log.info("the semantic rerank took more than %.2f s: this question gets the lexical ranking", self.budget)
            return lead(found[:max(limit, 3)]), False, known

    def across(self, q: Query, found: Sequence[Hit] = ()) -> str | None:
        """The question's language when it is asked across languages: it is plainly in one that fewer than half
        of the articles are in (an English question on a mostly Dutch knowledge base), and the lexical stage
        found little in that language (no candidate of ``found`` in it scores what the lexical ranking answers
        at). The article that answers it may then share no word with it."""
        by_lang = self.queries.vocabulary.docs_by_lang
        total = sum(by_lang.values())
        if q.said is None or by_lang.get(q.said, 0) * 2 >= total or total > ACROSS_MAX_ARTICLES:
            return None
        if any(h.article.lang == q.said and h.score >= ACROSS_ENOUGH for h in found):
            return None
        return q.said

    def _neighbours(self, q: Query, found: list[Hit], leave_out: LeaveOut | None, deadline: float | None,
                    ) -> list[Hit]:
        """The NEIGHBOURS articles nearest in meaning to ``q`` that are not among the candidates ``found``, as
        candidates without lexical evidence (score 0; the reranker judges them by meaning)."""
        assert self.reranker is not None
        skip = {h.article.id for h in found}
        if leave_out is not None and leave_out[1] is None:
            skip.add(leave_out[0])
        ids = self.reranker.neighbours(q.raw, NEIGHBOURS, skip, deadline)
        return [Hit(a, 0.0) for a in self.store.articles(ids) if a.status not in UNSEARCHABLE] if ids else []

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

    def rank(self, q: Query, *, limit: int, candidates: int = CANDIDATES, leave_out: LeaveOut | None = None,
             coverage: dict[str, float] | None = None) -> list[Hit]:
        """The candidates scored by ``confidence``, best first; ``coverage`` (when given) gets each one's share of
        the question's idf that its phrasings hold."""
        found = self.candidates(q, limit=candidates)
        if leave_out is not None:
            found = _without(found, *leave_out)
        if not found:
            return []
        best_bm25 = max(score for _, score, _, _ in found) or 1.0
        top_idf = self.queries.vocabulary.top_idf(q.said)
        total = sum(weight for weight, _, _ in q.groups) or 1.0
        scored = []
        for aid, bm, lang, phrasings in found:
            matched = matched_idf(q, phrasings)
            if coverage is not None:
                coverage[aid] = round(matched / total, 4)
            score = _confidence(q, phrasings, matched, bm / best_bm25, top_idf)
            scored.append((round(score * (OTHER_LANGUAGE if q.said and lang != q.said else 1.0), 4), aid))
        scored = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]
        articles = {a.id: a for a in self.store.articles([aid for _, aid in scored])}
        return [Hit(articles[aid], score) for score, aid in scored if aid in articles]

    def decide(self, hits: list[Hit]) -> Decision:
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


def _without(found: list[Candidate], article_id: str, phrasing: str | None) -> list[Candidate]:
    out = []
    for aid, bm, lang, phrasings in found:
        if aid == article_id:
            phrasings = tuple(p for p in phrasings if phrasing is not None and p[0] != phrasing)
            if not phrasings:
                continue
        out.append((aid, bm, lang, phrasings))
    return out


def _evidence(found: list[Hit], coverage: dict[str, float] | None) -> Evidence | None:
    if coverage is None:
        return None
    return Evidence({h.article.id: h.score for h in found}, coverage, found[0].article.id if found else None)


def lead(hits: list[Hit]) -> list[Hit]:
    """The first hit's confidence raised by LEAD times its lead over the runner-up: an article that stands
    out is more likely the answer than the best of several close ones (+0.01 to +0.07 correct@far10 on the
    dev sets, lexical and semantic)."""
    if not hits:
        return hits
    gap = hits[0].score - (hits[1].score if len(hits) > 1 else 0.0)
    return [Hit(hits[0].article, round(min(1.0, hits[0].score + LEAD * gap), 4)), *hits[1:]]


def confidence(q: Query, phrasings: tuple[Phrasing, ...], bm25_share: float, top_idf: float) -> float:
    """0..1: how well an article answers ``q``. Mostly the evidence: the idf of the question's words that the
    article's phrasings (title, questions, keywords) contain, added up and saturated as
    ``matched / (matched + top_idf)``, where ``top_idf`` is the idf of a word in no article; so a rare word
    weighs far more than the template words many phrasings share, and a question whose telling word is absent
    gets no credit for it. Then the token-sort similarity of the words with the best phrasing (a paraphrase of
    a phrasing as a whole), and a little of the bm25 share. (Phrasings and the question's words are stored
    sorted, so ``ratio`` is the token-sort ratio.)"""
    return _confidence(q, phrasings, matched_idf(q, phrasings), bm25_share, top_idf)


def matched_idf(q: Query, phrasings: tuple[Phrasing, ...]) -> float:
    """The idf of the question's words that the article's phrasings contain, added up."""
    words = set()
    for _, stems in phrasings:
        words.update(stems.split())
    return sum(weight for weight, forms, _ in q.groups if not forms.isdisjoint(words))


def _confidence(q: Query, phrasings: tuple[Phrasing, ...], matched: float, bm25_share: float, top_idf: float,
                ) -> float:
    best_words = process.extractOne(q.sorted_words, [w for w, _ in phrasings], scorer=fuzz.ratio)
    return min(1.0, W_EVIDENCE * matched / (matched + top_idf)
               + W_WORDS * (best_words[1] if best_words else 0.0) / 100 + W_BM25 * bm25_share)
