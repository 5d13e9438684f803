from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from knowledge.store import SqliteStore
from tests.fakes import FakeChat

# CI runs the property tests on a fixed set of examples (a run that lands must not depend on luck); a
# developer's run explores new ones (and keeps any failure it finds in .hypothesis/ to replay).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

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


@pytest.fixture(autouse=True)
def no_digest_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The weekly digest goes out on a real day and hour: commands run by tests (and their subprocesses) read
    VRAAGBAAK_DIGEST=off, so what a test sees does not depend on the day it runs; the digest's own tests
    set a clock."""
    monkeypatch.setenv("VRAAGBAAK_DIGEST", "off")
