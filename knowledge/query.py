"""Turn a question into weighted search terms: stems in both languages, synonyms, typo fixes, compounds."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge import text
from knowledge.store import SqliteStore

MIN_TYPO_LEN = 4


@dataclass(frozen=True)
class Query:
    raw: str
    lang: str
    terms: tuple[str, ...]                       # the question's own stems, in order
    weights: dict[str, float] = field(default_factory=dict)   # term -> idf weight
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> other spellings to match
    match: str = ""                              # the FTS5 MATCH expression


class Vocabulary:
    """Terms of the article index with document frequencies, reloaded when the articles change."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: object = None
        self.df: dict[str, int] = {}
        self.docs = 0
        self.by_initial: dict[str, list[str]] = {}

    def refresh(self) -> None:
        generation = self.store.generation
        if generation == self._generation:
            return
        with self._lock:
            rows = self.store.rows("SELECT term, doc FROM article_vocab")
            self.df = {r["term"]: r["doc"] for r in rows}
            self.docs = self.store.count("article_index")
            by_initial: dict[str, list[str]] = {}
            for term in self.df:
                if len(term) >= MIN_TYPO_LEN - 1 and not term.isdigit():
                    by_initial.setdefault(term[0], []).append(term)
            self.by_initial = by_initial
            self._generation = generation

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log((self.docs + 1) / (df + 0.5)) + 0.1

    def correct(self, term: str) -> str | None:
        """The closest known term for an unknown one (same first letter), if it is close enough."""
        if len(term) < MIN_TYPO_LEN or term.isdigit():
            return None
        choices = self.by_initial.get(term[0], ())
        found = process.extractOne(term, choices, scorer=fuzz.ratio, score_cutoff=80)
        return found[0] if found else None

    def split(self, term: str) -> tuple[str, ...]:
        """A Dutch compound as known parts: 'parkeervergunning' -> ('parkeer', 'vergunn')."""
        if len(term) < 8:
            return ()
        best: tuple[int, tuple[str, ...]] = (0, ())
        for i in range(3, len(term) - 2):
            left, right = term[:i], term[i:]
            right_stem = text.stem(right, "nl")
            for head in (left, left[:-1] if left.endswith("s") else None, left[:-2] if left.endswith("en") else None):
                if head and len(head) >= 3 and head in self.df and right_stem in self.df:
                    score = min(self.df[head], self.df[right_stem])
                    if score > best[0]:
                        best = (score, (head, right_stem))
        return best[1]


class QueryBuilder:
    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self.vocabulary = Vocabulary(store)

    def build(self, question: str, lang: str) -> Query:
        vocab = self.vocabulary
        vocab.refresh()
        other = "en" if lang == "nl" else "nl"
        synonyms = self.store.synonyms_cached()
        terms: list[str] = []
        weights: dict[str, float] = {}
        variants: dict[str, tuple[str, ...]] = {}
        for word in text.words(question):
            if word in text.STOPWORDS[lang] or (len(word) < 2 and not word.isdigit()):
                continue
            term = text.stem(word, lang)
            if term in weights:
                continue
            alts = {text.stem(word, other)} if word not in text.STOPWORDS[other] else set()
            for syn in synonyms.get(word, ()) + synonyms.get(term, ()):
                alts.update(text.terms(syn, lang))
            known = term in vocab.df or any(a in vocab.df for a in alts)
            if not known:
                fixed = vocab.correct(term)
                if fixed:
                    alts.add(fixed)
                alts.update(vocab.split(word))
            alts.discard(term)
            terms.append(term)
            present = [t for t in (term, *alts) if t in vocab.df]
            weights[term] = max((vocab.idf(t) for t in present), default=vocab.idf(term))
            variants[term] = tuple(sorted(alts))
        match = " OR ".join(
            f'"{t}"' for t in sorted({*terms, *(v for vs in variants.values() for v in vs)}) if t
        )
        return Query(raw=question, lang=lang, terms=tuple(terms), weights=weights, variants=variants,
                     match=match)
