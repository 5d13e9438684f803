"""The owners' web console's sign-in: who is an owner, one-time sign-in links and the session secret.

A sign-in token is random; only its SHA-256 is stored, it is used once and expires. Owners are resolved
against the directory on every call, so someone taken off a list (or out of the directory) loses access at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from knowledge.model import Person

TOKEN_MINUTES = 15
FLOW_MINUTES = 10  # a single sign-on must come back within this


class Store(Protocol):
    def person_by_email(self, email: str) -> Person | None: ...
    def person_by_handle(self, platform: str, handle: str) -> Person | None: ...
    def add_login_token(self, token_hash: str, owner_id: str, created_at: str, expires_at: str) -> None: ...
    def take_login_token(self, token_hash: str, at: str, forget_before: str) -> str | None: ...
    def save_login_flow(self, state: str, provider: str, flow: dict[str, Any], at: str,
                        forget_before: str) -> None: ...
    def take_login_flow(self, state: str, provider: str, since: str) -> dict[str, Any] | None: ...
    def session_secret(self, candidate: str) -> str: ...


@dataclass(frozen=True)
class Owner:
    """A knowledge owner of the console: ``id`` is what the audit log records (a directory id where the owner
    is found in the directory, else the name as the owner list writes it); ``aliases`` what web-login accepts."""

    id: str
    name: str
    aliases: frozenset[str]


def _owner(person: Person | None, written: str, *more: str) -> Owner:
    if person is None:
        return Owner(written, written, frozenset(a.lower() for a in (written, *more) if a))
    aliases = (written, person.id, person.name, person.email, *(h for _, h in person.handles), *more)
    return Owner(person.id, person.name or person.id, frozenset(a.lower() for a in aliases if a))


def owners(store: Store, names: Iterable[str], handles: Iterable[tuple[str, str]]) -> list[Owner]:
    """The owners: ``names`` (VRAAGBAAK_OWNERS: names as people use them in the console, or e-mail addresses
    from the directory) and ``handles`` ((platform, chat user id) of the Slack and Teams owner lists), each
    resolved through the directory where it can be."""
    found: dict[str, Owner] = {}
    for name in (n.strip() for n in names):
        if name:
            owner = _owner(store.person_by_email(name), name) if "@" in name else _owner(None, name)
            found.setdefault(owner.id, owner)
    for platform, handle in handles:
        owner = _owner(store.person_by_handle(platform, handle), handle)
        known = found.get(owner.id)
        found[owner.id] = Owner(owner.id, owner.name, owner.aliases | known.aliases) if known else owner
    return list(found.values())


def find(all_owners: Iterable[Owner], name: str) -> Owner | None:
    """The owner ``name`` (any of their aliases, case-insensitive) names, or None."""
    wanted = name.strip().lower()
    return next((o for o in all_owners if wanted and wanted in o.aliases), None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def issue(store: Store, owner_id: str, minutes: int = TOKEN_MINUTES, now: datetime | None = None) -> str:
    """A new one-time sign-in token for ``owner_id``, valid ``minutes``; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    moment = now or datetime.now(UTC)
    store.add_login_token(_hash(token), owner_id, _stamp(moment), _stamp(moment + timedelta(minutes=minutes)))
    return token


def redeem(store: Store, token: str, now: datetime | None = None) -> str | None:
    """The owner id ``token`` was issued for, once: a used, expired or unknown token gives None."""
    if not token or len(token) > 200:
        return None
    moment = _stamp(now or datetime.now(UTC))
    return store.take_login_token(_hash(token), moment, _stamp(datetime.now(UTC) - timedelta(days=1)))


def save_flow(store: Store, state: str, provider: str, flow: dict[str, Any]) -> None:
    """Keep a single sign-on under way (its state, nonce and PKCE verifier) until the browser comes back."""
    moment = datetime.now(UTC)
    store.save_login_flow(state, provider, flow, _stamp(moment), _stamp(moment - timedelta(minutes=FLOW_MINUTES)))


def take_flow(store: Store, state: str, provider: str) -> dict[str, Any] | None:
    """The sign-on under way with ``state`` at ``provider``, once, within FLOW_MINUTES; None otherwise."""
    return store.take_login_flow(state, provider, _stamp(datetime.now(UTC) - timedelta(minutes=FLOW_MINUTES)))


def secret(store: Store) -> str:
    """The console's session secret, generated once and kept in the database so every process agrees."""
    return store.session_secret(secrets.token_hex(32))
