"""Web sign-in (links, flows, the secret, sessions, the sign-in limit), the console's messages, calibration, the
search vocabulary, the owners' article list and the demo's record: the same results on SQLite and PostgreSQL,
including two app instances sharing the sign-in limit and processes racing for it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot import bootstrap
from knowledge import demo_load
from knowledge.articles import NOT_HISTORY, ArticleFilter
from knowledge.model import Article, Person, Place, User
from knowledge.postgres import PostgresStore
from knowledge.sqlite import SqliteStore
from tests.contract.conftest import open_store
from tests.contract.racing import race

AT = "2026-05-01T12:00:00+00:00"
LATER = "2026-05-01T12:10:00+00:00"
EXPIRES = "2026-05-01T12:15:00+00:00"
GONE = "2026-05-01T13:00:00+00:00"
DAY_BEFORE = "2026-04-30T12:00:00+00:00"
MINUTE, PREVIOUS, NEXT = "2026-05-01T12:01:00+00:00", "2026-05-01T12:00:00+00:00", "2026-05-01T12:02:00+00:00"


# --- sign-in links, flows, the secret ---------------------------------------------------------------
def test_a_sign_in_link_is_taken_once_and_not_after_it_expired(store: Any) -> None:
    store.add_login_token("h1", "anna", AT, EXPIRES)
    store.add_login_token("h2", "bram", AT, EXPIRES)
    assert store.take_login_token("h1", LATER, DAY_BEFORE) == "anna"
    assert store.take_login_token("h1", LATER, DAY_BEFORE) is None  # used
    assert store.take_login_token("nope", LATER, DAY_BEFORE) is None
    assert store.take_login_token("h2", GONE, DAY_BEFORE) is None  # expired
    store.add_login_token("h3", "cor", GONE, "2026-05-01T13:15:00+00:00")
    assert store.take_login_token("h3", GONE, "2026-05-01T12:30:00+00:00") == "cor"  # and h1, h2 are dropped
    assert store.count("web_logins") == 1


def test_a_sign_on_flow_is_taken_once_by_its_provider_in_time(store: Any) -> None:
    flow = {"nonce": "n", "verifier": "v", "nested": {"a": [1, 2]}}
    store.save_login_flow("s1", "entra", flow, AT, DAY_BEFORE)
    store.save_login_flow("s2", "entra", flow, AT, DAY_BEFORE)
    store.save_login_flow("s3", "entra", flow, AT, DAY_BEFORE)
    assert store.take_login_flow("s1", "entra", AT) == flow
    assert store.take_login_flow("s1", "entra", AT) is None  # once
    assert store.take_login_flow("s2", "google", AT) is None  # another provider: and the state is gone
    assert store.take_login_flow("s2", "entra", AT) is None
    assert store.take_login_flow("s3", "entra", LATER) is None  # started before ``since``
    store.save_login_flow("s4", "entra", flow, GONE, LATER)  # drops flows started before LATER
    assert store.count("web_flows") == 1


def test_the_session_secret_is_kept_once(store: Any, spec: dict[str, str]) -> None:
    assert store.session_secret("first") == "first"
    assert store.session_secret("second") == "first"
    other = open_store(spec)  # another app instance on the same database
    try:
        assert other.session_secret("third") == "first"
    finally:
        other.close()


def test_a_person_is_found_by_email_folding_ascii_letters_only(store: Any) -> None:
    store.upsert_people([Person("p1", "Piet", email="Piet.Jansen@Gemeente.NL"), Person("p2", "José", email="josé@x.nl"),
                         Person("p3", "Inês", email="INÊS@x.nl"), Person("p4", "Zonder")])
    assert store.person_by_email("piet.jansen@gemeente.nl").id == "p1"
    assert store.person_by_email("PIET.JANSEN@gemeente.nl").id == "p1"
    assert store.person_by_email("JOSÉ@X.NL").id == "p2"  # what is asked is lower-cased whole ...
    assert store.person_by_email("inês@x.nl") is None  # ... what is stored in ASCII only, as SQLite's lower()
    assert store.person_by_email("INÊS@x.nl") is None
    assert store.person_by_email("nobody@x.nl") is None


# --- sessions and the sign-in limit ----------------------------------------------------------------
def test_sessions_start_are_seen_touched_and_end(store: Any) -> None:
    store.start_web_session("s1", "anna", AT, "2026-05-01T20:00:00+00:00", DAY_BEFORE)
    assert store.web_session("s1", LATER) == "anna"
    assert store.web_session("s1", "2026-05-01T20:00:00+00:00") is None  # expired at that moment
    assert store.web_session("nope", LATER) is None
    store.touch_web_session("s1", "2026-05-01T12:00:30+00:00", "2026-05-01T21:00:00+00:00", "2026-05-01T11:59:30+00:00")
    assert store.web_session("s1", "2026-05-01T20:30:00+00:00") is None  # seen too recently: not written
    store.touch_web_session("s1", LATER, "2026-05-01T22:00:00+00:00", "2026-05-01T12:09:00+00:00")
    assert store.web_session("s1", "2026-05-01T21:30:00+00:00") == "anna"  # moved on
    assert store.end_web_session("s1", GONE) is True
    assert store.end_web_session("s1", GONE) is False and store.web_session("s1", GONE) is None
    store.touch_web_session("s1", "2026-05-01T14:00:00+00:00", "2026-05-01T23:00:00+00:00", GONE)
    assert store.web_session("s1", "2026-05-01T14:00:00+00:00") is None  # an ended session is not revived


def test_sessions_end_per_owner_and_for_those_no_longer_owners(store: Any) -> None:
    until = "2026-05-01T20:00:00+00:00"
    for n, owner in enumerate(["anna", "anna", "bram", "cor", "cor", "cor", "dirk"]):
        store.start_web_session(f"s{n}", owner, AT, until, DAY_BEFORE)
    store.start_web_session("old", "bram", DAY_BEFORE, "2026-04-30T13:00:00+00:00", "2026-04-29T00:00:00+00:00")
    assert store.end_owner_sessions("anna", LATER) == 2 and store.end_owner_sessions("anna", LATER) == 0
    assert store.end_web_sessions_except(["bram"], LATER) == {"cor": 3, "dirk": 1}  # bram's expired one is not open
    assert store.end_web_sessions_except([], LATER) == {"bram": 1}
    assert store.end_web_sessions_except([], LATER) == {}
    store.start_web_session("new", "anna", "2026-05-03T12:00:00+00:00", "2026-05-03T20:00:00+00:00",
                            "2026-05-02T12:00:00+00:00")  # drops those expired or ended before the 2nd
    assert store.count("web_sessions") == 1


def test_the_sign_in_limit_counts_this_and_the_previous_minute_and_not_refused_attempts(store: Any) -> None:
    allowed = [store.sign_in_attempt("10.0.0.1", PREVIOUS, "2026-05-01T11:59:00+00:00", 3) for _ in range(2)]
    allowed += [store.sign_in_attempt("10.0.0.1", MINUTE, PREVIOUS, 3) for _ in range(3)]
    assert allowed == [True, True, True, False, False]
    assert store.sign_in_attempt("10.0.0.2", MINUTE, PREVIOUS, 3)  # per client
    # the next minute: the previous one (MINUTE) holds one counted attempt, the refused ones were not counted
    assert [store.sign_in_attempt("10.0.0.1", NEXT, MINUTE, 3) for _ in range(3)] == [True, True, False]
    assert not store.sign_in_attempt("10.0.0.3", MINUTE, PREVIOUS, 0)
    assert store.rows("SELECT count(*) AS n FROM web_attempts WHERE minute < '2026-05-01T12:01:00+00:00'") \
        == [{"n": 0}]  # older minutes dropped


def test_two_app_instances_share_the_sign_in_limit(spec: dict[str, str]) -> None:
    one, two = open_store(spec), open_store(spec)
    try:
        found = [(one if n % 2 else two).sign_in_attempt("10.0.0.9", MINUTE, PREVIOUS, 5) for n in range(8)]
    finally:
        one.close()
        two.close()
    assert found == [True] * 5 + [False] * 3


def _sign_in(store: Any, who: int, attempts: int) -> list[bool]:
    return [store.sign_in_attempt("10.0.0.66", MINUTE, PREVIOUS, 12) for _ in range(attempts)]


@pytest.mark.process
@pytest.mark.parametrize("processes", [2, 8])
def test_racing_app_instances_let_the_limit_through_and_no_more(spec: dict[str, str], tmp_path: Path,
                                                                processes: int) -> None:
    found = race(_sign_in, spec, processes, tmp_path, 40 // processes)
    assert sum(ok for attempts in found for ok in attempts) == 12
    store = open_store(spec)
    try:
        assert store.rows("SELECT attempts FROM web_attempts") == [{"attempts": 12}]
    finally:
        store.close()


# --- the console's messages -------------------------------------------------------------------------
def test_console_messages_are_posted_edited_threaded_and_read_once(store: Any) -> None:
    root = store.post_console_message("kcc-experts", None, "vraagbaak", "Vraag?", {"buttons": [1]})
    reply = store.post_console_message("kcc-experts", root, "U2", "Antwoord", {})
    dm = store.post_console_message("@U1", None, "vraagbaak", "Hallo", {"text": "Hallo"})
    seen = store.post_console_message("@U1", None, "vraagbaak", "Gezien", {"text": "Gezien"}, read=True)
    store.post_console_message("@U1", None, "U1", "eigen", {"text": "eigen"})
    store.post_console_message("kcc-experts", None, "U3", "geen bot", {})
    assert [int(i) for i in (root, reply, dm, seen)] == [1, 2, 3, 4]
    store.edit_console_message(root, "Vraag (bewerkt)", {"buttons": []})
    message = store.console_message(root)
    assert message["created_at"].endswith("+00:00")
    assert {**message, "created_at": ""} == {
        "id": 1, "channel": "kcc-experts", "thread": None, "author": "vraagbaak", "text": "Vraag (bewerkt)",
        "payload": {"buttons": []}, "created_at": "", "read": 0}
    assert store.console_message(seen)["read"] == 1
    assert store.console_message("99") is None and store.console_message("x") is None
    assert store.console_message("") is None
    store.edit_console_message("", "niets", {})  # an edit of no message changes nothing
    assert [m["id"] for m in store.console_posts()] == [1]
    assert [(m["id"], m["text"]) for m in store.console_thread(root)] == [(1, "Vraag (bewerkt)"), (2, "Antwoord")]
    assert store.console_thread("nope") == []
    assert store.unread_console_messages("@U1") == [{"text": "Hallo"}]  # the bot's unread ones only
    assert store.unread_console_messages("@U1") == []
    assert store.rows("SELECT count(*) AS n FROM console_messages WHERE channel = '@U1' AND read") == [{"n": 3}]


# --- calibration and what it reads ---------------------------------------------------------------------
def test_calibration_values_are_kept_per_mode(store: Any) -> None:
    assert store.calibration_values("fast") == {}
    store.save_calibration_values("fast", {"answer": 70, "articles": 12})
    store.save_calibration_values("fast", {"answer": 65})
    store.save_calibration_values("fastest", {"answer": 1})  # "fast_" must not read "fastest_"
    store.save_calibration_values("semantic", {})
    assert store.calibration_values("fast") == {"answer": 65, "articles": 12}
    assert store.calibration_values("fastest") == {"answer": 1} and store.calibration_values("semantic") == {}


def test_phrasings_unarchived_articles_and_feedback_questions(store: Any) -> None:
    store.upsert_articles([Article("b", "Bee", questions=("wat is een bij?", "bijen")), Article("a", "Aa"),
                           Article("Z", "Zet", status="held"), Article("x", "Weg", status="archived")])
    assert store.article_phrasings() == [("Z", "Zet", ()), ("a", "Aa", ()), ("b", "Bee", ("wat is een bij?", "bijen"))]
    assert store.count_unarchived_articles() == 3
    asked = [store.add_question(User("U1"), "slack", Place("D1"), f"vraag {n}", "nl", "answer", "a", ["a"]).id
             for n in range(3)]
    store.audit("U1", "feedback", str(asked[0]), helpful=True, article="a")
    store.audit("owner", "edit_article", "a", title="Aa")  # a subject that is no question id
    store.audit("U1", "feedback", str(asked[1]), helpful=False, article=None)
    store.audit("U1", "feedback", "12345", helpful=True, article="b")  # no such question
    store.audit("U1", "feedback", str(asked[2]), helpful=False, article="b")
    store.audit("U1", "read", "a", question=asked[1])  # reading an article judges nothing
    store.audit("U1", "chose", str(asked[1]), article="b", text="vraag 1")  # a suggestion picked: it helped
    assert store.feedback_questions(10) == [("vraag 1", "b", True), ("vraag 2", "b", False), ("vraag 1", "", False),
                                            ("vraag 0", "a", True)]
    assert store.feedback_questions(1) == [("vraag 1", "b", True)]


# --- the owners' article list and history ----------------------------------------------------------------
LIST = [
    Article("paspoort", "Paspoort aanvragen", "Maak een afspraak.", ("reisdocument",), ("Hoe vraag ik het aan?",),
            owner="burgerzaken", review_date="2026-01-01", updated_at="2026-03-01T00:00:00+00:00"),
    Article("rijbewijs", "Rijbewijs verlengen", "Online, 100% digitaal.", owner="burgerzaken", lang="en",
            review_date="2025-06-01", updated_at="2026-03-02T00:00:00+00:00"),
    Article("afval_1", "Grofvuil ophalen", "Bel de RÉINIGING of kijk op de site.", owner="Afval",
            status="provisional", review_date="2025-01-01", updated_at="2026-03-01T00:00:00+00:00"),
    Article("Zorg", "Zorgtoeslag", "Via de Belastingdienst.", owner="", review_date="2025-02-01",
            updated_at="2026-02-01T00:00:00+00:00"),
    Article("oud", "Oud artikel", "Niet meer.", owner="archief", status="archived",
            updated_at="2025-01-01T00:00:00+00:00"),
]


def _ids(store: Any, f: ArticleFilter, limit: int = 50, offset: int = 0) -> tuple[int, list[str]]:
    return store.count_articles(f, "2026-05-01"), store.article_ids(f, "2026-05-01", limit, offset)


def test_the_article_list_filters_orders_and_pages(store: Any) -> None:
    store.upsert_articles(LIST)
    assert _ids(store, ArticleFilter()) == (5, ["rijbewijs", "afval_1", "paspoort", "Zorg", "oud"])
    assert _ids(store, ArticleFilter(), 2, 1) == (5, ["afval_1", "paspoort"])
    assert _ids(store, ArticleFilter(due=True)) == (3, ["Zorg", "rijbewijs", "paspoort"])  # longest overdue first
    assert _ids(store, ArticleFilter(text="PASPOORT")) == (1, ["paspoort"])  # ASCII letters fold
    assert _ids(store, ArticleFilter(text="aanvragen afspraak")) == (1, ["paspoort"])  # every word
    assert _ids(store, ArticleFilter(text="REISDOCUMENT")) == (1, ["paspoort"])  # keywords too
    assert _ids(store, ArticleFilter(text="100%")) == (1, ["rijbewijs"])  # % and _ are plain characters
    assert _ids(store, ArticleFilter(text="l_1")) == (1, ["afval_1"])
    assert _ids(store, ArticleFilter(text="reiniging")) == (0, [])  # É folds on neither (as SQLite's LIKE)
    assert _ids(store, ArticleFilter(text="réiniging")) == (0, [])
    assert _ids(store, ArticleFilter(text="RÉINIGING")) == (1, ["afval_1"])
    assert _ids(store, ArticleFilter(status="archived")) == (1, ["oud"])
    assert _ids(store, ArticleFilter(owner="burgerzaken", lang="en")) == (1, ["rijbewijs"])
    assert store.article_owners() == ["Afval", "archief", "burgerzaken"]  # byte order


def test_audit_about_leaves_out_what_is_not_the_subjects_history(store: Any) -> None:
    store.audit("anna", "edit_article", "paspoort", title="Nieuw")
    store.audit("U1", "ask", "paspoort")  # a question whose id happens to be the same text
    store.audit("bram", "archive_article", "paspoort")
    store.audit("bram", "edit_article", "rijbewijs")
    found = store.audit_about("paspoort", NOT_HISTORY, 10)
    assert [(r["id"], r["actor"], r["action"], r["detail"]) for r in found] == [
        (3, "bram", "archive_article", "{}"), (1, "anna", "edit_article", '{"title": "Nieuw"}')]
    assert [r["id"] for r in store.audit_about("paspoort", [], 2)] == [3, 2]
    assert found[0]["at"].endswith("+00:00")


# --- the demo's record ---------------------------------------------------------------------------
def test_the_demo_remembers_what_it_put_in(store: Any) -> None:
    assert store.demo_items() == {} and not store.demo_history_played()
    store.remember_demo("articles", ["a", "b", "a"])
    store.remember_demo("articles", ["b", "c"])
    store.remember_demo("history", [demo_load.PLAYED])
    store.remember_demo("routes", [])
    assert store.demo_items() == {"articles": {"a", "b", "c"}, "history": {demo_load.PLAYED}}
    assert store.demo_history_played()


# --- on the demo knowledge base, side by side ---------------------------------------------------------
@pytest.fixture
def both(tmp_path: Path, pg_spec: dict[str, str]) -> Any:
    sqlite, pg = SqliteStore(str(tmp_path / "demo.db")), PostgresStore(pg_spec["url"], schema=pg_spec["schema"])
    first = [demo_load.load(s, bootstrap.demo_data()) for s in (sqlite, pg)]
    assert first[0] == first[1]
    yield sqlite, pg
    sqlite.close()
    pg.close()


def test_the_demo_loads_alike_and_a_second_run_adds_nothing(both: Any) -> None:
    again = [demo_load.load(s, bootstrap.demo_data()) for s in both]
    assert again[0] == again[1] and not again[0].first and sum(again[0].added.values()) == 0
    assert both[0].demo_items() == both[1].demo_items()


def test_the_vocabulary_of_the_demo_is_the_same(both: Any) -> None:
    sqlite, pg = both
    counts = sqlite.term_article_counts()
    assert len(counts) > 1000 and pg.term_article_counts() == counts
    assert pg.indexed_articles_per_lang() == sqlite.indexed_articles_per_lang()
    # an article out of search, one changed, one with words the index splits and folds its own way
    some = sorted(a.id for a in sqlite.articles())[:3]
    changed = [replace(sqlite.article(some[0]), status="archived"),
               replace(sqlite.article(some[1]), body="Zo'n e-mail: x² ½ ﬁets Straße Ærø ÉÉN café_bar 3,5 ĳs ᴬᴮ ϲ ᏣᎳᎩ",
                       lang="en"),
               replace(sqlite.article(some[2]), status="held")]
    for s in both:
        s.upsert_articles(changed)
    assert pg.term_article_counts() == sqlite.term_article_counts()
    assert pg.indexed_articles_per_lang() == sqlite.indexed_articles_per_lang()
    assert pg.article_phrasings() == sqlite.article_phrasings()
    assert pg.count_unarchived_articles() == sqlite.count_unarchived_articles()


def test_the_article_list_of_the_demo_is_the_same(both: Any) -> None:
    sqlite, pg = both
    filters = [ArticleFilter(), ArticleFilter(due=True), ArticleFilter(text="afval"), ArticleFilter(text="De"),
               ArticleFilter(text="paspoort aanvragen"), ArticleFilter(lang="en"), ArticleFilter(status="validated"),
               ArticleFilter(owner=sqlite.article_owners()[0])]
    for f in filters:
        for today in ("2025-01-01", "2026-05-01", "2030-01-01"):
            assert pg.count_articles(f, today) == sqlite.count_articles(f, today), f
            for offset in (0, 25):
                assert pg.article_ids(f, today, 25, offset) == sqlite.article_ids(f, today, 25, offset), f
    assert pg.article_owners() == sqlite.article_owners()
    email = next(p.email for p in sqlite.people() if p.email)
    assert pg.person_by_email(email.upper()) == sqlite.person_by_email(email.upper()) is not None
