"""Sign-in, sessions and the protections every page has: owners only, one-time links, CSRF, no open redirect,
security headers, the sign-in rate limit."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.config import Settings
from bot.web.security import safe_next
from knowledge import weblogin
from knowledge.sqlite.store import SqliteStore
from tests.conftest import BACKENDS
from tests.web.conftest import csrf, csrf_of, sign_in

GUARDED_GET = ["/", "/reviews", "/gaps/write?q=1&answer=1", "/gaps", "/gaps.csv", "/analytics",
               "/analytics/per_day.csv"]
GUARDED_POST = ["/reviews/1/approve", "/reviews/1/edit", "/reviews/1/merge", "/reviews/1/reject", "/gaps/write"]
OPEN = {"/login", "/logout", "/lang", "/static/<path:filename>", "/login/<name>", "/login/<name>/callback",
        "/healthz", "/readyz", "/metrics"}  # for the load balancer and Prometheus (docs/operations.md)


def test_every_route_is_guarded_or_known_to_be_open(app: Flask) -> None:
    """A new route is either in the guarded lists below or deliberately open (sign-in, sign-out, language)."""
    rules = {r.rule for r in app.url_map.iter_rules()}
    guarded = {r.rule for r in app.url_map.iter_rules()
               if getattr(app.view_functions[r.endpoint], "__wrapped__", None) is not None}
    assert rules - guarded <= OPEN, rules - guarded - OPEN


@pytest.mark.parametrize("path", GUARDED_GET)
def test_pages_without_sign_in_go_to_the_sign_in_page(client: FlaskClient, path: str) -> None:
    got = client.get(path)
    assert got.status_code == 302 and got.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", GUARDED_POST)
def test_actions_without_sign_in_change_nothing(client: FlaskClient, demo_store: SqliteStore, path: str) -> None:
    before = len(demo_store.audit_log())
    got = client.post(path, data={"csrf_token": csrf(client), "note": "x", "body": "x", "into_other": "x",
                                  "title": "x"})
    assert got.status_code == 302 and got.headers["Location"].startswith("/login")
    assert len(demo_store.audit_log()) == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_time_link_signs_in_once(app: Flask, client: FlaskClient, demo_store: SqliteStore) -> None:
    token = weblogin.issue(demo_store, "Kim")
    page = client.get(f"/login?token={token}").get_data(as_text=True)
    assert client.post("/login", data={"token": token, "csrf_token": csrf_of(page)}).status_code == 302
    assert client.get("/").status_code == 200
    other = app.test_client()
    second = other.post("/login", data={"token": token, "csrf_token": csrf(other)})
    assert second.status_code == 403 and other.get("/").status_code == 302
    assert [r["actor"] for r in demo_store.audit_log() if r["action"] == "web_sign_in"] == ["Kim"]


def test_an_expired_link_is_refused(client: FlaskClient, demo_store: SqliteStore) -> None:
    token = weblogin.issue(demo_store, "Kim", now=datetime.now(UTC) - timedelta(minutes=16))
    assert client.post("/login", data={"token": token, "csrf_token": csrf(client)}).status_code == 403
    assert weblogin.redeem(demo_store, weblogin.issue(demo_store, "Kim", minutes=15),
                           now=datetime.now(UTC) + timedelta(minutes=14)) == "Kim"


def test_only_a_hash_of_the_token_is_stored(demo_store: SqliteStore) -> None:
    token = weblogin.issue(demo_store, "Kim")
    assert token not in str(demo_store.rows("SELECT * FROM web_logins"))


def test_owners_come_from_all_three_lists_through_the_directory(demo_store: SqliteStore) -> None:
    settings = Settings(db_path=demo_store.path, web_owners="Kim, j.verbeek@voorbeeldgemeente.nl",
                        slack_owners="U0DEMO01")
    from bot.web.console import owners_of

    found = owners_of(settings, demo_store)
    assert weblogin.find(found, "kim").id == "Kim"
    assert weblogin.find(found, "Joyce Verbeek").id == "p-02"  # by e-mail, resolved to the directory
    assert weblogin.find(found, "Fatima el Amrani").id == "p-01"  # a Slack owner id, through the handles
    assert weblogin.find(found, "Piet") is None


def test_someone_taken_off_the_list_loses_access_at_the_next_request(
        app: Flask, signed_in: FlaskClient, settings_holder: dict[str, Settings]) -> None:
    assert signed_in.get("/").status_code == 200
    settings_holder["settings"] = replace(settings_holder["settings"], web_owners="j.verbeek@voorbeeldgemeente.nl")
    assert signed_in.get("/").status_code == 302
    assert signed_in.post("/reviews/1/approve", data={"csrf_token": "x"}).status_code in (302, 403)


def test_a_non_owner_link_does_not_sign_in(app: Flask, client: FlaskClient) -> None:
    assert sign_in(app, client, owner_id="Piet").status_code == 403
    assert client.get("/").status_code == 302


def test_a_post_without_the_csrf_token_is_refused(signed_in: FlaskClient, demo_store: SqliteStore) -> None:
    for data in ({}, {"csrf_token": "forged"}):
        got = signed_in.post("/reviews/1/reject", data={**data, "note": "x"})
        assert got.status_code == 403 and "formulier" in got.get_data(as_text=True)
    assert signed_in.post("/logout").status_code == 403 and signed_in.get("/").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "\\\\evil", "/%0d%0aLocation: x", "evil.example"])
def test_no_open_redirect_after_sign_in(app: Flask, client: FlaskClient, target: str) -> None:
    got = sign_in(app, client, next_path=target)
    assert got.status_code == 302 and got.headers["Location"] == "/"


def test_a_local_next_is_followed() -> None:
    assert safe_next("/reviews?x=1") == "/reviews?x=1"
    assert safe_next("/a:b") == "/"


def test_security_headers_on_every_response(client: FlaskClient, signed_in: FlaskClient) -> None:
    for got in (client.get("/login"), signed_in.get("/"), signed_in.get("/nope"),
                signed_in.get("/static/console.css")):
        assert got.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")
        assert "frame-ancestors 'none'" in got.headers["Content-Security-Policy"]
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert got.headers["Referrer-Policy"] == "no-referrer"
        assert got.headers["X-Frame-Options"] == "DENY"


def test_the_session_cookie_is_httponly_samesite_and_expires(app: Flask, client: FlaskClient) -> None:
    cookie = sign_in(app, client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie and "Secure" not in cookie


def test_the_cookie_is_secure_behind_https(demo_store: SqliteStore) -> None:
    from bot.web import create_app

    secure = create_app(Settings(db_path=demo_store.path, web_owners="Kim", web_url="https://kb.example.nl",
                                 semantic="off"), store=demo_store)
    assert secure.config["SESSION_COOKIE_SECURE"] is True


def test_sign_in_attempts_are_rate_limited(client: FlaskClient) -> None:
    token = csrf(client)
    codes = [client.post("/login", data={"token": f"guess{i}", "csrf_token": token}).status_code for i in range(12)]
    assert codes[:10] == [403] * 10 and codes[10:] == [429, 429]


def test_the_language_switch_is_kept_in_the_session(signed_in: FlaskClient) -> None:
    assert "Wat er op je wacht" in signed_in.get("/").get_data(as_text=True)
    signed_in.post("/lang", data={"lang": "en", "next": "/", "csrf_token": csrf(signed_in, "/")})
    assert "What waits for you" in signed_in.get("/").get_data(as_text=True)


def test_the_secret_is_generated_once_and_shared(demo_store: SqliteStore) -> None:
    assert weblogin.secret(demo_store) == weblogin.secret(demo_store) != ""


def test_a_session_older_than_eight_hours_is_over(app: Flask, signed_in: FlaskClient,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import itsdangerous.timed

    assert signed_in.get("/").status_code == 200
    later = time.time() + 8 * 3600 + 60
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert signed_in.get("/").status_code == 302
