"""Outbound tokens: msal client credentials against the single-tenant authority, cached by msal."""

from __future__ import annotations

import threading
from typing import Any

import msal
import requests

from bot.config import Settings

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class TokenError(Exception):
    """Entra ID would not give us a token (wrong id/secret/tenant, or unreachable)."""


def confidential_client(settings: Settings, authority: str, http_client: requests.Session | None = None,
                        ) -> msal.ConfidentialClientApplication:
    """The app's msal client at ``authority`` (no instance discovery: the authority is configured), on
    ``http_client`` when given; TokenError when msal refuses the authority or cannot reach it."""
    options: dict[str, Any] = {"instance_discovery": False}
    if http_client is not None:
        options["http_client"] = http_client
    try:
        return msal.ConfidentialClientApplication(settings.microsoft_app_id,
                                                  client_credential=settings.microsoft_app_password,
                                                  authority=authority, **options)
    except (ValueError, requests.RequestException) as error:
        raise TokenError(f"authority {authority}: {error}") from error


class AppToken:
    """An app-only access token for one scope. msal keeps it in memory and renews it when it expires."""

    def __init__(self, settings: Settings, scope: str, *, http_client: requests.Session | None = None) -> None:
        self.settings = settings
        self.scope = scope
        self.http_client = http_client
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()

    def authority(self) -> str:
        host = self.settings.microsoft_authority_host.rstrip("/")
        return f"{host}/{self.settings.microsoft_app_tenant_id or 'organizations'}"

    def _client(self) -> msal.ConfidentialClientApplication:
        with self._lock:
            if self._app is None:
                self._app = confidential_client(self.settings, self.authority(), self.http_client)
            return self._app

    def get(self) -> str:
        try:
            result = self._client().acquire_token_for_client(scopes=[self.scope])
        except (ValueError, requests.RequestException) as error:
            raise TokenError(f"token request failed: {error}") from error
        token = (result or {}).get("access_token")
        if not token:
            detail = (result or {}).get("error_description") or (result or {}).get("error") or "no token"
            raise TokenError(f"no token for {self.scope}: {detail}")
        return str(token)
