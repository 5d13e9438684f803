"""The house's arrows, checked on the code: chat SDKs and web frameworks only under bot/, and every SQL statement
only in a storage backend's package (knowledge/sqlite/ today), so a second backend is one more folder."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("knowledge/sqlite/", "knowledge/postgres/")
EDGE_ONLY = {"slack_bolt", "slack_sdk", "msal", "aiohttp", "flask", "werkzeug", "waitress", "jwt", "click",
             "argparse", "prometheus_client", "bot"}
DATABASE = {"sqlite3", "sqlite_utils", "psycopg", "psycopg_pool"}
SQL = re.compile(r"^\s*(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|"
                 r"(CREATE|DROP|ALTER)\s+(TABLE|INDEX|TRIGGER|VIEW)\s|PRAGMA\s+\w|WITH\s+\w+\s+AS\s*\()", re.I | re.S)
STORE_CALLS = {"rows", "iter_rows", "execute", "executemany", "executescript"}


def modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", modules("handlers", "knowledge"), ids=rel)
def test_no_chat_sdk_web_framework_or_bot_below_bot(path: Path) -> None:
    wrong = imported(ast.parse(path.read_text(encoding="utf-8"))) & EDGE_ONLY
    assert not wrong, f"{rel(path)} imports {sorted(wrong)}: only bot/ may"


def sql_outside_a_backend(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = [f"imports {name}" for name in sorted(imported(tree) & DATABASE)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STORE_CALLS \
                and node.args:  # a statement to run (waitress's server.execute() is no SQL)
            problems.append(f"line {node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            problems.append(f"line {node.lineno}: SQL text {node.value[:40]!r}")
    return problems


@pytest.mark.parametrize("path", [p for p in modules("bot", "handlers", "knowledge")
                                  if not rel(p).startswith(BACKENDS)], ids=rel)
def test_sql_lives_only_in_a_storage_backend(path: Path) -> None:
    problems = sql_outside_a_backend(path)
    assert not problems, f"{rel(path)}: {problems}"


def test_the_check_sees_sql_where_it_is() -> None:
    """The check itself finds what it looks for (else the test above could pass on anything)."""
    assert sql_outside_a_backend(ROOT / "knowledge" / "sqlite" / "records.py")
    assert sql_outside_a_backend(ROOT / "knowledge" / "sqlite" / "store.py")
