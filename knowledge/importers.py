"""Importers: knowledge base from JSONL, CSV or a folder of Markdown files; people from CSV, JSON or JSONL;
routing rules and synonyms from CSV or JSONL (what ``vraagbaak export`` writes reads back here).

A file is checked whole before anything is written: when a row is bad, nothing from that file is
imported and every bad row is reported as ``file:line: reason``. Re-importing updates by id.

Rows come from ``knowledge.rows`` (file formats, encodings, ``file:line`` problems); this module turns them into
articles, people, routing rules, synonyms and channel settings.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from knowledge.model import Article, ArticleStatus, ChannelSettings, Person
from knowledge.rows import Bad, ImportProblem, Problem, read_text, rows_for

STATUSES = ("provisional", "validated", "archived", "held")
LANGS = ("nl", "en")
LISTS = ("keywords", "questions", "expertise")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")



def _as_list(value: Any, key: str, typed: bool, sep: str = ";") -> tuple[str, ...]:
    if value is None or value == "" or value == []:
        return ()
    if isinstance(value, str) and not typed:
        value = value.split(sep)
    if not isinstance(value, list):
        raise Bad("not_list", field=key)
    return tuple(str(v).strip() for v in value if str(v).strip())


def _text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise Bad("not_text", field=key)
    return str(value).strip()


def _date(data: dict[str, Any], key: str) -> str:
    value = _text(data, key)
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise Bad("bad_date", field=key, value=value) from None
    return value


def to_article(data: dict[str, Any], source: str = "", typed: bool = False) -> Article:
    article_id, title = _text(data, "id"), _text(data, "title")
    if not article_id:
        raise Bad("missing", field="id")
    if not title:
        raise Bad("missing", field="title")
    status = _text(data, "status", "validated") or "validated"
    if status not in STATUSES:
        raise Bad("bad_status", value=status, choices=", ".join(STATUSES))
    lang = _text(data, "lang", "nl") or "nl"
    if lang not in LANGS:
        raise Bad("bad_lang", value=lang, choices=", ".join(LANGS))
    return Article(
        id=article_id, title=title, body=_text(data, "body"),
        keywords=_as_list(data.get("keywords"), "keywords", typed),
        questions=_as_list(data.get("questions"), "questions", typed), url=_text(data, "url"),
        owner=_text(data, "owner"), status=cast(ArticleStatus, status), lang=lang,
        review_date=_date(data, "review_date"), source=_text(data, "source", source),
        # when the content last changed; without it, a re-import keeps the date while the text is the same
        updated_at=_text(data, "updated") or _text(data, "updated_at"),
    )


def to_person(data: dict[str, Any], typed: bool = False) -> Person:
    person_id, name = _text(data, "id"), _text(data, "name")
    if not person_id:
        raise Bad("missing", field="id")
    if not name:
        raise Bad("missing", field="name")
    email = _text(data, "email")
    if email and not EMAIL.match(email):
        raise Bad("bad_email", value=email)
    return Person(
        id=person_id, name=name, title=_text(data, "title"), department=_text(data, "department"),
        expertise=_as_list(data.get("expertise"), "expertise", typed), email=email, phone=_text(data, "phone"),
        handles=_handles(data),
    )


def _handles(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Platform ids from ``slack_id``/``teams_id`` columns, and from a ``handles`` object (any platform)."""
    found = {platform: _text(data, f"{platform}_id") for platform in ("slack", "teams")}
    extra = data.get("handles")
    if isinstance(extra, str) and extra.strip():
        try:
            extra = json.loads(extra)
        except json.JSONDecodeError:
            raise Bad("bad_handles") from None
    if extra:
        if not isinstance(extra, dict):
            raise Bad("bad_handles")
        found |= {str(platform): _text(extra, platform) for platform in extra}
    return tuple(sorted((platform, handle) for platform, handle in found.items() if handle))


def read_articles(path: Path) -> list[Article]:
    """Every article in ``path``, or ImportProblem naming each bad row (then nothing is returned)."""
    return _read(path, lambda data, typed: to_article(data, source=path.name, typed=typed))


def read_people(path: Path) -> list[Person]:
    return _read(path, to_person)


def _exists(path: Path) -> None:
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(path))


def _read(path: Path, convert: Any) -> list[Any]:
    _exists(path)
    problems: list[Problem] = []
    items: list[Any] = []
    first: dict[str, int] = {}  # id -> the line it was first seen on, in this file
    for row in rows_for(path):
        if isinstance(row, Problem):
            problems.append(row)
            continue
        try:
            item = convert(row.data, row.typed)
        except Bad as error:
            problems.append(Problem(f"{row.path}:{row.line}", error.key, error.values))
            continue
        key = f"{row.path}\0{item.id}"
        if key in first:
            problems.append(Problem(f"{row.path}:{row.line}", "duplicate", {"id": item.id, "first": first[key]}))
            continue
        first[key] = row.line
        items.append(item)
    if problems:
        raise ImportProblem(problems)
    return items


def read_routes(path: Path) -> list[tuple[str, str]]:
    """``keyword,channel`` rows: CSV under a header naming both (a file without it imports nothing), or JSON(L)
    objects with both."""
    _exists(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        header = next(csv.reader(io.StringIO(read_text(path))), [])
        if not {"keyword", "channel"} <= {h.strip().lower() for h in header}:
            raise ImportProblem([Problem(f"{path}:1", "routes_header")])
    problems: list[Problem] = []
    routes: list[tuple[str, str]] = []
    for row in rows_for(path):
        if isinstance(row, Problem):
            problems.append(row)
        elif not str(row.data.get("keyword") or "").strip() or not str(row.data.get("channel") or "").strip():
            problems.append(Problem(f"{row.path}:{row.line}", "routes_row"))
        else:
            routes.append((str(row.data["keyword"]), str(row.data["channel"])))
    if not routes and not problems:
        problems.append(Problem(f"{path}:2", "no_rows"))
    if problems:
        raise ImportProblem(problems)
    return routes


def read_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """Synonyms from CSV, JSON or JSONL: each row a ``term`` with ``synonyms`` (a list, or ``;``-separated)
    or one ``synonym``."""
    found: dict[str, list[str]] = {}

    @dataclass(frozen=True)
    class Entry:
        id: str
        synonyms: tuple[str, ...]

    def convert(data: dict[str, Any], typed: bool) -> Entry:
        term = _text(data, "term")
        synonyms = (*_as_list(data.get("synonyms"), "synonyms", typed), *_as_list(data.get("synonym"), "synonym",
                                                                                   False))
        if not term or not synonyms:
            raise Bad("synonyms_row")
        return Entry(term, synonyms)

    for entry in _read(path, convert):
        known = found.setdefault(entry.id, [])
        known.extend(s for s in entry.synonyms if s not in known)
    return {term: tuple(synonyms) for term, synonyms in found.items()}


def read_channel_settings(path: Path) -> list[ChannelSettings]:
    """Expert channels' settings from CSV, JSON or JSONL (as export writes ``channels.jsonl``): ``channel``,
    ``target_minutes`` (empty: the default), ``backup_experts`` (a list, or ``;``-separated) and
    ``backup_channel``."""

    @dataclass(frozen=True)
    class Entry:
        id: str  # the channel: one row per channel in a file
        settings: ChannelSettings

    def convert(data: dict[str, Any], typed: bool) -> Entry:
        channel, target = _text(data, "channel"), data.get("target_minutes")
        if not channel:
            raise Bad("missing", field="channel")
        try:
            minutes = None if target in (None, "") else float(target)
        except (TypeError, ValueError, OverflowError):
            minutes = -1.0
        if (minutes is not None and not 0 < minutes < float("inf")) or isinstance(target, bool):
            raise Bad("bad_minutes", value=str(target).strip())
        return Entry(channel, ChannelSettings(channel, minutes, _as_list(data.get("backup_experts"), "backup_experts",
                                                                         typed), _text(data, "backup_channel")))

    return [entry.settings for entry in _read(path, convert)]
