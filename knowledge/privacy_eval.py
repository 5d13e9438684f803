"""How well masking does on a labelled set: one JSON object a line with `text` and `expected` (the text
with placeholders where personal data was). Rows whose expected text equals the text are look-alikes
that must stay untouched.

Recall per kind counts placeholders: a row expecting two `[TELEFOON]` and getting one scores 1 of 2.
`exact` is the share of rows with personal data whose masked text equals the expected text exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.privacy import KINDS, PLACEHOLDERS, mask_text


@dataclass
class Score:
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    hit: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    positives: int = 0
    exact: int = 0
    lookalikes: int = 0
    touched: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # text, expected, got

    def recall(self, kind: str) -> float:
        return self.hit[kind] / self.expected[kind] if self.expected[kind] else 1.0

    def lines(self) -> list[str]:
        out = [f"{kind:>8}: recall {self.recall(kind):6.1%} ({self.hit[kind]}/{self.expected[kind]})"
               for kind in KINDS]
        out.append(f"   exact: {self.exact}/{self.positives} rows with personal data masked exactly as expected")
        share = self.touched / self.lookalikes if self.lookalikes else 0.0
        out.append(f"  look-alikes touched: {share:.1%} ({self.touched}/{self.lookalikes})")
        return out


def read_rows(path: Path) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for number, row in enumerate(rows, 1):
        if not isinstance(row.get("text"), str) or not isinstance(row.get("expected"), str):
            raise ValueError(f"{path}, regel {number}: elke regel heeft 'text' en 'expected' nodig")
    return rows


def score(rows: Iterable[dict[str, str]]) -> Score:
    result = Score()
    for row in rows:
        text, expected = row["text"], row["expected"]
        got = mask_text(text)
        if text == expected:
            result.lookalikes += 1
            if got != text:
                result.touched += 1
                result.misses.append((text, expected, got))
            continue
        result.positives += 1
        result.exact += got == expected
        for kind in KINDS:
            before = text.count(PLACEHOLDERS[kind])
            want = expected.count(PLACEHOLDERS[kind]) - before
            result.expected[kind] += want
            result.hit[kind] += min(want, max(0, got.count(PLACEHOLDERS[kind]) - before))
        if got != expected:
            result.misses.append((text, expected, got))
    return result
