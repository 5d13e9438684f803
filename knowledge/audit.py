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


@dataclass(frozen=True)
class Verdict:
    intact: bool
    entries: int
    head: str = ""  # the last hash of the chain
    problem: str = ""  # what is wrong, naming the entry
    unchained: int = 0  # entries from before the chain, covered by the first chained entry's hash

    def __str__(self) -> str:
        if not self.intact:
            return f"Audit log NOT intact: {self.problem}"
        legacy = f" ({self.unchained} from before the chain)" if self.unchained else ""
        return f"Audit log intact: {self.entries} entries{legacy}, head {self.head[:16]}…"


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
            return Verdict(False, count, problem=f"entry {expected_id} is missing (next is {row['id']})")
        if not row["hash"]:
            if chained:
                return Verdict(False, count, problem=f"entry {row['id']} has no hash after the chain began")
            unchained += 1
            prev = entry_hash(prev, entry, key)
        else:
            chained = True
            if row["prev"] != prev:
                return Verdict(False, count, problem=f"entry {row['id']} does not follow entry {row['id'] - 1}")
            if not hmac.compare_digest(row["hash"], entry_hash(prev, entry, key)):
                return Verdict(False, count, problem=f"entry {row['id']} was changed after it was written")
            prev = row["hash"]
        count += 1
        expected_id += 1
    if head is None:
        if chained:
            return Verdict(False, count, problem="the chain's head record is missing")
        return Verdict(True, count, head=prev, unchained=unchained)
    if head["entries"] != count:
        return Verdict(False, count, problem=f"the head says {head['entries']} entries, the log has {count}")
    if head["hash"] != prev:
        return Verdict(False, count, problem="the last entry is not the one the head recorded")
    return Verdict(True, count, head=prev, unchained=unchained)
