"""The web console's chat port: the console has no chat, and curation sends nothing.

Should a use case ever send from the web, the message is logged and dropped (never posted anywhere).
"""

from __future__ import annotations

import logging

from handlers.ports import Outgoing
from handlers.replies import Message
from knowledge.model import Place

log = logging.getLogger(__name__)


class WebChat:
    platform = "web"

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        log.warning("web console: a message for %s was not sent (the console has no chat)", place.channel)
        return Place(place.channel, place.thread, "")

    def find_sent(self, place: Place, outgoing: Outgoing) -> Place | None:
        return None

    def update(self, place: Place, message: Message) -> None:
        log.warning("web console: an update for %s was not sent (the console has no chat)", place.channel)

    def link(self, place: Place) -> str:
        return ""

    def tell(self, user_id: str, place: Place, message: Message) -> None:
        log.warning("web console: a note to %s was not sent (the console has no chat)", user_id)

    def show_home(self, user_id: str, message: Message) -> None:
        return None

    def direct(self, user_id: str) -> Place:
        return Place("")
