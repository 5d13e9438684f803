"""The owners' web console's sign-in: who is an owner, one-time sign-in links and the session secret.

A sign-in token is random; only its SHA-256 is stored, it is used once and expires. Owners are resolved
against the directory on every call, so someone taken off a list (or out of the directory) loses access at once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from knowledge.model import Person
from knowledge.sqlite.store import SqliteStore

TOKEN_MINUTES = 15
FLOW_MINUTES = 10  # a single sign-on must come back within this


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


def _by_email(store: SqliteStore, email: str) -> Person | None:
    found = store.rows("SELECT id FROM people WHERE lower(email) = ? LIMIT 1", [email.lower()])
    people = store.people([found[0]["id"]]) if found else []
    return people[0] if people else None


def owners(store: SqliteStore, names: Iterable[str], handles: Iterable[tuple[str, str]]) -> list[Owner]:
    """The owners: ``names`` (VRAAGBAAK_OWNERS: names as people use them in the console, or e-mail addresses
    from the directory) and ``handles`` ((platform, chat user id) of the Slack and Teams owner lists), each
    resolved through the directory where it can be."""
    found: dict[str, Owner] = {}
    for name in (n.strip() for n in names):
        if name:
            owner = _owner(_by_email(store, name), name) if "@" in name else _owner(None, name)
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


def issue(store: SqliteStore, owner_id: str, minutes: int = TOKEN_MINUTES, now: datetime | None = None) -> str:
    """A new one-time sign-in token for ``owner_id``, valid ``minutes``; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    moment = now or datetime.now(UTC)
    with store.transaction() as db:
        db.execute("INSERT INTO web_logins (token_hash, owner, created_at, expires_at) VALUES (?,?,?,?)",
                   [_hash(token), owner_id, _stamp(moment), _stamp(moment + timedelta(minutes=minutes))])
    return token


def redeem(store: SqliteStore, token: str, now: datetime | None = None) -> str | None:
    """The owner id ``token`` was issued for, once: a used, expired or unknown token gives None."""
    if not token or len(token) > 200:
        return None
    moment = _stamp(now or datetime.now(UTC))
    with store.transaction() as db:
        found = db.execute("SELECT owner FROM web_logins WHERE token_hash = ? AND used_at = '' AND expires_at > ?",
                           [_hash(token), moment]).fetchone()
        if found is None:
            return None
        db.execute("UPDATE web_logins SET used_at = ? WHERE token_hash = ?", [moment, _hash(token)])
        db.execute("DELETE FROM web_logins WHERE expires_at < ?", [_stamp(datetime.now(UTC) - timedelta(days=1))])
    return str(found[0])


def save_flow(store: SqliteStore, state: str, provider: str, flow: dict[str, Any]) -> None:
    """Keep a single sign-on under way (its state, nonce and PKCE verifier) until the browser comes back."""
    moment = datetime.now(UTC)
    with store.transaction() as db:
        db.execute("DELETE FROM web_flows WHERE created_at < ?", [_stamp(moment - timedelta(minutes=FLOW_MINUTES))])
        db.execute("INSERT INTO web_flows (state, provider, flow, created_at) VALUES (?,?,?,?)",
                   [state, provider, json.dumps(flow), _stamp(moment)])


def take_flow(store: SqliteStore, state: str, provider: str) -> dict[str, Any] | None:
    """The sign-on under way with ``state`` at ``provider``, once, within FLOW_MINUTES; None otherwise."""
    since = _stamp(datetime.now(UTC) - timedelta(minutes=FLOW_MINUTES))
    with store.transaction() as db:
        found = db.execute("SELECT flow FROM web_flows WHERE state = ? AND provider = ? AND created_at >= ?",
                           [state, provider, since]).fetchone()
        db.execute("DELETE FROM web_flows WHERE state = ?", [state])
    return dict(json.loads(found[0])) if found else None


def secret(store: SqliteStore) -> str:
    """The console's session secret, generated once and kept in the database so every process agrees."""
    with store.transaction() as db:
        db.execute("INSERT OR IGNORE INTO web_settings (key, value) VALUES ('session_secret', ?)",
                   [secrets.token_hex(32)])
    return str(store.rows("SELECT value FROM web_settings WHERE key = 'session_secret'")[0]["value"])
