"""The audit log as a hash chain: each entry carries the hash of the one before it, so a rewrite shows.

An entry's hash covers its id, time, actor, action, subject and detail together with the previous entry's
hash (HMAC-SHA256 under ``VRAAGBAAK_AUDIT_KEY`` when one is configured, so that nobody without the key can
forge a consistent chain; plain SHA-256 otherwise). The head (number of entries and last hash) is kept in
its own table, so dropping the log, or cutting entries off its end, shows too. Entries written before the
chain existed (no hash) are folded into the chain by the first entry after them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FIELDS = ("id", "at", "actor", "action", "subject", "detail")


def entry_hash(prev: str, entry: Sequence[Any], key: bytes = b"") -> str:
    """The hash of one entry (its FIELDS, in order) chained to ``prev``."""
    content = json.dumps([prev, *entry], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key:
        return hmac.new(key, content, hashlib.sha256).hexdigest()
    return hashlib.sha256(content).hexdigest()


# What can be wrong, in English for logs and tests; the CLI shows it from the catalogue (``audit_<reason>``).
PROBLEMS = {
    "missing": "entry {id} is missing (next is {next})",
    "unhashed": "entry {id} has no hash after the chain began",
    "unlinked": "entry {id} does not follow entry {prev}",
    "changed": "entry {id} was changed after it was written",
    "no_head": "the chain's head record is missing",
    "head_count": "the head says {said} entries, the log has {count}",
    "tail": "the last entry is not the one the head recorded",
}


@dataclass(frozen=True)
class Verdict:
    intact: bool
    entries: int
    head: str = ""  # the last hash of the chain
    reason: str = ""  # what is wrong: a key of PROBLEMS
    detail: tuple[tuple[str, int], ...] = ()  # the entries it names
    unchained: int = 0  # entries from before the chain, covered by the first chained entry's hash

    @property
    def problem(self) -> str:
        """What is wrong, naming the entry (English)."""
        return PROBLEMS[self.reason].format(**dict(self.detail)) if self.reason else ""

    def __str__(self) -> str:
        if not self.intact:
            return f"Audit log NOT intact: {self.problem}"
        legacy = f" ({self.unchained} from before the chain)" if self.unchained else ""
        return f"Audit log intact: {self.entries} entries{legacy}, head {self.head[:16]}…"


def broken(entries: int, reason: str, **detail: int) -> Verdict:
    return Verdict(False, entries, reason=reason, detail=tuple(detail.items()))


def running_hash(rows: Iterable[Sequence[Any]], key: bytes = b"") -> str:
    """The chain's hash after ``rows`` (each FIELDS in order), hashing them as if they were chained."""
    prev = GENESIS
    for row in rows:
        prev = entry_hash(prev, row, key)
    return prev


def verify(rows: Iterable[dict[str, Any]], head: dict[str, Any] | None, key: bytes = b"") -> Verdict:
    """Walk every entry in id order; the first break is reported."""
    prev, count, expected_id, unchained, chained = GENESIS, 0, 1, 0, False
    for row in rows:
        entry = [row[f] for f in FIELDS]
        if row["id"] != expected_id:
            return broken(count, "missing", id=expected_id, next=row["id"])
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
        expected_id += 1
    if head is None:
        if chained:
            return broken(count, "no_head")
        return Verdict(True, count, head=prev, unchained=unchained)
    if head["entries"] != count:
        return broken(count, "head_count", said=head["entries"], count=count)
    if head["hash"] != prev:
        return broken(count, "tail")
    return Verdict(True, count, head=prev, unchained=unchained)
