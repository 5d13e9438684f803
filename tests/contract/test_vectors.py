"""The semantic rerank's vectors on both backends: stored, replaced, read for a set of candidates, counted and
dropped with equal results; ``semantic.ensure_vectors`` and the rerank over them give the same on both; and the
backend's transient errors (what the dispatcher tries again) cover a connection PostgreSQL lost."""

from __future__ import annotations

import struct
from typing import Any

import psycopg
import pytest

from knowledge import semantic
from knowledge.model import Article, Hit
from knowledge.sqlite import SqliteStore
from tests.test_semantic import ARTICLES, FakeEmbedder


def blob(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


def test_vectors_are_stored_replaced_read_counted_and_dropped(store: Any) -> None:
    assert store.vector_digests() == {} and store.vector_count("m") == 0 and store.article_vectors("m", []) == {}
    store.put_vectors([("a", "m", 2, blob(1, 0), "d1"), ("b", "m", 2, blob(0, 1), "d2"),
                       ("c", "other", 3, blob(1, 2, 3), "d3"), ("a", "m", 2, blob(0.5, 0.5), "d1b")])
    assert store.vector_digests() == {"a": "d1b", "b": "d2", "c": "d3"}  # the last row of an article wins
    assert store.vector_count("m") == 2 and store.vector_count("other") == 1 and store.vector_count("none") == 0
    found = store.article_vectors("m", ["b", "a", "c", "a", "missing"])
    assert found == {"a": (blob(0.5, 0.5), 2, "d1b"), "b": (blob(0, 1), 2, "d2")}  # model m only
    assert all(type(v[0]) is bytes for v in found.values())
    store.put_vectors([("b", "other", 3, blob(9, 9, 9), "d4")])  # replaced under another model
    assert store.article_vectors("m", ["b"]) == {} and store.vector_count("other") == 2
    store.drop_vectors(["a", "missing"])
    store.drop_vectors([])
    assert store.vector_digests() == {"b": "d4", "c": "d3"} and store.count("article_vectors") == 2
    with pytest.raises(RuntimeError), store.transaction():  # nested in a caller's step: rolled back with it
        store.put_vectors([("z", "m", 1, blob(1), "dz")])
        store.drop_vectors(["b"])
        assert store.vector_digests() == {"c": "d3", "z": "dz"}
        raise RuntimeError
    assert store.vector_digests() == {"b": "d4", "c": "d3"}


def test_ensure_vectors_and_the_rerank_are_the_same_on_both(store: Any, tmp_path: Any) -> None:
    other = SqliteStore(str(tmp_path / "reference.db"))
    results = []
    for s in (other, store):
        s.upsert_articles(ARTICLES)
        embedder = FakeEmbedder()
        embedded = semantic.ensure_vectors(s, embedder)
        again = semantic.ensure_vectors(s, FakeEmbedder())  # nothing stale: nothing embedded
        s.upsert_articles([Article(id="pas", title="Paspoort verlengen", body="Online afspraak maken.",
                                   questions=("Mijn paspoort is verlopen", "Paspoort kwijt"))])
        stale = semantic.ensure_vectors(s, FakeEmbedder())  # the edited one only
        reranked = semantic.SemanticReranker(s, FakeEmbedder()).rerank(
            "paspoort verlopen", [Hit(a, 0.5) for a in s.articles()])
        results.append((embedded, again, stale, sorted(s.vector_digests().items()), s.vector_count(embedder.name),
                        s.article_vectors(embedder.name, ["park", "pas", "vax"]),
                        [(h.article.id, h.score) for h in reranked]))
    other.close()
    assert results[0] == results[1]
    assert results[1][0] == len(ARTICLES) and results[1][1] == 0 and results[1][2] == 1


def test_postgres_counts_a_lost_connection_as_transient(pg_store: Any) -> None:
    assert pg_store.transient_errors == (psycopg.OperationalError,)
    for name in ("DeadlockDetected", "SerializationFailure", "AdminShutdown", "LockNotAvailable"):
        assert issubclass(getattr(psycopg.errors, name), pg_store.transient_errors)
    with pytest.raises(pg_store.transient_errors):
        with pg_store.transaction() as conn:  # the server ends this connection mid-step
            conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    pg_store.put_vectors([("a", "m", 1, blob(1), "d")])  # a step tried again works on a fresh connection
    assert pg_store.vector_count("m") == 1
