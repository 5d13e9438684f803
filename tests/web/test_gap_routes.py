"""Knowledge gaps: "write an article" prefilled from a gap's questions and best expert answer, saved through
the create_article use case (validated, audited with the owner)."""

from __future__ import annotations

from flask.testing import FlaskClient

from handlers.desk import Desk
from knowledge.sqlite.store import SqliteStore
from tests.fakes import FakeChat
from tests.web.conftest import csrf, pending_review
from tests.web.test_review_routes import ANSWER, FIREWORKS


def gap_link(desk: Desk, chat: FakeChat, store: SqliteStore) -> tuple[str, int]:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    esc = store.escalation(store.review(rid).escalation_id)
    answer = store.answers(esc.id)[-1]
    return f"/gaps/write?q={esc.question_id}&q=999999&answer={answer.id}", esc.question_id


def test_the_form_is_prefilled_from_the_gap(signed_in: FlaskClient, desk: Desk, chat: FakeChat,
                                            demo_store: SqliteStore) -> None:
    link, _ = gap_link(desk, chat, demo_store)
    page = signed_in.get(link).get_data(as_text=True)
    assert f'name="title" value="{FIREWORKS}"' in page
    assert f">{ANSWER}</textarea>" in page and f">{FIREWORKS}</textarea>" in page


def test_saving_creates_a_validated_article_audited_with_the_owner(signed_in: FlaskClient,
                                                                   demo_store: SqliteStore) -> None:
    form = {"csrf_token": csrf(signed_in, "/"), "title": "Vuurwerk afsteken", "body": "Alleen op oudejaarsavond.",
            "questions": "mag ik vuurwerk afsteken?\nvuurwerk in de achtertuin", "keywords": "vuurwerk",
            "owner": "", "review_date": "2027-01-15"}
    done = signed_in.post("/gaps/write", data=form)
    assert done.status_code == 302
    (article,) = [a for a in demo_store.articles() if a.title == "Vuurwerk afsteken"]
    assert article.status == "validated" and article.owner == "Kim" and article.review_date == "2027-01-15"
    assert article.questions == ("mag ik vuurwerk afsteken?", "vuurwerk in de achtertuin")
    entry = [r for r in demo_store.audit_log() if r["action"] == "create_article"][-1]
    assert entry["actor"] == "Kim" and entry["subject"] == article.id


def test_a_missing_text_is_said_and_the_input_kept(signed_in: FlaskClient, demo_store: SqliteStore) -> None:
    before = len(demo_store.articles())
    form = {"csrf_token": csrf(signed_in, "/"), "title": "Een titel die blijft staan", "body": " ",
            "questions": "een vraag die blijft staan"}
    page = signed_in.post("/gaps/write", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "titel en een tekst" in html
    assert "Een titel die blijft staan" in html and "een vraag die blijft staan" in html
    assert len(demo_store.articles()) == before
