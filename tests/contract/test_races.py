"""Processes racing on one PostgreSQL schema (as replicas on several machines would): every inbox event is
handled once, one question is escalated once, askers of the same new question make one escalation between them,
the audit chain never forks, and migrations run once when they all start together."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from knowledge.model import Place, User
from knowledge.postgres import PostgresStore
from knowledge.postgres.schema import MIGRATIONS
from tests.contract.conftest import open_store

EVENTS = 240
# Processes fork from a server that imported this module once: 8 processes start in a fraction of a second
# instead of each importing the backends anew (seconds on a busy machine).
CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload([__name__])
DRAGON = "mag ik een draak houden?"


def _race(spec: dict[str, str], what: str, who: int, start: Any, arg: Any, out: str) -> None:
    store = open_store(spec)
    start.wait(60)
    found: Any = None
    if what == "open":
        found = store.version
    elif what == "claim":
        found = []
        while (row := store.claim_event(60.0)) is not None:
            found.append(row["id"])
            store.event_done(row["id"])
    elif what == "escalate":
        found = store.add_escalation(arg, "kcc-dieren", [], []).id
    elif what == "click":  # the escalate step of handlers/desk.py: checked and written in one transaction
        with store.transaction():
            if store.escalation_for_question(arg) is None:
                found = store.add_escalation(arg, "kcc-dieren", [], []).id
                store.audit(f"U{who}", "escalate", str(found), question=arg)
    elif what == "ask":  # the ask step of handlers/desk.py: join an open escalation like it, or escalate
        with store.transaction():
            joinable = store.open_escalation_questions()
            q = store.add_question(User(f"U{who}"), "slack", Place(f"D{who}"), DRAGON, "nl", "escalate", None, [])
            if joinable:
                store.add_waiter(joinable[0][0], q.id)
                store.audit(f"U{who}", "join_escalation", str(joinable[0][0]), question=q.id)
            else:
                found = store.add_escalation(q.id, "kcc-dieren", [], []).id
                store.audit(f"U{who}", "escalate", str(found), question=q.id)
    elif what == "audit":
        for n in range(arg):
            store.audit(f"U{who}", "ask", str(n))
    store.close()
    Path(out, f"{who}.json").write_text(json.dumps(found))


def race(spec: dict[str, str], what: str, processes: int, tmp_path: Path, arg: Any = None) -> list[Any]:
    """Start ``processes`` processes that open the store, wait for one signal, then all do ``what`` at once;
    returns what each found (their exit codes must all be 0)."""
    start = CTX.Event()
    out = tmp_path / f"race-{what}"
    out.mkdir()
    procs = [CTX.Process(target=_race, args=(spec, what, n, start, arg, str(out))) for n in range(processes)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * processes
    return [json.loads((out / f"{n}.json").read_text()) for n in range(processes)]


@pytest.mark.process
def test_replicas_starting_together_migrate_a_new_schema_once(pg_spec: dict[str, str], tmp_path: Path) -> None:
    assert race(pg_spec, "open", 8, tmp_path) == [len(MIGRATIONS)] * 8
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    try:
        assert store.rows("SELECT version FROM schema_version") == [{"version": len(MIGRATIONS)}]
        assert store.generation == 0 and store.take_digest_week(1)  # the seed rows went in once
        assert store.rows("SELECT count(*) AS n FROM meta") == [{"n": 4}]
    finally:
        store.close()


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_workers_handle_every_event_once(pg_spec: dict[str, str], tmp_path: Path, processes: int) -> None:
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    try:
        ids = [store.put_event(f"slack:Ev{n}", "slack", "Asked", {"n": n}) for n in range(EVENTS)]
        claimed = race(pg_spec, "claim", processes, tmp_path)
        handled = [i for found in claimed for i in found]
        assert sorted(handled) == sorted(ids)  # every event, none twice
        assert store.rows("SELECT max(attempts) AS most, count(*) FILTER (WHERE status = 'done') AS done"
                          " FROM inbox") == [{"most": 1, "done": EVENTS}]
        assert sum(1 for found in claimed if found) >= 2  # they did race: more than one process got work
    finally:
        store.close()


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_processes_escalate_one_question_once(pg_spec: dict[str, str], tmp_path: Path, processes: int) -> None:
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    try:
        q = store.add_question(User("U1"), "slack", Place("D1"), DRAGON, "nl", "suggest", None, [])
        found = race(pg_spec, "escalate", processes, tmp_path, q.id)
        assert len(set(found)) == 1 and store.count("escalations") == 1 and store.count("waiters") == 1
    finally:
        store.close()


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_clicks_on_ask_an_expert_escalate_once(pg_spec: dict[str, str], tmp_path: Path, processes: int) -> None:
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    try:
        q = store.add_question(User("U1"), "slack", Place("D1"), DRAGON, "nl", "suggest", None, [])
        found = race(pg_spec, "click", processes, tmp_path, q.id)
        assert len([f for f in found if f is not None]) == 1  # one process escalated, the others found it done
        assert store.count("escalations") == 1 and [e["action"] for e in store.audit_log()] == ["escalate"]
    finally:
        store.close()


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_askers_of_one_new_question_make_one_escalation(pg_spec: dict[str, str], tmp_path: Path,
                                                               processes: int) -> None:
    race(pg_spec, "ask", processes, tmp_path)
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    try:
        assert store.count("questions") == processes and store.count("escalations") == 1
        assert store.count("waiters") == processes
        actions = [e["action"] for e in store.audit_log()]
        assert sorted(actions) == sorted(["escalate"] + ["join_escalation"] * (processes - 1))
        assert store.verify_audit().intact
    finally:
        store.close()


@pytest.mark.process
def test_racing_processes_append_one_audit_chain(pg_spec: dict[str, str], tmp_path: Path) -> None:
    race(pg_spec, "audit", 8, tmp_path, 25)
    store = PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    try:
        verdict = store.verify_audit()
        assert verdict.intact and verdict.entries == 8 * 25
    finally:
        store.close()
