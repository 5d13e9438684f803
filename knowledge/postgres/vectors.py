"""PostgresStore's SQL for the articles' vectors of the semantic rerank (knowledge.semantic): the same methods as
knowledge/sqlite/vectors.py, on the ``article_vectors`` table of the first migration (the vector a bytea)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from knowledge.postgres.base import Conn

VectorRow = tuple[str, str, int, bytes, str]  # article id, model, dimension, float32 blob, digest


class _Base(Protocol):
    def transaction(self) -> AbstractContextManager[Conn]: ...
    def rows(self, sql: Any, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...


class VectorRecords:
    def vector_digests(self: _Base) -> dict[str, str]:
        """Each article with vectors, and the digest of what they were made from."""
        return {r["article_id"]: r["digest"] for r in self.rows("SELECT article_id, digest FROM article_vectors")}

    def drop_vectors(self: _Base, article_ids: Iterable[str]) -> None:
        ids = list(article_ids)
        with self.transaction() as conn:
            conn.execute("DELETE FROM article_vectors WHERE article_id = ANY(%s)", [ids])

    def put_vectors(self: _Base, rows: Sequence[VectorRow]) -> None:
        """Store (or replace) the vectors of each article in ``rows``, in one transaction (the last of an
        article's rows wins, as SQLite's INSERT OR REPLACE)."""
        with self.transaction() as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO article_vectors (article_id, model, dim, vector, digest) VALUES (%s,%s,%s,%s,%s)"
                " ON CONFLICT (article_id) DO UPDATE SET model = excluded.model, dim = excluded.dim,"
                " vector = excluded.vector, digest = excluded.digest", list(rows))

    def article_vectors(self: _Base, model: str, article_ids: Sequence[str]) -> dict[str, tuple[bytes, int, str]]:
        """(vector blob, dimension, digest) of each of ``article_ids`` that has vectors for ``model``."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        rows = self.rows("SELECT article_id, dim, vector, digest FROM article_vectors"
                         " WHERE model = %s AND article_id = ANY(%s)", [model, ids])
        return {r["article_id"]: (bytes(r["vector"]), r["dim"], r["digest"]) for r in rows}

    def vector_count(self: _Base, model: str) -> int:
        """How many articles have vectors for ``model``."""
        return int(self.rows("SELECT count(*) AS n FROM article_vectors WHERE model = %s", [model])[0]["n"])
