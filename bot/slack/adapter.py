"""What every listener shares: the Desk, one Web API client, user lookups, and ways to answer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.slack import talk
from handlers.replies import Message
from knowledge.model import Place, User

if TYPE_CHECKING:
    from handlers.desk import Desk

log = logging.getLogger(__name__)


@dataclass
class Adapter:
    desk: Desk
    client: WebClient
    people: talk.People

    def user(self, user_id: str) -> User:
        return self.people.user(user_id)

    def reply(self, place: Place, message: Message) -> None:
        """Post a use case's reply where the person asked; what Slack will not take waits in the outbox."""
        self.desk.deliver(place, message)

    def dm(self, user_id: str) -> Place:
        return Place(channel=talk.open_dm(self.client, user_id))

    def tell(self, user_id: str, message: Message, *, channel: str = "", thread: str | None = None) -> None:
        talk.tell(self.client, user_id, message, channel=channel, thread=thread)

    @contextmanager
    def reported(
        self, user: User, *, channel: str = "", thread: str | None = None, quiet: bool = False
    ) -> Iterator[None]:
        with talk.reported(self.client, user.id, channel=channel, thread=thread, lang=user.lang, quiet=quiet):
            yield
