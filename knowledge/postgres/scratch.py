"""A throwaway PostgresStore: a schema of its own in the database a URL names, dropped afterwards (``vraagbaak
eval`` measures on PostgreSQL this way without touching the bot's own schema)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from knowledge.postgres.base import split_url
from knowledge.postgres.store import PostgresStore


@contextmanager
def temporary_store(url: str, prefix: str = "scratch", audit_key: bytes = b"") -> Iterator[PostgresStore]:
    """A PostgresStore in a new schema ``<prefix>_<random>`` of ``url``'s database (its ``?schema=`` is not used),
    dropped with everything in it when the block ends, also on an error or an interruption."""
    conninfo, _ = split_url(url)
    schema = f"{prefix}_{secrets.token_hex(8)}"
    store: PostgresStore | None = None
    try:
        store = PostgresStore(conninfo, audit_key=audit_key, schema=schema, pool_size=4)
        yield store
    finally:
        if store is not None:
            store.close()
        drop_schema(conninfo, schema)


def drop_schema(url: str, schema: str) -> None:
    """Drop ``schema`` and everything in it (nothing when it is not there)."""
    conninfo, _ = split_url(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
