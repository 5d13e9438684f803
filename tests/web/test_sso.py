"""Single sign-on against a fake identity provider over HTTPS on 127.0.0.1: Microsoft Entra ID (msal,
authorization code flow with PKCE) and Sign in with Slack (OpenID Connect); only owners get in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from bot.config import Settings
from bot.web import create_app
from knowledge.sqlite.store import SqliteStore
from tests.conftest import LOOP_SETTINGS
from tests.web.fake_idp import APP_ID, SLACK_CLIENT, SLACK_SECRET, TENANT, FakeIdentityProvider

OWNER_OID = "0000aaaa-0000-0000-0000-00000000kim1"


@pytest.fixture
def idp(tmp_path: Path) -> Iterator[FakeIdentityProvider]:
    fake = FakeIdentityProvider(tmp_path)
    yield fake
    fake.close()


@pytest.fixture
def sso_app(demo_store: SqliteStore, idp: FakeIdentityProvider) -> Flask:
    settings = Settings(db_path=demo_store.path, web_url="http://127.0.0.1:8080", teams_owners=OWNER_OID,
                        slack_owners="U0DEMO01", microsoft_app_id=APP_ID, microsoft_app_password="secret",
                        microsoft_app_tenant_id=TENANT, microsoft_authority_host=idp.base,
                        slack_client_id=SLACK_CLIENT, slack_client_secret=SLACK_SECRET, slack_openid_url=idp.base,
                        slack_api_url=f"{idp.base}/api/", **LOOP_SETTINGS)
    http = requests.Session()
    http.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides ``verify``
    http.verify = str(idp.ca_file)
    return create_app(settings, store=demo_store, sso_http=http)


def start(client: FlaskClient, provider: str, next_path: str = "/reviews") -> str:
    went = client.get(f"/login/{provider}?next={next_path}")
    assert went.status_code == 302
    return went.headers["Location"]


def come_back(client: FlaskClient, url: str) -> object:
    split = urlsplit(url)
    assert split.netloc == "127.0.0.1:8080"
    return client.get(f"{split.path}?{split.query}")


def test_the_sign_in_page_offers_both(sso_app: Flask) -> None:
    page = sso_app.test_client().get("/login").get_data(as_text=True)
    assert 'id="sign-in-entra"' in page and 'id="sign-in-slack"' in page


def test_entra_signs_an_owner_in_with_pkce(sso_app: Flask, idp: FakeIdentityProvider,
                                           demo_store: SqliteStore) -> None:
    client = sso_app.test_client()
    url = start(client, "entra")
    asked = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{idp.base}/{TENANT}/oauth2/v2.0/authorize")
    assert asked["code_challenge_method"] == "S256" and asked["client_id"] == APP_ID
    assert asked["redirect_uri"] == "http://127.0.0.1:8080/login/entra/callback"
    assert "code_verifier" not in str(client.get_cookie("vraagbaak_session").value)  # the verifier stays here
    idp.user = {"oid": OWNER_OID, "name": "Kim", "preferred_username": "kim@gemeente.example"}
    back = come_back(client, idp.authorize(url))
    assert back.status_code == 302 and back.headers["Location"] == "/reviews"
    assert client.get("/").status_code == 200
    assert idp.token_requests[-1]["code_verifier"]  # PKCE: the fake checked it against the challenge
    entry = [r for r in demo_store.audit_log() if r["action"] == "web_sign_in"][-1]
    assert entry["actor"] == OWNER_OID and '"how": "entra"' in entry["detail"]


def test_entra_refuses_someone_who_is_no_owner(sso_app: Flask, idp: FakeIdentityProvider) -> None:
    client = sso_app.test_client()
    url = start(client, "entra")
    idp.user = {"oid": "someone-else", "name": "Piet"}
    assert come_back(client, idp.authorize(url)).status_code == 403
    assert client.get("/").status_code == 302


def test_a_callback_this_browser_did_not_start_is_refused(sso_app: Flask, idp: FakeIdentityProvider) -> None:
    victim, attacker = sso_app.test_client(), sso_app.test_client()
    url = start(attacker, "entra")
    idp.user = {"oid": OWNER_OID}
    assert come_back(victim, idp.authorize(url)).status_code == 403  # login CSRF: the state is not the victim's
    assert victim.get("/").status_code == 302


def test_a_code_is_used_once(sso_app: Flask, idp: FakeIdentityProvider) -> None:
    client = sso_app.test_client()
    url = start(client, "entra")
    idp.user = {"oid": OWNER_OID}
    back = idp.authorize(url)
    assert come_back(client, back).status_code == 302
    other = sso_app.test_client()
    with other.session_transaction() as s:
        s["sso_state"] = parse_qs(urlsplit(back).query)["state"][0]
    assert come_back(other, back).status_code == 403


def test_slack_signs_an_owner_in_through_the_directory(sso_app: Flask, idp: FakeIdentityProvider,
                                                       demo_store: SqliteStore) -> None:
    client = sso_app.test_client()
    url = start(client, "slack", "/")
    asked = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{idp.base}/openid/connect/authorize") and asked["scope"] == ["openid profile email"]
    idp.user = {"sub": "U0DEMO01", "https://slack.com/user_id": "U0DEMO01", "name": "Fatima el Amrani"}
    assert come_back(client, idp.authorize(url)).status_code == 302
    assert "Fatima el Amrani" in client.get("/").get_data(as_text=True)
    assert [r for r in demo_store.audit_log() if r["action"] == "web_sign_in"][-1]["actor"] == "p-01"


def test_slack_refuses_a_token_signed_by_another_key(sso_app: Flask, idp: FakeIdentityProvider) -> None:
    client = sso_app.test_client()
    url = start(client, "slack")
    idp.user = {"sub": "U0DEMO01", "https://slack.com/user_id": "U0DEMO01"}
    idp.sign_with_other_key = True
    assert come_back(client, idp.authorize(url)).status_code == 403
    assert client.get("/").status_code == 302


def test_slack_refuses_a_non_owner(sso_app: Flask, idp: FakeIdentityProvider) -> None:
    client = sso_app.test_client()
    url = start(client, "slack")
    idp.user = {"sub": "U0DEMO02", "https://slack.com/user_id": "U0DEMO02"}
    assert come_back(client, idp.authorize(url)).status_code == 403


def test_providers_are_offered_only_when_configured(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert "sign-in-entra" not in page and "sign-in-slack" not in page
    assert client.get("/login/entra").status_code == 404


def test_entra_refuses_a_token_of_another_tenant(sso_app: Flask, idp: FakeIdentityProvider) -> None:
    client = sso_app.test_client()
    url = start(client, "entra")
    idp.user = {"oid": OWNER_OID, "tid": "99999999-0000-0000-0000-000000000000"}
    assert come_back(client, idp.authorize(url)).status_code == 403
    assert client.get("/").status_code == 302
