"""Who a Slack user is: users.info, cached, as the User the use cases get. (Replies to one person are the
Chat port's ``tell``; errors are worded by the Dispatcher.)"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from knowledge.model import User

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
