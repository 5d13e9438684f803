"""The whole loop through the Desk, with a fake chat and a real SQLite store."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.desk import Desk
from handlers.errors import UserError
from handlers.replies import Action
from knowledge.model import Place, User
from tests.fakes import FakeChat

AGENT = User("agent1", "Anna")
AGENT2 = User("agent2", "Bram")
EXPERT = User("expert1", "Piet")
OWNER = User("owner1", "Kim")
UNKNOWN = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"


def buttons(message) -> set[str]:
    return {b.action for b in message.buttons}


def test_known_question_is_answered_with_source_owner_and_buttons(desk: Desk, chat: FakeChat) -> None:
    reply = desk.ask(AGENT, "hoe vraag ik een nieuw paspoort aan?", Place("D1"))
    assert "paspoort" in reply.text.lower()
    assert buttons(reply) == {Action.HELPFUL, Action.NOT_HELPFUL, Action.READ, Action.ESCALATE}  # the body is cut
    assert any(line.kind == "context" and "Eigenaar" in line.text for line in reply.lines)
    assert chat.sent == []  # nothing escalated


def test_loop_escalate_answer_mark_relay_log_review_and_answer_directly(desk: Desk, chat: FakeChat) -> None:
    told = desk.ask(AGENT, UNKNOWN, Place("D1"))
    assert "kcc-experts" in told.text and "https://chat.example/" in told.text
    post_place, post = next((p, m) for p, m in chat.sent if p.channel == "kcc-experts")
    assert UNKNOWN in post.text
    assert buttons(post) == {Action.MARK_ANSWER, Action.REROUTE}
    root = Place("kcc-experts", None, f"m{len(chat.sent)}")

    reply_place = Place("kcc-experts", root.message, "r1")
    desk.thread_reply(reply_place, EXPERT, "Nee, particulieren krijgen geen vergunning; alleen tussen 18:00 en 02:00.")
    confirmation = desk.mark_answer(reply_place, EXPERT)
    assert "1" in confirmation.text

    relayed = chat.to("D1")
    assert len(relayed) == 1 and "particulieren krijgen geen vergunning" in relayed[0].text
    assert chat.updated and chat.updated[-1][0].message == root.message
    assert "Piet" in chat.updated[-1][1].text or any("Piet" in line.text for line in chat.updated[-1][1].lines)

    again = desk.ask(AGENT2, UNKNOWN, Place("D2"))
    assert "particulieren" in again.text
    assert any(line.kind == "warning" for line in again.lines)  # provisional, not yet reviewed

    queue = desk.review_queue(OWNER)
    review_id = int(next(b.value for line in queue.lines for b in line.buttons if b.action == Action.APPROVE))
    desk.approve(review_id, OWNER)
    after = desk.ask(AGENT2, UNKNOWN, Place("D2"))
    assert "particulieren" in after.text
    assert not any("Voorlopig" in line.text for line in after.lines)
    actions = [r["action"] for r in desk.store.audit_log()]
    for step in ("ask", "escalate", "expert_reply", "mark_answer", "log_article", "review_approved"):
        assert step in actions


def test_personal_data_never_reaches_the_expert_channel_or_the_store(desk: Desk, chat: FakeChat) -> None:
    desk.ask(AGENT, "Inwoner met BSN 111222333 en mail jan@example.nl wil vuurwerk afsteken in de tuin", Place("D1"))
    posted = " ".join(m.text for m in chat.to("kcc-experts"))
    assert "111222333" not in posted and "jan@example.nl" not in posted
    stored = desk.store.rows("SELECT text FROM questions")[0]["text"]
    assert "[BSN]" in stored and "[EMAIL]" in stored
    assert "111222333" not in str(desk.store.audit_log())


def test_not_helpful_escalates_once(desk: Desk, chat: FakeChat) -> None:
    reply = desk.ask(AGENT, "hoe vraag ik een nieuw paspoort aan?", Place("D1"))
    qid = int(reply.buttons[0].value)
    desk.feedback(qid, False, AGENT)
    desk.escalate(qid, AGENT)
    assert len([p for p, _ in chat.sent if p.channel != "D1"]) == 1
    assert "kcc-burgerzaken" in {p.channel for p, _ in chat.sent}  # routed by topic


def test_same_question_from_two_agents_gets_one_escalation_and_two_relays(desk: Desk, chat: FakeChat) -> None:
    desk.ask(AGENT, UNKNOWN, Place("D1"))
    told = desk.ask(AGENT2, UNKNOWN.lower(), Place("D2"))
    assert "collega" in told.text
    escalations = [p for p, _ in chat.sent if p.channel == "kcc-experts"]
    assert len(escalations) == 1
    reply = Place("kcc-experts", "m1", "r1")
    desk.thread_reply(reply, EXPERT, "Nee.")
    desk.mark_answer(reply, AGENT)
    assert len(chat.to("D1")) == 1 and len(chat.to("D2")) == 1


def test_failed_delivery_is_kept_and_sent_later(desk: Desk, chat: FakeChat) -> None:
    chat.failing = True
    told = desk.ask(AGENT, UNKNOWN, Place("D1"))
    assert "opnieuw" in told.text
    assert chat.sent == []
    chat.failing = False
    assert desk.flush_outbox() == 1
    assert len(chat.to("kcc-experts")) == 1
    assert desk.store.escalation(1).place is not None  # the thread can now be answered
    assert desk.flush_outbox() == 0


def test_marking_a_message_that_is_no_reply_explains(desk: Desk) -> None:
    with pytest.raises(UserError, match="geen reactie"):
        desk.mark_answer(Place("C9", "1", "2"), EXPERT)


def test_review_is_for_owners_only(desk: Desk) -> None:
    with pytest.raises(UserError):
        desk.review_queue(AGENT)


def resolved(desk: Desk, question: str) -> int:
    desk.ask(AGENT, question, Place("D1"))
    esc, _ = desk.store.open_escalations()[-1]
    reply = Place(esc.place.channel, esc.place.message, f"r{esc.id}")
    desk.thread_reply(reply, EXPERT, "Een antwoord van de expert.")
    desk.mark_answer(reply, EXPERT)
    return desk.store.pending_reviews()[-1].id


def test_merge_adds_the_phrasing_to_the_existing_article(desk: Desk) -> None:
    review_id = resolved(desk, UNKNOWN)
    target = desk.store.article("nl-paspoort-aanvragen") or desk.store.articles()[0]
    desk.merge(review_id, target.id, OWNER)
    assert UNKNOWN in desk.store.article(target.id).questions
    assert desk.store.article(desk.store.review(review_id).article_id).status == "archived"


def test_reject_and_edit(desk: Desk) -> None:
    first = resolved(desk, UNKNOWN)
    desk.reject(first, OWNER, "klopt niet")
    assert desk.store.article(desk.store.review(first).article_id).status == "archived"
    with pytest.raises(UserError):
        desk.approve(first, OWNER)
    second = resolved(desk, "Kan een inwoner een kat laten chippen bij de gemeente zelf?")
    desk.edit(second, OWNER, "Chippen van katten", "Dat doet de dierenarts, niet de gemeente.")
    article = desk.store.article(desk.store.review(second).article_id)
    assert (article.title, article.status) == ("Chippen van katten", "validated")
    assert article.owner == "Kim" and article.review_date


@pytest.mark.parametrize("text", ["", "   ", "?!", "x" * 100_000, "مرحبا كيف أجدد جواز السفر", "🙂" * 500,
                                  "паспорт", "a\x00b"])
def test_any_message_gets_an_answer_or_escalation(desk: Desk, text: str) -> None:
    reply = desk.ask(AGENT, text, Place("D1"))
    assert reply.text


def test_home_shows_open_questions_numbers_and_queue_for_owners(desk: Desk) -> None:
    desk.ask(AGENT, UNKNOWN, Place("D1"))
    home = desk.home(AGENT)
    assert "vuurwerk" in home.text and "1 naar experts" in home.text
    assert "beoordelen" not in home.text.lower()
    resolved(desk, "Kan een inwoner een kat laten chippen bij de gemeente zelf?")
    owner_home = desk.home(OWNER)
    assert any(b.action == Action.APPROVE for line in owner_home.lines for b in line.buttons)


def test_people_question_lists_experts(desk: Desk) -> None:
    reply = desk.ask(AGENT, "wie weet iets van parkeervergunningen?", Place("D1"))
    people = [p for line in reply.lines for p in line.people]
    assert people and "Parkeren" in people[0].department


def test_routing_names_map_to_platform_channel_ids_and_agents_see_the_name(desk: Desk, chat: FakeChat) -> None:
    desk.channels = {"kcc-experts": "19:experts@thread.tacv2"}
    told = desk.ask(AGENT, UNKNOWN, Place("D1"))
    assert [p.channel for p, _ in chat.sent] == ["19:experts@thread.tacv2"]
    assert "kcc-experts" in told.lines[0].text and "19:" not in told.lines[0].text
    reply = Place("19:experts@thread.tacv2", "m1", "r1")
    assert desk.thread_reply(reply, EXPERT, "Nee.") is True
    assert desk.thread_reply(Place("19:other@thread.tacv2", "x", "y"), EXPERT, "Hallo") is False


def test_english_question_gets_english_wording(desk: Desk) -> None:
    reply = desk.ask(AGENT, "how do I apply for a parking permit?", Place("D1"))
    assert "Helpful" in [b.label for b in reply.buttons] or "Ask an expert" in [b.label for b in reply.buttons]


def test_thread_reply_is_stored_once_per_message(desk: Desk, chat: FakeChat) -> None:
    desk.ask(AGENT, UNKNOWN, Place("D1"))
    reply = Place("kcc-experts", "m1", "r1")
    assert desk.thread_reply(reply, EXPERT, "Nee.") and desk.thread_reply(reply, EXPERT, "Nee.")
    assert desk.store.count("answers") == 1


def test_the_question_language_wins_over_the_user_setting(desk: Desk) -> None:
    english_user = User("agent9", "Eva", lang="en")
    dutch = desk.ask(english_user, "hoe vraag ik een paspoort aan?", Place("D9"))
    assert "Nuttig" in [b.label for b in dutch.buttons]
    unclear = desk.ask(english_user, "paspoort", Place("D9"))
    assert "Ask an expert" in [b.label for b in unclear.buttons]


def test_a_message_the_platform_keeps_refusing_is_given_up_and_audited(desk: Desk, chat: FakeChat,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.desk as desk_module
    import knowledge.sqlite.records as records

    monkeypatch.setattr(records, "OUTBOX_ATTEMPTS", 3)
    monkeypatch.setattr(desk_module, "OUTBOX_ATTEMPTS", 3)
    chat.failing = True
    desk.ask(AGENT, UNKNOWN, Place("D1"))  # attempt 1
    assert desk.flush_outbox() == 0 and desk.flush_outbox() == 0  # attempts 2 and 3: given up
    assert "delivery_failed" in [r["action"] for r in desk.store.audit_log()]
    chat.failing = False
    assert desk.flush_outbox() == 0 and chat.sent == []


def test_an_escalation_interrupted_before_posting_is_posted_by_the_timer(desk: Desk, chat: FakeChat) -> None:
    q = desk.store.add_question(AGENT, "fake", Place("D1"), UNKNOWN, "nl", "escalate", None, [])
    esc = desk.store.add_escalation(q.id, "kcc-experts", [], [])  # ... and then the process stopped
    desk.store.db.execute("UPDATE escalations SET created_at = '2000-01-01T00:00:00+00:00'")
    desk.flush_outbox()
    assert len(chat.to("kcc-experts")) == 1 and desk.store.escalation(esc.id).place is not None
    desk.flush_outbox()
    assert len(chat.to("kcc-experts")) == 1  # once


def test_owners_home_lists_articles_past_their_review_date(desk: Desk) -> None:
    today = date.today().isoformat()
    stale = sorted((a for a in desk.store.articles(status="validated") if a.review_date and a.review_date < today),
                   key=lambda a: a.review_date)
    assert stale  # the demo has some on purpose
    home = desk.home(OWNER)
    assert "herziening" in home.text and stale[0].title in home.text
    assert "herziening" not in desk.home(AGENT).text


def test_a_greeting_gets_a_prompt_to_ask_the_question_and_nothing_else(desk: Desk, chat: FakeChat) -> None:
    reply = desk.ask(AGENT, "hallo", Place("D1"))
    assert reply.text.startswith("Hallo! Wat is je vraag?") and not reply.buttons
    assert desk.ask(AGENT, "thanks!", Place("D1")).text == "You're welcome!"  # thanked: no prompt to ask
    assert desk.store.rows("SELECT count(*) AS n FROM questions")[0]["n"] == 0 and not chat.sent
