"""``vraagbaak forget PERSON``: exactly that person's data goes, the loop keeps working for everyone else."""

from __future__ import annotations

import json

import pytest

from bot.parser import main
from handlers.desk import Desk
from knowledge.forget import COLLEAGUE, Ambiguous, NobodyFound, forget
from knowledge.model import Person, Place, User
from tests.fakes import FakeChat

ANNA = User("agent1", "Anna Bakker")
BRAM = User("agent2", "Bram")
EXPERT = User("expert1", "Piet")
SHARED = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"
ALONE = "Hoe lang blijft een omgevingsvergunning voor een dakkapel in een beschermd dorpsgezicht geldig?"
BRAMS = "Krijgt een vereniging korting op de huur van het buurthuis voor een rommelmarkt?"
TRACES = ("Anna Bakker", "agent1", "anna@gemeente.nl", "p-anna", ALONE)


def _reply_and_mark(desk: Desk, chat: FakeChat, question: str, author: User, text: str, n: str) -> None:
    asked = desk.store.rows("SELECT id FROM questions WHERE text = ? AND asker_id != '' ORDER BY id", [question])
    esc = desk.store.escalation_for_question(asked[-1]["id"])
    assert esc and esc.place
    where = Place(esc.place.channel, esc.place.message, f"r{n}")
    desk.thread_reply(where, author, text)
    desk.mark_answer(where, author)


@pytest.fixture
def world(desk: Desk, chat: FakeChat) -> Desk:
    """Anna asks a question Bram asks too, and one only she asks; she answers Bram's own question as an
    expert, which becomes an article; she is in the directory with her Slack id."""
    desk.store.upsert_people([
        Person(id="p-anna", name="Anna Bakker", email="anna@gemeente.nl", expertise=("vergunningen",),
               handles=(("slack", "agent1"),)),
        Person(id="p-bram", name="Bram", email="bram@gemeente.nl", handles=(("slack", "agent2"),)),
    ])
    desk.ask(ANNA, SHARED, Place("D1"))
    desk.ask(BRAM, SHARED, Place("D2"))
    desk.ask(ANNA, ALONE, Place("D1"))
    alone = desk.store.rows("SELECT id FROM questions WHERE text = ?", [ALONE])[0]["id"]
    if desk.store.escalation_for_question(alone) is None:  # the KB suggested something: she asks an expert
        desk.escalate(alone, ANNA)
    desk.ask(BRAM, BRAMS, Place("D2"))
    brams = desk.store.rows("SELECT id FROM questions WHERE text = ?", [BRAMS])[0]["id"]
    if desk.store.escalation_for_question(brams) is None:  # the same for bram
        desk.escalate(brams, BRAM)
    _reply_and_mark(desk, chat, BRAMS, ANNA, "Ja, verenigingen betalen het halve tarief.", "1")
    return desk


def _everything(desk: Desk) -> str:
    """Every table a person's data can be in, except the append-only audit log."""
    tables = ("questions", "answers", "escalations", "waiters", "outbox", "inbox", "console_messages", "people",
              "person_handles", "articles", "reviews")
    return json.dumps({t: desk.store.rows(f"SELECT * FROM {t}") for t in tables}, ensure_ascii=False)


def test_forget_removes_exactly_that_persons_data(world: Desk, chat: FakeChat) -> None:
    store = world.store
    assert all(trace in _everything(world) for trace in TRACES)
    brams = [r["id"] for r in store.rows("SELECT id FROM questions WHERE asker_id = 'agent2' ORDER BY id")]
    articles_before, people_before = len(store.articles()), {p.id for p in store.people()}

    report = forget(store, "anna@gemeente.nl")

    left = _everything(world)
    assert not [trace for trace in TRACES if trace in left]
    assert report.person and report.person.id == "p-anna" and report.ids == ("p-anna", "agent1")
    assert report.counts["questions"] == 2 and report.counts["people"] == 1 and report.counts["handles"] == 1
    assert report.counts["withdrawn"] == 1 and report.counts["escalations"] == 1
    # Bram keeps everything of his
    assert [store.question(i).text for i in brams] == [SHARED, BRAMS]  # type: ignore[union-attr]
    assert {p.id for p in store.people()} == people_before - {"p-anna"}
    assert store.person_by_handle("slack", "agent1") is None and store.person_by_handle("slack", "agent2")
    # her answer stays as knowledge, credited to a colleague
    article = next(a for a in store.articles() if a.body == "Ja, verenigingen betalen het halve tarief.")
    assert article.source.startswith(f"{COLLEAGUE} (") and len(store.articles()) == articles_before
    answer = store.rows("SELECT author_id, author_name FROM answers WHERE text LIKE 'Ja, verenigingen%'")[0]
    assert answer == {"author_id": "", "author_name": COLLEAGUE}
    # counts for analytics stay
    assert store.count("questions") == 4
    entry = store.audit_log()[-1]
    assert (entry["action"], entry["subject"]) == ("forget", "") and "Anna" not in entry["detail"]
    assert store.verify_audit().intact


def test_the_shared_escalation_still_relays_to_the_others(world: Desk, chat: FakeChat) -> None:
    forget(world.store, "Anna Bakker")
    esc = next(e for e, _ in world.store.open_escalations())
    bram = world.store.question(esc.question_id)
    assert bram and bram.asker.id == "agent2" and bram.text == SHARED  # re-rooted at Bram's question
    before = len(chat.to("D1"))
    _reply_and_mark(world, chat, SHARED, EXPERT, "Nee, particulieren krijgen geen vergunning.", "2")
    assert any("particulieren krijgen geen vergunning" in m.text for m in chat.to("D2"))
    assert len(chat.to("D1")) == before  # nothing more to her
    logged = world.store.article(f"vb-{esc.id}")
    assert logged and logged.title == SHARED and logged.questions == (SHARED,)


def test_her_own_escalation_is_withdrawn_and_never_joined(world: Desk) -> None:
    forget(world.store, "p-anna")
    withdrawn = world.store.rows("SELECT id FROM escalations WHERE status = 'withdrawn'")
    assert len(withdrawn) == 1
    assert withdrawn[0]["id"] not in [e.id for e, _ in world.store.open_escalations()]


def test_a_chat_user_id_outside_the_directory(desk: Desk) -> None:
    desk.ask(User("U999", "Gast"), ALONE, Place("D9"))
    report = forget(desk.store, "U999")
    assert report.person is None and report.counts["questions"] == 1
    assert "Gast" not in json.dumps(desk.store.rows("SELECT * FROM questions"))


def test_nobody_and_two_people_of_one_name_are_named(desk: Desk) -> None:
    with pytest.raises(NobodyFound):
        forget(desk.store, "niemand-bekend")
    desk.store.upsert_people([Person(id="x1", name="Jan Smit"), Person(id="x2", name="jan smit")])
    with pytest.raises(Ambiguous) as found:
        forget(desk.store, "Jan Smit")
    assert [p.id for p in found.value.people] == ["x1", "x2"]
    assert forget(desk.store, "x2").counts["people"] == 1


def test_cli_forget_prints_what_it_removed(world: Desk, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VRAAGBAAK_DB", world.store.path)
    monkeypatch.setenv("VRAAGBAAK_LANG", "en")
    assert main(["forget", "agent1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Forgotten: Anna Bakker (p-anna)\n")
    assert "  their questions (text and asker blanked): 2\n" in out and "  directory entries: 1\n" in out
    assert main(["forget", "agent1"]) == 2
    assert "'agent1' is not in the directory" in capsys.readouterr().err
