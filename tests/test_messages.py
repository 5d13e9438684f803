"""The text catalogue: every key in Dutch and English, with the same placeholders, so the two stay in step."""

from __future__ import annotations

import string

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
