from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from bot import bootstrap
from bot.config import Settings
from handlers.desk import Desk
from knowledge.sqlite.store import SqliteStore
from tests import postgres
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


TIERS = ("process", "browser", "quality")  # each of these is slow too: `-m "not slow"` is the quick run


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker(pytest.mark.slow)


def eval_set(name: str) -> Path:
    """The answer-quality set ``name`` from ../shared/eval: missing, a developer's run skips the test, and CI
    fails it (a clone without the sets must not pass silently)."""
    folder = EVAL / name
    if not (folder / "kb.jsonl").exists():
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing: the quality tests need ../shared/eval beside the clone")
        pytest.skip(f"{folder} not present")
    return folder


@functools.cache
def _demo_template() -> Path:
    """The demo knowledge base, loaded once per test process (about 0.35 s) and closed, so it can be copied."""
    folder = tempfile.mkdtemp(prefix="vraagbaak-demo-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "demo.db"
    template = SqliteStore(str(path))
    bootstrap.load_demo(template)
    template.close()
    return path


def demo_copy(path: Path | str) -> str:
    """A fresh copy of the demo knowledge base at ``path`` (what ``load_demo`` on an empty store gives)."""
    shutil.copyfile(_demo_template(), path)
    return str(path)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.Cluster]:
    """A throwaway PostgreSQL cluster for the session (tests/postgres.py)."""
    if postgres.bin_dir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing: .ci/run installs postgresql-15")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql-15)")
    with postgres.cluster() as found:
        yield found


_PG_TEMPLATES: set[int] = set()


def pg_demo(cluster: postgres.Cluster) -> str:
    """The URL of a fresh database holding the demo knowledge base: a copy (CREATE DATABASE … TEMPLATE) of one
    loaded once per cluster, as ``demo_copy`` copies a file."""
    import psycopg

    from knowledge.postgres import PostgresStore

    if cluster.port not in _PG_TEMPLATES:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE demo_template")
        template = PostgresStore(cluster.url("demo_template"))
        bootstrap.load_demo(template)
        template.close()
        _PG_TEMPLATES.add(cluster.port)
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE demo_template")
    return cluster.url(name)


@pytest.fixture
def backend() -> str:
    """The storage backend of a loop test: SQLite, unless the test is parametrized over
    ``@pytest.mark.parametrize("backend", BACKENDS)``."""
    return "sqlite"


BACKENDS = ("sqlite", "postgres")


@pytest.fixture
def demo_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """``VRAAGBAAK_DB`` for a loop test on the demo knowledge base: a SQLite file, or on PostgreSQL the URL of a
    database of its own in the session's throwaway cluster."""
    if backend == "sqlite":
        return demo_copy(tmp_path / "vraagbaak.db")
    return pg_demo(request.getfixturevalue("pg_cluster"))


@pytest.fixture
def store(tmp_path: Path) -> SqliteStore:
    s = SqliteStore(str(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def demo_store(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The demo knowledge base, open: a SQLite file, or with ``backend`` postgres a database of its own."""
    s = SqliteStore(demo_copy(tmp_path / "demo.db")) if backend == "sqlite" else \
        bootstrap.open_store(Settings(db_path=pg_demo(request.getfixturevalue("pg_cluster"))))
    yield s
    s.close()


def db_of(store: Any) -> str:
    """What VRAAGBAAK_DB names to open ``store`` again: its SQLite file, or its PostgreSQL URL and schema."""
    conninfo = getattr(store, "conninfo", None)
    if conninfo is None:
        return str(store.path)
    return f"{conninfo}{'&' if '?' in conninfo else '?'}schema={store.schema}"


@pytest.fixture
def chat() -> FakeChat:
    return FakeChat()


@pytest.fixture
def desk(demo_store: SqliteStore, chat: FakeChat) -> Desk:
    settings = Settings(db_path=db_of(demo_store), escalation_channel="kcc-experts", **LOOP_SETTINGS)
    d = bootstrap.build_desk(settings, chat, store=demo_store)
    d.owners = frozenset({"owner1"})
    return d


@pytest.fixture(autouse=True)
def no_digest_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The weekly digest goes out on a real day and hour: commands run by tests (and their subprocesses) read
    VRAAGBAAK_DIGEST=off, so what a test sees does not depend on the day it runs; the digest's own tests
    set a clock."""
    monkeypatch.setenv("VRAAGBAAK_DIGEST", "off")
