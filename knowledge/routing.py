"""Topic routing: which expert channel gets a question, from keyword rules with a default."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from knowledge import text
from knowledge.model import Hit


def route(rules: Iterable[tuple[str, str]], question: str, hits: Iterable[Hit] = (), default: str = "") -> str:
    """The channel whose keywords the question's own words match most; when none does, the one the best
    article's keywords match (pass ``hits`` only when that article is a confident match); else ``default``.

    Keywords match on stems and on word starts, so 'parkeer' routes 'parkeervergunning'.
    """
    rules = list(rules)
    found = _vote(rules, set(text.words(question)))
    for hit in list(hits)[:1]:
        found = found or _vote(rules, set(text.words(" ".join(hit.article.keywords))))
    return found or default


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
