"""The People pages through Flask's test client: the directory with expertise and who answered what, one
person's answers, and their expertise edited (CSRF, owners only, audited, escaped)."""

from __future__ import annotations

from flask.testing import FlaskClient

from handlers.desk import Desk
from knowledge.sqlite.store import SqliteStore
from tests.fakes import FakeChat
from tests.web.conftest import csrf, csrf_of, pending_review

QUESTION = "Mag een inwoner een <script>vuurwerkvergunning</script> krijgen voor oudejaarsavond in de achtertuin?"


def expert_is_anouk(store: SqliteStore) -> None:
    """The test's expert (id expert1 on the fake platform) is Anouk Smit (p-09) in the directory."""
    store.upsert_people([store.people(["p-09"])[0].with_handles((("fake", "expert1"),))])


def test_people_pages_need_a_signed_in_owner(client: FlaskClient, demo_store: SqliteStore) -> None:
    for path in ("/people", "/people/p-09"):
        page = client.get(path)
        assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    before = demo_store.people(["p-09"])
    sent = client.post("/people/p-09/expertise", data={"csrf_token": csrf(client), "expertise": "x"})
    assert sent.status_code == 302 and sent.headers["Location"].startswith("/login")
    assert demo_store.people(["p-09"]) == before


def test_the_directory_shows_expertise_and_who_answered(signed_in: FlaskClient, desk: Desk, chat: FakeChat,
                                                        demo_store: SqliteStore) -> None:
    expert_is_anouk(demo_store)
    pending_review(desk, chat, QUESTION, "Nee, alleen tussen 18:00 en 02:00.")
    page = signed_in.get("/people").get_data(as_text=True)
    assert 'href="/people/p-09"' in page and '<span class="tag">woz</span>' in page
    first_row = page[page.index("<tbody>"):page.index("</tr>", page.index("<tbody>"))]
    assert 'href="/people/p-09"' in first_row  # the one with a marked answer comes first
    assert '<td class="num">1</td>\n    <td class="num">1</td>' in first_row and "kcc-experts" in first_row
    found = signed_in.get("/people?q=woz").get_data(as_text=True)
    assert 'href="/people/p-09"' in found and 'href="/people/p-01"' not in found


def test_a_persons_page_lists_their_answers_escaped(signed_in: FlaskClient, desk: Desk, chat: FakeChat,
                                                     demo_store: SqliteStore) -> None:
    expert_is_anouk(demo_store)
    pending_review(desk, chat, QUESTION, "Tot <b>2 m2</b>.")
    page = signed_in.get("/people/p-09").get_data(as_text=True)
    answers = page[page.index('id="answers"'):]
    assert "&lt;script&gt;vuurwerkvergunning&lt;/script&gt;" in answers and "<script>vuurwerkvergunning" not in page
    assert "Tot &lt;b&gt;2 m2&lt;/b&gt;." in answers
    assert signed_in.get("/people/nobody").status_code == 404


def test_expertise_is_edited_audited_and_refused_with_the_text_kept(signed_in: FlaskClient,
                                                                   demo_store: SqliteStore) -> None:
    token = csrf_of(signed_in.get("/people/p-09").get_data(as_text=True))
    assert signed_in.post("/people/p-09/expertise", data={"expertise": "x"}).status_code == 403  # no CSRF token
    saved = signed_in.post("/people/p-09/expertise", data={"csrf_token": token,
                                                           "expertise": "woz, <i>bezwaar</i>, hondenbelasting"})
    assert saved.status_code == 302
    assert demo_store.people(["p-09"])[0].expertise == ("woz", "<i>bezwaar</i>", "hondenbelasting")
    entry = demo_store.audit_log()[-1]
    assert (entry["actor"], entry["action"], entry["subject"]) == ("Kim", "expertise_set", "p-09")
    page = signed_in.get("/people/p-09").get_data(as_text=True)
    assert "&lt;i&gt;bezwaar&lt;/i&gt;" in page and "<i>bezwaar</i>" not in page
    refused = signed_in.post("/people/p-09/expertise", data={"csrf_token": token,
                                                             "expertise": "woz, bel 06-12345678"})
    assert refused.status_code == 422 and "woz, bel 06-12345678</textarea>" in refused.get_data(as_text=True)
    assert demo_store.people(["p-09"])[0].expertise == ("woz", "<i>bezwaar</i>", "hondenbelasting")


def test_replies_from_someone_the_directory_does_not_know_are_listed_apart(signed_in: FlaskClient, desk: Desk,
                                                                           chat: FakeChat) -> None:
    pending_review(desk, chat, QUESTION, "Nee, alleen tussen 18:00 en 02:00.")  # by Piet (expert1): not listed
    page = signed_in.get("/people").get_data(as_text=True)
    unlisted = page[page.index('id="unlisted"'):]
    assert "<td>Piet</td>" in unlisted and '<td class="num">1</td><td class="num">1</td>' in unlisted
