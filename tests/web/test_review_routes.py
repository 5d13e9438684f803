"""The review queue through the routes: what an owner sees, and each action changing the store and the audit
log with the owner as actor, through the same use cases the chat calls."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from handlers.desk import Desk
from knowledge.model import Article
from knowledge.sqlite.store import SqliteStore
from tests.conftest import BACKENDS
from tests.fakes import FakeChat
from tests.web.conftest import csrf, pending_review

FIREWORKS = "Mag een inwoner een vuurwerkvergunning krijgen voor oudejaarsavond in de achtertuin?"
ANSWER = "Nee, particulieren krijgen geen vergunning; afsteken mag alleen tussen 18:00 en 02:00."


def audit(store: SqliteStore, action: str) -> list[dict]:
    return [r for r in store.audit_log() if r["action"] == action]


@pytest.mark.parametrize("backend", BACKENDS)
def test_queue_shows_question_thread_answer_and_closest_articles(signed_in: FlaskClient, desk: Desk,
                                                                 chat: FakeChat) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    page = signed_in.get("/reviews").get_data(as_text=True)
    assert f'id="review-{rid}"' in page
    assert FIREWORKS in page and ANSWER in page  # the question, and the reply in the thread
    assert "kcc-experts" in page and "Piet" in page
    assert 'class="verdict' in page  # new, repeats, adds to or contradicts an article (knowledge/compare.py)


def provisional(store: SqliteStore, article_id: str, title: str, body: str) -> int:
    store.upsert_articles([Article(article_id, title, body, status="provisional", source="expert")])
    return store.add_review(article_id, None).id


def test_an_answer_that_changes_an_article_shows_what_it_changes(signed_in: FlaskClient,
                                                                 demo_store: SqliteStore) -> None:
    rid = provisional(demo_store, "vb-paspoort", "Wat kost een paspoort voor een volwassene?",
                      "Een paspoort voor iemand van 18 jaar of ouder kost € 90,00 en is 10 jaar geldig.")
    page = signed_in.get("/reviews").get_data(as_text=True)
    case = page[page.index(f'id="review-{rid}"'):]
    assert '<span class="verdict contradicts">' in case[:case.index("</p>")]
    assert 'href="/articles/nl-paspoort-aanvragen"' in case
    assert "<del>€ 84,35</del> → <ins>€ 90,00</ins>" in case


def test_an_answer_no_article_is_close_to_is_new_and_shows_none(signed_in: FlaskClient,
                                                                demo_store: SqliteStore) -> None:
    rid = provisional(demo_store, "vb-kippen", "Mag een inwoner kippen houden in zijn achtertuin?",
                      "Kippen houden mag zonder vergunning, maximaal tien dieren en geen haan in een woonwijk.")
    page = signed_in.get("/reviews").get_data(as_text=True)
    case = page[page.index(f'id="review-{rid}"'):]
    case = case[:case.index("</article>")]
    assert '<span class="verdict new">' in case and 'class="comparison"' not in case
    assert "te weinig op om te tonen" in case  # the articles search found, not shown


@pytest.mark.parametrize("backend", BACKENDS)
def test_approve_validates_and_audits_the_owner(signed_in: FlaskClient, desk: Desk, chat: FakeChat,
                                                demo_store: SqliteStore) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    done = signed_in.post(f"/reviews/{rid}/approve", data={"csrf_token": csrf(signed_in, "/reviews")})
    assert done.status_code == 302 and done.headers["Location"] == "/reviews"
    review = demo_store.review(rid)
    assert review and review.status == "approved" and review.decided_by == "Kim"
    article = demo_store.article(review.article_id)
    assert article and article.status == "validated" and article.owner == "Kim"
    assert audit(demo_store, "review_approved")[-1]["actor"] == "Kim"
    assert "Kim" in signed_in.get("/reviews").get_data(as_text=True)  # the flash after the redirect


def test_edit_saves_every_field_and_audits(signed_in: FlaskClient, desk: Desk, chat: FakeChat,
                                           demo_store: SqliteStore) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    form = {"csrf_token": csrf(signed_in, "/reviews"), "title": "Vuurwerk afsteken in de tuin",
            "body": "Particulieren krijgen geen vergunning.", "keywords": "vuurwerk, oudjaar",
            "questions": "mag ik vuurwerk afsteken?\nvuurwerk in de tuin", "owner": "Joyce Verbeek",
            "review_date": "2027-06-01"}
    assert signed_in.post(f"/reviews/{rid}/edit", data=form).status_code == 302
    review = demo_store.review(rid)
    article = demo_store.article(review.article_id)
    assert (article.title, article.body, article.keywords, article.questions, article.owner, article.review_date) \
        == ("Vuurwerk afsteken in de tuin", "Particulieren krijgen geen vergunning.", ("vuurwerk", "oudjaar"),
            ("mag ik vuurwerk afsteken?", "vuurwerk in de tuin"), "Joyce Verbeek", "2027-06-01")
    entry = audit(demo_store, "edit_article")[-1]
    assert entry["actor"] == "Kim" and "review_date" in json.loads(entry["detail"])["fields"]


def test_an_expected_error_shows_on_the_page_with_the_input_kept(signed_in: FlaskClient, desk: Desk,
                                                                 chat: FakeChat, demo_store: SqliteStore) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    form = {"csrf_token": csrf(signed_in, "/reviews"), "title": "Mijn nieuwe titel die ik niet kwijt wil",
            "body": "Tekst die ik net typte", "review_date": "volgend jaar"}
    page = signed_in.post(f"/reviews/{rid}/edit", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "volgend jaar" in html and "geen datum" in html
    assert "Mijn nieuwe titel die ik niet kwijt wil" in html and "Tekst die ik net typte" in html
    assert demo_store.review(rid).status == "pending"


def test_merge_into_an_article_adds_the_phrasing(signed_in: FlaskClient, desk: Desk, chat: FakeChat,
                                                 demo_store: SqliteStore) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    target = demo_store.articles(status="validated")[0]
    form = {"csrf_token": csrf(signed_in, "/reviews"), "into_other": target.id, "force": "1"}
    assert signed_in.post(f"/reviews/{rid}/merge", data=form).status_code == 302
    assert FIREWORKS in demo_store.article(target.id).questions
    assert demo_store.review(rid).status == "merged"
    assert audit(demo_store, "review_merged")[-1]["actor"] == "Kim"


def test_merge_into_an_unrelated_article_is_refused_on_the_page(signed_in: FlaskClient, desk: Desk,
                                                                chat: FakeChat, demo_store: SqliteStore) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    form = {"csrf_token": csrf(signed_in, "/reviews"), "into_other": "does-not-exist"}
    page = signed_in.post(f"/reviews/{rid}/merge", data=form)
    assert page.status_code == 422 and "does-not-exist" in page.get_data(as_text=True)
    assert demo_store.review(rid).status == "pending"


@pytest.mark.parametrize("backend", BACKENDS)
def test_reject_with_a_reason(signed_in: FlaskClient, desk: Desk, chat: FakeChat, demo_store: SqliteStore) -> None:
    rid = pending_review(desk, chat, FIREWORKS, ANSWER)
    form = {"csrf_token": csrf(signed_in, "/reviews"), "note": "klopt niet meer"}
    assert signed_in.post(f"/reviews/{rid}/reject", data=form).status_code == 302
    review = demo_store.review(rid)
    assert review.status == "rejected" and review.note == "klopt niet meer"
    assert demo_store.article(review.article_id).status == "archived"
    assert audit(demo_store, "review_rejected")[-1]["actor"] == "Kim"


def test_script_in_a_question_and_an_answer_shows_as_text(signed_in: FlaskClient, desk: Desk, chat: FakeChat) -> None:
    rid = pending_review(desk, chat, "Mag ik <script>alert('q')</script> vuurwerk afsteken in de achtertuin?",
                         "Nee <script>alert('a')</script> <img src=x onerror=alert(1)>")
    page = signed_in.get("/reviews").get_data(as_text=True)
    assert f'id="review-{rid}"' in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;" in page


def test_personal_data_masking_removed_never_shows_and_the_answer_is_held(signed_in: FlaskClient, desk: Desk,
                                                                         chat: FakeChat) -> None:
    rid = pending_review(desk, chat, "Mevrouw Jansen (jansen.w@gmail.com, 06-12345678) vraagt of ze vuurwerk mag "
                         "afsteken in haar achtertuin", "Nee, bel haar terug op 06-12345678 of mail jansen.w@gmail.com")
    page = signed_in.get("/reviews").get_data(as_text=True)
    assert f'id="review-{rid}"' in page
    assert "jansen.w@gmail.com" not in page and "12345678" not in page
    assert 'class="held-banner"' in page
