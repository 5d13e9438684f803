"""Questions across languages on the demo knowledge base with the real model (issue 22, item 4): the set in
tests/data/crosslang_demo.tsv, written before the search was changed for it (``benchmarks/crosslang_eval.py``
prints the same figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.crosslang_eval import DEFAULT_SET, read_set
from bot import bootstrap
from bot.config import Settings
from knowledge.search import Searcher
from knowledge.sqlite.store import SqliteStore

pytestmark = [pytest.mark.quality, pytest.mark.timeout(1800)]  # it embeds the demo and calibrates with the model

ROWS = read_set(DEFAULT_SET)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    path = str(Path(tmp_path_factory.mktemp("crosslang")) / "demo.db")
    store = SqliteStore(path)
    bootstrap.load_demo(store)
    settings = Settings(db_path=path)  # the defaults: semantic on
    bootstrap.embed(settings, store)
    found = bootstrap.build_searcher(settings, store)
    found.budget = None  # the figures must not depend on how busy the machine is
    return found


def share_first(searcher: Searcher, rows: list[tuple[str, str, tuple[str, ...]]], preferred: bool) -> float:
    """The share of ``rows`` whose first article answers them (``preferred``: is the preferred one)."""
    right = 0
    for _, question, expected in rows:
        hits = searcher.search(question, people=False).hits
        first = hits[0].article.id if hits else None
        right += first == expected[0] if preferred else first in expected
    return right / len(rows)


def test_english_questions_find_the_dutch_article_when_there_is_no_english_one(searcher: Searcher) -> None:
    rows = [r for r in ROWS if r[0] == "en" and not r[2][0].startswith("en-")]
    assert len(rows) >= 30
    assert share_first(searcher, rows, preferred=False) >= 0.45  # 5 of 32 before, 17 of 32 now


def test_english_questions_find_the_english_article_when_there_is_one(searcher: Searcher) -> None:
    rows = [r for r in ROWS if r[0] == "en" and r[2][0].startswith("en-")]
    # 12 of 14 before; 10 of 14 now: the two lost go to a Dutch article on the same topic (docs/judgement.md)
    assert share_first(searcher, rows, preferred=True) >= 0.7


def test_dutch_questions_keep_their_articles(searcher: Searcher) -> None:
    rows = [r for r in ROWS if r[0] == "nl"]
    assert share_first(searcher, rows, preferred=True) >= 0.85  # 42 of 46 before


def test_the_price_of_a_passport_asked_in_english(searcher: Searcher) -> None:
    found = searcher.search("How much does a passport cost?", people=False)
    assert found.hits[0].article.id == "nl-paspoort-aanvragen"  # before: the EU citizens' passport article
