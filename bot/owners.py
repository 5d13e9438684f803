"""Who is a knowledge owner: VRAAGBAAK_OWNERS and the Slack and Teams owner lists, resolved through the directory.

The web console signs in only these. The console (``vraagbaak chat --role owner``, ``/als NAAM owner``) and
``vraagbaak review --as NAAM`` act as an owner only for these too, once any of the lists is set; with none set,
anyone may play the owner there (a demo, a trial on one machine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.config import Settings
from handlers.errors import UserError
from handlers.messages import t
from knowledge import weblogin

if TYPE_CHECKING:
    from bot.bootstrap import AnyStore


def owners_of(settings: Settings, store: AnyStore) -> list[weblogin.Owner]:
    """The owners: VRAAGBAAK_OWNERS and the Slack and Teams owner lists, resolved through the directory."""
    handles = [(p, h) for p in ("slack", "teams") for h in sorted(settings.owners(p))]
    return weblogin.owners(store, sorted(settings.owners("web")), handles)


def check_owner(settings: Settings, store: AnyStore, name: str) -> None:
    """UserError with the web console's refusal when an owner list is set and ``name`` is not on it."""
    listed = owners_of(settings, store)
    if listed and weblogin.find(listed, name) is None:
        raise UserError(t("cli_not_owner", settings.lang, name=name))
