"""Who answered what: the people of the directory with the expert replies they gave, so owners see who the real
experts are, and the answers of one person.

A reply in an escalation thread is stored with its author's platform id and display name (``answers``); it is
matched to a person of the directory by their handle on the question's platform (``person_handles``), else by
their directory id, else by name (case-insensitive; the console knows people by name). A reply whose author
matches nobody is counted under ``unlisted``. Texts are read as stored, masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

EXCERPT = 300  # characters of an answer shown in a person's list


class Readable(Protocol):
    """What the experts' list reads through (the store)."""

    def replies_per_person(self) -> dict[str, dict[str, Any]]: ...
    def directory_entries(self) -> list[dict[str, Any]]: ...
    def unlisted_repliers(self) -> list[tuple[str, int, int]]: ...
    def replies_of(self, person_id: str, limit: int) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Expert:
    person_id: str
    name: str
    title: str
    department: str
    expertise: tuple[str, ...]  # as listed in the directory
    replies: int  # expert replies in escalation threads
    marked: int  # of which marked as the answer
    channels: tuple[str, ...]  # expert channels they answered in
    last_answer: str  # when they last replied (UTC ISO), "" never


@dataclass(frozen=True)
class Unlisted:
    """Replies from authors the directory does not know (by platform id and name)."""

    author: str
    replies: int
    marked: int


@dataclass(frozen=True)
class PersonAnswer:
    escalation_id: int
    answer_id: int
    question: str  # the escalated question, masked
    answer: str  # masked, cut to EXCERPT characters
    created_at: str
    channel: str
    marked: bool


def experts(store: Readable) -> tuple[tuple[Expert, ...], tuple[Unlisted, ...]]:
    """Everyone in the directory with their replies, the most marked answers first (then replies, then name);
    and the authors of replies who are not in the directory, the most replies first."""
    counted = store.replies_per_person()
    listed = []
    for p in store.directory_entries():
        c = counted.get(p["id"])
        listed.append(Expert(
            person_id=p["id"], name=p["name"], title=p["title"], department=p["department"],
            expertise=p["expertise"], replies=c["replies"] if c else 0, marked=c["marked"] if c else 0,
            channels=tuple(sorted(c["channels"])) if c else (), last_answer=c["last"] if c else ""))
    listed.sort(key=lambda e: (-e.marked, -e.replies, e.name.casefold(), e.person_id))
    others = store.unlisted_repliers()
    return tuple(listed), tuple(Unlisted(author, replies, marked) for author, replies, marked in others)


def answers_of(store: Readable, person_id: str, limit: int = 100) -> tuple[PersonAnswer, ...]:
    """The expert replies of one person of the directory, the latest first (at most ``limit``)."""
    return tuple(PersonAnswer(r["escalation_id"], r["id"], r["question"], r["text"][:EXCERPT], r["created_at"],
                              r["channel"], bool(r["marked"])) for r in store.replies_of(person_id, limit))
