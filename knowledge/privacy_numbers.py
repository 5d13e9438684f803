"""Phone numbers and BSNs as people type them: digit groups joined by spaces, hyphens, dots or brackets.

The normalised text is cut into digit groups; neighbouring groups form a run when the gap between them is
a separator people use inside a number (`06 12345678`, `628-194-821`, `(010) 123 45 67`, `6281 94821`).
Each run is walked once from the left; at each group a phone number (10 digits from 0, or + / 00 and a
country code, valid for phonenumbers and not a public toll-free or paid service number) or a BSN (9 digits
with a valid 11-proef) may start. A number may end inside a run only at a spaced gap, so `+31 6 12345678
12 mei` gives the phone and keeps the date, while `111.222.333.444` is not cut into a BSN. Dates, amounts,
codes glued to letters (`ORD-...`, `v10.2`) and numbers labelled as something else (zaaknummer, factuur,
KvK, ...) are left alone.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum.nl import bsn as _bsn

Span = tuple[int, int, str]

_GROUP = re.compile(r"[0-9]+")
_GAP_TIGHT = re.compile(r"[-.]")
_GAP_SPACED = re.compile(r" {1,2}| ?- ?| ?\. ?")
_GAP_SLASH = re.compile(r" ?/ ?")
_GAP_BRACKET = re.compile(r" ?\( ?| ?\) ?(?:- ?)?")
# Letters glued to a number that still say what it is: BSN628194821, tel0612345678, nr.0612345678.
_GLUED_OK = re.compile(
    r"(?i)(?:bsn|sofi|sofinr|sofinummer|burgerservicenummer|tel|telnr|telefoon|mob|mobiel|gsm|nr|nummer)\.?$"
)
# A label right before a number that says it is not a BSN or phone number.
LABELLED = re.compile(
    r"(?i)(?:\b(?:zaak|order|factuur|bestelling|ticket|referentie|ref|kenmerk|kvk|btw|versie|build|artikel)"
    r"(?:nummer|nr)?|(?:klant|pas|meter|relatie|contract|debiteur|crediteur|polis|dossier|aanslag|aanvraag"
    r"|vergunning|kamer|registratie|bestel|lid|personeels|leerling)\ ?(?:nummer|nr))\.?[ :#]{0,3}$"
)
_AMOUNT_BEFORE = re.compile(r"(?i)(?:€|\$|£|\beur|\beuro)\ ?$")
_AMOUNT_AFTER = re.compile(r"(?i)\ ?(?:€|euro|eur\b|,-)")
_PUBLIC = {
    phonenumbers.PhoneNumberType.TOLL_FREE,  # 0800
    phonenumbers.PhoneNumberType.PREMIUM_RATE,  # 0900, 0906, 0909
    phonenumbers.PhoneNumberType.SHARED_COST,
}


def _gap_kind(gap: str) -> str:
    """How two digit groups are joined: tight (-.), spaced, slash, bracket; '' when they are not."""
    if len(gap) > 4:
        return ""
    if _GAP_TIGHT.fullmatch(gap):
        return "tight"
    if _GAP_SPACED.fullmatch(gap):
        return "spaced"
    if _GAP_SLASH.fullmatch(gap):
        return "slash"
    if _GAP_BRACKET.fullmatch(gap):
        return "bracket"
    return ""


def _left_ok(w: str, p: int, labels: bool = True) -> bool:
    """May a phone number or BSN start at p, given what comes before?"""
    if p == 0:
        return True
    prev = w[p - 1]
    head = w[max(0, p - 40) : p]
    if prev.isalpha() or prev == "_":
        return bool(_GLUED_OK.search(head))
    if prev in "-/" and p >= 2 and w[p - 2].isalnum():
        return bool(_GLUED_OK.search(head[:-1]))
    if prev in ",.:" and p >= 2 and w[p - 2].isdigit():
        return False
    return not (labels and LABELLED.search(head))


def _right_ok(w: str, q: int) -> bool:
    if q >= len(w):
        return True
    nxt = w[q]
    after = w[q + 1 : q + 2]
    if nxt.isdigit():
        return False
    if nxt == "-" and after.isalnum() or nxt in ",.:" and after.isdigit():
        return False
    return True


def _dates(groups: list[re.Match[str]], gaps: list[str]) -> set[int]:
    """Indexes of groups that form a date: 12-03-2024, 1.2.24, 12/03/2024, 2024-03-12."""
    taken: set[int] = set()
    for i in range(len(groups) - 2):
        g = [m.group(0) for m in groups[i : i + 3]]
        sep1, sep2 = gaps[i], gaps[i + 1]
        if sep1 != sep2 or sep1 not in ("-", ".", "/"):
            continue
        if i > 0 and gaps[i - 1] == sep1 or i + 3 < len(groups) and gaps[i + 2] == sep1:
            continue  # 06.12.34.56.78 is a phone number written in pairs, not a date
        lens = [len(x) for x in g]
        dmy = lens[0] <= 2 and lens[1] <= 2 and lens[2] in (2, 4) and 1 <= int(g[0]) <= 31 and 1 <= int(g[1]) <= 12
        ymd = lens[0] == 4 and lens[1] <= 2 and lens[2] <= 2 and 1 <= int(g[1]) <= 12 and 1 <= int(g[2]) <= 31
        if dmy or ymd:
            taken.update((i, i + 1, i + 2))
    return taken


def _phone_ok(digits: str, international: bool) -> bool:
    if international:
        if digits.startswith("310"):  # +31 06 12345678, +31 (0)6 ...
            digits = "31" + digits[3:]
        if not 8 <= len(digits) <= 15 or digits[0] == "0":
            return False
        if len(digits) == 11 and digits.startswith("316"):
            return True  # every 06 number is a mobile, also in ranges not handed out yet (06-9...)
        text = "+" + digits
    else:
        if len(digits) != 10 or digits[1] == "0":
            return False
        if digits.startswith("06"):
            return True
        text = digits
    try:
        number = phonenumbers.parse(text, "NL")
        return phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) not in _PUBLIC
    except Exception:  # third-party parsing must never make masking fail
        return False


def _eleven_proof(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * (9 - k) for k, d in enumerate(digits[:8])) - int(digits[8])
    if total % 11:
        return False
    try:
        return bool(_bsn.is_valid(digits))
    except Exception:
        return False


class _Run:
    """The digit groups of one text with the kind of gap after each group."""

    def __init__(self, w: str) -> None:
        self.w = w
        self.groups = list(_GROUP.finditer(w))
        self.gaps = [w[a.end() : b.start()] for a, b in zip(self.groups, self.groups[1:], strict=False)]
        self.gaps += [""] if self.groups else []
        self.kinds = [_gap_kind(g) for g in self.gaps]
        for k, gap in enumerate(self.gaps):  # a bracket joins only when it closes: (010) 123, +31 (0)6
            if "(" in gap and not (k + 1 < len(self.gaps) and ")" in self.gaps[k + 1]):
                self.kinds[k] = ""
            before = w[max(0, self.groups[k].start() - 2) : self.groups[k].start()]
            if ")" in gap and "(" not in before and not (k and "(" in self.gaps[k - 1]):
                self.kinds[k] = ""
        self.dates = _dates(self.groups, self.gaps)

    def can_end(self, j: int) -> bool:
        """A number may end after group j: the gap after it is spaced, or the run ends there."""
        if self.kinds[j]:
            return self.kinds[j] != "tight"
        return _right_ok(self.w, self.groups[j].end())

    def phone(self, i: int) -> int:
        """Index of the last group of a phone number starting at group i, or -1."""
        w, g = self.w, self.groups
        start = g[i].start()
        first = g[i].group(0)
        plus = w[max(0, start - 2) : start].rstrip(" (").endswith("+") if start else False
        if not (plus or first.startswith("0")):
            return -1
        international = plus or first.startswith("00")
        digits = first[2:] if first.startswith("00") and not plus else first
        best = glued = -1
        for j in range(i, min(len(g), i + 12)):
            if j > i:
                if not self.kinds[j - 1] or j in self.dates:
                    break
                part = g[j].group(0)
                if part == "0" and self.gaps[j - 1].endswith("(") and international:
                    continue  # +31 (0)6
                digits += part
            if len(digits) > 15 + 6:
                break
            if len(digits) <= 15 and self.can_end(j) and _phone_ok(digits, international):
                best = j
                if not international:
                    break
            elif plus and best < 0 and glued < 0 and len(g[j].group(0)) >= 4:
                # +31 6 12345678020: digits glued on; mask the whole group rather than leave the number
                cuts = range(max(len(digits) - 6, len(digits) - len(g[j].group(0)) + 1, 8), min(len(digits), 16))
                if any(_phone_ok(digits[:cut], True) for cut in cuts):
                    glued = j
        return best if best >= 0 else glued

    def _amount(self, i: int, j: int) -> bool:
        """111.222.333 euro and € 111.222.333 are amounts; after the word BSN they are not."""
        start, end = self.groups[i].start(), self.groups[j].end()
        if _BSN_WORD.search(self.w, max(0, start - 30), start):
            return False
        if _AMOUNT_AFTER.match(self.w, end):
            return True
        thousands = all(self.gaps[k] == "." and len(self.groups[k + 1].group(0)) == 3 for k in range(i, j))
        return thousands and bool(_AMOUNT_BEFORE.search(self.w, max(0, start - 6), start))

    def bsn(self, i: int) -> int:
        g = self.groups
        digits = ""
        for j in range(i, min(len(g), i + 9)):
            if j > i and (self.kinds[j - 1] not in ("tight", "spaced") or j in self.dates):
                break
            digits += g[j].group(0)
            if len(digits) >= 9:
                ok = len(digits) == 9 and self.can_end(j) and _eleven_proof(digits)
                return j if ok and not self._amount(i, j) else -1
        return -1


_BSN_WORD = re.compile(r"(?i)(?:bsn|sofi|burgerservicenummer)[\w-]{0,10}\W{0,3}$")


def find_numbers(w: str) -> list[Span]:
    run = _Run(w)
    spans: list[Span] = []
    i = 0
    while i < len(run.groups):
        if i in run.dates or i > 0 and run.kinds[i - 1] == "tight":
            i += 1
            continue
        start = run.groups[i].start()
        kind, last = "phone", run.phone(i)
        if last < 0 or _BSN_WORD.search(w, max(0, start - 30), start) and run.bsn(i) >= 0:
            kind, last = "bsn", run.bsn(i)
        # a mobile, an international number or one written in groups is a phone whatever its label says
        sure = kind == "phone" and (
            last > i or run.groups[i].group(0).startswith("06") or "+" in w[max(0, start - 2) : start]
        )
        if last < 0 or not _left_ok(w, start, labels=not sure):
            i += 1
            continue
        end = run.groups[last].end()
        if kind == "phone":  # a leading +, and brackets that belong to it: "(010) 123 45 67", "(+31) 6 ..."
            head = re.search(r"(?:\(\ ?)?(?:\+\ ?)?$", w[max(0, start - 4) : start])
            start -= len(head.group(0)) if head else 0
            if w[start] == "(" and ")" not in w[start:end]:
                start += 1 + (w[start + 1] == " ")
        spans.append((start, end, kind))
        i = last + 1
    return spans
