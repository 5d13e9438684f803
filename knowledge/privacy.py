"""Replace personal data (BSN, IBAN, phone, e-mail, postcode + house number) by fixed placeholders.

Used before a question or answer is stored in the knowledge base, written to the audit log or posted to
an expert channel, and by `vraagbaak mask` to check a document before it is imported.

Detection runs on a normalised copy of the text (NFKC, every space kind a plain space and a run of them
one, every dash a hyphen, every decimal digit ASCII, invisible format characters dropped) that remembers
where each of its characters came from; the hits are mapped back, so everything outside a masked span
keeps its original characters. Detectors run in a fixed order (IBAN, e-mail, phone, BSN, address); each
hit is blanked out in the working copy, so later detectors never see half-masked digits. Placeholders
already in the text are blanked out the same way, and the detectors run again until nothing new turns up,
which keeps masking idempotent. Patterns have bounded repetition and the digit detectors walk the digit
groups once, so time stays linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from stdnum import iban as _iban

from knowledge.privacy_numbers import LABELLED, find_numbers

KINDS: tuple[str, ...] = ("bsn", "iban", "phone", "email", "address")
PLACEHOLDERS: dict[str, str] = {
    "bsn": "[BSN]",
    "iban": "[IBAN]",
    "phone": "[TELEFOON]",
    "email": "[EMAIL]",
    "address": "[ADRES]",
}
Span = tuple[int, int, str]  # start, end (in the normalised text), kind


@dataclass(frozen=True)
class Masked:
    text: str  # the text with placeholders
    found: tuple[str, ...]  # kinds found, in order of appearance, e.g. ("bsn", "email")


# --- normalisation -------------------------------------------------------------------------------------

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    if ch in _DASHES:
        return "-"
    category = unicodedata.category(ch)
    if category in ("Zs", "Zl", "Zp") or ch == "\t":
        return " "
    if category == "Cf" or ch == "\u00ad":  # zero-width spaces and joiners, soft hyphen, BOM
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    out = unicodedata.normalize("NFKC", ch)
    return "".join(_norm_char(c) if c != ch else c for c in out) if out != ch else ch


def normalise(text: str) -> tuple[str, list[int] | None]:
    """The text as detectors see it, a run of spaces one space, and for each of its characters the index
    of the original one (None when the two are the same, the common case of plain ASCII)."""
    if text.isascii() and "\t" not in text and "  " not in text:
        return text, None
    parts: list[str] = []
    origin: list[int] = []
    space = False
    for i, ch in enumerate(text):
        n = ch if ch.isascii() and ch != "\t" else _norm_char(ch)
        if n == " " and space:
            continue
        if n:
            space = n[-1] == " "
        parts.append(n)
        origin.extend([i] * len(n))
    return "".join(parts), origin


# --- IBAN ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _iban_length(country: str) -> int:
    """The length of an IBAN of this country, 0 when the country has none."""
    try:
        info = _iban._ibandb.info(country + "00")
        bban = info[0][1].get("bban", "") if info and info[0][1] else ""
    except Exception:
        return 0
    return 4 + sum(int(n) for n in re.findall(r"(\d+)!", bban)) if bban else 0


_IBAN_START = re.compile(r"[A-Za-z]{2}(?=[ .-]?[0-9]{2})")


def _ibans(w: str) -> list[Span]:
    """Country code and check digits, then alphanumerics with at most one separator (space, hyphen, dot)
    between any two, exactly as many as that country's IBAN has; valid checksum and structure. Letters
    glued on either side are allowed (graagNL91ABNA0417164300), digits after it are not."""
    spans: list[Span] = []
    for m in _IBAN_START.finditer(w):
        length = _iban_length(m.group(0).upper())
        if not length or (spans and m.start() < spans[-1][1]):
            continue
        chars: list[str] = []
        pos = m.start()
        while len(chars) < length and pos < len(w):
            if w[pos].isascii() and w[pos].isalnum():
                chars.append(w[pos])
                pos += 1
            elif w[pos] in " .-" and chars and pos + 1 < len(w) and w[pos + 1].isascii() and w[pos + 1].isalnum():
                pos += 1
            else:
                break
        if len(chars) == length and not (pos < len(w) and w[pos].isdigit()):
            try:
                # mod 97 and the country's format; not the country's own bank-code rules, which reject
                # the IBANs people copy from examples (BE68 5390 0754 7034) and add nothing for privacy
                ok = _iban.is_valid("".join(chars), check_country=False)
            except Exception:  # a validator must never make masking fail
                ok = False
            if ok:
                spans.append((m.start(), pos, "iban"))
    return spans


# --- e-mail ----------------------------------------------------------------------------------------------

_WORD = r"[\w+%-]{1,64}"
_DOT = r"(?:\.|\ ?[(\[{<]\ ?(?:dot|punt|\.)\ ?[)\]}>]\ ?|\ (?:dot|punt)\ )"
_AT_WORD = r"\ (?:at|apenstaartje|apestaartje)\ "
_AT = rf"(?:\ ?@\ ?|\ ?[(\[{{<]\ ?(?:at|a|@)\ ?[)\]}}>]\ ?|(?P<word>{_AT_WORD}))"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    rf"(?<![\w.+%-]){_WORD}(?:{_DOT}{_WORD}){{0,6}}{_AT}{_LABEL}(?:{_DOT}{_LABEL}){{0,6}}{_DOT}"
    rf"(?P<tld>[A-Za-z]{{2,24}})",
    re.IGNORECASE,
)
# With a spelled-out "at" the address is only taken when it ends in a common top-level domain, so
# "kijk at the website" or "at home" stay as they are.
_COMMON_TLDS = frozenset(
    "nl be de eu com net org info nu uk fr es it io biz me co online email frl amsterdam".split()
)


def _emails(w: str) -> list[Span]:
    """A top-level domain with a word glued to it (gmail.comnummer) ends at the longest common one."""
    spans: list[Span] = []
    for m in _EMAIL.finditer(w):
        tld, end = m.group("tld").lower(), m.end()
        glued = end < len(w) and (w[end].isalnum() or w[end] in "_-" and w[end + 1 : end + 2].isalnum())
        if glued or tld not in _COMMON_TLDS:
            common = next((tld[:n] for n in range(len(tld), 1, -1) if tld[:n] in _COMMON_TLDS), "")
            if common and (glued or m.group("word")):
                end = m.start("tld") + len(common)
            elif glued or m.group("word"):
                continue
        spans.append((m.start(), end, "email"))
    return spans


# --- postcode + house number ---------------------------------------------------------------------------

# Two letters after four digits that are a word or a unit rather than a postcode's letters.
_WORDS = frozenset(
    "en op in is te de om of al zo nu ik je we ze er na ca nr an at on or to am as be by he if it me my no so"
    " up us do go pm ex".split()
)
_UNITS = frozenset(
    "km kg cm mm ml mg gb mb kb tb uu eu pp st nd rd th bv nv ns vs uk hz kw mw gw kr gr ms rs ad bc ai".split()
)
_PC = r"(?P<pc>[1-9][0-9]{3})(?P<sep>[ -]?)(?P<letters>[A-Za-z]{2})(?![A-Za-z])"
# A house number's addition: a floor or part (hs, bis, huis, bg, boven, zw, I-IV), a letter, or a number after a
# hyphen; a second one may follow the first (12-2a, 12A-3, 12 A-3, 12-2 hs), but never a second letter (2024 de is
# no number with an addition). Before or after the postcode alike.
_ADDITION_WORD = r"(?:hs|bis|huis|bg|boven|zw|I{1,3}|IV)"
_ADDITION = (
    rf"(?:[ -]?{_ADDITION_WORD}(?:-[0-9]{{1,4}})?"  # hs, bis, -II; 12bis-1
    rf"|[ -]?[A-Za-z](?:-[0-9]{{1,4}}|[ -]{_ADDITION_WORD})?"  # a, B, -h; 12A-3, 12 A-3, 12a hs (never two letters)
    rf"|-[0-9]{{1,4}}(?:[ -]?{_ADDITION_WORD}|-?[A-Za-z])?)"  # -3; 12-2a, 12-2 hs
    r"(?!\w|\.\w)"
)
_NUMBER = rf"[1-9][0-9]{{0,4}}(?:{_ADDITION})?(?![\w%]|[.,:/-][0-9]|\ %|\ (?:uur|jaar|euro|min|km|kg|keer|x)\b)"
_NUMBER_WORD = r"(?:huisnummer|huisnr|hnr|nummer|nr|no)\.?:?\ ?"
_AFTER = rf"(?:,?\ ?|\ ?-\ ?|,?\ (?:(?:en\ |met\ )?{_NUMBER_WORD})?|,?\ ?{_NUMBER_WORD})(?P<after>{_NUMBER})"
_BEFORE = rf"(?<!-)(?P<before>{_NUMBER}),?\ "
# not glued by a hyphen to a code before it: NL-2024-AB-12 is a zaaknummer, not postcode 2024 AB with number 12
_ADDRESS = re.compile(rf"(?<![\w.,/:])(?<!\w-)(?:{_BEFORE})?{_PC}(?:{_AFTER})?", re.IGNORECASE)
_ADDED = re.compile(r"[^0-9]")  # a house number with an addition (12-2, 12 A, 12bis) has more than digits
_ADDRESS_WORDS = re.compile(
    r"(?i)(?:postcode|adres|woon\w*|woont|wonend|verhuis\w*|straat|laan|weg|plein|gracht|kade|singel|dreef"
    r"|hof|dijk|steeg|pc)\W{1,4}(?:\w+\W{1,3}){0,2}$"
)
_PLACE = re.compile(r"\ [A-Z][a-z\u00e0-\u00ff]{2,}")
_YEAR = re.compile(r"19[0-9]{2}|20[0-4][0-9]")
_PO_BOX = re.compile(r"(?i)\b(?:postbus|antwoordnummer)\ ?[0-9]{1,6},?\ ?$")


def _postcode_ok(m: re.Match[str], w: str) -> bool:
    """Four digits and two letters are a postcode when the letters cannot be a word or unit, or a
    house number, an address word before it or a place name after it says so; years stay years."""
    letters, pc, after = m.group("letters"), m.group("pc"), m.group("after")
    lower, upper = letters.lower(), letters.isupper()
    if lower in ("sa", "sd", "ss"):  # never used in postcodes
        return False
    keyword = bool(_ADDRESS_WORDS.search(w, max(0, m.start() - 40), m.start()))
    number = after or m.group("before")
    spelled = after and re.search(_NUMBER_WORD, m.group(0)[m.end("letters") - m.start() :])
    glued = after and not m.group("sep") and m.end("letters") == m.start("after")  # 1332he200
    year = bool(_YEAR.fullmatch(pc))
    if _PO_BOX.search(w, max(0, m.start() - 30), m.start("pc")):
        return False  # Postbus 1234, 3000 AB Rotterdam is an organisation's address, and answers need it
    if spelled or glued:
        return True
    before = m.group("before")
    if before and not after and (lower in _WORDS or lower in _UNITS):
        # Kerkstraat 12, 1017 BV and 12-2, 1017 BV are addresses: an address word or an addition says so
        # (without the word, four digits like a year stay a year); 12 1043 MB is a size
        return upper and (keyword or bool(_ADDED.search(before)) and not year)
    short = bool(after) and len(re.match(r"[0-9]*", after).group(0)) <= 3  # type: ignore[union-attr]
    if lower in _WORDS:  # 2015 en 12 keer and 1500 EN 1600 are not addresses; 9598 AM 92 is
        return upper and short and not year
    if lower in _UNITS:  # 1234 KG 12 may be an address; 12 1043 MB, 1874 KG 1619 and 2019 NS 3 are not
        if after:
            return upper and short and (keyword or not year) and not w[m.end() : m.end() + 2].strip().isdigit()
        return bool(upper and keyword and not m.group("before") and not year)
    if number:
        return True
    # a postcode on its own: upper case, and an address word before it or a place name after it
    if not upper or w[m.end() : m.end() + 1] in ("-", "/"):
        return False
    return keyword or bool(_PLACE.match(w, m.end())) and not year


def _code(m: re.Match[str], w: str) -> bool:
    """Whether what looks like an address is part of a code: labelled as something else (zaaknummer
    2024-AB-12), or glued by a hyphen to a code after it, as ``_ADDRESS`` refuses one before it (NL-2024-AB-12)."""
    if w[m.end() : m.end() + 1] == "-" and w[m.end() + 1 : m.end() + 2].isalnum():
        return True
    return bool(LABELLED.search(w[max(0, m.start() - 40) : m.start()]))


def _address_ok(m: re.Match[str], w: str) -> bool:
    return _postcode_ok(m, w) and not _code(m, w)


def _addresses(w: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    while m := _ADDRESS.search(w, pos):
        ok = _address_ok(m, w)
        if not ok and m.group("before"):  # the number before was no house number
            m = _ADDRESS.match(w, m.start("pc")) or m
            ok = _address_ok(m, w)
        if ok:
            spans.append((m.start(), m.end(), "address"))
            pos = m.end()
        else:  # what looked like a house number may start the next postcode: 2024 de 3713 KT 39
            pos = m.end("letters")
    return spans


# --- putting it together ---------------------------------------------------------------------------------

_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def _blank(w: str, spans: list[Span], blank: str) -> str:
    if not spans:
        return w
    parts, pos = [], 0
    for start, end, _ in spans:
        parts += [w[pos:start], blank * (end - start)]
        pos = end
    return "".join(parts) + w[pos:]


def find(text: str) -> tuple[list[Span], str, list[int] | None]:
    """The personal data in text, as spans in its normalised form, sorted; with that form and its origins."""
    w, origin = normalise(text)
    # a private-use character that is not in the text stands in for every hit and placeholder
    blank = "\ue000" if w.isascii() else next(
        chr(c) for c in chain(range(0xE000, 0xF900), range(0xF0000, 0x10FFFE)) if chr(c) not in w
    )
    w = _blank(w, [(m.start(), m.end(), "") for m in _PLACEHOLDER.finditer(w)], blank)
    spans: list[Span] = []
    # A hit can change what its neighbours look like (two e-mail addresses glued together), so run again
    # on the blanked text until nothing new turns up: what a second mask() would find, this one finds.
    for _ in range(3):
        new: list[Span] = []
        for detect in (_ibans, _emails, find_numbers, _addresses):
            hits = detect(w)
            new += hits
            w = _blank(w, sorted(hits), blank)
        spans += new
        if not new:
            break
    spans.sort()
    return spans, w, origin


def mask(text: str) -> Masked:
    if not isinstance(text, str) or not text:
        return Masked(text=text if isinstance(text, str) else "", found=())
    spans, _, origin = find(text)
    parts: list[str] = []
    found: list[str] = []
    pos = 0
    for start, end, kind in spans:
        a, b = (start, end) if origin is None else (origin[start], origin[end - 1] + 1)
        if a < pos:  # one original character gave two normalised ones, each in a span: already masked
            pos = max(pos, b)
            continue
        parts += [text[pos:a], PLACEHOLDERS[kind]]
        found.append(kind)
        pos = b
    return Masked(text="".join(parts) + text[pos:], found=tuple(found))


def mask_text(text: str) -> str:
    return mask(text).text


def has_placeholder(text: str) -> bool:
    """Whether ``text`` went through masking with a hit (it holds one of the placeholders)."""
    return any(p in text for p in PLACEHOLDERS.values())


def found_values(text: str) -> set[tuple[str, str]]:
    """The personal data in ``text`` as (kind, value in its normalised form): what ``mask`` would replace,
    for telling data that is new in an edited text from data that was there before."""
    if not isinstance(text, str) or not text:
        return set()
    spans, _, _ = find(text)
    normalised, _ = normalise(text)
    return {(kind, "".join(c for c in normalised[start:end].lower() if c.isalnum() or c in "@."))
            for start, end, kind in spans}
