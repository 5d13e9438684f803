"""How an article is analysed for search, once, when it is stored: per indexed field, and per phrasing."""

from __future__ import annotations

import json

from knowledge import text
from knowledge.model import Article


def lang_of(article: Article) -> str:
    return article.lang if article.lang in text.STOPWORDS else "nl"


def article_fields(article: Article) -> dict[str, str]:
    """Analysed text per indexed field: stems in the article's language, space-joined."""
    lang = lang_of(article)
    return {
        "title": " ".join(text.terms(article.title, lang)),
        "questions": " ".join(text.terms(" \n ".join(article.questions), lang)),
        "keywords": " ".join(text.terms(" ".join(article.keywords), lang)),
        "body": " ".join(text.terms(article.body, lang)),
    }


Phrasing = tuple[str, str]  # (its words, folded; its stems), each sorted and space-joined


def phrasings(article: Article) -> tuple[Phrasing, ...]:
    """The title, each alternate question, and the keywords together: what a question is compared with.
    Sorted word order makes rapidfuzz's plain ratio the token-sort ratio, without sorting per question."""
    lang = lang_of(article)
    sources = [article.title, *article.questions]
    if article.keywords:
        sources.append(" ".join(article.keywords))
    return tuple((sort_words(text.words(s)), sort_words(text.terms(s, lang))) for s in sources)


def sort_words(words: list[str]) -> str:
    return " ".join(sorted(words))


def dump(items: tuple[Phrasing, ...]) -> str:
    return json.dumps([list(p) for p in items], ensure_ascii=False)


def load(raw: str) -> tuple[Phrasing, ...]:
    return tuple((words, stems) for words, stems in json.loads(raw or "[]"))
