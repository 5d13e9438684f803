"""Importers: knowledge base from JSONL, CSV or a folder of Markdown files; people from CSV, JSON or JSONL;
routing rules and synonyms from CSV or JSONL (what ``vraagbaak export`` writes reads back here).

A file is checked whole before anything is written: when a row is bad, nothing from that file is
imported and every bad row is reported as ``file:line: reason``. Re-importing updates by id.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from knowledge.model import Article, ArticleStatus, Person

STATUSES = ("provisional", "validated", "archived", "held")
LANGS = ("nl", "en")


class ImportProblem(Exception):
    """One or more bad rows; ``problems`` holds 'file:line: reason' strings."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    data: dict[str, Any]


def _as_list(value: Any, sep: str = ";") -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(sep)
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str | int | float):
        raise ValueError(f"'{key}' must be text")
    return str(value).strip()


def to_article(data: dict[str, Any], source: str = "") -> Article:
    article_id, title = _text(data, "id"), _text(data, "title")
    if not article_id:
        raise ValueError("missing 'id'")
    if not title:
        raise ValueError("missing 'title'")
    status = _text(data, "status", "validated") or "validated"
    if status not in STATUSES:
        raise ValueError(f"status '{status}' is not one of {', '.join(STATUSES)}")
    lang = _text(data, "lang", "nl") or "nl"
    if lang not in LANGS:
        raise ValueError(f"lang '{lang}' is not one of {', '.join(LANGS)}")
    return Article(
        id=article_id, title=title, body=_text(data, "body"), keywords=_as_list(data.get("keywords")),
        questions=_as_list(data.get("questions")), url=_text(data, "url"), owner=_text(data, "owner"),
        status=cast(ArticleStatus, status), lang=lang, review_date=_text(data, "review_date"),
        source=_text(data, "source", source),
        # when the content last changed; without it, a re-import keeps the date while the text is the same
        updated_at=_text(data, "updated") or _text(data, "updated_at"),
    )


def to_person(data: dict[str, Any]) -> Person:
    person_id, name = _text(data, "id"), _text(data, "name")
    if not person_id:
        raise ValueError("missing 'id'")
    if not name:
        raise ValueError("missing 'name'")
    return Person(
        id=person_id, name=name, title=_text(data, "title"), department=_text(data, "department"),
        expertise=_as_list(data.get("expertise")), email=_text(data, "email"), phone=_text(data, "phone"),
        handles=_handles(data),
    )


def _handles(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Platform ids from ``slack_id``/``teams_id`` columns, and from a ``handles`` object (any platform)."""
    found = {platform: _text(data, f"{platform}_id") for platform in ("slack", "teams")}
    extra = data.get("handles")
    if isinstance(extra, str) and extra.strip():
        try:
            extra = json.loads(extra)
        except json.JSONDecodeError as error:
            raise ValueError(f"'handles' is not a JSON object ({error.msg})") from None
    if extra:
        if not isinstance(extra, dict):
            raise ValueError("'handles' must be an object of platform: id")
        found |= {str(platform): _text(extra, platform) for platform in extra}
    return tuple(sorted((platform, handle) for platform, handle in found.items() if handle))


def _jsonl_rows(path: Path) -> Iterator[Row | str]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield f"{path}:{number}: not valid JSON ({error.msg})"
                continue
            if not isinstance(data, dict):
                yield f"{path}:{number}: expected a JSON object"
                continue
            yield Row(path, number, data)


def _json_rows(path: Path) -> Iterator[Row | str]:
    raw = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        yield f"{path}:{error.lineno}: not valid JSON ({error.msg})"
        return
    items = data.get("people", data.get("articles")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        yield f"{path}:1: expected a list of objects (or {{\"people\": [...]}})"
        return
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield Row(path, index, item)
        else:
            yield f"{path}: item {index}: expected a JSON object"


def _csv_rows(path: Path) -> Iterator[Row | str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(handle, dialect=dialect)
        if not reader.fieldnames:
            yield f"{path}:1: no header row"
            return
        for data in reader:
            if None in data:
                yield f"{path}:{reader.line_num}: more fields than the header has"
                continue
            yield Row(path, reader.line_num, {k.strip(): v for k, v in data.items() if k})


def _markdown_rows(folder: Path) -> Iterator[Row | str]:
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
                raise ValueError(f"{number}: '{key}' mixes a value and a list")
            meta[key].append(_scalar(line.lstrip()[2:].strip()))
            continue
        if ":" not in line:
            raise ValueError(f"{number}: expected 'key: value' in front matter")
        key, value = (part.strip() for part in line.split(":", 1))
        if value.startswith("[") and value.endswith("]"):
            meta[key] = [v.strip().strip("\"'") for v in value[1:-1].split(",") if v.strip()]
        elif value:
            meta[key] = _scalar(value)
    raise ValueError("1: front matter is not closed with '---'")


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


def _rows_for(path: Path) -> Iterator[Row | str]:
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
    raise ImportProblem([f"{path}: unknown kind of file (use .jsonl, .json, .csv or a folder of .md files)"])


def _markdown_rows_file(path: Path) -> Iterator[Row | str]:
    try:
        meta, body = front_matter(path.read_text(encoding="utf-8-sig"))
    except ValueError as error:
        yield f"{path}:{error}"
        return
    meta.setdefault("id", path.stem)
    meta["body"] = body.strip()
    yield Row(path, 1, meta)


def read_articles(path: Path) -> list[Article]:
    """Every article in ``path``, or ImportProblem naming each bad row (then nothing is returned)."""
    return _read(path, lambda data: to_article(data, source=path.name))


def read_people(path: Path) -> list[Person]:
    return _read(path, to_person)


def _read(path: Path, convert: Any) -> list[Any]:
    if not path.exists():
        raise ImportProblem([f"{path}: no such file or folder"])
    problems: list[str] = []
    items: list[Any] = []
    for row in _rows_for(path):
        if isinstance(row, str):
            problems.append(row)
            continue
        try:
            items.append(convert(row.data))
        except ValueError as error:
            problems.append(f"{row.path}:{row.line}: {error}")
    if problems:
        raise ImportProblem(problems)
    return items


def read_routes(path: Path) -> list[tuple[str, str]]:
    """Routing rules (``keyword``, ``channel``) from CSV, JSON or JSONL."""
    if not path.exists():
        raise ImportProblem([f"{path}: no such file or folder"])
    problems: list[str] = []
    routes: list[tuple[str, str]] = []
    for row in _rows_for(path):
        if isinstance(row, str):
            problems.append(row)
        elif not str(row.data.get("keyword") or "").strip() or not str(row.data.get("channel") or "").strip():
            problems.append(f"{row.path}:{row.line}: needs both 'keyword' and 'channel'")
        else:
            routes.append((str(row.data["keyword"]), str(row.data["channel"])))
    if problems:
        raise ImportProblem(problems)
    return routes


def read_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    """Synonyms from CSV, JSON or JSONL: each row a ``term`` with ``synonyms`` (a list, or ``;``-separated)
    or one ``synonym``."""
    found: dict[str, list[str]] = {}

    def convert(data: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        term = _text(data, "term")
        synonyms = (*_as_list(data.get("synonyms")), *_as_list(data.get("synonym")))
        if not term or not synonyms:
            raise ValueError("needs a 'term' and its 'synonyms' (or one 'synonym')")
        return term, synonyms

    for term, synonyms in _read(path, convert):
        known = found.setdefault(term, [])
        known.extend(s for s in synonyms if s not in known)
    return {term: tuple(synonyms) for term, synonyms in found.items()}
