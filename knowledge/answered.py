"""Who answered what: each person in the directory with their replies in expert threads, the answers that were
marked, the channels they answered in and when they last did; and one person's answers.

An answer records its author as the chat platform knows them; it is matched to the directory by that
platform's handle, then by person id, e-mail address or name (the console knows people by name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from knowledge.model import Person


class Readable(Protocol):
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...


@dataclass(frozen=True)
class ExpertRecord:
    person: Person
    replies: int = 0
    marked: int = 0  # replies marked as the answer
    channels: tuple[str, ...] = ()  # the expert channels they answered in, most used first
    last_answer: str = ""  # when they last replied ("" never)


@dataclass(frozen=True)
class PersonAnswer:
    answer_id: int
    escalation_id: int
    question: str  # as stored: masked, "" once the retention purge removed it
    text: str
    channel: str
    created_at: str
    marked: bool


_ANSWERS = (
    "SELECT a.id, a.escalation_id, a.author_id, a.author_name, a.text, a.created_at, a.accepted, e.channel,"
    " q.platform, q.text AS question FROM answers AS a JOIN escalations AS e ON e.id = a.escalation_id"
    " JOIN questions AS q ON q.id = e.question_id"
)


def _matcher(store: Readable, people: list[Person]) -> dict[tuple[str, str], str]:
    """(platform or "", author id or name, folded) -> person id."""
    keys: dict[tuple[str, str], str] = {}
    for p in people:
        for value in (p.name, p.email, p.id):
            if value:
                keys.setdefault(("", value.casefold()), p.id)
    for r in store.rows("SELECT person_id, platform, handle FROM person_handles"):
        keys[(r["platform"], r["handle"].casefold())] = r["person_id"]
    return keys


def _author(keys: dict[tuple[str, str], str], row: dict[str, Any]) -> str | None:
    author, name = str(row["author_id"]).casefold(), str(row["author_name"] or "").casefold()
    return keys.get((row["platform"], author)) or keys.get(("", author)) or (keys.get(("", name)) if name else None)


def _most_used(used: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(used, key=lambda c: (-used[c], c)))


def who_answered(store: Readable) -> list[ExpertRecord]:
    """Everyone in the directory with what they answered, the most marked answers first (then most replies,
    then by name)."""
    people = store.people()
    keys = _matcher(store, people)
    replies: dict[str, int] = {}
    marked: dict[str, int] = {}
    channels: dict[str, dict[str, int]] = {}
    last: dict[str, str] = {}
    for row in store.rows(_ANSWERS):
        pid = _author(keys, row)
        if pid is None:
            continue
        replies[pid] = replies.get(pid, 0) + 1
        marked[pid] = marked.get(pid, 0) + int(bool(row["accepted"]))
        used = channels.setdefault(pid, {})
        used[row["channel"]] = used.get(row["channel"], 0) + 1
        last[pid] = max(last.get(pid, ""), row["created_at"])
    records = [ExpertRecord(p, replies.get(p.id, 0), marked.get(p.id, 0), _most_used(channels.get(p.id, {})),
                            last.get(p.id, "")) for p in people]
    return sorted(records, key=lambda r: (-r.marked, -r.replies, r.person.name.casefold()))


def answers_of(store: Readable, person_id: str, limit: int = 200) -> list[PersonAnswer]:
    """The replies ``person_id`` gave in expert threads, newest first."""
    keys = _matcher(store, store.people())
    found = [row for row in store.rows(_ANSWERS + " ORDER BY a.id DESC") if _author(keys, row) == person_id]
    return [PersonAnswer(r["id"], r["escalation_id"], r["question"], r["text"], r["channel"], r["created_at"],
                         bool(r["accepted"])) for r in found[:limit]]
