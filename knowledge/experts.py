"""Who answered what: the people of the directory with the expert replies they gave, so owners see who the real
experts are, and the answers of one person.

A reply in an escalation thread is stored with its author's platform id and display name (``answers``); it is
matched to a person of the directory by their handle on the question's platform (``person_handles``), else by
their directory id, else by name (case-insensitive; the console knows people by name). A reply whose author
matches nobody is counted under ``unlisted``. Texts are read as stored, masked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

EXCERPT = 300  # characters of an answer shown in a person's list

# Every expert reply with the directory person it is from (NULL: nobody matches), its channel and whether it was
# the marked answer.
_REPLIES = """
WITH replies AS (
    SELECT a.id, a.escalation_id, a.author_id, a.author_name, a.text, a.created_at, e.channel,
           (e.answer_id IS a.id) AS marked, e.question_id,
           coalesce(
               (SELECT h.person_id FROM person_handles h WHERE h.platform = q.platform AND h.handle = a.author_id),
               (SELECT p.id FROM people p WHERE p.id = a.author_id),
               (SELECT p.id FROM people p WHERE p.name = a.author_name COLLATE NOCASE AND a.author_name != ''),
               (SELECT p.id FROM people p WHERE p.name = a.author_id COLLATE NOCASE)
           ) AS person_id
    FROM answers a JOIN escalations e ON e.id = a.escalation_id JOIN questions q ON q.id = e.question_id
)
"""


class Readable(Protocol):
    def rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]: ...


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
    counted = {r["person_id"]: r for r in store.rows(
        _REPLIES + "SELECT person_id, count(*) AS replies, sum(marked) AS marked, max(created_at) AS last,"
        " json_group_array(DISTINCT channel) AS channels FROM replies WHERE person_id IS NOT NULL"
        " GROUP BY person_id")}
    people = store.rows("SELECT id, name, title, department, expertise FROM people")
    listed = []
    for p in people:
        c = counted.get(p["id"])
        listed.append(Expert(
            person_id=p["id"], name=p["name"], title=p["title"], department=p["department"],
            expertise=tuple(json.loads(p["expertise"])), replies=int(c["replies"]) if c else 0,
            marked=int(c["marked"]) if c else 0, channels=tuple(sorted(json.loads(c["channels"]))) if c else (),
            last_answer=c["last"] if c else ""))
    listed.sort(key=lambda e: (-e.marked, -e.replies, e.name.casefold(), e.person_id))
    others = store.rows(
        _REPLIES + "SELECT CASE WHEN author_name != '' THEN author_name ELSE author_id END AS author,"
        " count(*) AS replies, sum(marked) AS marked FROM replies WHERE person_id IS NULL GROUP BY author"
        " ORDER BY replies DESC, author")
    return tuple(listed), tuple(Unlisted(r["author"], int(r["replies"]), int(r["marked"])) for r in others)


def answers_of(store: Readable, person_id: str, limit: int = 100) -> tuple[PersonAnswer, ...]:
    """The expert replies of one person of the directory, the latest first (at most ``limit``)."""
    found = store.rows(
        _REPLIES + "SELECT r.id, r.escalation_id, r.text, r.created_at, r.channel, r.marked, q.text AS question"
        " FROM replies r JOIN questions q ON q.id = r.question_id WHERE r.person_id = ?"
        " ORDER BY r.created_at DESC, r.id DESC LIMIT ?", [person_id, limit])
    return tuple(PersonAnswer(r["escalation_id"], r["id"], r["question"], r["text"][:EXCERPT], r["created_at"],
                              r["channel"], bool(r["marked"])) for r in found)
