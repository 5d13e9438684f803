"""Who answered what: replies in expert threads matched to the directory (by platform handle, id, e-mail or
name), counted with the marked answers, channels and the last answer; one person's answers."""

from __future__ import annotations

from knowledge.answered import answers_of, who_answered
from knowledge.model import Place, User
from knowledge.store import SqliteStore


def _thread(store: SqliteStore, platform: str, channel: str, question: str) -> int:
    q = store.add_question(User("agent1", "Agent"), platform, Place("D1"), question, "nl", "escalate", None, [])
    return store.add_escalation(q.id, channel, [], []).id


def test_replies_are_counted_per_person_with_marked_answers_channels_and_last_answer(
        demo_store: SqliteStore) -> None:
    first = _thread(demo_store, "slack", "kcc-experts", "Mag een dakkapel zonder vergunning?")
    second = _thread(demo_store, "console", "burgerzaken", "Kan een paspoort met spoed?")
    # p-01 in Slack by handle, twice (one marked); Pieter van den Berg in the console by name; a stranger
    a1 = demo_store.add_answer(first, User("U0DEMO01", "Fatima"), "Ja, tot 1 meter.", Place("C1", "t1", "m1"))
    demo_store.add_answer(first, User("U0DEMO01", "Fatima"), "Aanvulling.", Place("C1", "t1", "m2"))
    a3 = demo_store.add_answer(second, User("Pieter van den Berg", "Pieter van den Berg"), "Ja, binnen 2 dagen.",
                               Place("burgerzaken", "t2", "m3"))
    demo_store.add_answer(second, User("someone", "Not In Directory"), "Geen idee.", Place("burgerzaken", "t2", "m4"))
    demo_store.resolve_escalation(first, a1.id)
    demo_store.resolve_escalation(second, a3.id)
    records = {r.person.id: r for r in who_answered(demo_store)}
    assert len(records) == len(demo_store.people())  # the whole directory, answered or not
    fatima, pieter = records["p-01"], records["p-08"]
    assert (fatima.replies, fatima.marked, fatima.channels) == (2, 1, ("kcc-experts",))
    assert (pieter.replies, pieter.marked, pieter.channels) == (1, 1, ("burgerzaken",))
    assert fatima.last_answer and records["p-03"].replies == 0 and records["p-03"].last_answer == ""
    ranked = [r.person.id for r in who_answered(demo_store)][:2]
    assert ranked == ["p-01", "p-08"] or ranked == ["p-08", "p-01"]
    mine = answers_of(demo_store, "p-01")
    assert [(a.text, a.marked) for a in mine] == [("Aanvulling.", False), ("Ja, tot 1 meter.", True)]
    assert mine[0].question == "Mag een dakkapel zonder vergunning?"
    assert answers_of(demo_store, "p-03") == []


def test_a_handle_on_another_platform_is_not_mistaken_for_it(demo_store: SqliteStore) -> None:
    esc = _thread(demo_store, "teams", "kcc-experts", "Vraag")
    demo_store.add_answer(esc, User("U0DEMO01", ""), "Antwoord", Place("C1", "t1", "m1"))
    assert {r.person.id: r.replies for r in who_answered(demo_store)}["p-01"] == 0
