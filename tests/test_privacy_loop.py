"""One person's case stays one person's case: no joining, and an answer held for an owner."""

from __future__ import annotations

from handlers.desk import Desk
from knowledge.model import Place, User
from tests.fakes import FakeChat

ANNA, BRAM, CARLA = User("agent1", "Anna"), User("agent2", "Bram"), User("agent3", "Carla")
EXPERT, OWNER = User("expert1", "Piet"), User("owner1", "Kim")
TOESLAG = "Mijn BSN is {bsn}, wanneer wordt mijn bijzondere bijstandstoeslag voor de verhuizing uitbetaald?"
CASE_ANSWER = "Die wordt op 20 mei uitbetaald; het bedrag is 312 euro."


def ask(desk: Desk, who: User, question: str, place: Place) -> str:
    """Ask; when the bot only suggests, press "Ask an expert" (joining happens on asking either way)."""
    told = desk.ask(who, question, place)
    [q] = desk.store.open_questions(who.id, limit=1) or [None]
    if q is not None and q.status == "open":
        told = desk.escalate(q.id, who)
    return told.text


def root_post(desk: Desk, asker: User) -> Place:
    [esc] = [e for e, _ in desk.store.open_escalations()] or [desk.store.escalation_for_question(
        desk.store.rows("SELECT id FROM questions WHERE asker_id = ?", [asker.id])[0]["id"])]
    assert esc is not None and esc.place is not None
    return esc.place


def test_two_citizens_with_personal_data_are_never_joined(desk: Desk, chat: FakeChat) -> None:
    ask(desk, ANNA, TOESLAG.format(bsn="111222333"), Place("D1"))
    told = ask(desk, BRAM, TOESLAG.format(bsn="123456782"), Place("D2"))
    assert "al" not in told.split()  # not "deze vraag is al gesteld"
    assert desk.store.count("escalations") == 2
    rows = desk.store.rows("SELECT personal, text FROM questions ORDER BY id")
    assert [r["personal"] for r in rows] == [1, 1] and all("[BSN]" in r["text"] for r in rows)
    # Without personal data, the same question twice is still joined: the rule is about cases, not all joins.
    same = "Wanneer wordt de bijzondere bijstandstoeslag voor een verhuizing uitbetaald aan inwoners?"
    ask(desk, CARLA, same, Place("D3"))
    ask(desk, OWNER, same, Place("D4"))
    assert desk.store.count("escalations") == 3


def test_a_case_question_is_not_joined_by_a_general_one_either(desk: Desk, chat: FakeChat) -> None:
    ask(desk, ANNA, TOESLAG.format(bsn="111222333"), Place("D1"))
    ask(desk, BRAM, TOESLAG.format(bsn="").replace("Mijn BSN is , w", "W"), Place("D2"))
    assert desk.store.count("escalations") == 2


def test_questions_that_differ_in_a_number_are_not_joined(desk: Desk, chat: FakeChat) -> None:
    q = "Welke vergunning heeft een festival in het stadspark met {n} bezoekers op zondag nodig?"
    ask(desk, ANNA, q.format(n=500), Place("D1"))
    ask(desk, BRAM, q.format(n=5000), Place("D2"))
    assert desk.store.count("escalations") == 2
    ask(desk, CARLA, q.format(n=5000), Place("D3"))
    assert desk.store.count("escalations") == 2  # the very same question still joins


def test_the_answer_to_a_case_is_relayed_but_held_for_an_owner(desk: Desk, chat: FakeChat) -> None:
    ask(desk, ANNA, TOESLAG.format(bsn="111222333"), Place("D1"))
    root = root_post(desk, ANNA)
    reply = Place(root.channel, root.message, "r1")
    desk.thread_reply(reply, EXPERT, CASE_ANSWER)
    marked = desk.mark_answer(reply, EXPERT)
    assert "persoonsgegevens" in marked.text
    assert any("312 euro" in m.text for m in chat.to("D1"))  # anna gets the answer about her case

    # bram asks about his own case: anna's answer is not in search, so it is not given to him
    again = desk.ask(BRAM, TOESLAG.format(bsn="123456782"), Place("D2"))
    assert "312" not in again.text and "20 mei" not in again.text
    assert "312" not in ask(desk, BRAM, TOESLAG.format(bsn="123456782"), Place("D2"))
    assert not any("312 euro" in m.text for m in chat.to("D2"))

    # the owner sees why it needs a look, and approving it makes it an ordinary article
    queue = desk.review_queue(OWNER)
    assert "persoonsgegevens" in queue.text
    assert any(line.kind == "warning" and "algemeen" in line.text for line in queue.lines)
    [item] = desk.store.pending_reviews()
    assert item.flag == "personal" and desk.store.article(item.article_id).status == "held"
    desk.approve(item.id, OWNER)
    assert desk.store.article(item.article_id).status == "validated"
    found = desk.searcher.search(TOESLAG.format(bsn="[BSN]"))
    assert found.hits and found.hits[0].article.id == item.article_id


def test_an_ordinary_answer_is_still_provisional_and_in_search(desk: Desk, chat: FakeChat) -> None:
    question = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"
    ask(desk, ANNA, question, Place("D1"))
    root = root_post(desk, ANNA)
    reply = Place(root.channel, root.message, "r1")
    desk.thread_reply(reply, EXPERT, "Nee, particulieren krijgen geen vergunning.")
    assert "persoonsgegevens" not in desk.mark_answer(reply, EXPERT).text
    [item] = desk.store.pending_reviews()
    assert item.flag == "" and desk.store.article(item.article_id).status == "provisional"


def test_among_many_open_escalations_a_question_joins_the_oldest_alike(desk: Desk, chat: FakeChat) -> None:
    """Hundreds of open escalations (a busy week with experts behind): a new question joins the oldest one that
    asks the same with the same numbers, and none that only looks alike."""
    q = "Mag een vereniging met {n} leden een loterij houden op het plein bij de kerk?"
    with desk.store.transaction():  # 300 open escalations about other things, without asking 300 times
        for n in range(300):
            other = desk.store.add_question(ANNA, "fake", Place(f"D{n}"), f"Onderwerp {n} heeft vraag {n} over iets",
                                            "nl", "escalate", None, [])
            desk.store.add_escalation(other.id, "kcc-experts", [], [])
    ask(desk, ANNA, q.format(n=40), Place("E1"))
    ask(desk, BRAM, q.format(n=60), Place("E2"))  # other number: its own escalation
    before = desk.store.count("escalations")
    ask(desk, CARLA, q.format(n=60), Place("E3"))
    assert desk.store.count("escalations") == before
    joined = desk.store.rows("SELECT e.question_id FROM waiters w JOIN escalations e ON e.id = w.escalation_id"
                             " JOIN questions q ON q.id = w.question_id WHERE q.asker_id = ?", [CARLA.id])
    assert [desk.store.question(r["question_id"]).text for r in joined] == [q.format(n=60)]
