"""A small, realistic history of the loop, written through the store methods both backends have: questions
answered, suggested, escalated and joined over the last days (and one a month ago), expert replies from people
of the directory (matched by platform id, directory id and name in any case) and from a guest, marked answers,
feedback and choices in the audit log, handled events, sent and unsent messages. Every question, escalation and
reply is moved to a fixed time (``backdate_question``), so both backends hold the same stamps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from knowledge.model import Article, Person, Place, User

ANNA = User("U1", "Anna Bakker")
BRAM = User("U2", "Bram")
PIET = User("E1", "Piet Jansen")  # Slack id of p1
GUEST = User("E9", "Gast")  # nobody in the directory
ELS = User("p2", "Els")  # the console: the directory id
PIET_BY_ID = User("piet jansen", "")  # by name in the author id, another case
PIET_BY_NAME = User("X7", "PIET JANSEN")  # by display name, another case
TODAY = datetime.now(UTC).date()
UPDATED = "2026-01-01T00:00:00+00:00"


def at(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC).replace(hour=hour,
                                                                                                  minute=minute)


def stamp(moment: datetime) -> str:
    return moment.isoformat()


def period(days: int = 7) -> tuple[date, date]:
    """The last ``days`` days, today included."""
    return TODAY - timedelta(days=days - 1), TODAY


def _escalate(store: Any, question_id: int, channel: str, experts: list[str]) -> int:
    esc = store.add_escalation(question_id, channel, experts, [])
    posted = store.queue("send", Place(channel), {"text": "Vraag van Anna Bakker"}, escalation_id=esc.id,
                         key=f"post:{esc.id}")
    store.outbox_result(posted)
    store.set_escalation_post(esc.id, Place(channel, None, f"{esc.id}.1"))
    return int(esc.id)


def _reply(store: Any, escalation_id: int, author: User, text: str) -> int:
    esc = store.escalation(escalation_id)
    n = len(store.answers(escalation_id)) + 2
    return int(store.add_answer(escalation_id, author, text, Place(esc.place.channel, esc.place.message,
                                                                 f"{escalation_id}.{n}")).id)


def _mark(store: Any, escalation_id: int, answer_id: int, by: User) -> None:
    with store.transaction():
        assert store.resolve_escalation(escalation_id, answer_id)
        for qid in store.waiting_questions(escalation_id):
            asker = store.question(qid).asker
            store.queue("send", Place(f"D-{asker.id}"), {"text": f"Antwoord van {by.name or by.id}"},
                        key=f"relay:{escalation_id}:{qid}", recipient=asker.id)
        esc = store.escalation(escalation_id)
        question = store.question(esc.question_id)
        store.upsert_articles([Article(f"vb-{escalation_id}", question.text, store.answer(answer_id).text,
                                       status="provisional", owner=by.name or by.id, updated_at=UPDATED,
                                       source=f"{by.name or by.id} ({esc.channel})")])
        store.add_review(f"vb-{escalation_id}", escalation_id)
        store.audit(by.id, "mark_answer", str(escalation_id), answer=answer_id, article=f"vb-{escalation_id}")


def build(store: Any) -> dict[str, int]:
    """Write the history; the ids of its questions and escalations by name."""
    store.upsert_articles([
        Article("paspoort", "Paspoort verlengen", "Maak een afspraak.", ("reisdocument", "paspoort"),
                ("hoe verleng ik mijn paspoort?",), owner="Piet Jansen", review_date="2020-01-01", updated_at=UPDATED),
        Article("rijbewijs", "Rijbewijs", "Via het CBR.", ("rijbewijs",), review_date="2999-01-01",
                updated_at=UPDATED),
        Article("parkeren", "Parkeren", "Een vergunning per adres.", (), review_date="2021-06-01",
                status="provisional", updated_at=UPDATED),
        Article("oud", "Oud artikel", "Niet meer geldig.", ("oud",), status="archived", updated_at=UPDATED),
    ])
    store.upsert_people([
        Person("p1", "Piet Jansen", "Jurist", "Burgerzaken", ("paspoort", "draken"), "piet@gemeente.nl",
               handles=(("slack", "E1"),)),
        Person("p2", "Els de Vries", "Adviseur", "Dieren", ("draken",), "els@gemeente.nl"),
        Person("p3", "Anna Bakker", "Medewerker", "KCC", (), "Anna@Gemeente.nl", handles=(("slack", "U1"),)),
        Person("p4", "Émile Dubois", "Tolk", "KCC", ("frans",), "émile@gemeente.nl"),
    ])
    ids: dict[str, int] = {}

    def ask(name: str, who: User, text: str, decision: str, article: str | None = None, shown: tuple[str, ...] = (),
            personal: bool = False) -> int:
        event = store.put_event(f"slack:{name}", "slack", "Asked", {"user": who.id, "text": text})
        assert store.claim_event(60.0, event) is not None
        store.event_done(event)
        ids[name] = store.add_question(who, "slack", Place(f"D-{who.id}"), text, "nl", decision, article,
                                       list(shown), personal=personal, event_key=f"slack:{name}").id
        store.audit(who.id, "ask", str(ids[name]), decision=decision)
        return ids[name]

    # a month ago: escalated, replied by Piet by display name (another case), marked
    q = ask("old", ANNA, "hondenbelasting betalen", "escalate")
    ids["esc_old"] = e = _escalate(store, q, "kcc-dieren", ["p1"])
    reply = _reply(store, e, PIET_BY_NAME, "Via Mijn Gemeente.")
    _mark(store, e, reply, PIET_BY_NAME)
    store.backdate_question(q, stamp(at(30)), {reply: stamp(at(30, 11))}, {e: f"vb-{e}"}, stamp(at(30, 12)))
    # answered directly, and it helped
    q = ask("direct", ANNA, "hoe verleng ik mijn paspoort?", "answer", "paspoort")
    store.audit(ANNA.id, "feedback", str(q), helpful=True, article="paspoort")
    store.backdate_question(q, stamp(at(5)), {}, {}, None)
    # answered directly, not helped: escalated, replied by Piet (his Slack id) and marked
    q = ask("not_helped", BRAM, "paspoort kwijt in het buitenland", "answer", "paspoort")
    store.audit(BRAM.id, "feedback", str(q), helpful=False, article="paspoort")
    ids["esc_paspoort"] = e = _escalate(store, q, "kcc-burgerzaken", ["p1"])
    reply = _reply(store, e, PIET, "Meld het bij de ambassade.")
    _mark(store, e, reply, PIET)
    store.backdate_question(q, stamp(at(4)), {reply: stamp(at(4, 10, 10))}, {e: f"vb-{e}"}, stamp(at(4, 10, 30)))
    # escalated, joined by Bram, two replies (a guest, then Piet by name in the author id), none marked yet
    q = ask("dragon", ANNA, "mag ik een draak houden?", "escalate")
    ids["esc_dragon"] = e = _escalate(store, q, "kcc-dieren", ["p1", "p2"])
    joined = ask("dragon_joined", BRAM, "mag ik een draak houden in de tuin?", "escalate")
    store.add_waiter(e, joined)
    first = _reply(store, e, GUEST, "Alleen een kleine.")
    second = _reply(store, e, PIET_BY_ID, "Nee, niet zonder vergunning.")
    store.backdate_question(q, stamp(at(3)), {first: stamp(at(3, 10, 5)), second: stamp(at(3, 10, 20))},
                            {e: f"vb-{e}"}, None)
    store.backdate_question(joined, stamp(at(3, 11)), {}, {}, None)
    # suggested, and the asker chose one
    q = ask("chosen", BRAM, "rijbewijs verlopen", "suggest", shown=("rijbewijs", "paspoort"))
    store.set_question_status(q, "answered")
    store.audit(BRAM.id, "chose", str(q), article="rijbewijs", text="rijbewijs verlopen")
    store.backdate_question(q, stamp(at(2)), {}, {}, None)
    # about one person's own case: escalated, replied by Els (her directory id), marked
    q = ask("personal", ANNA, "klopt mijn adres in de BRP?", "escalate", personal=True)
    ids["esc_personal"] = e = _escalate(store, q, "kcc-burgerzaken", [])
    reply = _reply(store, e, ELS, "Ja, het adres klopt.")
    _mark(store, e, reply, ELS)
    store.backdate_question(q, stamp(at(1)), {reply: stamp(at(1, 10, 15))}, {e: f"vb-{e}"}, stamp(at(1, 10, 40)))
    # suggested an article without keywords; nothing else happened
    q = ask("parking", BRAM, "parkeervergunning aanvragen", "suggest", shown=("parkeren",))
    store.backdate_question(q, stamp(at(1, 12)), {}, {}, None)
    # answered directly, said not to help, not escalated (yet)
    q = ask("unhelpful", ANNA, "rijbewijs omwisselen", "answer", "rijbewijs")
    store.audit(ANNA.id, "feedback", str(q), helpful=False, article="rijbewijs")
    store.backdate_question(q, stamp(at(6)), {}, {}, None)
    # something still to be sent to Anna, and an event not handled yet
    store.queue("send", Place("D-U1"), {"text": "Anna Bakker, er is nieuws"}, recipient="U1")
    store.put_event("slack:waiting", "slack", "Asked", {"user": "U1", "text": "nog een vraag"})
    return ids
