"""How an article is analysed for search, once, when it is stored: per indexed field, and per phrasing."""

from __future__ import annotations

import json
import sys

from knowledge import text
from knowledge.cache import ByteCache
from knowledge.model import Article

LOADED_BYTES = 8 << 20  # decoded phrasings of the articles that come up as candidates


def lang_of(article: Article) -> str:
    return article.lang if article.lang in text.STOPWORDS else "nl"


VERSION = 2  # bumped when what ``analyse`` stores changes: a store re-analyses its articles on opening

Phrasing = tuple[str, str]  # (its words, folded; its stems), each sorted and space-joined


def analyse(article: Article) -> tuple[dict[str, str], tuple[Phrasing, ...]]:
    """Everything search needs of an article, each text tokenised and stemmed once:

    - per indexed field (title, questions, keywords, body) its stems, space-joined, in the article's language;
    - its phrasings: the title, each alternate question, and each keyword (a curated short phrasing: 'BRP'
      alone is then a perfect match for the article keyed 'brp'), each as sorted words and sorted stems (what a
      question is compared with; sorted so rapidfuzz's plain ratio is the token-sort ratio without sorting per
      question)."""
    lang = lang_of(article)
    title = text.words(article.title)
    questions = [text.words(q) for q in article.questions]
    keywords = text.words(" ".join(article.keywords))
    analysed = [(ws, text.stems(ws, lang)) for ws in (title, *questions, keywords)]
    fields = {
        "title": " ".join(analysed[0][1]),
        "questions": " ".join(" ".join(st) for _, st in analysed[1:-1]),
        "keywords": " ".join(analysed[-1][1]),
        "body": " ".join(text.terms(article.body, lang)),
    }
    sources = analysed[:-1] + [(ws, text.stems(ws, lang)) for ws in (text.words(k) for k in article.keywords) if ws]
    return fields, tuple(dict.fromkeys((sort_words(ws), sort_words(st)) for ws, st in sources))


def sort_words(words: list[str]) -> str:
    return " ".join(sorted(words))


def dump(items: tuple[Phrasing, ...]) -> str:
    return json.dumps([list(p) for p in items], ensure_ascii=False)


_LOADED: ByteCache[tuple[Phrasing, ...]] = ByteCache(LOADED_BYTES)


def load(raw: str) -> tuple[Phrasing, ...]:
    """The phrasings ``dump`` stored; a candidate article's are read for every question it matches, so the
    decoded ones are kept (by their JSON, so a changed article is decoded anew)."""
    found = _LOADED.get(raw)
    if found is None:
        found = tuple((words, stems) for words, stems in json.loads(raw or "[]"))
        # the words and stems hold about the JSON's characters again, each pair about 200 bytes more (tracemalloc)
        found = _LOADED.put(raw, found, size=sys.getsizeof(raw) + 200 * len(found))
    return found
