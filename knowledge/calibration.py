"""Self-calibration: the answer and suggest thresholds follow from the knowledge base itself.

A fixed threshold means different things on different knowledge bases (a few articles with many phrasings
score otherwise than many articles with a title each). So the KB questions itself, leave-one-out:

- each sampled phrasing (a title or an alternate question) is asked with that phrasing left out of its
  article: an answerable question, answered right when its article comes first;
- the same phrasing is asked with its whole article left out: a question the KB has no answer to;
- what the loop taught: questions agents marked helpful (or not) are asked again, answerable ones.

The answer threshold is the lowest score at which the expected share of false answers stays within
TARGET_FALSE, assuming UNANSWERABLE_SHARE of the questions have no article. What the loop taught may lower it,
and may raise it only as far as its evidence goes (``with_loop``): a raise needs not-helpful marks that put the
false share of the answers above it beyond TARGET_FALSE with 95 % confidence, and goes at most LOOP_MAX_RAISE
above what the knowledge base chose by itself, so a few clicks cannot switch answering off. The suggest
threshold is the
score ESCALATE_SHARE of the unanswerable questions stay below (they go to an expert at once, without
articles that do not fit). The result is stored
in the ``meta`` table per ranking mode and recomputed when the number of articles changed by more than
RECALIBRATE_SHARE. A configured threshold still wins (bot/bootstrap.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Protocol

from knowledge import text
from knowledge.analysis import sort_words
from knowledge.search import Searcher, SearchStore, Thresholds

LEARNED = 300             # the latest questions with feedback that join the answerable ones
SAMPLE = 300               # phrasings asked (the first by a stable hash): seconds, also on a 100k KB
UNANSWERABLE_SHARE = 0.2   # assumed share of questions the KB has no article for
TARGET_FALSE = 0.08        # expected false answers at the chosen threshold (the goal is <= 0.15: a margin)
MAX_UNANSWERABLE = 0.08    # ... and at most this share of unanswerable questions answered
RECALIBRATE_SHARE = 0.10   # recalibrate when the article count changed by more than this share
MIN_ARTICLES = 5           # below this there is nothing to learn from: the built-in thresholds hold
ESCALATE_SHARE = 0.75      # the suggest threshold: this share of the unanswerable questions escalate at once
SCALE = 10_000             # meta holds integers: thresholds in ten-thousandths
LOOP_CONFIDENCE_Z = 1.645  # not-helpful marks raise the threshold when significant: one-sided 95 % (Wilson)
LOOP_MAX_RAISE = 0.05      # ... and by at most this much above the knowledge base's own choice


class Store(SearchStore, Protocol):
    """What calibration reads and keeps, besides what search reads."""

    def article_phrasings(self) -> list[tuple[str, str, tuple[str, ...]]]: ...
    def feedback_questions(self, limit: int) -> list[tuple[str, str, bool]]: ...
    def calibration_values(self, mode: str) -> dict[str, int]: ...
    def save_calibration_values(self, mode: str, values: dict[str, int]) -> None: ...
    def count_unarchived_articles(self) -> int: ...


@dataclass(frozen=True)
class Calibration:
    answer: float
    suggest: float
    articles: int         # indexed articles when calibrated
    answerable: int       # simulated answerable questions
    unanswerable: int     # simulated questions without an article
    correct: float        # expected share of answerable questions answered right at ``answer``
    false_answers: float  # expected share of answers that are wrong at ``answer``
    learned: int = 0      # of the answerable ones: questions agents marked helpful or not helpful (the loop)
    asked: float = 0.0    # the higher threshold the loop's marks asked for and did not get (0: none held back)
    own: float = 0.0      # when the marks asked for more than it: the threshold the knowledge base chose itself

    def thresholds(self, base: Thresholds) -> Thresholds:
        return Thresholds(answer=self.answer, margin=base.margin, suggest=min(self.suggest, self.answer))

    def explanation(self) -> tuple[str, dict[str, object]]:
        """What was chosen and why, as a catalogue key (``calibration_*`` in handlers/messages.py) and its values:
        the command line shows it in the user's language, the log in English."""
        values: dict[str, object] = {
            "answer": self.answer, "suggest": self.suggest, "articles": self.articles,
            "answerable": self.answerable - self.learned, "learned": self.learned, "unanswerable": self.unanswerable,
            "correct": self.correct, "false": self.false_answers, "target": TARGET_FALSE,
            "max_unanswerable": MAX_UNANSWERABLE, "share": UNANSWERABLE_SHARE, "escalate": ESCALATE_SHARE}
        if not self.unanswerable:
            return "calibration_builtin", values
        if not self.answerable:
            return "calibration_no_second_phrasing", values
        if self.asked > self.answer:  # what agents marked asked for more than their evidence carries
            return "calibration_held_back", {**values, "asked": self.asked, "own": self.own, "raise": LOOP_MAX_RAISE}
        if self.answer >= 1.0:
            return "calibration_never", {**values, "answerable": self.answerable}
        return "calibration_chosen", values


def _samples(store: Store) -> list[tuple[str, str, int]]:
    """(article id, phrasing, phrasings of that article) for the first SAMPLE phrasings by a stable hash."""
    found = []
    for article_id, title, questions in store.article_phrasings():
        phrasings = list(dict.fromkeys(p for p in [title, *questions] if p.strip()))
        for p in phrasings:
            key = hashlib.sha1(f"{article_id}\x1f{p}".encode()).hexdigest()
            found.append((key, article_id, p, len(phrasings)))
    found.sort()
    return [(aid, p, n) for _, aid, p, n in found[:SAMPLE]]


def simulate(searcher: Searcher[Store]) -> tuple[list[tuple[float, bool]], list[float]]:
    """Scores of the simulated answerable questions (with whether the first article was right) and of the
    unanswerable ones."""
    answerable: list[tuple[float, bool]] = []
    unanswerable: list[float] = []
    for aid, phrasing, count in _samples(searcher.store):
        q = searcher.query(phrasing)
        hits = searcher.hits(q, leave_out=(aid, None))
        unanswerable.append(hits[0].score if hits else 0.0)
        if count > 1:
            hits = searcher.hits(q, leave_out=(aid, sort_words(text.words(phrasing))))
            if hits:
                answerable.append((hits[0].score, hits[0].article.id == aid))
    return answerable, unanswerable


def learned(searcher: Searcher[Store]) -> list[tuple[float, bool]]:
    """What the loop teaches: the questions agents marked helpful (their article is right) or not helpful
    (that article is wrong), asked again now, as answerable questions with whether the first article is right.
    A not-helpful one counts only when that article still comes first (which one is right is not known)."""
    found: list[tuple[float, bool]] = []
    for question, article, helpful in searcher.store.feedback_questions(LEARNED):
        if not article or not text.has_content(question):
            continue
        hits = searcher.hits(searcher.query(question))
        if hits and (helpful or hits[0].article.id == article):
            found.append((hits[0].score, helpful and hits[0].article.id == article))
    return found


def choose(answerable: list[tuple[float, bool]], unanswerable: list[float], articles: int,
           base: Thresholds) -> Calibration:
    """The thresholds for the simulated scores (see the module's docstring)."""
    if not unanswerable:
        return Calibration(base.answer, base.suggest, articles, len(answerable), 0, 0.0, 0.0)
    chosen = None
    for t in sorted({round(s, 4) for s in unanswerable} | {round(s, 4) for s, _ in answerable} | {1.0}):
        above_u, right, false = _expected(t, answerable, unanswerable)
        if above_u > MAX_UNANSWERABLE:
            continue
        if not answerable or false <= TARGET_FALSE:
            chosen = (t, right, false)
            break
    answer, right, false = chosen or (1.0, 0.0, 0.0)
    return _calibration(answer, right, false, answerable, unanswerable, articles)


def with_loop(answerable: list[tuple[float, bool]], taught: list[tuple[float, bool]], unanswerable: list[float],
              articles: int, base: Thresholds) -> Calibration:
    """``choose`` with what the loop taught (``taught``: questions agents marked, asked again, with whether the
    first article is right) among the answerable questions; a threshold higher than the knowledge base's own
    only as far as the not-helpful marks are evidence (the module's docstring)."""
    found = replace(choose(answerable + taught, unanswerable, articles, base), learned=len(taught))
    own = choose(answerable, unanswerable, articles, base)
    if found.answer <= own.answer:
        return found
    ceiling = min(found.answer, round(own.answer + LOOP_MAX_RAISE, 4))
    answer = ceiling
    for t in sorted({own.answer, *(round(s, 4) for s, _ in taught if own.answer < s < ceiling)}):
        marked = [ok for s, ok in taught if s >= t]
        if _lower_bound(sum(not ok for ok in marked), len(marked)) <= TARGET_FALSE:
            answer = t
            break
    _, right, false = _expected(answer, answerable + taught, unanswerable)
    return replace(_calibration(answer, right, false, answerable + taught, unanswerable, articles),
                   learned=len(taught), asked=found.answer if answer < found.answer else 0.0, own=own.answer)


def _expected(t: float, answerable: list[tuple[float, bool]], unanswerable: list[float]) -> tuple[float, float, float]:
    """At answer threshold ``t``: the share of unanswerable questions answered, the share of answerable ones
    answered right, and the expected share of answers that are false (UNANSWERABLE_SHARE of questions having no
    article)."""
    pi = UNANSWERABLE_SHARE
    n_a = max(len(answerable), 1)
    above_u = sum(1 for s in unanswerable if s >= t) / len(unanswerable)
    right = sum(1 for s, ok in answerable if s >= t and ok) / n_a
    wrong = sum(1 for s, ok in answerable if s >= t and not ok) / n_a
    answered = pi * above_u + (1 - pi) * (right + wrong)
    return above_u, right, (pi * above_u + (1 - pi) * wrong) / answered if answered else 0.0


def _calibration(answer: float, right: float, false: float, answerable: list[tuple[float, bool]],
                 unanswerable: list[float], articles: int) -> Calibration:
    ordered = sorted(unanswerable)
    suggest = min(ordered[int(len(ordered) * ESCALATE_SHARE)], answer)
    return Calibration(round(answer, 4), round(suggest, 4), articles, len(answerable), len(unanswerable),
                       round(right, 4), round(false, 4))


def _lower_bound(k: int, n: int, z: float = LOOP_CONFIDENCE_Z) -> float:
    """The Wilson score interval's lower end for ``k`` of ``n``: the least share the data support (0 for none)."""
    if not n:
        return 0.0
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, (centre - spread) / (1 + z * z / n))


def calibrate(searcher: Searcher[Store], mode: str, base: Thresholds | None = None) -> Calibration:
    """Calibrate ``searcher`` on its own knowledge base and store the result for ``mode``."""
    base = base or searcher.thresholds
    articles = _articles(searcher.store)
    if articles < MIN_ARTICLES:
        found = Calibration(base.answer, base.suggest, articles, 0, 0, 0.0, 0.0)
    else:
        answerable, unanswerable = simulate(searcher)
        found = with_loop(answerable, learned(searcher), unanswerable, articles, base)
    save(searcher.store, mode, found)
    return found


def stored(store: Store, mode: str, articles_now: int | None = None) -> Calibration | None:
    """The stored calibration for ``mode``, or None when there is none or the KB changed materially since
    (``articles_now``: the indexed articles, when the caller knows; counting them takes 0.2 s at 100,000)."""
    kept = store.calibration_values(mode)
    if "answer" not in kept:
        return None
    articles = kept.get("articles", 0)
    now = _articles(store) if articles_now is None else articles_now
    if abs(now - articles) > max(1.0, RECALIBRATE_SHARE * articles):
        return None

    def get(name: str) -> int:
        return kept.get(name, 0)

    return Calibration(get("answer") / SCALE, get("suggest") / SCALE, articles, get("answerable"),
                       get("unanswerable"), get("correct") / SCALE, get("false") / SCALE, get("learned"),
                       get("asked") / SCALE, get("own") / SCALE)


def save(store: Store, mode: str, found: Calibration) -> None:
    values = {"answer": round(found.answer * SCALE), "suggest": round(found.suggest * SCALE),
              "articles": found.articles, "answerable": found.answerable, "unanswerable": found.unanswerable,
              "correct": round(found.correct * SCALE), "false": round(found.false_answers * SCALE),
              "learned": found.learned, "asked": round(found.asked * SCALE), "own": round(found.own * SCALE)}
    store.save_calibration_values(mode, values)


def ensure(searcher: Searcher[Store], mode: str, base: Thresholds) -> Calibration:
    """The stored calibration for ``mode`` when it is current, else a new one."""
    vocabulary = searcher.queries.vocabulary
    vocabulary.refresh()  # counts the indexed articles anyway when the KB changed
    return stored(searcher.store, mode, vocabulary.docs) or calibrate(searcher, mode, base)


def _articles(store: Store) -> int:
    return store.count_unarchived_articles()
