from __future__ import annotations

from pathlib import Path

import pytest

from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from knowledge.store import SqliteStore
from tests.fakes import FakeChat

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
# The loop tests pin the thresholds and the lexical ranking, so they test the loop and not the demo KB's
# calibration or the model (test_search.py, test_calibration.py and test_semantic.py test those).
LOOP_SETTINGS = {"answer_threshold": "0.75", "suggest_threshold": "0.57", "semantic": "off"}


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    s = SqliteStore(str(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def demo_store(store: SqliteStore) -> SqliteStore:
    bootstrap.load_demo(store)
    return store


@pytest.fixture
def chat() -> FakeChat:
    return FakeChat()


@pytest.fixture
def desk(demo_store: SqliteStore, chat: FakeChat) -> Desk:
    settings = Settings(db_path=demo_store.path, escalation_channel="kcc-experts", **LOOP_SETTINGS)
    d = bootstrap.build_desk(settings, chat, store=demo_store)
    d.owners = frozenset({"owner1"})
    return d
