"""Talking back to one person: who they are, their DM, ephemeral notes, and errors shown as the
handlers word them (UserError as-is, anything else an apology while the traceback goes to the log)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.blocks import fallback_text, render
from bot.slack.chat import post
from handlers.errors import UserError
from handlers.replies import Message
from knowledge.model import Place, User

log = logging.getLogger(__name__)
SlackErrors = (SlackApiError, SlackClientError, OSError)


class People:
    """users.info with a small cache: the User the handlers get (display name, language from locale).
    A lookup that failed (rate limit, network) gives a User with only the id, kept for FAILED_FOR seconds so a
    storm is not made worse; after that the name is asked again ("Vraag van U0NAME" does not stay)."""

    SIZE = 2048
    FAILED_FOR = 60.0

    def __init__(self, client: WebClient, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.clock = clock
        self._lock = threading.Lock()
        self._known: OrderedDict[str, tuple[User, float]] = OrderedDict()  # id -> (User, valid until)

    def user(self, user_id: str) -> User:
        now = self.clock()
        with self._lock:
            found = self._known.get(user_id)
            if found is not None and found[1] > now:
                self._known.move_to_end(user_id)
                return found[0]
        user, ok = self._lookup(user_id)
        with self._lock:
            self._known[user_id] = (user, math.inf if ok else now + self.FAILED_FOR)
            self._known.move_to_end(user_id)
            while len(self._known) > self.SIZE:
                self._known.popitem(last=False)
        return user

    def _lookup(self, user_id: str) -> tuple[User, bool]:
        try:
            info = self.client.users_info(user=user_id, include_locale=True)["user"]
        except SlackErrors as error:
            log.info("users.info %s failed: %s", user_id, error)
            return User(id=user_id), False
        profile = info.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or info.get("real_name")
        name = name or info.get("name")
        locale = str(info.get("locale") or "")[:2].lower()
        return User(id=user_id, name=str(name or ""), lang=locale if locale in ("nl", "en") else None), True


def open_dm(client: WebClient, user_id: str) -> str:
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def tell(
    client: WebClient, user_id: str, message: Message, *, channel: str = "", thread: str | None = None
) -> None:
    """Show ``message`` to one person: ephemeral where they are in a channel, else in their DM."""
    try:
        if channel and not channel.startswith("D"):
            try:
                client.chat_postEphemeral(
                    channel=channel, user=user_id, thread_ts=thread or None,
                    text=fallback_text(message), blocks=render(message),
                )
                return
            except SlackApiError as error:
                log.info("chat.postEphemeral in %s failed (%s); using the DM", channel, error)
        dm = channel if channel.startswith("D") else open_dm(client, user_id)
        post(client, Place(channel=dm, thread=thread if dm == channel else None), message)
    except SlackErrors:
        log.exception("could not tell %s: %s", user_id, message.text)


def apology(lang: str | None) -> Message:
    from handlers.messages import apology as worded

    return Message(text=worded(lang or "nl"))


@contextmanager
def reported(
    client: WebClient, user_id: str, *, channel: str = "", thread: str | None = None,
    lang: str | None = None, quiet: bool = False,
) -> Iterator[None]:
    """Run a use case; a UserError is shown to the person (only logged when ``quiet``: a ✅ on any
    message is no request to the bot), anything else is logged with its traceback and answered with a
    short apology. The bot keeps serving either way."""
    try:
        yield
    except UserError as error:
        if quiet:
            log.info("ignored for %s: %s", user_id, error)
        else:
            tell(client, user_id, Message(text=str(error)), channel=channel, thread=thread)
    except Exception:
        log.exception("handling a Slack request from %s failed", user_id)
        tell(client, user_id, apology(lang), channel=channel, thread=thread)
