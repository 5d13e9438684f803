"""The owners' web console's sign-in: who is an owner, one-time sign-in links, sessions, the sign-in rate limit
and the cookie secret.

A sign-in token is random; only its SHA-256 is stored, it is used once and expires. A session is the same: the
browser's cookie carries a random id, the database keeps its hash, its owner and when it ends (8 hours after its
last use, at sign-out, at "sign out everywhere" or when its owner leaves the owners), so every process on the
database sees the same sessions. Owners are resolved against the directory on every call, so someone taken off a
list (or out of the directory) loses access at once. Every function here takes the time from its caller.
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
SESSION_HOURS = 8  # a session ends this long after its last use
SEEN_SECONDS = 60  # a session's last use is written at most this often
SIGN_IN_LIMIT = 10  # sign-in attempts per client address in the current and the previous minute together


class Store(Protocol):
    def person_by_email(self, email: str) -> Person | None: ...
    def person_by_handle(self, platform: str, handle: str) -> Person | None: ...
    def add_login_token(self, token_hash: str, owner_id: str, created_at: str, expires_at: str) -> None: ...
    def take_login_token(self, token_hash: str, at: str, forget_before: str) -> str | None: ...
    def save_login_flow(self, state: str, provider: str, flow: dict[str, Any], at: str,
                        forget_before: str) -> None: ...
    def take_login_flow(self, state: str, provider: str, since: str) -> dict[str, Any] | None: ...
    def session_secret(self, candidate: str) -> str: ...
    def start_web_session(self, id_hash: str, owner: str, at: str, expires_at: str, forget_before: str) -> None: ...
    def web_session(self, id_hash: str, at: str) -> str | None: ...
    def touch_web_session(self, id_hash: str, at: str, expires_at: str, stale_before: str) -> None: ...
    def end_web_session(self, id_hash: str, at: str) -> bool: ...
    def end_owner_sessions(self, owner: str, at: str) -> int: ...
    def end_web_sessions_except(self, owners: Iterable[str], at: str) -> dict[str, int]: ...
    def sign_in_attempt(self, client: str, minute: str, previous_minute: str, limit: int) -> bool: ...


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


def redeem(store: Store, token: str, now: datetime) -> str | None:
    """The owner id ``token`` was issued for, once: a used, expired or unknown token gives None."""
    if not token or len(token) > 200:
        return None
    return store.take_login_token(_hash(token), _stamp(now), _stamp(now - timedelta(days=1)))


def save_flow(store: Store, state: str, provider: str, flow: dict[str, Any], now: datetime) -> None:
    """Keep a single sign-on under way (its state, nonce and PKCE verifier) until the browser comes back."""
    store.save_login_flow(state, provider, flow, _stamp(now), _stamp(now - timedelta(minutes=FLOW_MINUTES)))


def take_flow(store: Store, state: str, provider: str, now: datetime) -> dict[str, Any] | None:
    """The sign-on under way with ``state`` at ``provider``, once, within FLOW_MINUTES; None otherwise."""
    return store.take_login_flow(state, provider, _stamp(now - timedelta(minutes=FLOW_MINUTES)))


def start_session(store: Store, owner_id: str, now: datetime, hours: float = SESSION_HOURS) -> str:
    """A new session for ``owner_id``: its random id, for the browser's cookie (only its hash is stored)."""
    session_id = secrets.token_urlsafe(32)
    store.start_web_session(_hash(session_id), owner_id, _stamp(now), _stamp(now + timedelta(hours=hours)),
                            _stamp(now - timedelta(days=1)))
    return session_id


def session_owner(store: Store, session_id: str, now: datetime, hours: float = SESSION_HOURS) -> str | None:
    """The owner id of the open session ``session_id``, which is used now (it ends ``hours`` after this); None
    when it is unknown, ended or expired."""
    if not session_id or len(session_id) > 200:
        return None
    id_hash = _hash(session_id)
    found = store.web_session(id_hash, _stamp(now))
    if found is not None:
        store.touch_web_session(id_hash, _stamp(now), _stamp(now + timedelta(hours=hours)),
                                _stamp(now - timedelta(seconds=SEEN_SECONDS)))
    return found


def end_session(store: Store, session_id: str, now: datetime) -> bool:
    """Sign out: the session ``session_id`` ends, for every copy of its cookie; whether it was open."""
    return bool(session_id) and len(session_id) <= 200 and store.end_web_session(_hash(session_id), _stamp(now))


def end_everywhere(store: Store, owner_id: str, now: datetime) -> int:
    """Sign ``owner_id`` out everywhere: every session of theirs ends; how many there were."""
    return store.end_owner_sessions(owner_id, _stamp(now))


def end_sessions_of_others(store: Store, owner_ids: Iterable[str], now: datetime) -> dict[str, int]:
    """End the sessions of everyone who is not (any longer) an owner: who they were -> how many ended."""
    return store.end_web_sessions_except(owner_ids, _stamp(now))


def allow_sign_in(store: Store, client: str, now: datetime, limit: int = SIGN_IN_LIMIT) -> bool:
    """Whether ``client`` (an address) may make a sign-in attempt now, counting it: at most ``limit`` in the
    current and the previous minute together, shared by every process on the database, so never more than
    ``limit`` in any 60 seconds (a refused address may try again one to two minutes later)."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    return store.sign_in_attempt(client[:100] or "?", _stamp(minute), _stamp(minute - timedelta(minutes=1)), limit)


def secret(store: Store) -> str:
    """The console's session secret, generated once and kept in the database so every process agrees."""
    return store.session_secret(secrets.token_hex(32))
