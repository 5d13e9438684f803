"""PostgresStore's methods are SqliteStore's: the same names, parameters and defaults (so either can stand
behind the Store port once the rest is built; docs/postgres.md lists what is missing)."""

from __future__ import annotations

import inspect

from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore

ONLY_POSTGRES = {"database_now", "lock", "notify"}


def _shape(method: object) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(method).parameters.values()  # type: ignore[arg-type]
            if p.name != "self"]


def test_every_shared_method_takes_the_same_arguments() -> None:
    ours = {n for n in dir(PostgresStore) if not n.startswith("_") and callable(getattr(PostgresStore, n))}
    assert ours - ONLY_POSTGRES <= set(dir(SqliteStore))
    for name in sorted(ours - ONLY_POSTGRES):
        assert _shape(getattr(PostgresStore, name)) == _shape(getattr(SqliteStore, name)), name
