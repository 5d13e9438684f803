"""Importers: knowledge base from JSONL, CSV or a folder of Markdown files; people from CSV, JSON or JSONL;
routing rules and synonyms from CSV or JSONL (what ``vraagbaak export`` writes reads back here).

A file is checked whole before anything is written: when a row is bad, nothing from that file is
imported and every bad row is reported as ``file:line: reason``. Re-importing updates by id.

A file is read as UTF-8 (with or without a byte-order mark) or else as Windows-1252, the usual Excel export.
Each reason has a key (``Problem.key``): the command line shows it in its language from handlers/messages.py
(``imp_<key>``); ``REASONS`` holds the English for logs and for ``str()``.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from knowledge.model import Article, ArticleStatus, ChannelSettings, Person

STATUSES = ("provisional", "validated", "archived", "held")
LANGS = ("nl", "en")
LISTS = ("keywords", "questions", "expertise")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

REASONS: dict[str, str] = {
    "encoding": "not UTF-8 or Windows-1252 (byte {byte}); save the file as UTF-8",
    "not_json": "not valid JSON (column {column})",
    "not_object": "expected a JSON object",
    "not_list_of_objects": "expected a list of objects, or an object whose \"people\" or \"articles\" holds one",
    "item_not_object": "item {index} is not a JSON object",
    "no_header": "no header row",
    "extra_fields": "more fields than the header has",
    "front_matter_line": "expected 'key: value' in front matter",
    "front_matter_open": "front matter is not closed with '---'",
    "front_matter_mixed": "'{field}' mixes a value and a list",
    "unknown_kind": "unknown kind of file (use .jsonl, .json, .csv or a folder of .md files)",
    "missing": "missing '{field}'",
    "not_text": "'{field}' must be text",
    "not_list": "'{field}' must be a list, like [\"a\", \"b\"]",
    "bad_status": "status '{value}' is not one of {choices}",
    "bad_lang": "lang '{value}' is not one of {choices}",
    "bad_date": "'{field}' must be a date like 2027-06-01, not '{value}'",
    "bad_email": "'{value}' is not an e-mail address",
    "duplicate": "id '{id}' is on line {first} too",
    "routes_header": "the first line must be the header keyword,channel",
    "routes_row": "needs both 'keyword' and 'channel'",
    "no_rows": "no rows after the header",
    "bad_handles": "'handles' must be an object of platform: id",
    "synonyms_row": "needs a 'term' and its 'synonyms' (or one 'synonym')",
    "channels_row": "needs a 'channel'; 'target_minutes' must be a number above 0 (or empty)",
    "bad_query": "expected a JSON object with \"text\" and \"expected\" (an article id, or null)",
}


@dataclass(frozen=True)
class Problem:
    """A bad row (or file): where (``file:line`` or ``file``), why (a ``REASONS`` key) and the details."""

    where: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.where}: {REASONS[self.key].format(**self.values)}"


class Bad(ValueError):
    """One reason a row cannot be imported."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key, self.values = key, values
        super().__init__(REASONS[key].format(**values))


class ImportProblem(Exception):
    """One or more bad rows; ``problems`` holds 'file:line: reason' strings, ``items`` the same as Problems."""

    def __init__(self, items: list[Problem]) -> None:
        self.items = items
        self.problems = [str(p) for p in items]
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    data: dict[str, Any]
    typed: bool = False  # JSON: lists must be lists; CSV and front matter: a text with ';' (or ',') separators


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (a BOM is dropped), else Windows-1252; else ImportProblem naming the line."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise ImportProblem([Problem(f"{path}:{line}", "encoding", {"byte": f"0x{raw[error.start]:02x}"})]) from None


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


def _jsonl_rows(path: Path) -> Iterator[Row | Problem]:
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield Problem(f"{path}:{number}", "not_json", {"column": error.colno})
            continue
        if not isinstance(data, dict):
            yield Problem(f"{path}:{number}", "not_object")
            continue
        yield Row(path, number, data, typed=True)


def _json_rows(path: Path) -> Iterator[Row | Problem]:
    raw = read_text(path)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        yield Problem(f"{path}:{error.lineno}", "not_json", {"column": error.colno})
        return
    items = data.get("people", data.get("articles")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        yield Problem(f"{path}:1", "not_list_of_objects")
        return
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield Row(path, index, item, typed=True)
        else:
            yield Problem(str(path), "item_not_object", {"index": index})


def _csv_rows(path: Path) -> Iterator[Row | Problem]:
    handle = io.StringIO(read_text(path), newline="")
    sample = handle.read(4096)
    handle.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(handle, dialect=dialect)
    if not reader.fieldnames:
        yield Problem(f"{path}:1", "no_header")
        return
    for data in reader:
        if None in data:
            yield Problem(f"{path}:{reader.line_num}", "extra_fields")
            continue
        yield Row(path, reader.line_num, {k.strip(): v for k, v in data.items() if k})


def _markdown_rows(folder: Path) -> Iterator[Row | Problem]:
    for path in sorted(folder.rglob("*.md")):
        yield from _markdown_rows_file(path)


def front_matter(source: str) -> tuple[dict[str, Any], str]:
    """A small YAML subset: ``key: value``, ``key: [a, b]`` and ``- item`` lists between ``---`` lines."""
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, source
    meta: dict[str, Any] = {}
    key = ""
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return meta, "\n".join(lines[number:])
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("- ") and key:
            meta.setdefault(key, [])
            if not isinstance(meta[key], list):
                raise Bad("front_matter_mixed", line=number, field=key)
            meta[key].append(_scalar(line.lstrip()[2:].strip()))
            continue
        if ":" not in line:
            raise Bad("front_matter_line", line=number)
        key, value = (part.strip() for part in line.split(":", 1))
        if value.startswith("[") and value.endswith("]"):
            meta[key] = [v.strip().strip("\"'") for v in value[1:-1].split(",") if v.strip()]
        elif value:
            meta[key] = _scalar(value)
    raise Bad("front_matter_open", line=1)


def _scalar(value: str) -> str:
    """A front-matter value: a JSON string in double quotes as JSON reads it (so any text survives, as
    ``vraagbaak export`` writes it), anything else without its surrounding quotes."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = json.loads(value)
        except json.JSONDecodeError:
            decoded = None
        if isinstance(decoded, str):
            return decoded
    return value.strip("\"'")


def _rows_for(path: Path) -> Iterator[Row | Problem]:
    if path.is_dir():
        return _markdown_rows(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl_rows(path)
    if suffix == ".json":
        return _json_rows(path)
    if suffix in (".csv", ".tsv"):
        return _csv_rows(path)
    if suffix == ".md":
        return _markdown_rows_file(path)
    raise ImportProblem([Problem(str(path), "unknown_kind")])


def _markdown_rows_file(path: Path) -> Iterator[Row | Problem]:
    try:
        meta, body = front_matter(read_text(path))
    except Bad as error:
        values = dict(error.values)
        yield Problem(f"{path}:{values.pop('line')}", error.key, values)
        return
    meta.setdefault("id", path.stem)
    meta["body"] = body.strip()
    yield Row(path, 1, meta)


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
    for row in _rows_for(path):
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
    for row in _rows_for(path):
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
        try:
            minutes = None if target in (None, "") else float(target)
        except (TypeError, ValueError):
            raise Bad("channels_row") from None
        if not channel or (minutes is not None and not minutes > 0) or isinstance(target, bool):
            raise Bad("channels_row")
        return Entry(channel, ChannelSettings(channel, minutes, _as_list(data.get("backup_experts"), "backup_experts",
                                                                         typed), _text(data, "backup_channel")))

    return [entry.settings for entry in _read(path, convert)]
