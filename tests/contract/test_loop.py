"""Questions, escalations, answers, reviews, timers and the audit chain: the same results on both backends."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from knowledge.model import ChannelSettings, Escalation, Place, Question, User

AGENT, AGENT2, EXPERT = User("U1", "Anna"), User("U2", "Bert"), User("E1", "Piet")
FAR_FUTURE = "2999-01-01T00:00:00+00:00"


def ask(store: Any, text: str = "mag ik een draak houden?", who: User = AGENT, decision: str = "escalate",
        **more: Any) -> Question:
    return store.add_question(who, "slack", Place(f"D{who.id}", more.pop("thread", None), "m1", "x"), text, "nl",
                              decision, more.pop("article_id", None), more.pop("shown", []), **more)


def test_a_question_is_stored_and_read_back(store: Any) -> None:
    q = ask(store, "hoe vraag ik een paspoort aan?", decision="answer", article_id="paspoort",
            shown=["paspoort", "rijbewijs"], personal=True, event_key="slack:Ev1")
    assert replace(q, created_at="") == Question(
        1, AGENT, "slack", Place("DU1", None, "m1", "x"), "hoe vraag ik een paspoort aan?", "answer", "paspoort", "",
        "nl", "answered", personal=True)
    assert q.created_at.endswith("+00:00") and len(q.created_at) == 25
    assert store.question(q.id) == q and store.question(99) is None
    assert store.question_for_event("slack:Ev1") == q and store.question_for_event("slack:Ev2") is None
    assert store.shown(q.id) == ["paspoort", "rijbewijs"] and store.shown(99) == []


def test_open_questions_newest_first_and_statuses(store: Any) -> None:
    first, second, third = ask(store, "een"), ask(store, "twee"), ask(store, "drie", decision="answer")
    ask(store, "ander", who=AGENT2)
    store.set_question_status(second.id, "resolved")
    assert [q.id for q in store.open_questions("U1")] == [first.id]
    store.set_question_status(third.id, "escalated")
    assert [q.id for q in store.open_questions("U1")] == [third.id, first.id]
    assert [q.id for q in store.open_questions("U1", limit=1)] == [third.id]
    ask(store, "in een draad", thread="t1")
    assert store.last_place("U1") == Place("DU1", extra="x") and store.last_place("nobody") is None


def test_one_escalation_per_question_and_its_waiters(store: Any) -> None:
    q = ask(store)
    store.set_question_urgent(q.id)
    esc = store.add_escalation(q.id, "kcc-experts", ["p1", "p2"], ["paspoort"])
    assert replace(esc, created_at="") == Escalation(1, q.id, "kcc-experts", None, "pending", ("p1", "p2"),
                                                     ("paspoort",), urgent=True)
    assert store.add_escalation(q.id, "elders", [], []) == esc  # already escalated: the same one
    assert store.count("escalations") == 1 and store.question(q.id).status == "escalated"
    other = ask(store, "mag ik een draak houden?", who=AGENT2)
    store.add_waiter(esc.id, other.id)
    store.add_waiter(esc.id, other.id)
    assert store.waiting_questions(esc.id) == [q.id, other.id]
    assert store.escalation_for_question(other.id) == esc and store.escalation_for_question(99) is None
    assert store.open_escalation_questions() == [(esc.id, "mag ik een draak houden?")]
    assert [(e.id, t) for e, t in store.open_escalations()] == [(esc.id, "mag ik een draak houden?")]


def test_an_escalation_about_ones_own_case_is_joined_by_nobody(store: Any) -> None:
    store.add_escalation(ask(store, "mijn BSN [bsn]", personal=True).id, "kcc", [], [])
    assert store.open_escalation_questions() == [] and store.open_escalations() == []


def test_a_posted_escalation_is_open_and_found_by_its_post(store: Any) -> None:
    esc = store.add_escalation(ask(store).id, "kcc-experts", [], [])
    assert [e.id for e in store.stranded_escalations(FAR_FUTURE)] == [esc.id]  # never posted, in no outbox
    store.queue("send", Place("kcc-experts"), {"text": "vraag"}, escalation_id=esc.id)
    assert store.stranded_escalations(FAR_FUTURE) == []
    store.set_escalation_post(esc.id, Place("kcc-experts", None, "1700.1", "svc"))
    posted = store.escalation_at("kcc-experts", "1700.1")
    assert posted.status == "open" and posted.place == Place("kcc-experts", None, "1700.1", "svc")
    assert store.escalation_at("kcc-experts", "nope") is None and store.escalation(99) is None


def test_every_post_of_an_escalation_is_its_thread(store: Any) -> None:
    """Posted again after a stop: both posts find the escalation; the first stays its place."""
    esc = store.add_escalation(ask(store).id, "kcc-experts", [], [])
    store.set_escalation_post(esc.id, Place("C1", None, "100.1"))
    store.set_escalation_post(esc.id, Place("C1", None, "100.2"))
    store.set_escalation_post(esc.id, Place("C1", None, "100.2"))  # the same post recorded again: once
    assert store.escalation_at("C1", "100.1").id == esc.id == store.escalation_at("C1", "100.2").id
    assert [p.message for p in store.escalation_posts(esc.id)] == ["100.1", "100.2"]
    assert store.escalation(esc.id).place.message == "100.1"
    assert store.escalation_at("C1", "100.3") is None


def test_a_claim_on_a_message_is_held_while_it_is_sent_and_not_after(store: Any) -> None:
    item = store.queue("send", Place("D1"), {"text": "hoi"}, key="k1")
    assert store.claim_outbox(60.0)["in_doubt"] == 0
    assert store.extend_outbox_claim(item, 60.0)
    store.outbox_result(item)
    assert not store.extend_outbox_claim(item, 60.0)  # sent: no claim to hold


def test_an_escalation_is_resolved_once_by_one_answer(store: Any) -> None:
    q, q2 = ask(store), ask(store, who=AGENT2)
    esc = store.add_escalation(q.id, "kcc-experts", [], [])
    store.add_waiter(esc.id, q2.id)
    first = store.add_answer(esc.id, EXPERT, "Nee.", Place("kcc-experts", "1700.1", "1700.2"))
    second = store.add_answer(esc.id, EXPERT, "Nee, nooit.", Place("kcc-experts", "1700.1", "1700.3"))
    assert (first.id, first.author, first.text, first.accepted) == (1, EXPERT, "Nee.", False)
    assert store.answer_at("kcc-experts", "1700.2") == first and store.answer_at("kcc-experts", "x") is None
    assert store.latest_answer(esc.id) == second and store.answers(esc.id) == [first, second]
    assert store.resolve_escalation(esc.id, second.id) is True
    assert store.resolve_escalation(esc.id, first.id) is False  # a second mark changes nothing
    done = store.escalation(esc.id)
    assert (done.status, done.answer_id) == ("answered", second.id) and done.answered_at.endswith("+00:00")
    assert [a.accepted for a in store.answers(esc.id)] == [False, True]
    assert {store.question(q.id).status, store.question(q2.id).status} == {"resolved"}
    assert store.open_escalation_questions() == [] and store.waiting_escalations() == []
    assert store.answer(second.id) == replace(second, accepted=True) and store.answer(99) is None


def test_timers_fire_once(store: Any) -> None:
    esc = store.add_escalation(ask(store).id, "kcc-experts", [], [])
    assert [e.id for e in store.waiting_escalations()] == [esc.id]
    assert store.advance_escalation(esc.id, 1) is True and store.advance_escalation(esc.id, 1) is False
    assert store.advance_escalation(esc.id, 2) is True and store.waiting_escalations() == []
    assert store.set_urgent(esc.id) is True and store.set_urgent(esc.id) is False
    assert store.take_digest_week(202649) is True and store.take_digest_week(202649) is False
    assert store.take_digest_week(202650) is True


def test_channel_settings(store: Any) -> None:
    assert store.channel_settings("kcc") == ChannelSettings("kcc")
    settings = ChannelSettings("kcc", 12.5, ("p1", "p2"), "kcc-backup")
    store.set_channel_settings(settings)
    assert store.channel_settings("kcc") == settings
    store.set_channel_settings(ChannelSettings("kcc"))
    assert store.channel_settings("kcc") == ChannelSettings("kcc")


def test_reviews(store: Any) -> None:
    review = store.add_review("paspoort", None, flag="personal")
    assert (review.id, review.article_id, review.status, review.flag, review.decided_at) == (
        1, "paspoort", "pending", "personal", "")
    assert store.pending_reviews() == [review]
    store.decide_review(review.id, "approved", "owner1", "goed")
    decided = store.review(review.id)
    assert (decided.status, decided.decided_by, decided.note) == ("approved", "owner1", "goed")
    assert decided.decided_at.endswith("+00:00") and store.pending_reviews() == [] and store.review(9) is None


def test_the_audit_log_is_a_chain_that_cannot_be_rewritten(store: Any) -> None:
    store.audit("U1", "ask", "1", decision="escalate", text="mag ik een draak houden?")
    with store.transaction():
        store.audit("E1", "mark_answer", "1")
        store.audit("E1", "relay", "1", to=["U1"])
    log = store.audit_log()
    assert [(e["id"], e["actor"], e["action"], e["subject"]) for e in log] == [
        (1, "U1", "ask", "1"), (2, "E1", "mark_answer", "1"), (3, "E1", "relay", "1")]
    assert log[0]["detail"] == '{"decision": "escalate", "text": "mag ik een draak houden?"}'
    assert [e["prev"] for e in log[1:]] == [e["hash"] for e in log[:2]]
    verdict = store.verify_audit()
    assert verdict.intact and verdict.entries == 3 and verdict.head == log[-1]["hash"]
    assert store.audit_log(limit=1) == log[-1:]


def test_the_audit_log_refuses_changes(store: Any) -> None:
    store.audit("U1", "ask", "1")
    with pytest.raises(Exception, match="append-only"), store.transaction() as db:  # the same SQL on both
        db.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(Exception, match="append-only"), store.transaction() as db:
        db.execute("DELETE FROM audit")
    assert store.verify_audit().intact
