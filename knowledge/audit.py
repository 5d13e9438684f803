"""The audit log as a hash chain that proves who did what and when, and lets personal data go.

Each entry is split in two when it is written (``split``). The chain holds what may be kept for ever: the entry's
id, time and action, the actor and subject when they are not a person (the bot, the command line; an article,
question or escalation id), and the *facts* of the detail (numbers, yes/no, ids and the few words listed in
FACT_KEYS). Everything else is the entry's *details*: a person as actor or subject, and every text (a question,
an answer, a title, a note, a channel, names of experts). The details are stored apart with a random salt, and
the chained entry holds only their *seal*, SHA-256 of salt and details: while the details are there, anyone can
check them against it; once ``forget`` or a purge has erased them (details and salt go together), the seal gives
nothing away, not even a guess at a short text, and the chain still verifies.

An entry's hash covers its FIELDS and the previous entry's hash (HMAC-SHA256 under ``VRAAGBAAK_AUDIT_KEY`` when
one is configured, so nobody without the key can write an entry or a chain that verifies; plain SHA-256
otherwise). The head (number of entries, last hash) is kept apart and sealed the same way, so a dropped log, a
cut-off tail or a head rewritten to match shows. Every entry has a hash: there is no "before the chain" any
more. A log from before this design is carried over once (knowledge/sqlite/audit.py): its entries are split and
chained anew, and one entry, MARK, records how many were carried over, how many of them had no hash yet, and
what the old chain's check said at that moment.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64
FIELDS = ("id", "at", "actor", "action", "subject", "facts", "sealed")  # what an entry's hash covers
MARK = "audit_converted"  # the entry that records a log carried over from before this design
ERASERS = ("forget", "purge")  # the actions whose facts list the entries whose details they erased ("erased")

SYSTEM_ACTORS = frozenset({"vraagbaak", "cli", ""})  # actors that are not a person: kept in the chain
# Actions whose subject is a person (a directory id): the subject is a detail. So is a subject equal to a
# personal actor (someone signing themselves in or out).
PERSON_SUBJECTS = frozenset({"expertise_set", "web_login_link", "web_sign_in", "web_sign_out", "web_sessions_ended"})
# Words a detail may hold in the chain: ids of articles, and the names of kinds, statuses and choices.
FACT_KEYS = frozenset({"article", "decision", "status", "was", "kind", "how", "why", "old_chain", "old_head"})
FACT_LISTS = frozenset({"shown", "tried", "changed", "fields"})  # lists of article ids or field names
# Which actions are about a question or an escalation (by id as subject): forget erases those about theirs.
QUESTION_ACTIONS = ("ask", "chose", "feedback")
ESCALATION_ACTIONS = ("escalate", "join_escalation", "expert_reply", "mark_answer", "reminder", "asked_again",
                      "urgent", "escalation_recovered")


def _is_fact(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, list | tuple):
        return all(_is_fact(v) for v in value)
    if isinstance(value, dict):
        return all(_is_fact(v) for v in value.values())
    return False


def _fact(key: str, value: Any) -> bool:
    if key in FACT_KEYS and isinstance(value, str):
        return True
    if key in FACT_LISTS and isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return True
    return _is_fact(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Details:
    """What an entry says about people and in words; stored apart, erasable."""

    actor: str  # '' when the actor is kept in the chain
    subject: str  # '' when the subject is kept in the chain
    detail: str  # JSON of the detail's non-facts
    salt: str  # hex

    def seal(self) -> str:
        return seal(self.salt, self.actor, self.subject, self.detail)


@dataclass(frozen=True)
class Written:
    """One entry as it is stored: the chained part (``chained``: FIELDS but the id) and its details, if any."""

    at: str
    actor: str
    action: str
    subject: str
    facts: str  # JSON
    details: Details | None

    @property
    def sealed(self) -> str:
        return self.details.seal() if self.details else ""

    def fields(self, entry_id: int) -> list[Any]:
        return [entry_id, self.at, self.actor, self.action, self.subject, self.facts, self.sealed]


def seal(salt: str, actor: str, subject: str, detail: str) -> str:
    """The commitment to an entry's details: SHA-256 of the salt and the details as stored."""
    content = json.dumps([actor, subject, detail], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(bytes.fromhex(salt) + content).hexdigest()


def split(at: str, actor: str, action: str, subject: str, detail: dict[str, Any]) -> Written:
    """An entry as the chain keeps it and the details it keeps apart (with a fresh salt)."""
    personal_actor = actor not in SYSTEM_ACTORS
    personal_subject = action in PERSON_SUBJECTS or (personal_actor and subject == actor)
    facts = {k: v for k, v in detail.items() if _fact(k, v)}
    rest = {k: v for k, v in detail.items() if k not in facts}
    details = None
    if personal_actor or (personal_subject and subject) or rest:
        details = Details(actor if personal_actor else "", subject if personal_subject else "",
                          _json(rest), secrets.token_hex(16))
    return Written(at, "" if personal_actor else actor, action, "" if personal_subject else subject,
                   _json(facts), details)


def _mac(content: bytes, key: bytes) -> str:
    if key:
        return hmac.new(key, content, hashlib.sha256).hexdigest()
    return hashlib.sha256(content).hexdigest()


def entry_hash(prev: str, entry: Sequence[Any], key: bytes = b"") -> str:
    """The hash of one entry (its FIELDS, in order) chained to ``prev``."""
    return _mac(json.dumps([prev, *entry], ensure_ascii=False, separators=(",", ":")).encode("utf-8"), key)


def head_seal(entries: int, last: str, key: bytes = b"") -> str:
    """The head's seal: only the key's holder can write a head that matches a shorter log."""
    return _mac(json.dumps(["head", entries, last], separators=(",", ":")).encode("utf-8"), key)


def ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs: [1, 2, 3, 7] -> [[1, 3], [7, 7]]."""
    found: list[list[int]] = []
    for i in sorted(ids):
        if found and found[-1][1] == i - 1:
            found[-1][1] = i
        elif not found or found[-1][1] < i:
            found.append([i, i])
    return found


# What can be wrong, in English for logs and tests; the CLI shows it from the catalogue (``audit_<reason>``).
PROBLEMS = {
    "missing": "entry {id} is missing (next is {next})",
    "unhashed": "entry {id} has no hash",
    "unlinked": "entry {id} does not follow entry {prev}",
    "changed": "entry {id} was changed after it was written",
    "details_gone": "the details of entry {id} are gone, and no forget or purge erased them",
    "no_log": "the audit log's tables are missing",
    "no_head": "the chain's head record is missing",
    "head_count": "the head says {said} entries, the log has {count}",
    "tail": "the last entry is not the one the head recorded",
    "head_seal": "the head record was not written by Vraagbaak (its seal does not match)",
}


@dataclass(frozen=True)
class Verdict:
    intact: bool
    entries: int
    head: str = ""  # the last hash of the chain
    reason: str = ""  # what is wrong: a key of PROBLEMS
    detail: tuple[tuple[str, int], ...] = ()  # the entries it names
    erased: int = 0  # entries whose details forget or a purge erased
    carried: int = 0  # entries carried over from a log from before this design (MARK)
    carried_at: str = ""  # when
    unchained: int = 0  # of those, how many had no hash in the old log
    old_chain: str = ""  # what the old log's check said then: "intact" or a key of PROBLEMS
    old_detail: tuple[tuple[str, int], ...] = ()

    @property
    def problem(self) -> str:
        """What is wrong, naming the entry (English)."""
        return PROBLEMS[self.reason].format(**dict(self.detail)) if self.reason else ""

    def __str__(self) -> str:
        if not self.intact:
            return f"Audit log NOT intact: {self.problem}"
        notes = [f"{self.erased} with their details erased"] if self.erased else []
        if self.carried:
            notes.append(f"the first {self.carried} carried over on {self.carried_at[:10]}")
        said = f" ({'; '.join(notes)})" if notes else ""
        return f"Audit log intact: {self.entries} entries{said}, head {self.head[:16]}…"


def broken(entries: int, reason: str, **detail: int) -> Verdict:
    return Verdict(False, entries, reason=reason, detail=tuple(detail.items()))


def _covered(gone: list[list[int]], erased: list[list[int]]) -> int | None:
    """The first id in ``gone`` (runs, in order) that no run of ``erased`` covers; None when all are."""
    merged: list[list[int]] = []
    for first, last in sorted(erased):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    at = 0
    for first, last in gone:
        i = first
        while i <= last:
            while at < len(merged) and merged[at][1] < i:
                at += 1
            if at == len(merged) or merged[at][0] > i:
                return i
            i = merged[at][1] + 1
    return None


def _runs_add(runs: list[list[int]], i: int) -> None:
    if runs and runs[-1][1] == i - 1:
        runs[-1][1] = i
    else:
        runs.append([i, i])


@dataclass
class _Walk:
    """A check under way: where the chain is, and what it has seen of details and erasures."""

    key: bytes
    prev: str = GENESIS
    count: int = 0
    gone: list[list[int]] = field(default_factory=list)  # runs of entries whose details are not there
    erased: list[list[int]] = field(default_factory=list)  # runs the erasers say they erased
    mark: dict[str, Any] = field(default_factory=dict)
    mark_at: str = ""

    def step(self, row: dict[str, Any]) -> Verdict | None:
        """Take the next entry; a broken Verdict when it does not hold."""
        entry_id = row["id"]
        if entry_id != self.count + 1:
            return broken(self.count, "missing", id=self.count + 1, next=entry_id)
        if not row["hash"]:
            return broken(self.count, "unhashed", id=entry_id)
        if row["prev"] != self.prev:
            return broken(self.count, "unlinked", id=entry_id, prev=entry_id - 1)
        if not hmac.compare_digest(row["hash"], entry_hash(self.prev, [row[f] for f in FIELDS], self.key)):
            return broken(self.count, "changed", id=entry_id)
        details = row.get("details")
        if details is not None:
            if not row["sealed"] or not hmac.compare_digest(row["sealed"], Details(**details).seal()):
                return broken(self.count, "changed", id=entry_id)
        elif row["sealed"]:
            _runs_add(self.gone, entry_id)
        if row["action"] == MARK:
            self.mark, self.mark_at = json.loads(row["facts"]), row["at"]
        elif row["action"] in ERASERS:
            self.erased.extend([int(a), int(b)] for a, b in json.loads(row["facts"]).get("erased", []))
        self.prev, self.count = row["hash"], self.count + 1
        return None

    def end(self, head: dict[str, Any] | None) -> Verdict:
        """The verdict once every entry was taken: the head must match and be sealed, and every detail that is
        gone must have been erased by a forget or a purge."""
        if head is None:
            return broken(self.count, "no_head")
        if head["entries"] != self.count:
            return broken(self.count, "head_count", said=head["entries"], count=self.count)
        if head["hash"] != self.prev:
            return broken(self.count, "tail")
        if not hmac.compare_digest(head.get("seal") or "", head_seal(self.count, self.prev, self.key)):
            return broken(self.count, "head_seal")
        if (missing := _covered(self.gone, self.erased)) is not None:
            return broken(self.count, "details_gone", id=missing)
        mark = self.mark
        return Verdict(True, self.count, head=self.prev, erased=sum(b - a + 1 for a, b in self.gone),
                       carried=int(mark.get("carried", 0)), carried_at=self.mark_at,
                       unchained=int(mark.get("unchained", 0)), old_chain=str(mark.get("old_chain", "")),
                       old_detail=tuple((str(k), int(v)) for k, v in (mark.get("old_detail") or {}).items()))


def verify(rows: Iterable[dict[str, Any]], head: dict[str, Any] | None, key: bytes = b"") -> Verdict:
    """Walk every entry in id order (each a dict of FIELDS, ``prev``, ``hash`` and ``details``: a dict of
    Details' fields, or None when there are none or they were erased); the first break is reported."""
    walk = _Walk(key)
    for row in rows:
        if (verdict := walk.step(row)) is not None:
            return verdict
    return walk.end(head)


# --- the log as it was before this design (for carrying it over once) -----------------------------------------
LEGACY_FIELDS = ("id", "at", "actor", "action", "subject", "detail")


def verify_legacy(rows: Iterable[dict[str, Any]], head: dict[str, Any] | None, key: bytes = b"") -> Verdict:
    """The check of the log before this design (entries with the detail in them; entries without a hash before
    the first one with are folded into its hash): what it says is recorded when the log is carried over."""
    prev, count, expected, unchained, chained = GENESIS, 0, 1, 0, False
    for row in rows:
        entry = [row[f] for f in LEGACY_FIELDS]
        if row["id"] != expected:
            return broken(count, "missing", id=expected, next=row["id"])
        if not row["hash"]:
            if chained:
                return broken(count, "unhashed", id=row["id"])
            unchained += 1
            prev = entry_hash(prev, entry, key)
        else:
            chained = True
            if row["prev"] != prev:
                return broken(count, "unlinked", id=row["id"], prev=row["id"] - 1)
            if not hmac.compare_digest(row["hash"], entry_hash(prev, entry, key)):
                return broken(count, "changed", id=row["id"])
            prev = row["hash"]
        count += 1
        expected += 1
    if head is None:
        return broken(count, "no_head") if chained else Verdict(True, count, head=prev, unchained=unchained)
    if head["entries"] != count:
        return broken(count, "head_count", said=head["entries"], count=count)
    if head["hash"] != prev:
        return broken(count, "tail")
    return Verdict(True, count, head=prev, unchained=unchained)


def with_details(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows of the chained columns and the details' columns (``d_actor``, ``d_subject``, ``d_detail``, ``d_salt``:
    NULL when there are none or they were erased), as ``verify`` reads them: with ``details``."""
    for row in rows:
        salt = row.pop("d_salt")
        found = {"actor": row.pop("d_actor"), "subject": row.pop("d_subject"), "detail": row.pop("d_detail")}
        yield {**row, "details": None if salt is None else {**found, "salt": salt}}


def legacy_detail(raw: str) -> dict[str, Any]:
    """An old entry's detail as a dict (a detail that is not a JSON object is kept whole, as a detail)."""
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {"detail": raw}
    return found if isinstance(found, dict) else {"detail": found}

