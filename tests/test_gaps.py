"""Knowledge gaps: escalated and "not helpful" questions from the real loop, clustered by the search's own
text analysis; paraphrases together, unrelated questions apart, the best expert answer offered, nothing
unmasked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.desk import Desk
from knowledge.gaps import cluster, gaps, similarity, terms
from knowledge.model import Place, User
from tests.fakes import FakeChat

AGENTS = [User(f"agent{i}", f"Agent {i}") for i in range(12)]
EXPERT = User("expert1", "Piet")
EXPERT2 = User("expert2", "Lotte")
TODAY = datetime.now(UTC).date()

FIREWORKS = [
    "Mag een inwoner vuurwerk afsteken in de achtertuin met oud en nieuw?",
    "Is vuurwerk afsteken in eigen tuin toegestaan op oudejaarsavond?",
    "klant vraagt of hij vuurwerk mag afsteken in zijn tuin",
]
CHICKENS = [
    "Mag een inwoner kippen houden in zijn achtertuin?",
    "Is het toegestaan om kippen te houden in een tuin in de wijk?",
    "Klant met BSN 111222333 vraagt of ze kippen mag houden in de tuin van haar huurhuis",  # masked on the way in
]
UNRELATED = [
    "Wie beslist over het plaatsen van een bankje in het park?",
    "Can a resident hire the town hall for a wedding photo shoot?",
    "Hoeveel kost een standplaats op de weekmarkt?",
]


def ask_escalated(desk: Desk, asker: User, question: str) -> int:
    """Ask as an agent would; when the bot answers or suggests, the agent asks an expert. The question's id."""
    desk.ask(asker, question, Place(f"D-{asker.id}"))
    qid = int(desk.store.rows("SELECT max(id) AS n FROM questions")[0]["n"])
    if desk.store.escalation_for_question(qid) is None:
        desk.escalate(qid, asker)
    return qid


def reply(desk: Desk, question_id: int, author: User, said: str, n: int) -> Place:
    esc = desk.store.escalation_for_question(question_id)
    assert esc is not None and esc.place is not None
    place = Place(esc.place.channel, esc.place.message, f"reply-{question_id}-{n}")
    assert desk.thread_reply(place, author, said)
    return place


def test_paraphrases_cluster_unrelated_questions_stay_apart_and_the_marked_answer_is_offered(
        desk: Desk, chat: FakeChat) -> None:
    asked = [ask_escalated(desk, a, q) for a, q in zip(AGENTS, FIREWORKS + CHICKENS + UNRELATED, strict=False)]
    fireworks, chickens = asked[:3], asked[3:6]
    marked = reply(desk, fireworks[0], EXPERT, "Alleen tussen 18:00 en 02:00 op oudejaarsavond, niet bij een"
                   " rieten dak.", 1)
    reply(desk, fireworks[1], EXPERT2, "Ik denk het wel, maar vraag het even na.", 2)  # later, but not marked
    desk.mark_answer(marked, EXPERT)
    reply(desk, chickens[2], EXPERT2, "Kippen mogen, een haan niet; de huurbaas moet ook akkoord zijn.", 3)

    found = gaps(desk.store, TODAY - timedelta(days=7), TODAY)

    groups = [sorted(q.id for q in g.questions) for g in found.clusters]
    assert sorted(fireworks) in groups and sorted(chickens) in groups
    assert [g.size for g in found.clusters] == [3, 3, 1, 1, 1]  # biggest first, each unrelated one alone
    assert found.considered == 9 and not found.capped
    by_first = {g.questions[-1].id: g for g in found.clusters}
    best = by_first[fireworks[0]].answer
    assert best is not None and best.marked and "18:00" in best.text and best.author == "Piet"
    assert best.escalation_id in by_first[fireworks[0]].escalations
    chicken = by_first[chickens[0]]
    assert chicken.answer is not None and not chicken.answer.marked and "haan" in chicken.answer.text
    assert chicken.answer.personal  # given to a question that carried a BSN: look before publishing
    assert any("[BSN]" in q.text for q in chicken.questions)
    every_text = [q.text for g in found.clusters for q in g.questions] + [g.answer.text for g in found.clusters
                                                                           if g.answer]
    assert not any("111222333" in t for t in every_text)  # never unmasked
    assert by_first[asked[6]].answer is None and by_first[asked[6]].title == UNRELATED[0]


def test_not_helpful_answers_are_gaps_and_the_period_and_cap_hold(desk: Desk) -> None:
    desk.ask(AGENTS[0], "hoe vraag ik een nieuw paspoort aan?", Place("D1"))
    answered = int(desk.store.rows("SELECT max(id) AS n FROM questions")[0]["n"])
    desk.ask(AGENTS[1], "hoe vraag ik een nieuw paspoort aan?", Place("D2"))
    helped = int(desk.store.rows("SELECT max(id) AS n FROM questions")[0]["n"])
    desk.feedback(helped, True, AGENTS[1])  # helped: no gap
    desk.feedback(answered, False, AGENTS[0])  # not helpful: a gap
    old = ask_escalated(desk, AGENTS[2], UNRELATED[2])
    with desk.store.transaction() as db:
        db.execute("UPDATE questions SET created_at = ? WHERE id = ?",
                   [(datetime.now(UTC) - timedelta(days=40)).isoformat(), old])

    found = gaps(desk.store, TODAY - timedelta(days=7), TODAY)
    assert [q.id for g in found.clusters for q in g.questions] == [answered]
    older = gaps(desk.store, TODAY - timedelta(days=60), TODAY)
    assert {q.id for g in older.clusters for q in g.questions} == {answered, old}
    capped = gaps(desk.store, TODAY - timedelta(days=60), TODAY, limit=1)
    assert capped.capped and capped.considered == 1
    assert [q.id for g in capped.clusters for q in g.questions] == [answered]  # the most recent kept


def test_terms_drop_function_words_placeholders_and_desk_words() -> None:
    assert terms("Klant met BSN [BSN] vraagt of ze kippen mag houden", "nl") == frozenset({"bsn", "kip", "houd"})
    assert terms("Can a customer at [ADRES] get a parking permit?", "en") == frozenset({"park", "permit"})
    assert terms("hallo, dank je", "nl") == frozenset()


def test_similarity_needs_two_shared_terms_and_matches_compounds_and_spelling() -> None:
    garden = terms("Mag een inwoner vuurwerk afsteken in de achtertuin?", "nl")
    assert similarity(garden, terms("vuurwerk afsteken in de tuin", "nl")) == 1.0  # achtertuin is a tuin
    assert similarity(garden, terms("kippen houden in de achtertuin", "nl")) == 0.0  # one shared word
    assert similarity(terms("rijbewijs buitenland", "nl"), terms("rijbewijs buitenlands", "nl")) == 1.0
    assert similarity(frozenset({"oud", "nieuw"}), frozenset({"houd", "nieuw"})) == 0.0  # short words: exact only
    assert similarity(frozenset(), garden) == 0.0


def test_cluster_is_greedy_and_keeps_the_input_order() -> None:
    sets = [frozenset({"a1x", "b2y"}), frozenset({"c3z", "d4w"}), frozenset({"a1x", "b2y", "e5v"}), frozenset()]
    assert cluster(sets) == [[0, 2], [1], [3]]
