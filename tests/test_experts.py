"""Who answered what: replies from the real loop matched to the directory by handle, id or name."""

from __future__ import annotations

from dataclasses import replace

from handlers.desk import Desk
from knowledge.experts import answers_of, experts
from knowledge.model import Place, User
from tests.fakes import FakeChat

AGENT = User("agent1", "Anna")
QUESTIONS = [
    "Mag een inwoner vuurwerk afsteken in de achtertuin met oud en nieuw?",
    "Mag een inwoner kippen houden in zijn achtertuin?",
    "Hoeveel kost een standplaats op de weekmarkt?",
]


def escalated(desk: Desk, question: str) -> Place:
    desk.ask(AGENT, question, Place("D1"))
    qid = int(desk.store.rows("SELECT max(id) AS n FROM questions")[0]["n"])
    if desk.store.escalation_for_question(qid) is None:
        desk.escalate(qid, AGENT)
    esc = desk.store.escalation_for_question(qid)
    assert esc is not None and esc.place is not None
    return esc.place


def reply(desk: Desk, root: Place, author: User, said: str, n: int) -> Place:
    place = Place(root.channel, root.message, f"r{n}")
    assert desk.thread_reply(place, author, said)
    return place


def test_replies_are_counted_per_person_and_sorted_by_marked_answers(desk: Desk, chat: FakeChat) -> None:
    store = desk.store
    fatima = store.people(["p-01"])[0]
    store.upsert_people([replace(fatima, handles=(("fake", "UF01"),))])  # known on this platform by a handle
    joyce = next(p for p in store.people() if p.name == "Joyce Verbeek")
    by_handle, by_id = User("UF01", "Fatima"), User("p-03", "")
    by_name, stranger = User("console-joyce", joyce.name.upper()), User("U999", "Onbekende Collega")
    roots = [escalated(desk, q) for q in QUESTIONS]
    reply(desk, roots[0], by_name, "Ik kijk even.", 1)
    desk.mark_answer(reply(desk, roots[0], by_handle, "Alleen op oudejaarsavond van 18:00 tot 02:00.", 2), by_handle)
    desk.mark_answer(reply(desk, roots[1], by_handle, "Kippen mogen, een haan niet.", 3), by_handle)
    reply(desk, roots[2], by_id, "Dat hangt van de markt af.", 4)
    reply(desk, roots[2], stranger, "Geen idee.", 5)

    listed, unlisted = experts(store)

    first = listed[0]
    assert (first.person_id, first.replies, first.marked) == ("p-01", 2, 2)
    assert "kennisbank" in first.expertise and first.last_answer
    assert len(first.channels) >= 1
    counts = {e.person_id: (e.replies, e.marked) for e in listed}
    assert counts[joyce.id] == (1, 0) and counts["p-03"] == (1, 0)
    assert len(listed) == len(store.people())  # everyone in the directory, answered or not
    assert [e.marked for e in listed] == sorted((e.marked for e in listed), reverse=True)
    assert [(u.author, u.replies, u.marked) for u in unlisted] == [("Onbekende Collega", 1, 0)]

    mine = answers_of(store, "p-01")
    assert [a.answer for a in mine] == ["Kippen mogen, een haan niet.", "Alleen op oudejaarsavond van 18:00 tot 02:00."]
    assert mine[0].question == QUESTIONS[1] and all(a.marked for a in mine)
    assert mine[0].escalation_id == store.escalation_for_question(2).id  # type: ignore[union-attr]
    assert answers_of(store, "p-04") == () and len(answers_of(store, joyce.id)) == 1


def test_personal_data_in_a_reply_stays_masked(desk: Desk) -> None:
    root = escalated(desk, QUESTIONS[2])
    reply(desk, root, User("p-03"), "Bel haar op 0612345678 of mail jan@example.nl", 1)
    said = answers_of(desk.store, "p-03")[0].answer
    assert "0612345678" not in said and "jan@example.nl" not in said
