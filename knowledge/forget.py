"""A person's right to be forgotten (AVG art. 17): ``vraagbaak forget PERSON``.

The person is found in the directory (id, e-mail, name, or a platform id), or is a chat user id the directory
does not know. Their questions are blanked as the retention purge blanks old ones (``question_steps``: an
escalation others still wait on is re-rooted at the next asker, so relays to them go on; one nobody else waits
on is withdrawn, and its thread's answers and unsent posts go). Messages to them and their console lines and
received events go; their name is replaced by "een collega" where an answer, an article's source or a review
names them; their directory entry, platform ids and search index row are deleted. Articles stay (knowledge,
not personal data); one audit entry records the counts (not who: that is what was to be forgotten).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from knowledge.model import Person
from knowledge.records import OUTBOX_ATTEMPTS
from knowledge.retention import Purgeable, Step, question_steps, run

COLLEAGUE = "een collega"  # what stands where their name stood (the wording, in either language)


class Directory(Purgeable, Protocol):
    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...
    def people(self, ids: Iterable[str] | None = None) -> list[Person]: ...


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
    found = store.people([who])
    if not found:
        rows = store.rows("SELECT id FROM people WHERE lower(email) = lower(?) AND email != ''", [who]) or \
            store.rows("SELECT person_id AS id FROM person_handles WHERE handle = ?", [who]) or \
            store.rows("SELECT id FROM people WHERE name = ? COLLATE NOCASE", [who])
        found = store.people(sorted({r["id"] for r in rows}))
    if len(found) > 1:
        raise Ambiguous(who, found)
    if found:
        person = found[0]
        return person, tuple(dict.fromkeys([person.id, *(h for _, h in person.handles)]))
    known = store.rows("SELECT 1 FROM questions WHERE asker_id = ? UNION ALL SELECT 1 FROM answers WHERE author_id = ?"
                       " UNION ALL SELECT 1 FROM console_messages WHERE author = ? LIMIT 1", [who, who, who])
    if not known:
        raise NobodyFound(who)
    return None, (who,)


def forget(store: Directory, who: str, actor: str = "vraagbaak") -> ForgetReport:
    """Remove ``who``'s data (see the module) in one transaction; returns the counts per kind."""
    person, ids = find(store, who)
    params = {f"id{n}": i for n, i in enumerate(ids)}
    among = ", ".join(f":{name}" for name in params)
    mine = f"asker_id IN ({among})"
    # what answers to them in their conversations: their questions' threads (and the DM they asked in)
    theirs = (f"EXISTS (SELECT 1 FROM questions q WHERE q.{mine} AND q.channel = {{t}}.channel AND"
              f" ({{t}}.thread IN (q.thread, q.message) OR ({{t}}.thread IS NULL AND q.thread IS NULL)))")
    rooted = f"SELECT id FROM escalations WHERE question_id IN (SELECT id FROM questions WHERE {mine})"
    to_them = f"recipient IN ({among}) OR {theirs.format(t='outbox')}"
    with store.transaction() as db:
        names = _names(db, person, mine, among, params)
        # every escalation they asked or joined: its posts (sent) named them and quoted their question
        touched = ", ".join(str(r[0]) for r in db.execute(
            f"SELECT id FROM escalations WHERE question_id IN (SELECT id FROM questions WHERE {mine}) UNION"
            f" SELECT escalation_id FROM waiters WHERE question_id IN (SELECT id FROM questions WHERE {mine})",
            params))
        steps = (
            *question_steps(mine)[:3],  # re-root, withdraw, unlink: before their questions are blanked
            # the thread of an escalation only they waited on: its answers' texts and what is still to be sent
            Step("answers", f"escalation_id IN ({rooted}) AND text != ''",
                 lambda where: f"UPDATE answers SET text = '' WHERE {where}"),
            # unsent: what goes to them, and the posts of a thread only they waited on (others' still go out)
            Step("outbox_unsent", f"({to_them} OR escalation_id IN ({rooted}))"
                                  f" AND sent_at = '' AND attempts < {OUTBOX_ATTEMPTS}",
                 lambda where: f"DELETE FROM outbox WHERE {where}"),
            Step("outbox", f"({to_them} OR escalation_id IN ({touched or 'NULL'})) AND payload != '{{}}'"
                           f" AND (sent_at != '' OR attempts >= {OUTBOX_ATTEMPTS})",
                 lambda where: f"UPDATE outbox SET payload = '{{}}' WHERE {where}"),
            Step("console_messages", f"author IN ({among}) OR {theirs.format(t='console_messages')} OR EXISTS"
                                     f" (SELECT 1 FROM escalations e WHERE e.id IN ({rooted}) AND"
                                     " e.post_channel = console_messages.channel AND e.post_message IN"
                                     " (CAST(console_messages.id AS TEXT), console_messages.thread))",
                 lambda where: f"DELETE FROM console_messages WHERE {where}"),
            question_steps(mine)[3],
            Step("inbox", "status != 'new' AND (" + " OR ".join(
                f"instr(payload, :q{name}) > 0" for name in params) + ")",
                 lambda where: f"DELETE FROM inbox WHERE {where}"),
            Step("answers_by", f"author_id IN ({among})",
                 lambda where: f"UPDATE answers SET author_id = '', author_name = '{COLLEAGUE}' WHERE {where}"),
        )
        quoted = {f"q{name}": json.dumps(value, ensure_ascii=False) for name, value in params.items()}
        counts = run(db, steps, {**params, **quoted}, dry_run=False)
        counts["articles"] = _rename_in_articles(db, names)
        counts["outbox_renamed"] = _rename_in_outbox(db, names)
        counts["reviews"] = sum(db.execute("UPDATE reviews SET decided_by = ? WHERE decided_by = ?",
                                           [COLLEAGUE, name]).rowcount for name in {*ids, *names})
        counts["experts"] = _unlist_expert(db, person)
        counts["handles"] = db.execute(f"DELETE FROM person_handles WHERE person_id IN ({among})", params).rowcount
        db.execute(f"DELETE FROM people_index WHERE rowid IN (SELECT rowid FROM people WHERE id IN ({among}))", params)
        counts["people"] = db.execute(f"DELETE FROM people WHERE id IN ({among})", params).rowcount
        db.execute("UPDATE meta SET value = value + 1 WHERE key IN ('people_generation', 'search_generation')")
        store.audit(actor, "forget", "", **counts)
    return ForgetReport(person, ids, counts)


def _names(db: Any, person: Person | None, mine: str, among: str, params: dict[str, str]) -> list[str]:
    """Every name they went by: the directory's and the chat platforms' display names."""
    found = [person.name] if person else []
    for sql in (f"SELECT DISTINCT asker_name FROM questions WHERE {mine}",
                f"SELECT DISTINCT author_name FROM answers WHERE author_id IN ({among})"):
        found += [r[0] for r in db.execute(sql, params)]
    return sorted({n.strip() for n in found if len(n.strip()) >= 2}, key=len, reverse=True)


def _pattern(names: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)


def _rename_in_outbox(db: Any, names: list[str]) -> int:
    """Messages to others that name them (an expert's answer relayed, a post updated with who answered) say
    COLLEAGUE instead, sent or still to be sent."""
    if not names:
        return 0
    quoted = sorted({json.dumps(n, ensure_ascii=ascii)[1:-1] for n in names for ascii in (True, False)},
                    key=len, reverse=True)  # as the outbox stores them: JSON, non-ASCII escaped or not
    pattern = _pattern(quoted)
    likes = " OR ".join("instr(lower(payload), lower(?)) > 0" for _ in quoted)
    changed = 0
    for item_id, payload in list(db.execute(f"SELECT id, payload FROM outbox WHERE {likes}", quoted)):
        renamed = pattern.sub(COLLEAGUE, payload)
        if renamed != payload:
            db.execute("UPDATE outbox SET payload = ? WHERE id = ?", [renamed, item_id])
            changed += 1
    return changed


def _rename_in_articles(db: Any, names: list[str]) -> int:
    """Their name, as a whole word, replaced by COLLEAGUE in articles' source; an article they own loses its
    owner (an owner is a person to ask, which they no longer are). Not a change to the knowledge: updated_at
    stays."""
    if not names:
        return 0
    pattern = _pattern(names)
    likes = " OR ".join("instr(lower(source), lower(?)) > 0 OR lower(owner) = lower(?)" for _ in names)
    changed = 0
    for article_id, source, owner in list(db.execute(
            f"SELECT id, source, owner FROM articles WHERE {likes}", [v for n in names for v in (n, n)])):
        new_source = pattern.sub(COLLEAGUE, source)
        new_owner = "" if pattern.fullmatch(owner.strip()) else owner
        if (new_source, new_owner) != (source, owner):
            # a new version: a form opened before cannot save the forgotten name back
            db.execute("UPDATE articles SET source = ?, owner = ?, version = version + 1 WHERE id = ?",
                       [new_source, new_owner, article_id])
            changed += 1
    return changed


def _unlist_expert(db: Any, person: Person | None) -> int:
    """Take them off the suggested experts of escalations."""
    if person is None:
        return 0
    changed = 0
    for escalation_id, experts in list(db.execute(
            "SELECT id, experts FROM escalations WHERE instr(experts, ?) > 0", [json.dumps(person.id)])):
        kept = [e for e in json.loads(experts) if e != person.id]
        db.execute("UPDATE escalations SET experts = ? WHERE id = ?", [json.dumps(kept), escalation_id])
        changed += 1
    return changed
