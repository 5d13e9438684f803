"""A word-level diff of two texts as (kind, text) spans: "same", "del" (only in the first), "ins" (only in the
second). Templates render each as an escaped ``<span class="kind">``: no inline style, no markup from the text."""

from __future__ import annotations

import difflib
import re

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
MAX_TOKENS = 4000  # beyond this, the rest is compared as one block (a diff must not hold a page up)


def _tokens(text: str) -> list[str]:
    found = TOKEN.findall(text)
    return found[:MAX_TOKENS] + (["".join(found[MAX_TOKENS:])] if len(found) > MAX_TOKENS else [])


def spans(old: str, new: str) -> list[tuple[str, str]]:
    """How ``new`` differs from ``old``, word by word; neighbouring spans of one kind are joined."""
    a, b = _tokens(old), _tokens(new)
    out: list[tuple[str, str]] = []

    def add(kind: str, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        else:
            out.append((kind, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("same", a[i1:i2])
        else:
            add("del", a[i1:i2])
            add("ins", b[j1:j2])
    return out
