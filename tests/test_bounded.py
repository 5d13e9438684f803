"""Bounded work for any input: words, questions and the stem cache have caps, and search holds to them."""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from knowledge import text
from knowledge.cache import ByteCache, entry_size
from knowledge.model import Place, SearchResult, User
from knowledge.search import MAX_QUERY, Searcher
from knowledge.sqlite.store import SqliteStore

SECONDS = 2.0  # one search on a shared 2-core machine; each takes milliseconds


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    path = Path(tmp_path_factory.mktemp("bounded")) / "demo.db"
    store = SqliteStore(str(path))
    bootstrap.load_demo(store)
    yield bootstrap.build_searcher(Settings(db_path=str(path)), store)
    store.close()


def letters(n: int, seed: int = 13) -> str:
    return "".join(random.Random(seed).choices("abcdefghijklmnopqrstuvwxyz", k=n))


def test_words_are_cut_to_the_word_cap_the_same_way_for_index_and_question() -> None:
    blob = letters(10_000)
    assert text.words(f"paspoort {blob} aanvragen") == ["paspoort", blob[:text.MAX_WORD], "aanvragen"]
    assert len(text.words("aansprakelijkheidswaardevaststellingsveranderingen")[0]) == 50  # kept whole


def test_a_cache_drops_its_oldest_entries_past_its_byte_cap() -> None:
    cache = ByteCache(entry_size("a" * 10, "b" * 10) * 3)
    for key in ("k1" + "a" * 8, "k2" + "a" * 8, "k3" + "a" * 8, "k4" + "a" * 8):
        cache.put(key, "b" * 10)
    assert len(cache) == 3 and cache.get("k1" + "a" * 8) is None and cache.get("k4" + "a" * 8) == "b" * 10
    cache.put("k4" + "a" * 8, "c" * 10)  # replacing an entry counts it once
    assert cache.bytes == 3 * entry_size("a" * 10, "b" * 10)
    assert cache.put("x" * 1_000, "y") == "y" and cache.get("x" * 1_000) is None  # bigger than the budget
    assert cache.bytes <= cache.max_bytes


def test_the_stem_cache_stays_under_its_byte_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stemming many long and short words keeps the cache within STEM_CACHE_BYTES, and what Python really
    allocates for it (traced) stays within that budget too: the estimate is not flattering itself."""
    cap = 1 << 20
    monkeypatch.setattr(text, "_STEMS", {})
    monkeypatch.setattr(text, "STEM_CACHE_BYTES", cap)
    rng = random.Random(7)
    text.stem("warmup", "nl")
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for i in range(20_000):
            size = text.MAX_WORD if i % 2 else rng.randint(3, 12)
            text.stem("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=size)), "nl")
        held = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    cache = text.stem_cache("nl")
    assert 0 < cache.bytes <= cap
    assert len(cache) < 20_000  # the oldest went
    assert held <= cap * 1.1, held


def test_a_stemmer_language_the_bot_does_not_know_shares_the_english_cache() -> None:
    assert text.stem_cache("de") is text.stem_cache("en") and text.stem_cache("nl") is not text.stem_cache("en")


def test_a_question_is_cut_to_max_query_whoever_calls(searcher: Searcher) -> None:
    found = searcher.search("paspoort aanvragen " + letters(1_000_000))
    assert found.query == ("paspoort aanvragen " + letters(1_000_000))[:MAX_QUERY]


def test_a_huge_word_is_not_split_into_every_suffix(searcher: Searcher) -> None:
    vocabulary = searcher.queries.vocabulary
    vocabulary.refresh()
    started = time.perf_counter()
    assert vocabulary.split(letters(100_000)) == ()
    assert time.perf_counter() - started < 0.1
    assert vocabulary.split("parkeervergunning")  # a real compound still splits


def test_unknown_words_do_not_grow_the_idf_cache(searcher: Searcher) -> None:
    searcher.search("paspoort")
    vocabulary = searcher.queries.vocabulary
    before = sum(len(c) for c in vocabulary._idf.values())
    for seed in range(20):
        searcher.search(" ".join(letters(12, seed * 100 + i) for i in range(30)))
    assert sum(len(c) for c in vocabulary._idf.values()) == before


def test_lone_surrogates_become_replacement_characters() -> None:
    assert text.scrub("\ud83d paspoort \udcff") == "\ufffd paspoort \ufffd"
    assert text.scrub("😀 ok") == "😀 ok"


def test_a_question_with_a_broken_emoji_is_answered_not_apologised_for(desk: Desk) -> None:
    """A lone surrogate (half an emoji in JSON) cannot be stored in SQLite: the Desk scrubs it first."""
    reply = desk.ask(User("anna", "anna"), "\ud83d hoe vraag ik een paspoort aan", Place("D0ANNA"))
    assert "Paspoort aanvragen" in reply.text, reply.text


# Any text: every alphabet, control characters, NULs, lone surrogates, and texts up to about a megabyte.
ANY_CHAR = st.characters(codec=None, exclude_categories=())
HUGE = st.tuples(st.text(ANY_CHAR, min_size=1, max_size=40), st.integers(1, 60_000)).map(lambda t: t[0] * t[1])
MIXED = st.lists(st.sampled_from(["paspoort", "😀🎉", "שלום", "مرحبا", "你好世界", "\x00", "\x1b[2J", "\u200f",
                                  "\ud800", "Ünïcödé", "ﬁ", "\r\n", " ", letters(5_000)]), max_size=200).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(ANY_CHAR, max_size=300), HUGE, MIXED))
def test_any_text_gives_a_search_result_in_bounded_time(searcher: Searcher, question: str) -> None:
    started = time.perf_counter()
    found = searcher.search(question)
    assert time.perf_counter() - started < SECONDS
    assert isinstance(found, SearchResult) and found.decision in ("answer", "suggest", "escalate", "no_question")
    assert len(found.query) <= MAX_QUERY
    assert all(c.bytes <= c.max_bytes for c in text._STEMS.values())


def test_decoded_phrasings_are_kept_within_their_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A candidate's phrasings are decoded once and then come from a cache that keeps to its byte budget."""
    from knowledge import analysis

    monkeypatch.setattr(analysis, "_LOADED", ByteCache(100_000))
    raw = analysis.dump((("aanvragen paspoort", "aanvrag paspoort"), ("kwijt paspoort", "kwijt paspoort")))
    first = analysis.load(raw)
    assert first == (("aanvragen paspoort", "aanvrag paspoort"), ("kwijt paspoort", "kwijt paspoort"))
    assert analysis.load(raw) is first
    for n in range(2_000):
        analysis.load(analysis.dump(tuple((f"woord{n} {i}", f"woord{n} {i}") for i in range(20))))
    assert 0 < analysis._LOADED.bytes <= 100_000 and len(analysis._LOADED) < 2_000
