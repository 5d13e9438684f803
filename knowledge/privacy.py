"""Replace personal data (BSN, IBAN, phone, e-mail, postcode + house number) by fixed placeholders.

Used before a question or answer is stored in the knowledge base, written to the audit log or posted to
an expert channel. Detectors run in a fixed order (IBAN, e-mail, phone, BSN, address); each replaces its
hits by a one-character private-use marker, so later detectors never see half-masked digits and the kinds
can be reported in order of appearance. All patterns start only at token starts and have bounded
repetition, so masking stays linear-ish on large texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as _iban
from stdnum.nl import bsn as _bsn

KINDS: tuple[str, ...] = ("bsn", "iban", "phone", "email", "address")
PLACEHOLDERS: dict[str, str] = {
    "bsn": "[BSN]",
    "iban": "[IBAN]",
    "phone": "[TELEFOON]",
    "email": "[EMAIL]",
    "address": "[ADRES]",
}


@dataclass(frozen=True)
class Masked:
    text: str  # the text with placeholders
    found: tuple[str, ...]  # kinds found, in order of appearance, e.g. ("bsn", "email")


_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]{1,64}@(?:[\w-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![\w-])")
# 9 digits: compact, 123 456 782, 1234.56.782 or 12.34.56.782 (consistent separator); not part of a
# longer number, an amount (€ 111.222.333,00) or a code like ORD-111222333.
_BSN = re.compile(
    r"(?<![\w+€/-])(?<!€ )(?:[0-9]{9}|[0-9]{3}([ .])[0-9]{3}\1[0-9]{3}|[0-9]{4}([ .])[0-9]{2}\2[0-9]{3}"
    r"|[0-9]{2}([ .])[0-9]{2}\3[0-9]{2}\3[0-9]{3})(?!\w|[.,][0-9])"
)
# Two-letter words that follow a number in ordinary text ("2015 en", "500 km"); a lowercase postcode
# is only accepted when it is not one of these and a house number is next to it.
_STOP = (
    "en|op|in|is|te|de|om|of|al|zo|nu|ik|je|we|ze|er|na|ca|nr|an|at|on|or|to|am|as|be|by|he|if|it|me|my"
    "|no|so|up|us|do|go|pm|km|kg|cm|mm|ml|mg|gb|mb|kb|uu|eu|pp|st|nd|rd|th|ex|bv|nv"
)
_HN = r"[0-9]{1,4}(?:[A-Za-z]{1,3}(?![\w])|-[A-Za-z0-9]{1,4}(?![\w]))?(?![\w-])"
_PC_ANY = rf"[1-9][0-9]{{3}} ?(?:[A-Z]{{2}}|(?!(?i:{_STOP})(?!\w))[A-Za-z]{{2}})(?!\w)"
_PC_UPPER = r"[1-9][0-9]{3} ?[A-Z]{2}(?!\w)"
_ADDRESS = re.compile(rf"(?<![\w.,-])(?:{_HN},? {_PC_ANY}|{_PC_ANY},? ?{_HN}|{_PC_UPPER})")


def _safe(check: Callable[[str], bool], value: str) -> bool:
    try:
        return bool(check(value))
    except Exception:  # a validator must never make masking fail
        return False


def _iban_hit(match: re.Match[str], marker: str) -> str:
    """The regex may run on into following words; keep the longest valid prefix ending at a space."""
    raw = match.group(0)
    ends = [i for i, ch in enumerate(raw) if ch == " "] + [len(raw)]
    for end in reversed(ends):
        if _safe(_iban.is_valid, raw[:end].replace(" ", "")):
            return marker + raw[end:]
    return raw


def _phones(text: str, marker: str) -> str:
    """Leniency VALID: POSSIBLE also takes dates (12-03-2024) and number runs for phone numbers."""
    parts: list[str] = []
    pos = 0
    try:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, "NL", leniency=phonenumbers.Leniency.VALID, max_tries=len(text) + 1
        )
        for m in matcher:
            # Written phone numbers start with 0, +, 00 or "(0": a bare number is a count, code or BSN.
            first = m.raw_string.lstrip("(")[:1]
            if (first in ("+", "\uff0b") or first.isdecimal() and int(first) == 0) and m.start >= pos:
                parts += [text[pos : m.start], marker]
                pos = m.end
    except Exception:  # the matcher is third-party code; keep what was found so far
        pass
    return "".join(parts) + text[pos:]


def _markers(text: str) -> tuple[str, str]:
    """One private-use character per kind, chosen so that none occurs in the text itself."""
    used = set(text)
    for base in range(0xE000, 0xF8FF - len(KINDS), len(KINDS)):
        marks = "".join(chr(base + i) for i in range(len(KINDS)))
        if used.isdisjoint(marks):
            return marks, text
    marks = "".join(chr(0xE000 + i) for i in range(len(KINDS)))
    return marks, text.translate({ord(c): "\ufffd" for c in marks})


def _one_pass(text: str, mark: dict[str, str]) -> str:
    out = _IBAN.sub(lambda m: _iban_hit(m, mark["iban"]), text)
    if "@" in out:
        out = _EMAIL.sub(mark["email"], out)
    out = _phones(out, mark["phone"])
    out = _BSN.sub(
        lambda m: mark["bsn"] if _safe(_bsn.is_valid, re.sub("[ .]", "", m.group(0))) else m.group(0), out
    )
    return _ADDRESS.sub(mark["address"], out)


def mask(text: str) -> Masked:
    if not isinstance(text, str) or not text:
        return Masked(text=text if isinstance(text, str) else "", found=())
    marks, out = _markers(text)
    mark = dict(zip(KINDS, marks, strict=True))
    # A hit can change what its neighbours look like (e.g. a phone run on into a BSN), so repeat until
    # nothing changes: that also makes masking idempotent. Usually two passes, the second one cheap.
    for _ in range(4):
        new = _one_pass(out, mark)
        if new == out:
            break
        out = new
    kind_of = {c: k for k, c in mark.items()}
    found = tuple(kind_of[c] for c in out if c in kind_of)
    if found:
        out = out.translate({ord(c): PLACEHOLDERS[k] for c, k in kind_of.items()})
    return Masked(text=out, found=found)


def mask_text(text: str) -> str:
    return mask(text).text


def has_placeholder(text: str) -> bool:
    """Whether ``text`` went through masking with a hit (it holds one of the placeholders)."""
    return any(p in text for p in PLACEHOLDERS.values())
