"""Sessions that end: kept in the database (the cookie carries only a random id), ended by signing out, by
"sign out everywhere", by leaving the owners and by 8 hours without use; shared, like the sign-in limit, by every
app on the database (replicas behind a load balancer)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.bootstrap import open_store
from bot.config import Settings
from bot.web import create_app
from knowledge import weblogin
from knowledge.sqlite.store import SqliteStore
from tests.conftest import BACKENDS, db_of
from tests.web.conftest import COOKIE, Clock, copy_of, csrf, sign_in


def signed_in_client(app: Flask, owner: str = "Kim") -> FlaskClient:
    client = app.test_client()
    assert sign_in(app, client, owner_id=owner).status_code == 302
    assert client.get("/").status_code == 200
    return client


def refused(client: FlaskClient, path: str = "/") -> bool:
    got = client.get(path)
    return got.status_code == 302 and got.headers["Location"].startswith("/login")


def ended(store: SqliteStore) -> list[dict]:
    return [r for r in store.audit_log() if r["action"] in ("web_sign_out", "web_sessions_ended")]


def test_a_copied_cookie_no_longer_works_after_signing_out(app: Flask, demo_store: SqliteStore) -> None:
    first = signed_in_client(app)
    copy = copy_of(first, app.test_client())
    assert copy.get("/").status_code == 200  # the copy is the same session...
    token = csrf(first, "/")
    assert first.post("/logout", data={"csrf_token": token}).headers["Location"] == "/login"
    article = demo_store.articles()[0]
    before = len(demo_store.audit_log())
    got = copy.post(f"/articles/{article.id}/archive", data={"csrf_token": token, "version": article.version})
    assert got.status_code == 302 and got.headers["Location"].startswith("/login")  # ...and ended with it
    stored = demo_store.article(article.id)
    assert stored is not None and stored.status == article.status and len(demo_store.audit_log()) == before
    assert refused(first) and refused(copy) and refused(copy, "/reviews")
    assert [(r["actor"], r["action"]) for r in ended(demo_store)] == [("Kim", "web_sign_out")]


def test_signing_in_again_ends_the_session_the_browser_had(app: Flask) -> None:
    first = signed_in_client(app)
    copy = copy_of(first, app.test_client())
    assert sign_in(app, first).status_code == 302  # a new sign-in in this browser: a new session
    assert first.get("/").status_code == 200 and refused(copy)


def test_taking_someone_off_the_owners_ends_all_their_sessions(
        app: Flask, settings_holder: dict[str, Settings], demo_store: SqliteStore) -> None:
    here, there = signed_in_client(app), signed_in_client(app)
    joyce = signed_in_client(app, "p-02")
    listed = settings_holder["settings"]
    settings_holder["settings"] = replace(listed, web_owners="j.verbeek@voorbeeldgemeente.nl")
    assert refused(here)
    settings_holder["settings"] = listed  # back on the list: the sessions she had stay ended
    assert refused(there) and refused(here)
    assert joyce.get("/").status_code == 200  # another owner's session is untouched
    (entry,) = ended(demo_store)
    assert (entry["actor"], entry["action"], entry["subject"]) == ("vraagbaak", "web_sessions_ended", "Kim")
    assert '"sessions": 2' in entry["detail"]


def test_a_replica_with_another_owners_list_ends_the_sessions_of_a_non_owner(
        demo_store: SqliteStore, settings_holder: dict[str, Settings], clock: Clock) -> None:
    """Replica two's list lacks Kim; she signs in on replica one after replica two has looked at its list."""
    listed = settings_holder["settings"]
    one = create_app(listed, store=SqliteStore(demo_store.path), clock=clock)
    two = create_app(replace(listed, web_owners="j.verbeek@voorbeeldgemeente.nl"),
                     store=SqliteStore(demo_store.path), clock=clock)
    joyce = signed_in_client(two, "p-02")  # replica two now knows its owners
    kim, kim_elsewhere = signed_in_client(one), signed_in_client(one)
    assert refused(copy_of(kim, two.test_client()))  # on replica two: not an owner, so every session ends
    assert refused(kim_elsewhere) and refused(kim)
    assert joyce.get("/").status_code == 200


def test_sign_out_everywhere_ends_every_browser_of_that_owner(app: Flask, demo_store: SqliteStore) -> None:
    laptop, phone = signed_in_client(app), signed_in_client(app)
    joyce = signed_in_client(app, "p-02")
    page = laptop.get("/").get_data(as_text=True)
    assert 'action="/logout/everywhere"' in page and "Overal uitloggen" in page
    got = laptop.post("/logout/everywhere", data={"csrf_token": csrf(laptop, "/")})
    assert got.status_code == 302 and got.headers["Location"] == "/login"
    assert "2 sessie(s) beëindigd" in laptop.get("/login").get_data(as_text=True)
    assert refused(laptop) and refused(phone)
    assert joyce.get("/").status_code == 200
    (entry,) = ended(demo_store)
    assert (entry["actor"], entry["action"]) == ("Kim", "web_sign_out") and '"sessions": 2' in entry["detail"]


def test_sign_out_everywhere_needs_a_session_and_the_csrf_token(app: Flask, client: FlaskClient) -> None:
    laptop, phone = signed_in_client(app), signed_in_client(app)
    assert laptop.post("/logout/everywhere").status_code == 403  # no CSRF token
    got = client.post("/logout/everywhere", data={"csrf_token": csrf(client)})  # nobody signed in
    assert got.status_code == 302 and got.headers["Location"].startswith("/login")
    assert laptop.get("/").status_code == 200 and phone.get("/").status_code == 200


def test_the_button_is_in_english_too(app: Flask) -> None:
    laptop = signed_in_client(app)
    laptop.post("/lang", data={"lang": "en", "next": "/", "csrf_token": csrf(laptop, "/")})
    assert "Sign out everywhere" in laptop.get("/").get_data(as_text=True)
    laptop.post("/logout/everywhere", data={"csrf_token": csrf(laptop, "/")})
    assert "You are signed out everywhere: 1 session(s) ended." in laptop.get("/login").get_data(as_text=True)


def test_a_session_ends_eight_hours_after_its_last_use(app: Flask, clock: Clock) -> None:
    """By the server's clock: the cookie's own signature is still valid."""
    laptop = signed_in_client(app)
    for _ in range(3):  # in use all day (and night): it goes on
        clock.advance(hours=7)
        assert laptop.get("/").status_code == 200
    clock.advance(hours=8, minutes=1)
    assert refused(laptop)
    clock.advance(minutes=-2)  # the clock put back does not bring it back either: it has ended
    assert refused(laptop)


def test_the_cookie_holds_only_a_random_id_and_the_database_only_its_hash(
        app: Flask, demo_store: SqliteStore) -> None:
    laptop = signed_in_client(app)
    cookie = laptop.get_cookie(COOKIE)
    assert cookie is not None
    held = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    assert set(held) <= {"sid", "csrf", "lang", "_flashes", "_permanent"} and "Kim" not in str(held)
    (row,) = demo_store.rows("SELECT * FROM web_sessions")
    assert row["owner"] == "Kim" and held["sid"] not in str(row) and len(held["sid"]) >= 40


def two_replicas(db: str, settings: Settings, clock: Clock) -> tuple[Flask, Flask]:
    """Two console apps on one database (a file, or PostgreSQL), each with its own store, as two replicas."""
    return (create_app(settings, store=open_store(Settings(db_path=db)), clock=clock),
            create_app(settings, store=open_store(Settings(db_path=db)), clock=clock))


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_apps_on_one_database_share_sessions(demo_store: SqliteStore, settings_holder: dict[str, Settings],
                                                  clock: Clock) -> None:
    one, two = two_replicas(db_of(demo_store), settings_holder["settings"], clock)
    laptop = signed_in_client(one)
    other_replica = copy_of(laptop, two.test_client())  # the load balancer sends the next request to two
    assert other_replica.get("/").status_code == 200
    other_replica.post("/logout", data={"csrf_token": csrf(other_replica, "/")})  # signed out on two
    assert refused(laptop)  # ...is signed out on one


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_apps_on_one_database_share_the_sign_in_limit(
        demo_store: SqliteStore, settings_holder: dict[str, Settings], clock: Clock) -> None:
    clock.now = datetime(2026, 5, 4, 9, 12, 0, tzinfo=UTC)
    one, two = two_replicas(db_of(demo_store), settings_holder["settings"], clock)
    browsers = [one.test_client(), two.test_client()]
    tokens = [csrf(b) for b in browsers]
    codes = []
    for attempt in range(11):
        which = attempt % 2
        codes.append(browsers[which].post("/login", data={"token": f"guess{attempt}",
                                                          "csrf_token": tokens[which]}).status_code)
        clock.advance(seconds=2)
    assert codes == [403] * 10 + [429]
    assert browsers[0].get("/login?token=anything").status_code == 429  # the link's page counts too


def test_the_limit_counts_the_previous_minute_and_forgets_older_ones(demo_store: SqliteStore) -> None:
    at = datetime(2026, 5, 4, 9, 12, 50, tzinfo=UTC)
    assert all(weblogin.allow_sign_in(demo_store, "10.0.0.1", at) for _ in range(10))
    assert not weblogin.allow_sign_in(demo_store, "10.0.0.1", at)
    assert weblogin.allow_sign_in(demo_store, "10.0.0.2", at)  # per address
    assert not weblogin.allow_sign_in(demo_store, "10.0.0.1", at.replace(minute=13, second=20))  # 30 s later
    assert weblogin.allow_sign_in(demo_store, "10.0.0.1", at.replace(minute=14, second=0))
    assert [r["minute"] for r in demo_store.rows("SELECT minute FROM web_attempts")] == [
        "2026-05-04T09:14:00+00:00"]  # 09:12 is dropped; a refused attempt is not counted


def test_sessions_long_over_are_dropped(demo_store: SqliteStore) -> None:
    at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    old = weblogin.start_session(demo_store, "Kim", at)
    weblogin.end_session(demo_store, weblogin.start_session(demo_store, "Kim", at), at)
    assert weblogin.session_owner(demo_store, old, at.replace(hour=16)) == "Kim"
    assert weblogin.session_owner(demo_store, old, at.replace(day=5)) is None
    weblogin.start_session(demo_store, "Kim", at.replace(day=6))
    assert len(demo_store.rows("SELECT * FROM web_sessions")) == 1


def post_guesses(app: Flask, forwarded_for: list[str]) -> list[int]:
    """Wrong sign-in tokens, one per entry, each through a proxy that says it came from that address."""
    browser = app.test_client()
    token = csrf(browser)
    return [browser.post("/login", data={"token": f"guess{n}", "csrf_token": token},
                         headers={"X-Forwarded-For": who}).status_code for n, who in enumerate(forwarded_for)]


def test_behind_a_load_balancer_the_limit_counts_each_client_not_the_balancer(
        demo_store: SqliteStore, settings_holder: dict[str, Settings], clock: Clock) -> None:
    clock.now = datetime(2026, 5, 4, 9, 12, 0, tzinfo=UTC)
    behind = create_app(replace(settings_holder["settings"], proxies=1), clock=clock)
    # eleven guesses from one client through the balancer: the eleventh is refused...
    assert post_guesses(behind, ["203.0.113.7"] * 11) == [403] * 10 + [429]
    # ...while another client behind the same balancer still gets in (all came from its one address)
    assert post_guesses(behind, ["198.51.100.4"]) == [403]


def test_without_a_proxy_a_forged_forwarded_header_changes_nothing(
        demo_store: SqliteStore, settings_holder: dict[str, Settings], clock: Clock) -> None:
    clock.now = datetime(2026, 5, 4, 9, 12, 0, tzinfo=UTC)
    direct = create_app(settings_holder["settings"], clock=clock)  # VRAAGBAAK_PROXIES=0, the default
    assert post_guesses(direct, [f"203.0.113.{n}" for n in range(11)]) == [403] * 10 + [429]
