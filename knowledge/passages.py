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
from dataclasses import dataclass

from knowledge import text
from knowledge.cache import ByteCache

LIMIT = 500  # characters shown of an article in chat
CACHE_BYTES = 8 << 20  # the split and stemmed bodies of the articles that answer most (a body is read again for
# every question it answers; splitting and stemming it was a sixth of a question's time)
ELLIPSIS = "…"
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-Ý“\"'(])")
_FIGURE = re.compile(r"(€|\beuro\b|\d+[.,]\d{2}\b|\b\d{1,2}[:.]\d{2}\b|\b\d+\s*(dagen|weken|werkdagen|maanden|jaar|"
                     r"uur|minuten|days|weeks|months|years|hours|minutes)\b|\b(januari|februari|maart|april|mei|juni|juli|"
                     r"augustus|september|oktober|november|december|january|february|march|june|july|august|"
                     r"october)\b)", re.IGNORECASE)
_ASKS_FIGURE = re.compile(r"\b(hoeveel|kost|kosten|prijs|tarief|wanneer|hoelang|hoe lang|termijn|duur|how much|cost|"
                          r"costs|price|fee|when|how long|deadline)\b", re.IGNORECASE)


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
    figures: list[bool]  # whether each part has an amount, a date or a time


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
        figures = [bool(_FIGURE.search(part)) for part in parts]
        found = _SPLIT.put(key, _Split(parts, stems, spread, figures),
                           size=4 * sys.getsizeof(body) + 1024 * len(parts))
    return found


def best_passage(body: str, question: str, lang: str = "nl", limit: int = LIMIT) -> Passage:
    """The paragraph of ``body`` that answers ``question`` best (the first one when none matches)."""
    split = _split(body, lang)
    parts, stems, spread = split.parts, split.stems, split.spread
    if not parts:
        return Passage("", False)
    asked = set(text.terms(question, lang))
    wants_figure = bool(_ASKS_FIGURE.search(question))

    def score(i: int) -> float:
        rarity = sum(math.log(1 + len(parts) / spread[term]) for term in asked & stems[i])
        return rarity + (0.75 if wants_figure and split.figures[i] else 0.0) - 0.01 * i

    best = max(range(len(parts)), key=score) if asked else 0
    chosen = parts[best]
    if len(chosen) > limit:
        cut = chosen[:limit]
        end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        chosen = (cut[: end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0]) + " " + ELLIPSIS
    before = ELLIPSIS + " " if best > 0 else ""
    after = " " + ELLIPSIS if best < len(parts) - 1 and not chosen.endswith(ELLIPSIS) else ""
    shown = f"{before}{chosen}{after}"
    return Passage(shown, cut=bool(before or after or chosen.endswith(ELLIPSIS)))


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
