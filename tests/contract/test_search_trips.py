"""What makes a search on PostgreSQL cheap without changing its answers (docs/postgres-search.md, "Speed at
100,000 articles"): few statements a search, pooled connections lent without a check of their own when just used,
the generation counters read once for a search yet every commit of the store seen at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from knowledge.model import Article, Person
from knowledge.postgres import PostgresStore, base
from knowledge.search import FIELD_WEIGHTS, Searcher
from tests.contract.test_search import PEOPLE, knowledge_base


@contextmanager
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Counts the statements sent (every Cursor.execute, the pool's check included) and the pool's checks."""
    seen = {"statements": 0, "checks": 0}
    execute, check = psycopg.Cursor.execute, ConnectionPool.check_connection

    def counting_execute(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen["statements"] += 1
        return execute(self, *args, **kwargs)

    def counting_check(conn: Any) -> None:
        seen["checks"] += 1
        check(conn)

    with monkeypatch.context() as patch:
        patch.setattr(psycopg.Cursor, "execute", counting_execute)
        patch.setattr(ConnectionPool, "check_connection", staticmethod(counting_check))
        yield seen


def test_a_search_sends_few_statements(pg_store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_store.upsert_articles(knowledge_base())
    pg_store.upsert_people(PEOPLE)
    searcher = Searcher(pg_store)
    question = "hoe vraag ik een parkeervergunning aan in het centrum"
    first = searcher.search(question)  # loads the vocabularies
    time.sleep(base.COUNTERS_TTL)  # the counters are read again, as by a search a while later
    with counted(monkeypatch) as seen:
        again = searcher.search(question)
    assert again == first and first.hits and first.people
    # the generations (once, not three times), the candidates with their articles, the people by expertise with
    # their handles (and by name: none here); no check of a connection just used
    assert seen["checks"] == 0
    assert seen["statements"] <= 4


def test_a_commit_of_the_store_is_seen_at_once_and_another_store_s_soon(pg_spec: dict[str, str]) -> None:
    one = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    other = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    start, people = one.generation, one.people_generation
    one.upsert_articles([Article("a", "Draak houden")])
    assert one.generation == start + 1  # its own commit: at once
    with one.transaction():
        one.upsert_people([Person("p", "Piet")])
        assert one.people_generation == people + 1  # inside a transaction: as the transaction sees it
    assert one.people_generation == people + 1
    seen = other.generation
    one.upsert_articles([Article("b", "Kat houden")])
    time.sleep(base.COUNTERS_TTL)
    assert other.generation == seen + 1  # another process's commit: within COUNTERS_TTL
    one.close()
    other.close()


def test_a_name_asked_again_needs_no_statement_until_the_people_change(pg_spec: dict[str, str],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    one = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    other = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    one.upsert_people([Person("p1", "Piet Jansen")])
    assert one.people_named("team afval") == [] and one.people_named("PIET jansen") == ["p1"]
    with counted(monkeypatch) as seen:
        assert one.people_named("Team Afval") == [] and one.people_named("piet JANSEN") == ["p1"]
    assert seen["statements"] == 0  # both remembered (the counters were read within COUNTERS_TTL)
    one.upsert_people([Person("t1", "Team Afval")])
    assert one.people_named("team afval") == ["t1"]  # its own commit: at once
    assert other.people_named("team bouw") == []
    one.upsert_people([Person("t2", "Team Bouw")])
    time.sleep(base.COUNTERS_TTL)
    assert other.people_named("team bouw") == ["t2"]  # another process's: within COUNTERS_TTL
    one.close()
    other.close()


def _cut_connections(store: PostgresStore) -> None:
    """The server ends every connection of ``store``'s pool (as a restart of PostgreSQL would)."""
    with psycopg.connect(store.conninfo, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vraagbaak'"
                      " AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%%'")


def test_a_connection_cut_while_idle_is_replaced(pg_store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> None:
    assert pg_store.rows("SELECT 1 AS one") == [{"one": 1}]
    monkeypatch.setattr(base, "CHECK_IDLE", 0.0)  # as after more than CHECK_IDLE seconds in the pool
    _cut_connections(pg_store)
    assert pg_store.rows("SELECT 1 AS one") == [{"one": 1}]  # the check found it dead; the pool made another


def test_a_connection_cut_just_after_use_fails_once_as_transient(pg_store: PostgresStore) -> None:
    assert pg_store.rows("SELECT 1 AS one") == [{"one": 1}]
    pooled = pg_store.pool.get_stats()["pool_size"]
    _cut_connections(pg_store)
    failed = 0
    for _ in range(pooled + 1):
        try:
            assert pg_store.rows("SELECT 1 AS one") == [{"one": 1}]
            break
        except pg_store.transient_errors:  # lent unchecked: its statement fails, as one cut mid-step would
            failed += 1
    else:
        pytest.fail("the pool did not replace its cut connections")
    assert 1 <= failed <= pooled  # each cut connection failed one statement and was replaced


def test_rows_read_ahead_serve_the_next_step_once_and_never_after_a_change(
        pg_spec: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    other = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    store.upsert_articles(knowledge_base())
    best = [c[0] for c in store.matching('"paspoort"', 24, FIELD_WEIGHTS)][:3]
    with counted(monkeypatch) as seen:
        shown = store.articles(best)
    assert seen["statements"] == 0 and [a.id for a in shown] == best  # read with the candidates
    assert store.articles(best) == shown  # once: this one is read
    store.matching('"paspoort"', 24, FIELD_WEIGHTS)
    edited = replace(shown[0], title="Paspoort kwijt")
    store.upsert_articles([edited])  # this store committed: what it read ahead is not served
    assert store.articles(best)[0].title == "Paspoort kwijt"
    store.matching('"paspoort"', 24, FIELD_WEIGHTS)
    other.upsert_articles([replace(edited, title="Paspoort gestolen")])
    time.sleep(base.COUNTERS_TTL)  # another process's change: seen within COUNTERS_TTL
    assert store.articles(best)[0].title == "Paspoort gestolen"
    store.matching('"paspoort"', 24, FIELD_WEIGHTS)
    assert [a.id for a in store.articles([best[0], "kb-99"])] == [best[0]]  # not all read ahead: read
    store.upsert_people(PEOPLE)
    found = [p for p, _ in store.people_matching(["parkeervergun"], 3)]
    assert found
    with counted(monkeypatch) as seen:
        people = store.people(found)
    assert seen["statements"] == 0 and [p.id for p in people] == found
    assert store.people(found) == people
    store.close()
    other.close()
