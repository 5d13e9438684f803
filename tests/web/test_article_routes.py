"""The Articles pages through Flask's test client on a real SQLite file: list, search and filters, an article
rendered safely, preview, save, the second of two saves refused with the text kept, archive and restore."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from knowledge.model import Article
from knowledge.sqlite.store import SqliteStore
from tests.web.conftest import csrf, csrf_of, sign_in

ARTICLE = "en-bulky-waste"


def form_of(article: Article, **changes: str) -> dict[str, str]:
    fields = {"title": article.title, "body": article.body, "keywords": ", ".join(article.keywords),
              "questions": "\n".join(article.questions), "owner": article.owner, "review_date": article.review_date,
              "status": article.status, "lang": article.lang, "version": str(article.version), "action": "save"}
    return fields | changes


def version_on(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found
    return found.group(1)


def test_every_articles_route_needs_a_signed_in_owner(client: FlaskClient, demo_store: SqliteStore) -> None:
    before = demo_store.article(ARTICLE)
    for path in ("/articles", f"/articles/{ARTICLE}", "/articles?q=waste"):
        page = client.get(path)
        assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    token = csrf(client)  # a valid CSRF token, but nobody signed in
    for path in (f"/articles/{ARTICLE}", f"/articles/{ARTICLE}/archive", f"/articles/{ARTICLE}/restore"):
        sent = client.post(path, data={"csrf_token": token, "version": "1", "body": "x", "title": "x"})
        assert sent.status_code == 302 and sent.headers["Location"].startswith("/login")
    assert demo_store.article(ARTICLE) == before


def test_a_post_without_the_csrf_token_is_refused(signed_in: FlaskClient, demo_store: SqliteStore) -> None:
    before = demo_store.article(ARTICLE)
    assert before is not None
    assert signed_in.post(f"/articles/{ARTICLE}", data=form_of(before, body="changed")).status_code == 403
    assert signed_in.post(f"/articles/{ARTICLE}/archive", data={"version": before.version}).status_code == 403
    assert demo_store.article(ARTICLE) == before


def test_the_list_searches_and_filters(signed_in: FlaskClient) -> None:
    page = signed_in.get("/articles?q=bulky+waste").get_data(as_text=True)
    assert f'href="/articles/{ARTICLE}"' in page and 'class="flag validated"' in page
    english = signed_in.get("/articles?lang=en").get_data(as_text=True)
    assert "en-bulky-waste" in english and 'href="/articles/nl-' not in english
    nothing = signed_in.get("/articles?q=zzzqqq").get_data(as_text=True)
    assert 'id="no-articles"' in nothing
    assert signed_in.get("/articles?status=bogus&page=x").status_code == 200  # ignored, not an error


def test_an_article_shows_rendered_markdown_and_a_script_as_text(signed_in: FlaskClient,
                                                                  demo_store: SqliteStore) -> None:
    demo_store.upsert_articles([Article("x1", "Title <script>alert(1)</script>",
                                        "**Bold** text\n\n<script>alert(2)</script>", questions=("<b>q</b>",))])
    page = signed_in.get("/articles/x1").get_data(as_text=True)
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "&lt;b&gt;q&lt;/b&gt;" in page and "<b>q</b>" not in page
    assert signed_in.get("/articles/does-not-exist").status_code == 404


def test_preview_renders_the_typed_text_and_saves_nothing(signed_in: FlaskClient, demo_store: SqliteStore) -> None:
    before = demo_store.article(ARTICLE)
    assert before is not None
    page = signed_in.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    shown = signed_in.post(f"/articles/{ARTICLE}", data=form_of(
        before, body="# New heading\n\n<script>x()</script>", action="preview", csrf_token=csrf_of(page)))
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'id="preview"' in html and "<h1>New heading</h1>" in html
    assert "<script>x()" not in html
    assert demo_store.article(ARTICLE) == before


def test_two_owners_save_the_same_version_the_second_keeps_their_text(app: Flask, demo_store: SqliteStore) -> None:
    kim, jan = app.test_client(), app.test_client()
    sign_in(app, kim, "Kim")
    sign_in(app, jan, "p-02")  # Joyce Verbeek, an owner by e-mail
    article = demo_store.article(ARTICLE)
    assert article is not None
    kim_page, jan_page = (c.get(f"/articles/{ARTICLE}").get_data(as_text=True) for c in (kim, jan))
    assert version_on(kim_page) == version_on(jan_page) == str(article.version)
    saved = kim.post(f"/articles/{ARTICLE}", data=form_of(article, body="Kim's text.", csrf_token=csrf_of(kim_page)))
    assert saved.status_code == 302
    refused = jan.post(f"/articles/{ARTICLE}", data=form_of(article, body="Jan's <em>text</em>.",
                                                            csrf_token=csrf_of(jan_page)))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "gewijzigd sinds je het opende" in html
    assert "Jan&#39;s &lt;em&gt;text&lt;/em&gt;." in html  # the typed text is back in the form, escaped
    assert version_on(html) == str(article.version + 1)  # saving again now goes over Kim's version
    assert 'id="your-changes"' in html
    stored = demo_store.article(ARTICLE)
    assert stored is not None and stored.body == "Kim's text."
    history = kim.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    assert ["<td>Kim</td>"] == re.findall(r"<td>(?:Kim|p-02)</td>", history[history.index('id="history"'):])


def test_a_refused_save_shows_why_and_keeps_the_text(signed_in: FlaskClient, demo_store: SqliteStore) -> None:
    before = demo_store.article(ARTICLE)
    assert before is not None
    page = signed_in.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    sent = signed_in.post(f"/articles/{ARTICLE}", data=form_of(before, body="Kept text", review_date="2027-13-01",
                                                               csrf_token=csrf_of(page)))
    html = sent.get_data(as_text=True)
    assert sent.status_code == 422 and "2027-13-01" in html and "Kept text</textarea>" in html
    personal = signed_in.post(f"/articles/{ARTICLE}", data=form_of(
        before, body="Call 06 12345678", csrf_token=csrf_of(page)))
    html = personal.get_data(as_text=True)
    assert personal.status_code == 422 and 'name="confirm_public"' in html
    assert demo_store.article(ARTICLE) == before


def test_save_archive_and_restore_are_audited_and_shown_in_the_history(signed_in: FlaskClient,
                                                                       demo_store: SqliteStore) -> None:
    before = demo_store.article(ARTICLE)
    assert before is not None
    page = signed_in.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    token = csrf_of(page)
    saved = signed_in.post(f"/articles/{ARTICLE}", data=form_of(before, title="Bulky waste pick-up",
                                                                csrf_token=token), follow_redirects=True)
    assert "Bulky waste pick-up" in saved.get_data(as_text=True)
    archived = signed_in.post(f"/articles/{ARTICLE}/archive", data={"csrf_token": token,
                                                                    "version": before.version + 1})
    assert archived.status_code == 302 and demo_store.article(ARTICLE).status == "archived"  # type: ignore[union-attr]
    stale = signed_in.post(f"/articles/{ARTICLE}/restore", data={"csrf_token": token, "version": before.version})
    assert stale.status_code == 409
    restored = signed_in.post(f"/articles/{ARTICLE}/restore", data={"csrf_token": token,
                                                                    "version": before.version + 2})
    assert restored.status_code == 302 and demo_store.article(ARTICLE).status == "validated"  # type: ignore[union-attr]
    actions = [(e["actor"], e["action"]) for e in demo_store.audit_log()[-3:]]
    assert actions == [("Kim", "article_saved"), ("Kim", "article_archived"), ("Kim", "article_restored")]
    html = signed_in.get(f"/articles/{ARTICLE}").get_data(as_text=True)
    history = html[html.index('id="history"'):]
    assert history.count("<td>Kim</td>") == 3


def test_dates_in_the_owners_language_and_the_date_field_as_iso_text(signed_in: FlaskClient,
                                                                      demo_store: SqliteStore) -> None:
    """Issue 23: the review date read '2027-03-01' beside a date field the browser drew in its own locale."""
    demo_store.upsert_articles([Article("d1", "Datum", "Tekst", review_date="2027-03-01")])
    page = signed_in.get("/articles/d1").get_data(as_text=True)
    assert "<dd>1 maart 2027" in page
    assert 'type="date"' not in page  # no field in the browser's locale
    assert re.search(r'<input type="text"[^>]*placeholder="jjjj-mm-dd" id="review_date" name="review_date"'
                     r' value="2027-03-01">', page)
    signed_in.post("/lang", data={"lang": "en", "next": "/", "csrf_token": csrf(signed_in, "/")})
    assert "<dd>1 March 2027" in signed_in.get("/articles/d1").get_data(as_text=True)
