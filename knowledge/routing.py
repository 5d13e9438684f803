"""Topic routing: which expert channel gets a question, from what experts taught it (re-routes and marked
answers, knowledge.model.LearnedRoute), then keyword rules, then a default. See docs/routing.md."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from knowledge import text
from knowledge.model import Hit, LearnedRoute

MAX_WORDS = 12  # content words kept of a question for a lesson
LEARNED_SHARE = 0.6  # of a lesson's words a question must have (stems) for the lesson to route it
LEARNED_MIN = 2  # and at least this many of them (a one-word lesson: that word)


def route(rules: Iterable[tuple[str, str]], question: str, hits: Iterable[Hit] = (), default: str = "",
          learned: Iterable[LearnedRoute] = ()) -> str:
    """The channel a lesson learned from the experts sends the question to (``learned_match``); else the channel
    whose keywords the question's own words match most; when none does, the one the best article's keywords
    match (pass ``hits`` only when that article is a confident match); else ``default``.

    Keywords match on stems and on word starts, so 'parkeer' routes 'parkeervergunning'.
    """
    lesson = learned_match(learned, question)
    if lesson is not None:
        return lesson.channel
    rules = list(rules)
    found = _vote(rules, set(text.words(question)))
    for hit in list(hits)[:1]:
        found = found or _vote(rules, set(text.words(" ".join(hit.article.keywords))))
    return found or default


def content_words(question: str) -> tuple[str, ...]:
    """What a question is about, as a lesson keeps it: its words without function words, greetings and
    placeholders of masked data, each once, in order (at most MAX_WORDS)."""
    stop = text.STOPWORDS["nl"] | text.STOPWORDS["en"] | text.COURTESY
    kept = [w for w in text.words(question) if w not in stop and not w.isdigit() and len(w) > 1]
    return tuple(dict.fromkeys(kept))[:MAX_WORDS]


def _stems(word: str) -> set[str]:
    return {text.stem(word, "nl"), text.stem(word, "en")}


def learned_match(learned: Iterable[LearnedRoute], question: str) -> LearnedRoute | None:
    """The lesson whose words the question shares most: at least LEARNED_SHARE of them and LEARNED_MIN (by stem,
    Dutch or English). Of equals the one confirmed by a marked answer, then the latest."""
    asked = set().union(*(_stems(w) for w in content_words(question))) if question else set()
    best: tuple[float, int, bool, int] | None = None
    found = None
    for lesson in learned:
        if lesson.undone_at or not lesson.words:
            continue
        shared = sum(1 for w in lesson.words if _stems(w) & asked)
        share = shared / len(lesson.words)
        if share < LEARNED_SHARE or shared < min(LEARNED_MIN, len(lesson.words)):
            continue
        key = (share, shared, lesson.answered, lesson.id)
        if best is None or key > best:
            best, found = key, lesson
    return found


def _vote(rules: list[tuple[str, str]], words: set[str]) -> str:
    stems = {text.stem(w, lang) for w in words for lang in ("nl", "en")}
    votes: Counter[str] = Counter()
    for keyword, channel in rules:
        parts = text.words(keyword)
        if not parts:
            continue
        if all(any(w.startswith(p) for w in words) or text.stem(p, "nl") in stems or text.stem(p, "en") in stems
               for p in parts):
            votes[channel] += len(keyword)
    if not votes:
        return ""
    return max(sorted(votes), key=lambda c: votes[c])
