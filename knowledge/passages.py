"""The part of an article that answers a question: its best-matching paragraph, cut only with a mark.

An agent with a customer on the line needs the price or the date the customer asks for, not the first 400
characters. A body is split into paragraphs (blank lines; a long paragraph into sentences); each is scored by
the question's stems it holds, rarer stems (in fewer of the paragraphs) counting more, and a paragraph with an
amount, a date or a time gains when the question asks how much, when or how long. The best one is shown with
"…" wherever text before or after it is left out.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from knowledge import text
from knowledge.cache import ByteCache

LIMIT = 500  # characters shown of an article in chat
CACHE_BYTES = 8 << 20  # the split and stemmed bodies of the articles that answer most (a body is read again for
# every question it answers; splitting and stemming it was a sixth of a question's time)
ELLIPSIS = "…"
_FUNCTION = text.STOPWORDS["nl"] | text.STOPWORDS["en"]
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-Ý“\"'(])")
# The figures an answer may turn on, by kind: an amount, a time of day, a date, a duration.
_FIGURES = {
    "amount": re.compile(r"€|\beuro\b|\b\d+,\d{2}\b|\b\d+,-", re.IGNORECASE),
    "time": re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*uur\b|\b\d{1,2}\s*(am|pm)\b|"
                       r"\b(tot|van|from|until)\s+\d{1,2}\b", re.IGNORECASE),
    "date": re.compile(r"\b(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
                       r"january|february|march|june|july|august|october|maandag|dinsdag|woensdag|donderdag|vrijdag|"
                       r"zaterdag|zondag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|weekly)\b|"
                       r"\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b", re.IGNORECASE),
    "duration": re.compile(r"\b\d+\s*(dagen|dag|weken|week|werkdagen|maanden|maand|jaar|uur|minuten|days|day|weeks|"
                           r"months|years|hours|minutes)\b", re.IGNORECASE),
}
# What a question asks for, and the kinds of figure that answer it ('hoeveel kost': an amount; 'hoe laat': a time
# or a date; 'wanneer' also a duration, 'na 5 werkdagen'; 'hoe lang': a duration). 'hoeveel' alone takes any.
_ASKS = (
    (re.compile(r"\b(kost|kosten|kostte|prijs|prijzen|tarief|tarieven|bedrag|leges|betalen|how much|cost|costs|price|"
                r"fee|fees|charge|pay)\b", re.IGNORECASE), ("amount",)),
    (re.compile(r"\b(hoe laat|openingstijden|open|dicht|gesloten|what time|opening hours|open|closed)\b",
                re.IGNORECASE), ("time", "date")),
    (re.compile(r"\b(wanneer|when)\b", re.IGNORECASE), ("time", "date", "duration")),
    (re.compile(r"\b(hoelang|hoe lang|duur|duurt|termijn|binnen|how long|deadline|takes|within)\b", re.IGNORECASE),
     ("duration",)),
    (re.compile(r"\b(hoeveel|how many|how much)\b", re.IGNORECASE), tuple(_FIGURES)),
)
# A part holding the kind of figure asked for gains as much as a question word found in that part alone (the kind
# of answer weighs as much as its subject); another figure, when the question asks for one, a little.
OTHER_FIGURE = 0.25


def figures(part: str) -> frozenset[str]:
    """The kinds of figure ``part`` holds."""
    return frozenset(kind for kind, pattern in _FIGURES.items() if pattern.search(part))


def asked_figures(question: str) -> frozenset[str]:
    """The kinds of figure that answer ``question`` (none: it asks for no figure)."""
    return frozenset(kind for pattern, kinds in _ASKS if pattern.search(question) for kind in kinds)


@dataclass(frozen=True)
class Passage:
    text: str
    cut: bool  # something of the body is left out (before, after or inside)


def _parts(body: str) -> list[str]:
    parts: list[str] = []
    for paragraph in _PARAGRAPHS.split(body.strip()):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if len(paragraph) <= LIMIT:
            parts.append(paragraph)
            continue
        sentences, chunk = _SENTENCE_END.split(paragraph), ""
        for sentence in sentences:
            if chunk and len(chunk) + 1 + len(sentence) > LIMIT:
                parts.append(chunk)
                chunk = sentence
            else:
                chunk = f"{chunk} {sentence}".strip()
        if chunk:
            parts.append(chunk)
    return parts


@dataclass(frozen=True)
class _Split:
    parts: list[str]
    stems: list[frozenset[str]]  # each part's
    spread: dict[str, int]  # in how many parts each stem is
    figures: list[frozenset[str]]  # the kinds of figure each part holds (amount, time, date, duration)


_SPLIT: ByteCache[_Split] = ByteCache(CACHE_BYTES)


def _split(body: str, lang: str) -> _Split:
    """``body`` split into parts with what scoring needs of them; from the cache when this body was split
    before."""
    key = f"{lang}\0{body}"
    found = _SPLIT.get(key)
    if found is None:
        parts = _parts(body)
        stems = [frozenset(text.terms(part, lang)) for part in parts]
        spread: dict[str, int] = {}
        for held in stems:
            for stem in held:
                spread[stem] = spread.get(stem, 0) + 1
        # the parts hold the body again, the stems about as much; each part and its set about 1 kB more,
        # the counts about as much as the stems (tracemalloc)
        found = _SPLIT.put(key, _Split(parts, stems, spread, [figures(part) for part in parts]),
                           size=4 * sys.getsizeof(body) + 1024 * len(parts))
    return found


Score = Callable[[frozenset[str], frozenset[str], int, int, dict[str, int]], float]


def best_passage(body: str, question: str, lang: str = "nl", limit: int = LIMIT) -> Passage:
    """The paragraph of ``body`` that answers ``question`` best (the first one when none matches); when it is
    longer than ``limit``, the sentences of it that answer best, so a short passage (a suggestion's) still
    shows the amount, date or time the question asks for. "…" marks whatever is left out."""
    split = _split(body, lang)
    parts = split.parts
    if not parts:
        return Passage("", False)
    # the question's own words (its function words, 'het', 'de', 'kan', say nothing about which part answers)
    asked = set(text.stems([w for w in text.words(question) if w not in _FUNCTION], lang))
    wants = asked_figures(question)

    def score(held: frozenset[str], kinds: frozenset[str], place: int, count: int, spread: dict[str, int]) -> float:
        """Rarer question stems count more (rarity among ``count`` siblings); the figure asked for counts."""
        if not asked and not wants:
            return -place  # nothing to go by: the first
        rarity = sum(math.log(1 + count / spread[term]) for term in asked & held)
        figure = math.log(1 + count) if wants & kinds else OTHER_FIGURE if wants and kinds else 0.0
        return rarity + figure - 0.01 * place

    best = max(range(len(parts)), key=lambda i: score(split.stems[i], split.figures[i], i, len(parts), split.spread))
    shown, before, after = _window(parts[best], score, lang, limit)
    before, after = before or best > 0, after or best < len(parts) - 1
    return Passage(f"{ELLIPSIS + ' ' if before else ''}{shown}{' ' + ELLIPSIS if after else ''}", before or after)


def _window(part: str, score: Score, lang: str, limit: int) -> tuple[str, bool, bool]:
    """At most ``limit`` characters of ``part``: all of it when it fits, else its best sentence with its
    neighbours as far as they fit (the next one first), else that sentence cut at a word; and whether something
    is left out before and after."""
    if len(part) <= limit:
        return part, False, False
    sentences = _SENTENCE_END.split(part)
    held = [frozenset(text.terms(sentence, lang)) for sentence in sentences]
    spread: dict[str, int] = {}
    for stems in held:
        for stem in stems:
            spread[stem] = spread.get(stem, 0) + 1
    best = max(range(len(sentences)), key=lambda i: score(held[i], figures(sentences[i]), i, len(sentences), spread))
    first = last = best
    size = len(sentences[best])
    while True:
        if last + 1 < len(sentences) and size + 1 + len(sentences[last + 1]) <= limit:
            last += 1
            size += 1 + len(sentences[last])
        elif first > 0 and size + 1 + len(sentences[first - 1]) <= limit:
            first -= 1
            size += 1 + len(sentences[first])
        else:
            break
    shown = " ".join(sentences[first:last + 1])
    if len(shown) > limit:  # one sentence longer than the limit
        shown = shown[:limit].rsplit(" ", 1)[0]
        return shown, first > 0, True
    return shown, first > 0, last + 1 < len(sentences)


def paragraphs(body: str, limit: int = 2800) -> list[str]:
    """The whole body as paragraphs of at most ``limit`` characters (a chat block holds about 3,000)."""
    out: list[str] = []
    for paragraph in _PARAGRAPHS.split(body.strip()):
        paragraph = paragraph.strip()
        while len(paragraph) > limit:
            cut = paragraph[:limit].rsplit(" ", 1)[0] or paragraph[:limit]
            out.append(cut)
            paragraph = paragraph[len(cut):].strip()
        if paragraph:
            out.append(paragraph)
    return out
