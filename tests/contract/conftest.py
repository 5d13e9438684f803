"""The store's contract: the same tests on SqliteStore (a temporary file) and on PostgresStore (a fresh schema in
a throwaway PostgreSQL cluster, started once per test session by tests/postgres.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore
from tests import postgres


def fresh_schema() -> str:
    return f"t_{uuid.uuid4().hex[:16]}"


def open_store(spec: dict[str, str]) -> Any:
    """A store from a plain description (what a racing process is handed): a SQLite path or a URL and schema."""
    if "path" in spec:
        return SqliteStore(spec["path"])
    return PostgresStore(spec["url"], schema=spec["schema"])


@pytest.fixture(params=["sqlite", "postgres"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    if request.param == "sqlite":
        return {"path": str(tmp_path / "contract.db")}
    cluster = request.getfixturevalue("pg_cluster")
    return {"url": cluster.url(), "schema": fresh_schema()}


@pytest.fixture
def store(spec: dict[str, str]) -> Iterator[Any]:
    opened = open_store(spec)
    yield opened
    opened.close()


@pytest.fixture
def pg_spec(pg_cluster: postgres.Cluster) -> dict[str, str]:
    return {"url": pg_cluster.url(), "schema": fresh_schema()}


@pytest.fixture
def pg_store(pg_spec: dict[str, str]) -> Iterator[PostgresStore]:
    opened = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    yield opened
    opened.close()
