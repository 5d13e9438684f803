"""Turn a question into weighted search terms: stems in both languages, synonyms, typo fixes, compounds."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz, process

from knowledge import analysis, text

MIN_TYPO_LEN = 4
MAX_WORDS = 64          # a question longer than this is searched on its first words
COMMON_SHARE = 0.15     # terms in more than this share of articles do not select candidates ...
POSTINGS_BUDGET = 500    # ... and the rarest terms select until their article counts add up to this
BROAD_BUDGET = 20_000    # the same for the fallback over every term, when too few candidates were found
PART_CREDIT = 0.5        # evidence credit of a compound matched only by its known end
RANKING_TERMS = 4        # terms the budget left out of selecting that still count in bm25 (the rarest ones)


class Store(Protocol):
    @property
    def generation(self) -> int: ...
    def term_article_counts(self) -> dict[str, int]: ...
    def indexed_articles_per_lang(self) -> dict[str, int]: ...
    def synonyms_cached(self, generation: int | None = None) -> dict[str, tuple[str, ...]]: ...


@dataclass(frozen=True)
class Query:
    raw: str
    lang: str
    terms: tuple[str, ...]                                  # the question's own stems, in order
    said: str | None = None                                 # the language the question plainly is in, if it tells
    weights: dict[str, float] = field(default_factory=dict)  # matched form -> idf weight
    match: str = ""                                         # the FTS5 MATCH expression for candidates
    broad: str = ""                                         # the same over every term, common ones too
    match_cost: int = 0                                     # articles the match expression's terms are in
    broad_cost: int = 0
    sorted_words: str = ""                                  # the question's words, folded, sorted
    sorted_stems: str = ""                                  # its stems, sorted
    # per distinct question word: (its idf weight, the forms it may take in the index, whether any is known)
    groups: tuple[tuple[float, frozenset[str], bool], ...] = ()


class Vocabulary:
    """Terms of the article index with document frequencies, reloaded when the articles change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: int | None = None
        self.df: dict[str, int] = {}
        self.docs = 0
        self.docs_by_lang: dict[str, int] = {}
        self.by_initial: dict[str, list[str]] = {}
        self._idf: dict[str | None, dict[str, float]] = {}

    def refresh(self) -> None:
        generation = self.store.generation
        if generation == self._generation:
            return
        with self._lock:
            self.df = self.store.term_article_counts()
            # the indexed articles are those in search (not archived, not held)
            self.docs_by_lang = self.store.indexed_articles_per_lang()
            self.docs = sum(self.docs_by_lang.values())
            by_initial: dict[str, list[str]] = {}
            for term in self.df:
                if len(term) >= MIN_TYPO_LEN - 1 and not term.isdigit():
                    by_initial.setdefault(term[0], []).append(term)
            self.by_initial = by_initial
            self._idf = {}
            self._generation = generation

    @property
    def generation(self) -> int | None:
        return self._generation

    def idf(self, term: str, lang: str | None = None) -> float:
        """Rarity of ``term`` among the articles in ``lang`` (all articles when None or when there are none in
        it). The index keeps one count over all languages, so the count is capped at the articles in ``lang``:
        exact for a term only that language uses; a term both use counts as common. In a Dutch KB with a few
        English articles 'the' is otherwise rarer than 'calendar', and English questions match on 'what is
        the' (on the two dev sets merged into one KB: semantic correct@far10 on vira-en 0.396 -> 0.435)."""
        cache = self._idf.setdefault(lang, {})
        found = cache.get(term)
        if found is None:
            docs = (self.docs_by_lang.get(lang, 0) if lang else 0) or self.docs
            found = math.log((docs + 1) / (min(self.df.get(term, 0), docs) + 0.5))
            if term in self.df:  # only the index's terms: a question's unknown words must not grow the cache
                cache[term] = found
        return found

    def top_idf(self, lang: str | None = None) -> float:
        """The idf of a word in no article of ``lang``: the scale of one telling word (``search.confidence``)."""
        docs = (self.docs_by_lang.get(lang, 0) if lang else 0) or self.docs
        return math.log((docs + 1) / 0.5)

    def rarest(self, forms: list[str], budget: int, common: float) -> list[str]:
        """The rarest of ``forms`` whose article counts add up to ``budget`` (at least one), leaving out
        forms in more than ``common`` articles unless nothing else is left: they bound what bm25 scans.
        Forms in no article are left out: they would select nothing and take a place."""
        ordered = sorted((f for f in forms if self.df.get(f, 0)), key=lambda f: (self.df[f], f))
        if ordered and self.df[ordered[0]] > common:
            common = self.docs  # only common words: let them select, within the budget
        chosen: list[str] = []
        total = 0
        for form in ordered:
            df = self.df[form]
            if chosen and (total + df > budget or df > common):
                break
            chosen.append(form)
            total += df
        return chosen

    def also_ranking(self, forms: list[str], selective: list[str], common: float) -> list[str]:
        """The rarest RANKING_TERMS of ``forms`` that the budget kept out of ``selective`` but are in at most
        ``common`` articles: in a 100,000-article KB 'street' may select while 'plate' only fits in ranking,
        and without it the article 'Street plate' is lost among thousands about streets."""
        chosen = set(selective)
        rest = (f for f in forms if f not in chosen and 0 < self.df.get(f, 0) <= common)
        return sorted(rest, key=lambda f: (self.df[f], f))[:RANKING_TERMS]

    def correct(self, term: str) -> str | None:
        """The closest known term for an unknown one (same first letter), if it is close enough."""
        if len(term) < MIN_TYPO_LEN or term.isdigit():
            return None
        found = process.extractOne(term, self.by_initial.get(term[0], ()), scorer=fuzz.ratio, score_cutoff=80)
        return found[0] if found else None

    def split(self, word: str) -> tuple[str, ...]:
        """A Dutch compound as known parts: 'parkeervergunning' -> ('parkeer', 'vergunn'); when only its
        end is known, that end: 'vuurwerkvergunning' -> ('vergunn',)."""
        if not 8 <= len(word) <= text.MAX_WORD:  # each suffix is stemmed: bounded by the word cap
            return ()
        best: tuple[int, tuple[str, ...]] = (0, ())
        for i in range(3, len(word) - 2):
            left, right = word[:i], text.stem(word[i:], "nl")
            if right not in self.df:
                continue
            for head in {left, left[:-1] if left.endswith("s") else left, left[:-2] if left.endswith("en") else left,
                         text.stem(left, "nl")}:
                if len(head) >= 3 and head in self.df:
                    score = min(self.df[head], self.df[right])
                    if score > best[0]:
                        best = (score, (head, right))
        if best[1]:
            return best[1]
        # Dutch compounds end in what they are: 'vuurwerkvergunning' is a kind of 'vergunning'
        for i in range(3, len(word) - 4):
            tail = text.stem(word[i:], "nl")
            if len(tail) >= 5 and tail in self.df:
                return (tail,)
        return ()


class QueryBuilder:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.vocabulary = Vocabulary(store)

    def forms(self, word: str, lang: str, synonyms: dict[str, tuple[str, ...]]) -> tuple[str, set[str]]:
        """The word's stem and the other forms it may take in the index."""
        vocab = self.vocabulary
        term = text.stem(word, lang)
        alts = {text.stem(word, "en" if lang == "nl" else "nl")}
        for syn in synonyms.get(word, ()) + synonyms.get(term, ()):
            alts.update(text.terms(syn, lang))
        if term not in vocab.df and not any(a in vocab.df for a in alts):
            fixed = vocab.correct(term)
            if fixed:
                alts.add(fixed)
            alts.update(vocab.split(word))
        alts.discard(term)
        return term, alts

    def joined(self, words: list[str], lang: str) -> dict[int, set[str]]:
        """Two neighbouring words the index knows as one: 'grof vuil' is 'grofvuil', 'ID kaart' 'idkaart'.
        The joined stem becomes a form of both words (position -> forms)."""
        found: dict[int, set[str]] = {}
        df = self.vocabulary.df
        for i in range(len(words) - 1):
            left, right = words[i], words[i + 1]
            if len(left) < 2 or len(right) < 3 or left.isdigit() or right.isdigit():
                continue
            stem = text.stem(left + right, lang)
            if stem in df:
                found.setdefault(i, set()).add(stem)
                found.setdefault(i + 1, set()).add(stem)
        return found

    def part_only(self, word: str, term: str, alts: set[str]) -> bool:
        """Whether ``word`` is known only through a part of it (an unknown compound's known end)."""
        df = self.vocabulary.df
        return term not in df and bool(alts) and set(self.vocabulary.split(word)) >= {a for a in alts if a in df}

    def build(self, question: str, lang: str, said: str | None = None) -> Query:
        vocab = self.vocabulary
        vocab.refresh()
        synonyms = self.store.synonyms_cached(vocab.generation)
        terms: list[str] = []
        weights: dict[str, float] = {}
        groups: dict[str, tuple[float, frozenset[str], bool]] = {}
        words = text.words(question)[:MAX_WORDS]
        joined = self.joined(words, lang)
        for i, word in enumerate(words):
            term, alts = self.forms(word, lang, synonyms)
            alts |= joined.get(i, set())
            terms.append(term)
            known = [f for f in (term, *sorted(alts)) if f in vocab.df]
            weight = max((vocab.idf(f, said) for f in known), default=vocab.idf(term, said))
            for form in known or [term]:
                weights[form] = max(weights.get(form, 0.0), weight)
            # a compound known only by its end ('vuurwerkvergunning' by 'vergunning') lacks its telling part
            evidence = weight * PART_CREDIT if known and self.part_only(word, term, alts) else weight
            groups.setdefault(term, (evidence, frozenset(known or [term]), bool(known)))
        forms = list(weights)
        selective = vocab.rarest(forms, POSTINGS_BUDGET, COMMON_SHARE * vocab.docs)
        broad = vocab.rarest(forms, BROAD_BUDGET, vocab.docs)
        return Query(raw=question, lang=lang, said=said, terms=tuple(terms), weights=weights,
                     match=_ranked(selective, vocab.also_ranking(forms, selective, COMMON_SHARE * vocab.docs)),
                     broad=_any(broad), sorted_words=analysis.sort_words(words),
                     sorted_stems=analysis.sort_words(terms), groups=tuple(groups.values()),
                     match_cost=sum(vocab.df.get(f, 0) for f in selective),
                     broad_cost=sum(vocab.df.get(f, 0) for f in broad))


def _any(forms: list[str] | dict[str, float]) -> str:
    return " OR ".join(f'"{f}"' for f in sorted(forms))


def _ranked(selective: list[str], more: list[str]) -> str:
    """An FTS5 expression that matches what ``selective`` selects and has bm25 score ``more`` as well:
    '(a OR b) AND (a OR b OR c)' matches the articles with a or b, and rewards those with c too."""
    chosen = _any(selective)
    return f"({chosen}) AND ({chosen} OR {_any(more)})" if chosen and more else chosen
