"""What every page can reach: the Desk, the store, the search, the signed-in owner and the texts."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import current_app, g, redirect, request, session, url_for

from bot.config import LANGS, Settings
from bot.owners import owners_of
from handlers.desk import Desk
from handlers.messages import t
from handlers.ports import Search
from knowledge import weblogin
from knowledge.model import User
from knowledge.sqlite.store import SqliteStore

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Console:
    """The console's parts, built once by ``create_app``; ``settings`` is read again on each request (a
    callable), so an owner taken off a list loses access at their next request."""

    settings: Callable[[], Settings]
    store: SqliteStore
    desk: Desk


def console() -> Console:
    return cast(Console, current_app.extensions["vraagbaak"])


def settings() -> Settings:
    """The settings as they are at this request (read once per request)."""
    if "settings" not in g:
        g.settings = console().settings()
    return cast(Settings, g.settings)


def desk() -> Desk:
    return console().desk


def store() -> SqliteStore:
    return console().store


def search() -> Search:
    return console().desk.searcher


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
    """The signed-in owner as a ``User`` (id: what the audit log records), or None when nobody is signed in or
    the one who was is no longer an owner."""
    if "owner" in g:
        return cast(User | None, g.owner)
    found: User | None = None
    wanted = session.get("owner")
    if isinstance(wanted, str) and wanted:
        everyone = owners()
        match = next((o for o in everyone if o.id == wanted), None)
        if match is not None:
            found = User(match.id, match.name, lang=lang())
            the_desk = desk()
            ids = frozenset(o.id for o in everyone)
            if the_desk.owners != ids:
                the_desk.owners = ids
    g.owner = found
    return found


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
            session.pop("owner", None)
            wanted = request.full_path.rstrip("?") if request.method == "GET" else "/"
            return redirect(url_for("auth.login", next=wanted))
        return view(*args, **kwargs)

    return cast(F, guarded)
