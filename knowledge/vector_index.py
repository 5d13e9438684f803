"""Every article's stored vector in memory, to find articles by meaning alone (no word in common needed).

The semantic stage uses it for a question across languages (``Searcher.across``): an English question on a
mostly Dutch knowledge base shares no words with the Dutch article that answers it, so the lexical stage
cannot bring that article as a candidate, and a rerank of the lexical candidates never sees it.

The vectors are kept in step with the store by their digests (``vector_digests``): when the knowledge base
changed (its generation) or the reranker stored vectors itself, only the new and changed ones are read. They
are held as float32 (1.5 kB an article with multilingual-e5-small: 150 MB at 100,000 articles), read the first
time a question needs them; float16 would halve that, but converting it block by block made a scan 5 times
slower than one matrix product.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import Any, Protocol

READ_CHUNK = 500   # article ids per read of their vectors


class VectorSource(Protocol):
    @property
    def generation(self) -> int: ...
    def vector_digests(self) -> dict[str, str]: ...
    def article_vectors(self, model: str, article_ids: Sequence[str]) -> dict[str, tuple[bytes, int, str]]: ...


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # without numpy there is no index: questions across languages keep the lexical candidates
        return None
    return numpy


_np = _numpy()


class VectorIndex:
    """The stored vectors of one model, searchable by cosine (``nearest``). Each article's first stored vector
    is used (the centroid mode stores one)."""

    def __init__(self, store: VectorSource, model: str) -> None:
        self.store, self.model = store, model
        self.stamp = 0  # bumped by whoever stores vectors outside an import (the reranker's on-the-spot embedding)
        self._seen: object = None
        self._digests: dict[str, str] = {}
        self._ids: list[str] = []
        self._matrix: Any = None
        self._both: tuple[list[str], Any] = ([], None)  # ids and matrix as one, for searches in other threads
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return _np is not None

    def __len__(self) -> int:
        return len(self._ids)

    def refresh(self) -> None:
        """Read the vectors added or changed since the last time, and forget those of articles that are gone."""
        now = (self.store.generation, self.stamp)
        if now == self._seen or _np is None:
            return
        with self._lock:
            if now == self._seen:
                return
            digests = self.store.vector_digests()
            changed = [aid for aid, d in digests.items() if self._digests.get(aid) != d]
            fresh, rows = self._read(changed)
            keep = [i for i, aid in enumerate(self._ids) if aid in digests and self._digests.get(aid) == digests[aid]]
            if fresh or len(keep) != len(self._ids):
                parts = ([self._matrix[keep]] if keep else []) + ([rows] if fresh else [])
                self._ids = [self._ids[i] for i in keep] + fresh
                self._matrix = _np.vstack(parts) if len(parts) > 1 else (parts[0] if parts else None)
            self._both = (self._ids, self._matrix)
            self._digests = {aid: digests[aid] for aid in self._ids}
            self._seen = now

    def _read(self, ids: list[str]) -> tuple[list[str], Any]:
        """The vectors of ``ids`` that have one for this model, read a chunk at a time into one matrix (so the
        raw rows are never all held at once), and their ids in its order."""
        found: list[str] = []
        rows: Any = None
        for start in range(0, len(ids), READ_CHUNK):
            for aid, (blob, dim, _) in self.store.article_vectors(self.model, ids[start : start + READ_CHUNK]).items():
                if rows is None:
                    rows = _np.empty((len(ids), dim), dtype=_np.float32)
                rows[len(found)] = _np.frombuffer(blob, dtype=_np.float32, count=dim)
                found.append(aid)
        if not found:
            return found, None
        return found, (rows if len(found) == len(rows) else rows[: len(found)].copy())

    def nearest(self, vector: Sequence[float], limit: int, skip: Collection[str] = ()) -> list[tuple[str, float]]:
        """The ``limit`` articles closest to ``vector`` (normalised), best first, with their cosines; ``skip``:
        article ids left out."""
        self.refresh()
        ids, matrix = self._both
        if matrix is None or limit <= 0 or _np is None:
            return []
        query = _np.asarray(vector, dtype=_np.float32)
        sims = matrix @ query
        want = min(len(sims), limit + len(skip))
        top = _np.argpartition(-sims, want - 1)[:want] if want < len(sims) else _np.arange(len(sims))
        ordered = sorted(top.tolist(), key=lambda i: (-float(sims[i]), ids[i]))
        return [(ids[i], float(sims[i])) for i in ordered if ids[i] not in skip][:limit]
