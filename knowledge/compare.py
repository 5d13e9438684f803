"""Compare an expert's answer with an existing article, passage by passage: what it repeats, what it adds and
what it changes. The review page (bot/web/review.py) renders the result; nothing here knows a platform.

A word diff of a short answer against a long article is mostly strike-through and says nothing. Instead both
texts are split into passages (sentences; a long sentence at its semicolons), each reduced to its content stems
(knowledge.text, function words left out), and every passage of the answer is aligned with the article's most
similar passage (Dice coefficient of the stem sets). A passage then

- **repeats** the article (``same``): similar enough and no figure or negation differs;
- **changes** it (``changed``): about the same thing (similar enough to be aligned) but a figure (an amount, a
  time, a date, a number with its unit) or a negation ('niet', 'geen', 'not') differs: shown as old → new;
- **adds** to it (``new``): no passage of the article is close.

The whole answer's closeness to an article is the mean similarity of its passages, weighted by their number
of content stems. An article is shown as "close" only at or above CLOSE (measured on the demo's history:
benchmarks/compare_cutoff.py and docs/web-pages.md say how it was chosen). The verdict on an answer: ``new``
(no close article), ``contradicts`` (a passage changes the closest one), ``repeats`` (every passage repeats
it) or ``adds``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from knowledge import text

Weight = Callable[[str], float]  # a stem's weight: its rarity (idf) in the knowledge base, or 1
Kind = Literal["same", "changed", "new"]
Verdict = Literal["new", "repeats", "adds", "contradicts"]

CLOSE = 0.165  # an article at least this close to an answer is shown (benchmarks/compare_cutoff.py)
SAME = 0.5  # a passage at least this similar to an article's passage says the same (unless a figure differs)
ALIGNED = 0.25  # at least this similar: about the same thing (a differing figure is then a change)
SHOWN = 3  # close articles shown at most
MAX_PASSAGES = 200  # of an article or an answer (a pasted text must not hold the page up)

_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-Ý“\"'(€])|\n+")
_CLAUSE = re.compile(r";\s+")
LONG_SENTENCE = 80  # characters: a sentence longer than this is cut at its semicolons
UNITS = (r"%|m²|m2|m³|m3|cm|mm|km|kg|m|euro|eur|uur|u|minuten|minuut|dagen|dag|werkdagen|werkdag|weken|week|"
         r"maanden|maand|jaar|jaren|nachten|nacht|personen|persoon|bezoekers|dieren|stuks|keer|x|days|day|"
         r"working days|weeks|months|years|year|hours|hour|minutes|nights|night|people|persons|visitors|times")
_FIGURE = re.compile(r"€\s?\d+(?:[.,]\d+)*(?:,-)?"          # € 3,50
                     r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b"  # dates
                     r"|\b\d{1,2}[:.]\d{2}\b"                # 18:00
                     rf"|\b\d+(?:[.,]\d+)?\s?(?:{UNITS})(?![\w²³])"  # 30 nachten, 2 m², 1,5 m
                     r"|\b\d+(?:[.,]\d+)?\b", re.IGNORECASE)  # any other number
_NEGATION = {"niet", "geen", "nooit", "niets", "not", "no", "never", "cannot", "cant", "nothing"}
_FUNCTION = text.STOPWORDS["nl"] | text.STOPWORDS["en"]


class Compared(Protocol):
    """What is compared with an answer: an article (knowledge.model.Article has these)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...


@dataclass(frozen=True)
class Part:
    """One passage of the answer and what the closest article says about it."""

    text: str
    kind: Kind
    score: float  # similarity to ``match`` (0..1)
    match: str = ""  # the article's most similar passage ("" when none is aligned)
    changes: tuple[tuple[str, str], ...] = ()  # (the article's figure, the answer's) that differ; "" for none


@dataclass(frozen=True)
class Comparison:
    article_id: str
    title: str
    closeness: float  # 0..1
    verdict: Verdict  # repeats, adds or contradicts (never "new": a comparison is with an article)
    parts: tuple[Part, ...]

    def count(self, kind: Kind) -> int:
        return sum(p.kind == kind for p in self.parts)


@dataclass(frozen=True)
class Review:
    """An answer against the articles search found for it: the verdict, and the close ones (closest first)."""

    verdict: Verdict
    close: tuple[Comparison, ...]
    others: int  # articles search found that were not close enough to show


def passages(body: str) -> list[str]:
    """Sentences of ``body`` (paragraphs, lines, sentence ends); a long sentence cut at its semicolons."""
    out: list[str] = []
    for paragraph in _PARAGRAPHS.split(body):
        for sentence in _SENTENCE_END.split(paragraph):
            sentence = " ".join(sentence.split())
            if not sentence:
                continue
            parts = _CLAUSE.split(sentence) if len(sentence) > LONG_SENTENCE else [sentence]
            out += [p for p in parts if p.strip()]
            if len(out) >= MAX_PASSAGES:
                return out[:MAX_PASSAGES]
    return out


def figures(passage: str) -> tuple[str, ...]:
    """The figures in ``passage`` as written, normalised ('€3,50' and '€ 3,50' alike), in order."""
    return tuple(dict.fromkeys(_norm(m.group(0)) for m in _FIGURE.finditer(passage)))


def _norm(figure: str) -> str:
    return " ".join(figure.lower().replace("€", "€ ").split()).replace(" ,", ",")


def _unit(figure: str) -> str:
    """The kind a figure is of: an amount, a date, a time or its unit ('nachten'); '' for a bare number."""
    if figure.startswith("€"):
        return "€"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}[-/]\d{1,2}[-/]\d{2,4}", figure):
        return "date"
    if re.fullmatch(r"\d{1,2}[:.]\d{2}", figure):
        return "time"
    found = re.fullmatch(r"[\d.,]+\s?(.*)", figure)
    return text.stem(found.group(1), "nl") if found and found.group(1) else ""


def _stems(passage: str, lang: str) -> frozenset[str]:
    return frozenset(s for s in text.stems([w for w in text.words(passage) if w not in _FUNCTION], lang)
                     if not s.isdigit())


def _negated(passage: str) -> bool:
    return any(w in _NEGATION for w in text.words(passage))


def unweighted(_: str) -> float:
    return 1.0


def similarity(a: frozenset[str], b: frozenset[str], weight: Weight = unweighted) -> float:
    """Dice coefficient with each stem weighted by ``weight`` (its rarity): 2 w(a∩b) / (w(a) + w(b));
    0 when both weigh nothing."""
    total = sum(map(weight, a)) + sum(map(weight, b))
    return 2 * sum(map(weight, a & b)) / total if total > 0 else 0.0


def changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The figures of ``new`` that replace one of the same kind in ``old`` (old, new); a figure of a kind ``old``
    does not state is an addition, not a change. A negation on one side only is a change too ("", "niet")."""
    before, after = figures(old), figures(new)
    out = []
    for figure in after:
        if figure in before:
            continue
        unit = _unit(figure)
        replaced = [f for f in before if _unit(f) == unit and f not in after]
        if replaced:
            out.append((replaced[0], figure))
    if _negated(old) != _negated(new):
        words = [w for w in text.words(new if _negated(new) else old) if w in _NEGATION]
        out.append(("", words[0]) if _negated(new) else (words[0], ""))
    return tuple(out)


def _best(mine: frozenset[str], theirs: list[tuple[str, frozenset[str]]], weight: Weight) -> tuple[float, str]:
    return max(((similarity(mine, s, weight), p) for p, s in theirs), default=(0.0, ""))


def _changed(passage: str, mine: frozenset[str], theirs: list[tuple[str, frozenset[str]]], weight: Weight,
             ) -> tuple[float, str, tuple[tuple[str, str], ...]]:
    """The most similar aligned passage of the article whose figures or negation ``passage`` changes, if any
    (an article's price may sit in the clause after the one most like the answer's sentence)."""
    for score, match in sorted(((similarity(mine, s, weight), p) for p, s in theirs), reverse=True):
        if score < ALIGNED:
            break
        differs = changes(match, passage)
        if differs:
            return score, match, differs
    return 0.0, "", ()


def compare(answer: str, article: Compared, lang: str = "nl", weight: Weight = unweighted,
            question: str = "") -> Comparison:
    """``answer`` passage by passage against ``article``'s body (and title); stems weighted by ``weight``. The
    ``question`` the answer answers counts in the closeness (as one passage) but is not a part of the answer."""
    theirs = [(p, _stems(p, lang)) for p in [article.title, *passages(article.body)]]
    parts, weights = [], []
    for passage in passages(answer):
        mine = _stems(passage, lang)
        if not mine:
            continue
        score, match = _best(mine, theirs, weight)
        at, where, differs = _changed(passage, mine, theirs, weight)
        if differs:
            kind: Kind = "changed"
            score, match = at, where
        elif score >= SAME:
            kind = "same"
        else:
            kind = "new"
        parts.append(Part(passage, kind, round(score, 3), match if score >= ALIGNED else "", differs))
        weights.append(sum(map(weight, mine)))
    scores = [p.score for p in parts]
    asked = _stems(question, lang)
    if asked:
        scores.append(_best(asked, theirs, weight)[0])
        weights.append(sum(map(weight, asked)))
    total = sum(weights)
    closeness = sum(s * w for s, w in zip(scores, weights, strict=True)) / total if total > 0 else 0.0
    verdict: Verdict = ("contradicts" if any(p.kind == "changed" for p in parts)
                        else "repeats" if parts and all(p.kind == "same" for p in parts) else "adds")
    return Comparison(article.id, article.title, round(closeness, 3), verdict, tuple(parts))


def review(answer: str, candidates: Iterable[Compared], lang: str = "nl", weight: Weight = unweighted,
           question: str = "", close: float = CLOSE, shown: int = SHOWN) -> Review:
    """The answer against each candidate; those at least ``close`` kept (closest first, at most ``shown``)."""
    found = sorted((compare(answer, c, lang, weight, question) for c in candidates), key=lambda c: -c.closeness)
    kept = tuple(c for c in found if c.closeness >= close)[:shown]
    return Review(kept[0].verdict if kept else "new", kept, len(found) - len(kept))


