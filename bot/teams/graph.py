"""People import from Microsoft Graph: ``/v1.0/users`` with app-only msal credentials.

Paging follows ``@odata.nextLink``; disabled accounts are skipped; a 429 waits ``Retry-After`` seconds
(capped by ``max_wait``). ``Person.handle("teams")`` is the Entra object id, the id Teams mentions and
``from.aadObjectId`` use. Expertise stays empty (skills live in SharePoint profiles, often empty).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import requests

from bot.config import Settings
from bot.teams.tokens import GRAPH_SCOPE, AppToken, TokenError
from handlers.errors import UserError
from handlers.messages import t
from knowledge.model import Person

log = logging.getLogger(__name__)

FIELDS = "id,displayName,jobTitle,department,mail,userPrincipalName,accountEnabled,mobilePhone,businessPhones"


def person_of(user: dict[str, Any]) -> Person:
    phones = [p for p in user.get("businessPhones") or [] if p]
    email = str(user.get("mail") or user.get("userPrincipalName") or "")
    return Person(
        id=email.lower() or str(user["id"]),
        name=str(user.get("displayName") or email or user["id"]),
        title=str(user.get("jobTitle") or ""),
        department=str(user.get("department") or ""),
        email=email,
        phone=str(user.get("mobilePhone") or (phones[0] if phones else "")),
        handles=(("teams", str(user["id"])),),
    )


def _get(http: requests.Session, url: str, token: AppToken, *, attempts: int, max_wait: float, lang: str) -> dict:
    for attempt in range(attempts):
        response = http.get(url, headers={"Authorization": f"Bearer {token.get()}"}, timeout=30)
        if response.status_code == 200:
            return dict(response.json())
        if response.status_code in (429, 503, 504) and attempt + 1 < attempts:
            retry_after = response.headers.get("Retry-After", "").strip()
            wait = float(retry_after) if retry_after.isdigit() else 2.0**attempt
            log.info("Graph %s: HTTP %d, waiting %.1f s", url, response.status_code, min(wait, max_wait))
            time.sleep(min(wait, max_wait))
            continue
        detail = response.text[:300]
        if response.status_code in (401, 403):
            raise UserError(t("cli_graph_refused", lang, status=response.status_code, detail=detail))
        raise UserError(t("cli_graph_http", lang, status=response.status_code, detail=detail))
    raise UserError(t("cli_graph_throttled", lang, url=url))


def fetch_people(
    settings: Settings,
    *,
    http_client: requests.Session | None = None,
    max_wait: float = 120.0,
    attempts: int = 6,
) -> list[Person]:
    """Everyone with an enabled account in the tenant's directory."""
    missing = [name for name, value in (("MICROSOFT_APP_ID", settings.microsoft_app_id),
                                        ("MICROSOFT_APP_PASSWORD", settings.microsoft_app_password),
                                        ("MICROSOFT_APP_TENANT_ID", settings.microsoft_app_tenant_id)) if not value]
    if missing:
        raise UserError(t("cli_graph_missing", settings.lang, names=", ".join(missing)))
    http = http_client or requests.Session()
    token = AppToken(settings, GRAPH_SCOPE, http_client=http_client)
    url: str | None = f"{settings.graph_api_url.rstrip('/')}/v1.0/users?$select={FIELDS}&$top=999"
    people: list[Person] = []
    try:
        while url:
            page = _get(http, url, token, attempts=attempts, max_wait=max_wait, lang=settings.lang)
            for user in page.get("value") or []:
                if user.get("accountEnabled") is False or not user.get("id"):
                    continue
                people.append(person_of(user))
            url = page.get("@odata.nextLink")
    except TokenError as error:
        raise UserError(t("cli_graph_no_token", settings.lang, error=error)) from error
    except requests.RequestException as error:
        raise UserError(t("cli_graph_unreachable", settings.lang, error=error)) from error
    return people
