"""The ports the use cases talk through. Adapters and stores implement them."""

from __future__ import annotations

from typing import Protocol

from handlers.replies import Message
from knowledge.model import Place, SearchResult


class DeliveryFailed(Exception):
    """A chat platform did not take a message even after its own retries.

    The handlers keep the message in the outbox and try again later (``Desk.flush_outbox``).
    """


class Chat(Protocol):
    """What the use cases need from a chat platform."""

    platform: str

    def send(self, place: Place, message: Message) -> Place:
        """Post ``message`` at ``place`` (in ``place.thread`` when set).

        Returns the posted message's place: same channel and thread, ``message`` = its id.
        Raises ``DeliveryFailed`` when the platform will not take it.
        """
        ...

    def update(self, place: Place, message: Message) -> None:
        """Replace the message at ``place`` (``place.message``) with ``message``."""
        ...

    def link(self, place: Place) -> str:
        """A link a person can click to open ``place``, or "" when the platform has none."""
        ...

    def tell(self, user_id: str, place: Place, message: Message) -> None:
        """Show ``message`` to one person where they are (``place``: the conversation, thread when set; Slack
        makes it ephemeral in a channel); their direct messages when ``place`` has no channel."""
        ...

    def show_home(self, user_id: str, message: Message) -> None:
        """Show ``message`` as the person's home view (platforms without one: their direct messages)."""
        ...

    def direct(self, user_id: str) -> Place:
        """The person's direct-message conversation with the bot."""
        ...


class Search(Protocol):
    """The one search call every entry point uses (knowledge.search.Searcher implements it)."""

    def search(self, query: str, *, limit: int = 5, people: bool = True) -> SearchResult: ...
