"""A person's right to be forgotten (AVG art. 17): ``vraagbaak forget PERSON``.

The person is found in the directory (id, e-mail, name, or a platform id), or is a chat user id the directory
does not know. Their questions are blanked as the retention purge blanks old ones (the same steps: an
escalation others still wait on is re-rooted at the next asker, so relays to them go on; one nobody else waits
on is withdrawn, and its thread's answers and unsent posts go). Messages to them and their console lines and
received events go; their name is replaced by "een collega" where an answer, an article's source or a review
names them; their directory entry, platform ids and search index row are deleted. The audit log's details
(knowledge.audit) go of every entry by them, about their questions or an escalation only they waited on, or that
names them: the chain keeps what was done, when, as ids, and still verifies. Articles stay (knowledge, not
personal data); one audit entry records the counts and the entries erased (not who: that is what was to be
forgotten). The store does all that in one transaction (``forget_person``, in its backend), rewording names as
``Rewording`` says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from knowledge.model import Person

COLLEAGUE = "een collega"  # what stands where their name stood (the wording, in either language)


@dataclass(frozen=True)
class Rewording:
    """Where their name stood: COLLEAGUE, for each name they went by (two letters or more) as a whole word in
    any case, the longest first (so a full name goes before its first name)."""

    colleague: str = COLLEAGUE

    def names(self, found: Iterable[str]) -> list[str]:
        return sorted({n.strip() for n in found if len(n.strip()) >= 2}, key=len, reverse=True)

    def pattern(self, names: Sequence[str]) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)


class Directory(Protocol):
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...
    def person_ids_known_as(self, who: str) -> list[str]: ...
    def chat_user_known(self, user_id: str) -> bool: ...
    def forget_person(self, person: Person | None, ids: Sequence[str], rewording: Rewording,
                      actor: str) -> dict[str, int]: ...


class NobodyFound(LookupError):
    def __init__(self, who: str) -> None:
        self.who = who
        super().__init__(who)


class Ambiguous(LookupError):
    """More than one person in the directory has that name: forget one by id or e-mail."""

    def __init__(self, who: str, people: list[Person]) -> None:
        self.who, self.people = who, people
        super().__init__(who)


@dataclass(frozen=True)
class ForgetReport:
    person: Person | None  # their directory entry as it was (None: a chat user id only)
    ids: tuple[str, ...]  # the ids they were known by (directory id, platform ids)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def find(store: Directory, who: str) -> tuple[Person | None, tuple[str, ...]]:
    """The person ``who`` names and every id they are known by; NobodyFound or Ambiguous."""
    who = who.strip()
    found = store.people([who]) or store.people(store.person_ids_known_as(who))
    if len(found) > 1:
        raise Ambiguous(who, found)
    if found:
        person = found[0]
        return person, tuple(dict.fromkeys([person.id, *(h for _, h in person.handles)]))
    if not store.chat_user_known(who):
        raise NobodyFound(who)
    return None, (who,)


def forget(store: Directory, who: str, actor: str = "vraagbaak") -> ForgetReport:
    """Remove ``who``'s data (see the module) in one transaction; returns the counts per kind."""
    person, ids = find(store, who)
    return ForgetReport(person, ids, store.forget_person(person, ids, Rewording(), actor))
