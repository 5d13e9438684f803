"""What every page can reach: the Desk, the store, the search, the clock, the signed-in owner and the texts."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from flask import current_app, g, redirect, request, session, url_for

from bot.config import LANGS, Settings
from bot.owners import owners_of
from handlers.desk import Desk
from handlers.messages import t
from handlers.ports import Search
from knowledge import weblogin
from knowledge.model import User

if TYPE_CHECKING:
    from bot.bootstrap import AnyStore

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)
SESSION_KEY = "sid"  # the cookie's one piece of sign-in state: the random id of a session kept in the database


@dataclass
class Console:
    """The console's parts, built once by ``create_app``; ``settings`` is read again on each request (a
    callable), so an owner taken off a list loses access at their next request; ``clock`` gives the time every
    session, link and rate limit is measured by. ``owners_seen``: the owner ids at this process's last look."""

    settings: Callable[[], Settings]
    store: AnyStore
    desk: Desk
    clock: Callable[[], datetime]
    owners_seen: frozenset[str] | None = field(default=None)


def console() -> Console:
    return cast(Console, current_app.extensions["vraagbaak"])


def settings() -> Settings:
    """The settings as they are at this request (read once per request)."""
    if "settings" not in g:
        g.settings = console().settings()
    return cast(Settings, g.settings)


def desk() -> Desk:
    return console().desk


def store() -> AnyStore:
    return console().store


def search() -> Search:
    return console().desk.searcher


def now() -> datetime:
    """The time now, by the console's clock (the same all through one request)."""
    if "now" not in g:
        g.now = console().clock()
    return cast(datetime, g.now)


def owners() -> list[weblogin.Owner]:
    """The owners now (the settings as they are at this request)."""
    return owners_of(settings(), store())


def lang() -> str:
    """The owner's language: their choice (kept in the session), else VRAAGBAAK_LANG."""
    chosen = session.get("lang")
    return chosen if chosen in LANGS else settings().lang


def text(key: str, **values: object) -> str:
    """A text of the catalogue in the owner's language (``_`` in templates)."""
    return t(key, lang(), **values)


def owner() -> User | None:
    """The signed-in owner as a ``User`` (id: what the audit log records), or None when nobody is signed in, the
    session ended or expired, or the one who was signed in is no longer an owner (then all their sessions end)."""
    if "owner" in g:
        return cast(User | None, g.owner)
    found: User | None = None
    session_id = session.get(SESSION_KEY)
    if isinstance(session_id, str) and session_id:
        everyone = owners()
        ids = frozenset(o.id for o in everyone)
        _owners_now(ids)
        wanted = weblogin.session_owner(store(), session_id, now())
        match = next((o for o in everyone if o.id == wanted), None) if wanted else None
        if match is not None:
            found = User(match.id, match.name, lang=lang())
            if desk().owners != ids:
                desk().owners = ids
        elif wanted:
            _ended(wanted, weblogin.end_everywhere(store(), wanted, now()))
    g.owner = found
    return found


def _owners_now(ids: frozenset[str]) -> None:
    """The owners as this request reads them: when they differ from what this process saw last (or at its first
    look), everyone no longer on the lists loses every session."""
    the_console = console()
    if the_console.owners_seen == ids:
        return
    for who, count in weblogin.end_sessions_of_others(store(), ids, now()).items():
        _ended(who, count)
    the_console.owners_seen = ids


def _ended(who: str, count: int) -> None:
    if count:
        log.info("web console: %s is no longer an owner; %d session(s) ended", who, count)
        store().audit("vraagbaak", "web_sessions_ended", who, sessions=count, why="not_an_owner")


def signed_in_owner() -> User:
    """The signed-in owner inside a page guarded by ``owner_required``."""
    found = owner()
    if found is None:  # pragma: no cover - owner_required let the request through
        raise RuntimeError("no owner signed in")
    return found


def owner_required(view: F) -> F:
    """Only a signed-in owner gets the page or action; anyone else goes to the sign-in page (with ``next``)."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if owner() is None:
            session.pop(SESSION_KEY, None)
            wanted = request.full_path.rstrip("?") if request.method == "GET" else "/"
            return redirect(url_for("auth.login", next=wanted))
        return view(*args, **kwargs)

    return cast(F, guarded)
