"""Inbound authentication: the bearer JWT the Bot Framework puts on every POST to /api/messages.

RS256 against the keys at the OpenID metadata's ``jwks_uri``; issuer the one that metadata names (the public
cloud's ``https://api.botframework.com``, US Government's ``https://api.botframework.us``), or the configured
``BOTFRAMEWORK_ISSUER``;
audience = our app id; ``exp``/``nbf`` with five minutes' leeway; the ``serviceurl`` claim equals the
activity's ``serviceUrl``; the key's ``endorsements`` include the activity's ``channelId`` (an activity without
one is refused).
An unknown ``kid`` refreshes the keys once. Fetching runs in a worker thread (``asyncio.to_thread``):
the HTTP client is blocking, and a key endpoint served by the same event loop must not deadlock.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import jwt
import requests

log = logging.getLogger(__name__)

ISSUER = "https://api.botframework.com"  # the public cloud's, when the metadata names none
LEEWAY_SECONDS = 300


class AuthError(Exception):
    """The request is not from the Bot Framework for this bot: answer 401, change nothing."""


@dataclass(frozen=True)
class SigningKey:
    key: jwt.PyJWK
    endorsements: tuple[str, ...] | None


class KeySet:
    """The Bot Framework's signing keys by ``kid``, fetched through the OpenID metadata."""

    def __init__(
        self,
        metadata_url: str,
        http: requests.Session,
        *,
        max_age: float = 24 * 3600,
        refresh_cooldown: float = 60.0,
    ) -> None:
        self.metadata_url = metadata_url
        self.http = http
        self.max_age = max_age
        self.refresh_cooldown = refresh_cooldown
        self.fetches = 0
        self.issuer = ""  # the metadata's ``issuer``, once fetched
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at = 0.0
        self._refreshed_at = -refresh_cooldown
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> SigningKey | None:
        async with self._lock:
            fresh = False
            if not self._fetched_at or time.monotonic() - self._fetched_at > self.max_age:
                fresh = await self._load()
            cooled = time.monotonic() - self._refreshed_at >= self.refresh_cooldown
            if kid not in self._keys and not fresh and cooled:
                self._refreshed_at = time.monotonic()
                log.info("unknown signing key %r: refreshing the Bot Framework keys", kid)
                await self._load()
            return self._keys.get(kid)

    async def _load(self) -> bool:
        try:
            self._keys = await asyncio.to_thread(self._fetch)
        except (requests.RequestException, ValueError, KeyError) as error:
            log.warning("could not fetch Bot Framework signing keys: %s", error)
            return False
        self._fetched_at = time.monotonic()
        return True

    def _fetch(self) -> dict[str, SigningKey]:
        self.fetches += 1
        metadata = self.http.get(self.metadata_url, timeout=10)
        metadata.raise_for_status()
        self.issuer = str(metadata.json().get("issuer") or "")
        jwks = self.http.get(metadata.json()["jwks_uri"], timeout=10)
        jwks.raise_for_status()
        keys: dict[str, SigningKey] = {}
        for data in jwks.json().get("keys", []):
            try:
                key = jwt.PyJWK(data)
            except jwt.PyJWTError:
                continue  # a key type we do not use
            endorsements = data.get("endorsements")
            keys[str(data.get("kid", ""))] = SigningKey(
                key,
                tuple(endorsements) if isinstance(endorsements, list) else None,
            )
        return keys


class TokenValidator:
    def __init__(self, app_id: str, keys: KeySet, issuer: str = "") -> None:
        """``issuer``: the one tokens must carry; empty: the one the keys' OpenID metadata names."""
        self.app_id = app_id
        self.keys = keys
        self.issuer = issuer

    async def validate(self, authorization: str | None, activity: dict[str, Any]) -> dict[str, Any]:
        """The token's claims, or ``AuthError`` with the reason (logged, never shown)."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("no bearer token")
        if not self.app_id:
            raise AuthError("MICROSOFT_APP_ID is not set")
        try:
            header = jwt.get_unverified_header(token.strip())
        except jwt.PyJWTError as error:
            raise AuthError(f"malformed token: {error}") from error
        if header.get("alg") != "RS256":
            raise AuthError(f"algorithm {header.get('alg')!r} not allowed")
        signing = await self.keys.get(str(header.get("kid", "")))
        if signing is None:
            raise AuthError(f"unknown signing key {header.get('kid')!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token.strip(),
                signing.key,
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuer or self.keys.issuer or ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthError(f"invalid token: {error}") from error
        service_url = str(activity.get("serviceUrl") or "")
        if str(claims.get("serviceurl", "")).rstrip("/") != service_url.rstrip("/") or not service_url:
            raise AuthError("serviceurl claim does not match the activity's serviceUrl")
        channel = activity.get("channelId")
        if not isinstance(channel, str) or not channel:  # nothing to hold the endorsements against: refused
            raise AuthError("the activity has no channelId")
        if signing.endorsements is None or channel not in signing.endorsements:
            raise AuthError(f"signing key is not endorsed for channel {channel!r}")
        return claims
