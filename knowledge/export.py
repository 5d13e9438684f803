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
- ``audit.jsonl``: the audit log as stored, with its hashes and each entry's details while they exist (people
  and texts: docs/audit.md), for the archive (it is not imported: a new database starts its own chain;
  ``knowledge.audit.verify`` checks the exported rows against the head).

Everything is read in one snapshot, so the files agree with each other while the bot keeps running.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ARTICLE_FIELDS = ("id", "title", "status", "lang", "owner", "review_date", "url", "source", "updated_at")
LIST_FIELDS = ("keywords", "questions")


class Snapshot(Protocol):
    """The tables, as rows of their columns, all read at one moment."""

    def articles(self) -> Iterable[dict[str, Any]]: ...  # by id
    def people(self) -> Iterable[dict[str, Any]]: ...  # by id
    def person_handles(self) -> Iterable[dict[str, Any]]: ...  # person_id, platform, handle; by both
    def routes(self) -> Iterable[dict[str, Any]]: ...  # keyword, channel; by keyword
    def synonyms(self) -> Iterable[dict[str, Any]]: ...  # term, synonym; by both
    def channel_settings(self) -> Iterable[dict[str, Any]]: ...  # by channel
    def audit(self) -> Iterable[dict[str, Any]]: ...  # by id, every column as stored


class Exportable(Protocol):
    def export_snapshot(self) -> AbstractContextManager[Snapshot]: ...


class FolderNotEmpty(Exception):
    """The export folder already holds files (an export never mixes with older files)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(str(folder))


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    counts: dict[str, int] = field(default_factory=dict)  # articles, people, routes, synonyms, channels, audit


def export(store: Exportable, folder: Path) -> ExportReport:
    """Write the knowledge base to ``folder`` (created; it must be empty); returns what was written."""
    if folder.exists() and any(folder.iterdir()):
        raise FolderNotEmpty(folder)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with store.export_snapshot() as snapshot:
        counts["articles"] = _articles(snapshot, folder)
        counts["people"] = _people(snapshot, folder / "people.jsonl")
        counts["routes"] = _jsonl(folder / "routes.jsonl", (
            {"keyword": r["keyword"], "channel": r["channel"]} for r in snapshot.routes()))
        counts["synonyms"] = _jsonl(folder / "synonyms.jsonl", _synonyms(snapshot))
        counts["channels"] = _jsonl(folder / "channels.jsonl", (
            {"channel": r["channel"], "target_minutes": r["target_minutes"],
             "backup_experts": json.loads(r["backup_experts"]), "backup_channel": r["backup_channel"]}
            for r in snapshot.channel_settings()))
        counts["audit"] = _jsonl(folder / "audit.jsonl", snapshot.audit())
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


def _articles(snapshot: Snapshot, folder: Path) -> int:
    taken: set[str] = set()
    count = 0
    with (folder / "articles.jsonl").open("w", encoding="utf-8") as out:
        for row in snapshot.articles():
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


def _people(snapshot: Snapshot, path: Path) -> int:
    handles: dict[str, dict[str, str]] = {}
    for r in snapshot.person_handles():
        handles.setdefault(r["person_id"], {})[r["platform"]] = r["handle"]
    records = (
        {"id": r["id"], "name": r["name"], "title": r["title"], "department": r["department"],
         "expertise": json.loads(r["expertise"]), "email": r["email"], "phone": r["phone"],
         "slack_id": handles.get(r["id"], {}).get("slack", ""), "teams_id": handles.get(r["id"], {}).get("teams", ""),
         "handles": handles.get(r["id"], {})}
        for r in snapshot.people())
    return _jsonl(path, records)


def _synonyms(snapshot: Snapshot) -> Iterator[dict[str, Any]]:
    term, synonyms = None, []
    for r in snapshot.synonyms():
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
