"""Export without lock-in: the whole knowledge base as plain files the importers read back.

``export(store, folder)`` writes

- ``articles/<id>.md``: one Markdown file per article, every field in the front matter (values as JSON
  strings, so any text survives), the body below it: ``vraagbaak import kb DIR/articles``;
- ``articles.jsonl``: the same articles one a line: ``vraagbaak import kb DIR/articles.jsonl``;
- ``people.jsonl``: the directory with each person's platform ids (``slack_id``, ``teams_id`` and a
  ``handles`` object for any platform): ``vraagbaak import people DIR/people.jsonl``;
- ``routes.jsonl``: ``vraagbaak import routes DIR/routes.jsonl``;
- ``synonyms.jsonl``: ``vraagbaak import synonyms DIR/synonyms.jsonl``;
- ``channels.jsonl``: each expert channel's response target, backup experts and backup channel
  (``vraagbaak channel``): ``vraagbaak import channels DIR/channels.jsonl``;
- ``audit.jsonl``: the audit log as stored, with its hashes, for the archive (it is not imported: a new
  database starts its own chain; ``knowledge.audit.verify`` checks the exported rows).

Everything is read in one snapshot, so the files agree with each other while the bot keeps running.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

Read = Callable[[str], Iterable[dict[str, Any]]]

ARTICLE_FIELDS = ("id", "title", "status", "lang", "owner", "review_date", "url", "source", "updated_at")
LIST_FIELDS = ("keywords", "questions")


class Exportable(Protocol):
    path: str
    lock: Any

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


class FolderNotEmpty(Exception):
    """The export folder already holds files (an export never mixes with older files)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(str(folder))


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    counts: dict[str, int] = field(default_factory=dict)  # articles, people, routes, synonyms, channels, audit


@contextmanager
def _snapshot(store: Exportable) -> Iterator[Read]:
    """A reader that sees one moment of the database: a read transaction on a connection of its own (WAL:
    writers go on meanwhile); an in-memory store is read under its lock instead."""
    if store.path == ":memory:":
        with store.lock:
            yield store.rows
        return
    conn = sqlite3.connect(store.path)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("BEGIN")

        def read(sql: str) -> Iterator[dict[str, Any]]:
            return (dict(r) for r in conn.execute(sql))

        yield read
    finally:
        conn.rollback()
        conn.close()


def export(store: Exportable, folder: Path) -> ExportReport:
    """Write the knowledge base to ``folder`` (created; it must be empty); returns what was written."""
    if folder.exists() and any(folder.iterdir()):
        raise FolderNotEmpty(folder)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with _snapshot(store) as read:
        counts["articles"] = _articles(read, folder)
        counts["people"] = _people(read, folder / "people.jsonl")
        counts["routes"] = _jsonl(folder / "routes.jsonl", (
            {"keyword": r["keyword"], "channel": r["channel"]}
            for r in read("SELECT keyword, channel FROM routes ORDER BY keyword")))
        counts["synonyms"] = _jsonl(folder / "synonyms.jsonl", _synonyms(read))
        counts["channels"] = _jsonl(folder / "channels.jsonl", (
            {"channel": r["channel"], "target_minutes": r["target_minutes"],
             "backup_experts": json.loads(r["backup_experts"]), "backup_channel": r["backup_channel"]}
            for r in read("SELECT * FROM channel_settings ORDER BY channel")))
        counts["audit"] = _jsonl(folder / "audit.jsonl", read("SELECT * FROM audit ORDER BY id"))
    return ExportReport(folder, counts)


def article_record(row: dict[str, Any]) -> dict[str, Any]:
    """An article row as the importers read it (lists as lists)."""
    record = {name: row[name] for name in ARTICLE_FIELDS}
    record.update({name: json.loads(row[name]) for name in LIST_FIELDS})
    record["body"] = row["body"]
    return record


def markdown(record: dict[str, Any]) -> str:
    """One article as Markdown with front matter that ``knowledge.rows.front_matter`` reads back."""
    lines = ["---"]
    for name in ARTICLE_FIELDS:
        lines.append(f"{name}: {_quoted(record[name])}")
    for name in LIST_FIELDS:
        items = record[name]
        lines.append(f"{name}:" if items else f"{name}: []")
        lines.extend(f"- {_quoted(item)}" for item in items)
    lines += ["---", "", record["body"], ""]
    return "\n".join(lines)


def _quoted(value: Any) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _articles(read: Read, folder: Path) -> int:
    taken: set[str] = set()
    count = 0
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as out:
        for row in read("SELECT * FROM articles ORDER BY id"):
            record = article_record(row)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            name = _file_name(record["id"], taken)
            (folder / "articles" / name).write_text(markdown(record), encoding="utf-8")
            count += 1
    return count


def _file_name(article_id: str, taken: set[str]) -> str:
    """A safe file name for an id (the id itself is in the front matter), unique also where case does not
    count (Windows, macOS)."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._") or "article"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return f"{name}.md"


def _people(read: Read, path: Path) -> int:
    handles: dict[str, dict[str, str]] = {}
    for r in read("SELECT person_id, platform, handle FROM person_handles ORDER BY person_id, platform"):
        handles.setdefault(r["person_id"], {})[r["platform"]] = r["handle"]
    records = (
        {"id": r["id"], "name": r["name"], "title": r["title"], "department": r["department"],
         "expertise": json.loads(r["expertise"]), "email": r["email"], "phone": r["phone"],
         "slack_id": handles.get(r["id"], {}).get("slack", ""), "teams_id": handles.get(r["id"], {}).get("teams", ""),
         "handles": handles.get(r["id"], {})}
        for r in read("SELECT * FROM people ORDER BY id"))
    return _jsonl(path, records)


def _synonyms(read: Read) -> Iterator[dict[str, Any]]:
    term, synonyms = None, []
    for r in read("SELECT term, synonym FROM synonyms ORDER BY term, synonym"):
        if r["term"] != term and term is not None:
            yield {"term": term, "synonyms": synonyms}
            synonyms = []
        term = r["term"]
        synonyms.append(r["synonym"])
    if term is not None:
        yield {"term": term, "synonyms": synonyms}


def _jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
