"""One script of the loop's steps on a SQLite store and a PostgreSQL store side by side: every result the same,
field by field (times only in form: the two clocks are read a moment apart)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from knowledge.model import Article, ChannelSettings, Person, Place, User
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return STAMP.sub("<time>", value)
    return value


def script(store: Any) -> list[Any]:
    anna, bert, piet = User("U1", "Anna"), User("U2", "Bert"), User("E1", "Piet")
    out: list[Any] = [store.put_event("slack:Ev1", "slack", "Asked", {"text": "draak?", "user": "U1"}),
                      store.put_event("slack:Ev1", "slack", "Asked", {}),
                      store.put_event("slack:Ev2", "slack", "Asked", {"text": "draak!"}, claim=60.0),
                      store.claim_event(60.0), store.claim_event(60.0), store.waiting_events()]
    store.event_done(1)
    out += [store.event_failed(2, "boom"), store.claim_event(60.0, 2), store.event(2), store.backlog()]
    out.append(store.upsert_articles([Article("paspoort", "Paspoort", "Afspraak.", ("reis",), ("hoe?",)),
                                      Article("rijbewijs", "Rijbewijs", status="provisional")]))
    store.upsert_articles([Article("paspoort", "Paspoort", "Afspraak maken.", ("reis",), ("hoe?",))])
    out += [store.articles(), store.articles(["rijbewijs", "paspoort"])]
    store.upsert_people([Person("p1", "Piet", "Jurist", "Vergunningen", ("draken",), "piet@x.nl",
                                handles=(("slack", "E1"),)),
                         Person("p2", "Petra", email="PIET@x.nl", phone="06")])
    out += [store.people(), store.person_by_handle("slack", "E1")]
    store.set_routes([("draak", "kcc-dieren")])
    store.add_synonyms("draak", ["wyvern"])
    out += [store.routes(), store.synonyms(), store.synonyms_cached()]
    with store.transaction():
        q1 = store.add_question(anna, "slack", Place("D1"), "mag ik een draak houden?", "nl", "escalate", None, [],
                                event_key="slack:Ev1")
        joinable = store.open_escalation_questions()
        esc = store.add_escalation(q1.id, "kcc-dieren", ["p1"], ["paspoort"])
        store.audit("U1", "escalate", str(esc.id), question=q1.id)
    q2 = store.add_question(bert, "slack", Place("D2"), "mag ik een draak houden", "nl", "suggest", None,
                            ["paspoort"], event_key="slack:Ev2")
    with store.transaction():
        out.append(store.open_escalation_questions())
        store.add_waiter(esc.id, q2.id)
    store.queue("send", Place("kcc-dieren"), {"text": "Vraag"}, escalation_id=esc.id, key=f"post:{esc.id}")
    posted = store.claim_outbox(30.0)
    store.outbox_result(posted["id"])
    store.set_escalation_post(esc.id, Place("kcc-dieren", None, "1700.1"))
    answer = store.add_answer(esc.id, piet, "Nee.", Place("kcc-dieren", "1700.1", "1700.2"))
    with store.transaction():
        out.append(store.resolve_escalation(esc.id, answer.id))
        for qid in store.waiting_questions(esc.id):
            store.queue("send", Place(f"D{qid}"), {"text": "Nee."}, key=f"relay:{esc.id}:{qid}")
        store.audit("E1", "mark_answer", str(esc.id), answer=answer.id)
    out += [joinable, q1, q2, store.question(q1.id), store.question_for_event("slack:Ev2"), store.shown(q2.id),
            store.open_questions("U1"), store.escalation(esc.id), store.escalation_at("kcc-dieren", "1700.1"),
            store.escalation_for_question(q2.id), store.answers(esc.id), store.answer_at("kcc-dieren", "1700.2"),
            store.resolve_escalation(esc.id, answer.id), store.pending_outbox(), store.claim_outbox(30.0),
            store.queue("send", Place("D1"), {}, key=f"relay:{esc.id}:{q1.id}"), store.advance_escalation(esc.id, 1),
            store.set_urgent(esc.id), store.take_digest_week(202650)]
    store.set_channel_settings(ChannelSettings("kcc-dieren", 30.0, ("p1",), "kcc-backup"))
    review = store.add_review("paspoort", esc.id)
    store.decide_review(review.id, "approved", "owner")
    out += [store.channel_settings("kcc-dieren"), store.review(review.id), store.pending_reviews(),
            [{k: v for k, v in e.items() if k not in ("at", "hash", "prev")} for e in store.audit_log()],
            store.verify_audit().intact, store.verify_audit().entries, store.last_place("U2")]
    return out


def test_the_loop_gives_the_same_results_on_both_backends(tmp_path: Path, pg_store: PostgresStore) -> None:
    lite = SqliteStore(str(tmp_path / "same.db"))
    try:
        expected = _plain(script(lite))
    finally:
        lite.close()
    found = _plain(script(pg_store))
    assert len(found) == len(expected)
    for n, (got, want) in enumerate(zip(found, expected, strict=True)):
        assert got == want, f"result {n} differs"
