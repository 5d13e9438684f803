"""The events the loop knows, whatever platform they come from. An adapter parses a platform payload into one
of these and hands it to the Dispatcher; nothing below this line knows Slack, Teams or the console.

Every event carries the person who caused it and the platform's delivery key (the id a platform repeats when
it redelivers; "" when it has none), and is stored in the inbox as JSON before it is acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from knowledge import text as texts
from knowledge.model import Place, User, plain
from knowledge.privacy import mask_text


@dataclass(frozen=True)
class Asked:
    """A question. The reply goes to ``place`` (a thread when set); no place: the asker's direct messages."""

    user: User
    text: str
    place: Place | None = None
    key: str = ""


@dataclass(frozen=True)
class ThreadReplied:
    """A message in a thread: an expert's answer when the thread is an escalation; otherwise, when
    ``or_ask`` (the bot was addressed), a question asked in that thread."""

    user: User
    text: str
    place: Place  # channel, thread (the root), message (this reply)
    or_ask: bool = False
    key: str = ""


@dataclass(frozen=True)
class Marked:
    """The message at ``place`` is marked as the answer (a reaction, a message action). ``quiet``: a mark
    that is no request to the bot (✅ on any message), so a reason it does not count is only logged."""

    user: User
    place: Place
    quiet: bool = False
    key: str = ""
    note: str = ""  # what the marker added (Teams' message action asks for an "opmerking"), shown with the relay


@dataclass(frozen=True)
class Clicked:
    """A button (handlers.replies.Action) with its value, and a submitted form's fields. ``where``: the
    conversation the button was in; None for a home view."""

    user: User
    action: str
    value: str
    where: Place | None = None
    fields: dict[str, str] = field(default_factory=dict)
    key: str = ""


@dataclass(frozen=True)
class OpenedHome:
    """The person opened the bot's home (Slack App Home: ``where`` None) or started a chat with it."""

    user: User
    where: Place | None = None
    key: str = ""


Event = Asked | ThreadReplied | Marked | Clicked | OpenedHome
KINDS: dict[str, type[Any]] = {cls.__name__: cls for cls in (Asked, ThreadReplied, Marked, Clicked, OpenedHome)}


def masked(event: Event) -> Event:
    """The event with personal data in its texts replaced by placeholders (a placeholder in a question
    later tells the Desk that it carried personal data)."""
    if isinstance(event, Asked | ThreadReplied):
        return replace(event, text=mask_text(event.text))
    if isinstance(event, Marked) and event.note:
        return replace(event, note=mask_text(event.note))
    if isinstance(event, Clicked) and event.fields:
        return replace(event, fields={k: mask_text(v) for k, v in event.fields.items()})
    return event


def scrubbed(event: Event) -> Event:
    """The event with lone surrogates (half an emoji in a JSON payload) as U+FFFD in every text it carries:
    its question, names, ids, form fields and delivery key. Such text cannot be stored or sent as UTF-8, and an
    acknowledged event must never be lost to it."""
    data = to_dict(event)
    cleaned = _scrub(data)
    return event if cleaned == data else from_dict(type(event).__name__, cleaned)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return texts.scrub(value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v) for v in value)
    return value


def to_dict(event: Event) -> dict[str, Any]:
    return plain(event)


def from_dict(kind: str, data: dict[str, Any]) -> Event:
    """The event stored as ``to_dict``; ValueError for a kind or shape this version does not know."""
    cls = KINDS.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}")
    values = dict(data)
    values["user"] = User(**values["user"])
    for name in ("place", "where"):
        if values.get(name) is not None:
            values[name] = Place(**values[name])
    event: Event = cls(**values)
    return event
