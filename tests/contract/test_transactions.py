"""Transactions nest the same way on both backends: the outermost begins and commits, an inner one is a
savepoint, ``after_commit`` work runs after the outermost commit and never after a rollback."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from knowledge.model import Place, User

AGENT = User("U1", "Anna")


def _ask(store: Any, text: str) -> int:
    return int(store.add_question(AGENT, "slack", Place("D1"), text, "nl", "escalate", None, []).id)


def test_an_inner_rollback_keeps_the_outer_work(store: Any) -> None:
    with store.transaction():
        kept = _ask(store, "blijft")
        with pytest.raises(RuntimeError), store.transaction():
            _ask(store, "weg")
            raise RuntimeError("inner")
        assert store.question(kept) is not None  # read inside the transaction: its own writes
    assert [q.text for q in store.open_questions("U1")] == ["blijft"]


def test_an_outer_rollback_drops_everything_and_its_hooks(store: Any) -> None:
    ran: list[str] = []
    with pytest.raises(RuntimeError), store.transaction():
        _ask(store, "weg")
        with store.transaction():
            _ask(store, "ook weg")
            store.after_commit(lambda: ran.append("inner"))
        store.after_commit(lambda: ran.append("outer"))
        raise RuntimeError("outer")
    assert store.open_questions("U1") == [] and ran == []
    assert not store.in_transaction


def test_work_after_commit_runs_once_the_outermost_commits(store: Any) -> None:
    ran: list[tuple[str, bool]] = []
    store.after_commit(lambda: ran.append(("now", store.in_transaction)))
    with store.transaction():
        assert store.in_transaction
        with store.transaction():
            store.after_commit(lambda: ran.append(("inner", store.in_transaction)))
        assert ran == [("now", False)]
        store.after_commit(lambda: ran.append(("outer", store.in_transaction)))
    assert ran == [("now", False), ("inner", False), ("outer", False)]


def test_another_thread_is_not_inside_this_threads_transaction(store: Any) -> None:
    seen: list[bool] = []
    with store.transaction():
        thread = threading.Thread(target=lambda: seen.append(store.in_transaction))
        thread.start()
        thread.join(1)  # SQLite: the thread only reads a flag; it does not wait for the lock
    assert seen == [False]


def test_a_failed_step_caught_inside_a_transaction_leaves_it_usable(store: Any) -> None:
    """On PostgreSQL an error aborts the whole transaction unless it happened inside a savepoint; every write
    method is its own (nested) transaction, so a caller that catches one goes on, as on SQLite."""
    with store.transaction():
        kept = store.add_question(AGENT, "slack", Place("D1"), "een", "nl", "escalate", None, [], event_key="k1")
        with pytest.raises(Exception):  # noqa: B017 (sqlite3.IntegrityError or psycopg's UniqueViolation)
            store.add_question(AGENT, "slack", Place("D1"), "twee", "nl", "escalate", None, [], event_key="k1")
        after = _ask(store, "drie")
    assert [q.id for q in store.open_questions("U1")] == [after, kept.id]


def test_an_id_of_a_rolled_back_insert(store: Any) -> None:
    """Where the backends differ: SQLite gives the next row the id a rolled-back insert had; PostgreSQL's
    identity does not (a sequence is not transactional). Ids are unique and rising on both, not gap-free."""
    _ask(store, "een")
    with pytest.raises(RuntimeError), store.transaction():
        _ask(store, "weg")
        raise RuntimeError
    third = _ask(store, "drie")
    assert third == (3 if type(store).__name__ == "PostgresStore" else 2)
