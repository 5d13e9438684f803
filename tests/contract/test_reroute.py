"""Re-routing on both backends: an escalation moves once (also when processes move it at once), its timers and
post start again, and what routing learned is kept, confirmed, listed and undone alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge import forget
from knowledge.model import Place, User
from tests.contract.racing import race

ASKER = User("agent1", "Anna")


def _escalation(store: Any) -> Any:
    q = store.add_question(ASKER, "console", Place("@agent1"), "buurt wil een bankje in het park", "nl", "escalate",
                           None, [])
    esc = store.add_escalation(q.id, "kcc-parkeren", [], [])
    store.set_escalation_post(esc.id, Place("kcc-parkeren", None, "100"))
    store.advance_escalation(esc.id, 1)
    return store.escalation(esc.id)


def test_move_restarts_the_escalation_in_the_new_channel_once(store: Any) -> None:
    esc = _escalation(store)
    assert (esc.moves, esc.stage, esc.routed_at, esc.status) == (0, 1, "", "open")
    assert store.move_escalation(esc.id, "kcc-openbare-ruimte", 0)
    moved = store.escalation(esc.id)
    assert (moved.channel, moved.moves, moved.stage, moved.status, moved.place) == \
        ("kcc-openbare-ruimte", 1, 0, "pending", None)
    assert moved.routed_at >= moved.created_at
    assert not store.move_escalation(esc.id, "kcc-afval", 0)  # a stale count: someone moved it meanwhile
    assert not store.move_escalation(esc.id, "kcc-openbare-ruimte", 1)  # to where it is
    assert [e.id for e in store.waiting_escalations()] == [esc.id]
    store.set_escalation_post(esc.id, Place("kcc-openbare-ruimte", None, "200"))
    posted = store.escalation(esc.id)
    assert posted.place == Place("kcc-openbare-ruimte", None, "200") and posted.status == "open"
    assert store.escalation_at("kcc-parkeren", "100").id == esc.id  # the old thread still belongs to it
    assert [p.message for p in store.escalation_posts(esc.id)] == ["100", "200"]
    answer = store.add_answer(esc.id, User("e1", "Piet"), "bij Groen", Place("kcc-openbare-ruimte", "200", "201"))
    assert store.resolve_escalation(esc.id, answer.id)
    assert not store.move_escalation(esc.id, "kcc-afval", 1)  # answered: stays


def test_lessons_are_learned_confirmed_listed_and_undone(store: Any) -> None:
    esc = _escalation(store)
    lesson = store.learn_route(esc.id, ["buurt", "bankje", "park"], "kcc-openbare-ruimte", "reroute", "e1")
    assert (lesson.words, lesson.channel, lesson.source, lesson.escalation_id, lesson.answered, lesson.undone_at) == \
        (("buurt", "bankje", "park"), "kcc-openbare-ruimte", "reroute", esc.id, False, "")
    assert lesson.learned_at
    again = store.learn_route(esc.id, ["buurt", "bankje", "park"], "kcc-wmo", "reroute", "e2")  # moved again
    assert again.id == lesson.id and again.channel == "kcc-wmo" and again.learned_by == "e2"
    assert not store.confirm_route(esc.id, "kcc-openbare-ruimte")
    assert store.confirm_route(esc.id, "kcc-wmo") and not store.confirm_route(esc.id, "kcc-wmo")
    assert [r.answered for r in store.learned_routes()] == [True]
    assert store.learned_route(lesson.id).answered
    assert store.undo_learned_route(lesson.id, "owner1")
    assert not store.undo_learned_route(lesson.id, "owner1") and not store.undo_learned_route(9999, "owner1")
    assert store.learned_routes() == []
    undone = store.learned_routes(undone=True)[0]
    assert undone.undone_by == "owner1" and undone.undone_at
    back = store.learn_route(esc.id, ["bankje"], "kcc-afval", "reroute", "e3")  # a new move puts it back in use
    assert back.undone_at == "" and [r.channel for r in store.learned_routes()] == ["kcc-afval"]


def _move(store: Any, who: int, arg: Any) -> bool:
    return bool(store.move_escalation(arg, f"kcc-kanaal-{who}", 0))


def test_experts_moving_at_once_move_it_once(spec: dict[str, str], store: Any, tmp_path: Path) -> None:
    esc = _escalation(store)
    moved = race(_move, spec, 4, tmp_path, esc.id)
    assert sorted(moved) == [False, False, False, True]
    now = store.escalation(esc.id)
    assert now.moves == 1 and now.channel == f"kcc-kanaal-{moved.index(True)}"


def test_forgetting_an_asker_drops_their_lessons_and_an_expert_becomes_a_colleague(store: Any) -> None:
    mine = _escalation(store)  # asked by agent1
    store.learn_route(mine.id, ["buurt", "bankje", "park"], "kcc-openbare-ruimte", "reroute", "e1")
    q = store.add_question(User("agent2", "Bram"), "console", Place("@agent2"), "wie snoeit de bomen", "nl",
                           "escalate", None, [])
    other = store.add_escalation(q.id, "kcc-experts", [], [])
    store.add_answer(other.id, User("e1", "Piet"), "Groen", Place("kcc-experts", "300", "301"))
    store.learn_route(other.id, ["snoeit", "bomen"], "kcc-afval", "reroute", "e1")

    report = forget.forget(store, "agent1")
    assert report.counts["learned_routes"] == 1
    assert [r.escalation_id for r in store.learned_routes()] == [other.id]
    report = forget.forget(store, "e1")
    assert report.counts["learned_routes"] == 1
    assert store.learned_routes()[0].learned_by not in ("e1", "")
