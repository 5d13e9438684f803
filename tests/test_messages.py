"""The text catalogue: every key in Dutch and English, with the same placeholders, so the two stay in step."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from handlers.messages import TEXTS, t


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_every_text_is_in_dutch_and_english_and_nothing_else() -> None:
    assert {key for key, variants in TEXTS.items() if set(variants) != {"nl", "en"}} == set()
    assert {key for key, variants in TEXTS.items() if not all(v.strip() for v in variants.values())} == set()


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_dutch_and_english_have_the_same_placeholders(key: str) -> None:
    assert placeholders(TEXTS[key]["nl"]) == placeholders(TEXTS[key]["en"])


def test_t_fills_in_values_and_falls_back_to_dutch() -> None:
    assert t("source", "en", source="KB") == "Source: KB"
    assert t("source", "fr", source="KB") == t("source", None, source="KB") == "Bron: KB"


BOT = Path(__file__).resolve().parents[1] / "bot"


def _literal(node: ast.expr | None) -> bool:
    """A sentence written in place: a string constant or an f-string with words in it."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_literal(part) for part in node.values)
    return False


def _texts_in_place(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name == "Message":
            args = [k.value for k in node.keywords if k.arg == "text"] + node.args[:1]
        elif name == "UserError":
            args = node.args[:1]
        else:
            continue
        found += [(node.lineno, name) for arg in args if _literal(arg)]
    return found


def test_no_text_for_people_is_written_in_place_in_bot() -> None:
    """Message(text="...") and UserError("...") with words take them from handlers.messages (t), so Dutch and
    English stay in one catalogue; the adapters and the use cases alike."""
    offenders = [f"{path.relative_to(BOT.parent)}:{line}: {name}"
                 for folder in (BOT, BOT.parent / "handlers")
                 for path in sorted(folder.rglob("*.py"))
                 for line, name in _texts_in_place(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == []


@pytest.mark.parametrize("source", [
    'Message(text="Geen open expertvragen.")',
    'Message(text=f"Je bent nu {name}.")',
    'replies.Message("Hello there")',
    'raise UserError("Noem de term.")',
    'raise UserError(f"Teams needs {names}.")',
])
def test_the_guard_sees_texts_written_in_place(source: str) -> None:
    assert _texts_in_place(ast.parse(source))


@pytest.mark.parametrize("source", [
    'Message(text=t("console_inbox_empty", lang))',
    'Message(text=str(error))',
    'Message(text="\\n".join(lines) or "-")',
    'raise UserError(t("cli_need_term", lang))',
])
def test_the_guard_lets_catalogue_texts_pass(source: str) -> None:
    assert not _texts_in_place(ast.parse(source))
