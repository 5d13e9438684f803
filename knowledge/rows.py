"""Rows from files: JSONL, JSON, CSV (any of , ; tab, sniffed) or Markdown with front matter, each row with its
file and line; a bad row or file is a ``Problem`` naming where (``file:line``) and why.

A file is read as UTF-8 (with or without a byte-order mark) or else as Windows-1252, the usual Excel export.
Each reason has a key (``Problem.key``): the command line shows it in its language from handlers/messages.py
(``imp_<key>``); ``REASONS`` holds the English for logs and for ``str()``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    "bad_minutes": "'target_minutes' must be a number above 0 (or empty), not '{value}'",
    "too_deep": "nested too deeply (brackets within brackets)",
    "number_too_long": "a number with more than {limit} digits",
    "field_too_long": "a field is longer than {limit} characters; put long texts in JSONL or Markdown",
    "unclosed_quote": "a quote that opens here is never closed",
    "text_after_quote": "text right after a closing quote (a quote inside a field is written twice: \"\")",
    "not_csv": "not readable as CSV ({error})",
    "control_character": "'{field}' holds a control character ({code}); remove it",
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


# C0 control characters but tab, line feed and carriage return: invisible, and a NUL cuts a text short in SQLite
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _checked(row: Row) -> Row | Problem:
    """``row``, or a Problem naming the first field whose text (or a text inside it) holds a control character."""
    for key, value in row.data.items():
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                found = _CONTROL.search(item)
                if found:
                    code = f"U+{ord(found.group(0)):04X}"
                    return Problem(f"{row.path}:{row.line}", "control_character", {"field": key, "code": code})
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.values())
    return row


def _deepest_line(text: str) -> int:
    """The line on which ``text`` (JSON) is nested deepest, first reached (strings skipped)."""
    depth = deepest = 0
    where = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group(0)
        if mark in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, token.start()
        elif mark in "]}":
            depth -= 1
    return text.count("\n", 0, where) + 1


def _loads(text: str, where: str, first_line: int = 1) -> Any:
    """``text`` as JSON, or a Problem at ``where:line`` saying what is wrong: not JSON, nested past what the
    parser can follow (it raised RecursionError), or a number past Python's limit of digits."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(f"{where}:{first_line + error.lineno - 1}", "not_json", {"column": error.colno})
    except RecursionError:
        return Problem(f"{where}:{first_line + _deepest_line(text) - 1}", "too_deep")
    except ValueError:  # int() of a number with more digits than Python converts
        return Problem(f"{where}:{first_line}", "number_too_long", {"limit": sys.get_int_max_str_digits()})


def _jsonl_rows(path: Path) -> Iterator[Row | Problem]:
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        data = _loads(line, str(path), number)
        if isinstance(data, Problem):
            yield data
            continue
        if not isinstance(data, dict):
            yield Problem(f"{path}:{number}", "not_object")
            continue
        yield _checked(Row(path, number, data, typed=True))


def _json_rows(path: Path) -> Iterator[Row | Problem]:
    raw = read_text(path)
    data = _loads(raw, str(path))
    if isinstance(data, Problem):
        yield data
        return
    items = data.get("people", data.get("articles")) if isinstance(data, dict) else data
    if not isinstance(items, list):
        yield Problem(f"{path}:1", "not_list_of_objects")
        return
    for index, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield _checked(Row(path, index, item, typed=True))
        else:
            yield Problem(str(path), "item_not_object", {"index": index})


def _csv_problem(error: csv.Error) -> tuple[str, dict[str, Any]]:
    """What a CSV reader's error means for the person who made the file."""
    said = str(error)
    if said.startswith("field larger than field limit"):
        return "field_too_long", {"limit": csv.field_size_limit()}
    if said == "unexpected end of data":  # strict: a quoted field still open at the end of the file
        return "unclosed_quote", {}
    if "expected after '\"'" in said:  # strict: "half" open
        return "text_after_quote", {}
    return "not_csv", {"error": said}


def _csv_rows(path: Path) -> Iterator[Row | Problem]:
    handle = io.StringIO(read_text(path), newline="")
    sample = handle.read(4096)
    handle.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # strict: a quote left open swallows the rest of the file into one field, and is an error instead; a quote
    # inside a quoted field is written twice, whether or not the sniffed sample showed one
    reader = csv.DictReader(handle, dialect=dialect, strict=True, doublequote=True)
    try:
        header = reader.fieldnames
    except csv.Error as error:
        yield Problem(f"{path}:1", *_csv_problem(error))
        return
    if not header:
        yield Problem(f"{path}:1", "no_header")
        return
    while True:
        start = reader.line_num + 1  # where the next row begins (a quoted field may span lines)
        try:
            data = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # the reader cannot go on past it: the file is refused anyway
            yield Problem(f"{path}:{start}", *_csv_problem(error))
            return
        if None in data:
            yield Problem(f"{path}:{reader.line_num}", "extra_fields")
            continue
        yield _checked(Row(path, reader.line_num, {k.strip(): v for k, v in data.items() if k}))


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


def rows_for(path: Path) -> Iterator[Row | Problem]:
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
    yield _checked(Row(path, 1, meta))
