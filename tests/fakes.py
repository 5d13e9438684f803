"""Fakes of the ports, for use-case tests with a real SQLite store."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.ports import DeliveryFailed, Outgoing
from handlers.replies import Message
from knowledge.model import Place


@dataclass
class FakeChat:
    platform: str = "fake"
    sent: list[tuple[Place, Message]] = field(default_factory=list)
    updated: list[tuple[Place, Message]] = field(default_factory=list)
    failing: bool = False

    def send(self, place: Place, message: Message, outgoing: Outgoing | None = None) -> Place:
        if self.failing:
            raise DeliveryFailed("platform down")
        self.sent.append((place, message))
        return Place(place.channel, place.thread, f"m{len(self.sent)}", place.extra)

    def find_sent(self, place: Place, outgoing: Outgoing) -> Place | None:
        return None

    def update(self, place: Place, message: Message) -> None:
        if self.failing:
            raise DeliveryFailed("platform down")
        self.updated.append((place, message))

    def link(self, place: Place) -> str:
        return f"https://chat.example/{place.channel}/{place.message}"

    def tell(self, user_id: str, place: Place, message: Message) -> None:
        self.send(place if place.channel else self.direct(user_id), message)

    def show_home(self, user_id: str, message: Message) -> None:
        self.send(Place(f"home:{user_id}"), message)

    def direct(self, user_id: str) -> Place:
        return Place(f"D-{user_id}")

    def to(self, channel: str) -> list[Message]:
        return [m for p, m in self.sent if p.channel == channel]
