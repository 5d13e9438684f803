"""SqliteStore's SQL for the articles' vectors of the semantic rerank (knowledge.semantic): what they were made
from, storing and dropping them, and reading them for a set of candidates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from knowledge.sqlite.base import Base

VectorRow = tuple[str, str, int, bytes, str]  # article id, model, dimension, float32 blob, digest


class VectorRecords:
    def vector_digests(self: Base) -> dict[str, str]:
        """Each article with vectors, and the digest of what they were made from."""
        return {r["article_id"]: r["digest"] for r in self.rows("SELECT article_id, digest FROM article_vectors")}

    def drop_vectors(self: Base, article_ids: Iterable[str]) -> None:
        with self.transaction() as db:
            db.conn.executemany("DELETE FROM article_vectors WHERE article_id = ?", [[aid] for aid in article_ids])

    def put_vectors(self: Base, rows: Sequence[VectorRow]) -> None:
        """Store (or replace) the vectors of each article in ``rows``, in one transaction."""
        with self.transaction() as db:
            db.conn.executemany(
                "INSERT OR REPLACE INTO article_vectors (article_id, model, dim, vector, digest) VALUES (?,?,?,?,?)",
                list(rows))

    def article_vectors(self: Base, model: str, article_ids: Sequence[str]) -> dict[str, tuple[bytes, int, str]]:
        """(vector blob, dimension, digest) of each of ``article_ids`` that has vectors for ``model``."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        params: list[Any] = [model, *ids]
        rows = self.rows("SELECT article_id, dim, vector, digest FROM article_vectors WHERE model = ?"
                         f" AND article_id IN ({','.join('?' * len(ids))})", params)
        return {r["article_id"]: (r["vector"], r["dim"], r["digest"]) for r in rows}

    def vector_count(self: Base, model: str) -> int:
        """How many articles have vectors for ``model``."""
        return int(self.rows("SELECT count(*) AS n FROM article_vectors WHERE model = ?", [model])[0]["n"])
