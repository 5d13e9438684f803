"""Single sign-on for the web console: Microsoft Entra ID (msal, authorization code flow with PKCE, the app
registration Teams already uses) and Sign in with Slack (OpenID Connect). Each gives the person's chat id
(Entra object id, Slack user id); the console then checks that id against the owner lists.

A provider is offered only when it is configured (Teams: MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and
MICROSOFT_APP_TENANT_ID; Slack: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET). The browser comes back to
``VRAAGBAAK_WEB_URL/login/<provider>/callback``: register that address with the app.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from typing import Any, Protocol
from urllib.parse import urlencode

import jwt
import msal
import requests

from bot.config import Settings
from bot.teams.tokens import TokenError, confidential_client

TIMEOUT = 10  # seconds for a call to the identity provider


class SignInFailed(Exception):
    """The identity provider did not vouch for the person (logged; the page says it in general terms)."""


class Provider(Protocol):
    name: str  # "entra" or "slack": the path /login/<name>
    platform: str  # whose ids it returns ("teams" or "slack")

    def start(self, redirect_uri: str) -> tuple[str, str, dict[str, Any]]:
        """Where to send the browser, the flow's state, and what ``finish`` needs (kept server-side)."""
        ...

    def finish(self, flow: dict[str, Any], response: dict[str, str], redirect_uri: str) -> str:
        """The signed-in person's chat id; SignInFailed when the provider did not vouch for them."""
        ...


class EntraSignIn:
    name, platform = "entra", "teams"

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.settings, self.http = settings, http
        self.authority = f"{settings.microsoft_authority_host.rstrip('/')}/{settings.microsoft_app_tenant_id}"
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()

    def _client(self) -> msal.ConfidentialClientApplication:
        with self._lock:
            if self._app is None:
                try:
                    self._app = confidential_client(self.settings, self.authority, self.http)
                except TokenError as error:
                    raise SignInFailed(str(error)) from error
            return self._app

    def start(self, redirect_uri: str) -> tuple[str, str, dict[str, Any]]:
        flow = self._client().initiate_auth_code_flow(scopes=[], redirect_uri=redirect_uri)  # state, nonce, PKCE
        return str(flow["auth_uri"]), str(flow["state"]), dict(flow)

    def finish(self, flow: dict[str, Any], response: dict[str, str], redirect_uri: str) -> str:
        try:
            result = self._client().acquire_token_by_auth_code_flow(flow, response)  # checks state and nonce
        except (ValueError, RuntimeError, KeyError, requests.RequestException) as error:
            raise SignInFailed(f"Entra ID: {error}") from error
        if "error" in result:
            raise SignInFailed(f"Entra ID: {result.get('error')}: {result.get('error_description', '')}")
        claims = result.get("id_token_claims") or {}
        # The ID token came straight from the token endpoint over TLS, for our code and verifier (OIDC core
        # 3.1.3.7: TLS validates the issuer); msal checked the nonce. The rest is ours to check.
        tenant = self.settings.microsoft_app_tenant_id
        if claims.get("aud") != self.settings.microsoft_app_id or claims.get("tid") != tenant:
            raise SignInFailed("Entra ID: the ID token is for another app or tenant")
        if float(claims.get("exp", 0)) < time.time() - 60 or not claims.get("oid"):
            raise SignInFailed("Entra ID: the ID token is expired or names nobody")
        return str(claims["oid"])


class SlackSignIn:
    name, platform = "slack", "slack"

    def __init__(self, settings: Settings, http: requests.Session | None = None) -> None:
        self.settings = settings
        self.http = http or requests.Session()
        self.issuer = settings.slack_openid_url.rstrip("/")

    def start(self, redirect_uri: str) -> tuple[str, str, dict[str, Any]]:
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        query = urlencode({"response_type": "code", "scope": "openid profile email", "state": state, "nonce": nonce,
                           "client_id": self.settings.slack_client_id, "redirect_uri": redirect_uri})
        return f"{self.issuer}/openid/connect/authorize?{query}", state, {"nonce": nonce}

    def finish(self, flow: dict[str, Any], response: dict[str, str], redirect_uri: str) -> str:
        if response.get("error") or not response.get("code"):
            raise SignInFailed(f"Slack: {response.get('error') or 'no code'}")
        try:
            answer = self.http.post(f"{self.settings.slack_api_url.rstrip('/')}/openid.connect.token", timeout=TIMEOUT,
                                    data={"client_id": self.settings.slack_client_id, "code": response["code"],
                                          "client_secret": self.settings.slack_client_secret,
                                          "redirect_uri": redirect_uri}).json()
        except (requests.RequestException, ValueError) as error:
            raise SignInFailed(f"Slack: {error}") from error
        if not answer.get("ok") or not answer.get("id_token"):
            raise SignInFailed(f"Slack: {answer.get('error') or 'no ID token'}")
        claims = self._verified(str(answer["id_token"]))
        if not hmac.compare_digest(str(claims.get("nonce", "")), str(flow.get("nonce", ""))):
            raise SignInFailed("Slack: the ID token's nonce is not this sign-in's")
        user = claims.get("https://slack.com/user_id") or claims.get("sub")
        if not user:
            raise SignInFailed("Slack: the ID token names nobody")
        return str(user)

    def _verified(self, token: str) -> dict[str, Any]:
        """The ID token's claims, its signature checked with Slack's published keys, for our app."""
        try:
            keys = jwt.PyJWKSet.from_dict(self.http.get(f"{self.issuer}/openid/connect/keys", timeout=TIMEOUT).json())
            kid = jwt.get_unverified_header(token).get("kid")
            key = next(k for k in keys.keys if k.key_id == kid)
            return dict(jwt.decode(token, key.key, algorithms=["RS256"], audience=self.settings.slack_client_id,
                                   issuer=self.issuer, options={"require": ["exp", "iat", "aud", "iss"]}))
        except (requests.RequestException, ValueError, StopIteration, jwt.PyJWTError) as error:
            raise SignInFailed(f"Slack: the ID token does not hold: {error}") from error


def providers(settings: Settings, http: requests.Session | None = None) -> dict[str, Provider]:
    """The sign-in providers configured in ``settings``."""
    found: dict[str, Provider] = {}
    if settings.microsoft_app_id and settings.microsoft_app_password and settings.microsoft_app_tenant_id:
        found["entra"] = EntraSignIn(settings, http)
    if settings.slack_client_id and settings.slack_client_secret:
        found["slack"] = SlackSignIn(settings, http)
    return found
