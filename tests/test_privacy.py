"""Tests for knowledge.privacy: labelled examples, reported kinds, robustness and idempotence."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest
from stdnum import iban
from stdnum.nl import bsn

from knowledge.privacy import PLACEHOLDERS, Masked, mask, mask_text

EXAMPLES_PATH = Path(__file__).parent / "data" / "privacy_examples.jsonl"
EXAMPLES: list[dict[str, str]] = [
    json.loads(line) for line in EXAMPLES_PATH.read_text(encoding="utf-8").splitlines() if line.strip()
]
POSITIVES = [e for e in EXAMPLES if e["text"] != e["expected"]]
NEGATIVES = [e for e in EXAMPLES if e["text"] == e["expected"]]
KIND_OF = {placeholder: kind for kind, placeholder in PLACEHOLDERS.items()}
PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def test_example_file_is_large_enough() -> None:
    assert len(POSITIVES) >= 40
    assert len(NEGATIVES) >= 25


def test_test_numbers_are_really_valid_or_invalid() -> None:
    for number in ("111222333", "123456782", "725763863", "162275869", "192285142", "691682483"):
        assert bsn.is_valid(number), number
    for number in ("987825707", "688136138"):
        assert bsn.is_valid(number), number
    for number in ("123456789", "111222334"):
        assert not bsn.is_valid(number), number
    valid = ("NL91ABNA0417164300", "NL20INGB0001234567", "DE89370400440532013000", "GB82WEST12345698765432")
    for number in (*valid, "NL18RABO0123459876", "FR1420041010050500013M02606", "NL02ABNA0123456789"):
        assert iban.is_valid(number), number
    assert not iban.is_valid("NL91ABNA0417164301")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_example(example: dict[str, str]) -> None:
    result = mask(example["text"])
    assert result.text == example["expected"]
    # found lists the kinds of the new placeholders, in order of appearance
    before = [KIND_OF[p] for p in PLACEHOLDER_RE.findall(example["text"])]
    after = [KIND_OF[p] for p in PLACEHOLDER_RE.findall(result.text)]
    assert len(result.found) == len(after) - len(before)
    if not before:
        assert list(result.found) == after
    assert mask_text(example["text"]) == result.text


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_idempotent(example: dict[str, str]) -> None:
    once = mask_text(example["text"])
    assert mask_text(once) == once


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("BSN 111222333 en mail jan@example.nl", ("bsn", "email")),
        ("mail jan@example.nl, BSN 111222333", ("email", "bsn")),
        ("06-12345678 / NL91ABNA0417164300 / 1234 AB 12", ("phone", "iban", "address")),
        ("niets bijzonders", ()),
        ("", ()),
    ],
)
def test_found_order(text: str, found: tuple[str, ...]) -> None:
    assert mask(text).found == found


def test_masked_is_frozen() -> None:
    result = mask("BSN 111222333")
    assert result == Masked(text="BSN [BSN]", found=("bsn",))
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]


def test_no_half_masked_digits() -> None:
    # digits inside an IBAN or e-mail address must not be picked up by the phone or BSN detectors
    assert mask_text("NL91 ABNA 0417 1643 00") == "[IBAN]"
    assert mask_text("0612345678@example.nl") == "[EMAIL]"
    assert mask_text("111222333@example.nl") == "[EMAIL]"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x01\n\t\r",
        "😀🙈👍🏽 " * 50,
        "مرحبا، كيف حالك؟ رقمي ٠٦١٢٣٤٥٦٧٨ ورقم الحساب",
        "Привет, мой номер +7 495 123-45-67",
        "你好，我的电话是 +86 10 1234 5678",
        "\ue000\ue001\ue002\ue003\ue004 BSN 111222333",
        "".join(chr(c) for c in range(0xE000, 0xF900)),
        "@" * 1000,
        "+" * 1000,
        "(" * 1000 + "0" * 1000,
        "NL91" * 500,
        "\udcff lone surrogate",
        "[BSN] [IBAN] [TELEFOON] [EMAIL] [ADRES]",
    ],
    ids=lambda text: ascii(text[:20]),
)
def test_odd_inputs_do_not_crash(text: str) -> None:
    result = mask(text)
    assert isinstance(result.text, str)
    assert isinstance(result.found, tuple)
    assert mask_text(result.text) == result.text


def test_private_use_characters_survive() -> None:
    text = "\ue000 BSN 111222333 \ue003"
    assert mask_text(text) == "\ue000 BSN [BSN] \ue003"


def test_large_input_is_fast_and_complete() -> None:
    unit = "Klant BSN 111222333 belde 06-12345678 over Kerkstraat 12, 1234 AB op 12-03-2024 (€ 1250). "
    text = unit * (200_000 // len(unit) + 1)
    start = time.perf_counter()
    result = mask(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 20
    repeats = text.count(unit)
    assert result.found.count("bsn") == repeats
    assert result.found.count("phone") == repeats
    assert result.found.count("address") == repeats
    assert "111222333" not in result.text


@pytest.mark.parametrize(
    "text",
    ["1" * 200_000, "0 " * 100_000, "1." * 100_000, "a@" * 100_000, "😀" * 200_000],
    ids=["digits", "spaced-zeros", "dotted", "at-signs", "emoji"],
)
def test_pathological_input_is_fast(text: str) -> None:
    start = time.perf_counter()
    mask(text)
    assert time.perf_counter() - start < 10


def test_random_mixtures_are_idempotent() -> None:
    rng = random.Random(20240312)
    tokens = [t for e in EXAMPLES for t in e["text"].split()] + ["", ",", "-", ".", "(", ")", "@", "+"]
    for _ in range(300):
        text = rng.choice([" ", "", "\n"]).join(rng.choice(tokens) for _ in range(rng.randint(1, 12)))
        once = mask(text)
        assert mask_text(once.text) == once.text, text
        new = len(PLACEHOLDER_RE.findall(once.text)) - len(PLACEHOLDER_RE.findall(text))
        assert len(once.found) == new, text


# --- what people type (issue 14) ----------------------------------------------------------------------

LABELLED_PATH = Path(__file__).parent / "data" / "privacy_labelled.jsonl"
LABELLED: list[dict] = [json.loads(line) for line in LABELLED_PATH.read_text(encoding="utf-8").splitlines()]
NBSP, NNBSP, FIGURE = "\u00a0", "\u202f", "\u2007"


def test_labelled_set_covers_every_kind_and_look_alikes() -> None:
    assert len(LABELLED) >= 150
    kinds = [span["kind"] for row in LABELLED for span in row["spans"]]
    for kind in PLACEHOLDERS:
        assert kinds.count(kind) >= 15, kind
    assert sum(1 for row in LABELLED if row["text"] == row["expected"]) >= 50
    for row in LABELLED:  # the numbers in the set are real test numbers, generated, not guessed
        for span in row["spans"]:
            digits = "".join(c for c in span["value"] if c.isalnum())
            digits = "".join(str(int(c)) if c.isdecimal() else c for c in digits)
            if span["kind"] == "bsn":
                assert bsn.is_valid(digits), span
            if span["kind"] == "iban":
                assert iban.is_valid(digits), span


@pytest.mark.parametrize("row", LABELLED, ids=[ascii(r["text"][:40]) for r in LABELLED])
def test_labelled(row: dict) -> None:
    result = mask(row["text"])
    assert result.text == row["expected"]
    assert list(result.found) == [KIND_OF[p] for p in PLACEHOLDER_RE.findall(row["expected"])]
    assert mask_text(result.text) == result.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"BSN{NBSP}628{NBSP}194{NBSP}821", "BSN{NBSP}[BSN]"),
        (f"NL91{NBSP}ABNA{NBSP}0417{NBSP}1643{NBSP}00", "[IBAN]"),
        (f"1234{NBSP}AB{NBSP}12", "[ADRES]"),
        ("628-194-821", "[BSN]"),
        ("NL91-ABNA-0417-1643-00", "[IBAN]"),
        ("1234-AB-12", "[ADRES]"),
        ("BSN628194821", "BSN[BSN]"),
        ("6281 94821", "[BSN]"),
        ("1234ab12", "[ADRES]"),
        ("BSN ６２８１９４８２１", "BSN [BSN]"),
        ("Teruggebeld op +31 6 12345678 12 mei", "Teruggebeld op [TELEFOON] 12 mei"),
        ("06 12345678 06 87654321", "[TELEFOON] [TELEFOON]"),
        ("( 06-12345678 )", "( [TELEFOON] )"),
        ("jan.jansen (at) gmail.com", "[EMAIL]"),
        ("jan.jansen [at] gmail.com", "[EMAIL]"),
        ("jan punt jansen at gmail punt com", "[EMAIL]"),
        ("1234AB, nr 5", "[ADRES]"),
        ("1234 AB huisnummer 12", "[ADRES]"),
        ("1234 AB 12-3", "[ADRES]"),
        ("1234 AB 12a", "[ADRES]"),
        ("postcode 1234 AB en huisnummer 12", "postcode [ADRES]"),
        ("BE68 5390 0754 7034", "[IBAN]"),
        ("pc 5038EA hnr 22", "pc [ADRES]"),
        ("woont op 2024 de 3713 KT 39-3", "woont op 2024 de [ADRES]"),
        ("(3342 KR, 23B)", "([ADRES])"),
        ("k.de.jong (at) outlook.comanna_b@gmail.com", "[EMAIL][EMAIL]"),
        ("1234 AB  12", "[ADRES]"),
        ("+31 6 12345678020 op", "[TELEFOON] op"),
        ("+31 6 1234567810:30", "[TELEFOON]:30"),
        ("tel  06  12345678  ok", "tel  [TELEFOON]  ok"),
        (f"tel 06{NNBSP}1234{FIGURE}5678", "tel [TELEFOON]"),
        ("bsn 628\u200b194\u200b821", "bsn [BSN]"),
    ],
)
def test_formats_people_type(text: str, expected: str) -> None:
    assert mask_text(text) == expected.replace("{NBSP}", NBSP)


@pytest.mark.parametrize(
    "text",
    ["0800-0543", "0800 1234567", "14 020", "bel 14 0570", "0900-1234567", "1500 MB", "1000 KG", "2019 NS",
     "2024 EU", "In 2015 en 12 keer", "versie 10.2.3.4567", "BSN 123456789", "Z-2024-123456", "12-03-2024 10:30",
     "€ 111.222.333", "artikel 8:1 Awb", "21% btw", "12-ABC-3", "NL91 ABNA 0417 1643 01", "adres: 2020 en 1994",
     "12 1043 MB", "8976 KB 020", "2024 97033 euro", "Postbus 1234, 3000 AB Rotterdam", "1500 EN 1600 meldingen"],
)
def test_look_alikes_stay(text: str) -> None:
    assert mask_text(text) == text


def test_text_outside_masked_spans_keeps_its_characters() -> None:
    text = f"Mevrouw{NBSP}de Vries — BSN{NNBSP}６２８ １９４ ８２１, ﬁets “kapot”\t½ uur"
    assert mask_text(text) == f"Mevrouw{NBSP}de Vries — BSN{NNBSP}[BSN], ﬁets “kapot”\t½ uur"


def test_phone_is_masked_in_any_context() -> None:
    rng = random.Random(14)
    words = ["klant", "belde", "op", "12", "mei", "(", ")", ",", ".", ":", "-", "€", "45,00", "tel", "of", "2024",
             "BSN", "zaak", "10:30", "0800-0543", "14 020", "nr", "'", '"', "!", "?", "/", "1234 AB", "x"]
    for _ in range(500):
        left = " ".join(rng.choice(words) for _ in range(rng.randint(0, 5)))
        right = " ".join(rng.choice(words) for _ in range(rng.randint(0, 5)))
        before, after = rng.choice([" ", " (", ": ", NBSP]), rng.choice([" ", ") ", ", ", ". ", NBSP])
        text = f"{left}{before}+31 6 12345678{after}{right}"
        out = mask_text(text)
        assert "12345678" not in out and "[TELEFOON]" in out, text


@pytest.mark.parametrize(
    "text",
    ["1 " * 50_000, "06 " * 33_000, "1234 AB " * 12_500, "NL91 " * 20_000, "(0" * 50_000, "x (at) " * 14_000,
     "+31 " * 25_000, "a punt " * 14_000, ("BSN\u00a0628\u00a0194\u00a0821 tel\u202f06\u202f12345678 ") * 2_500],
    ids=["ones", "06", "postcodes", "iban-starts", "brackets", "at", "plus", "punt", "nbsp-mix"],
)
def test_a_long_line_is_fast(text: str) -> None:
    start = time.perf_counter()
    mask(text)
    assert time.perf_counter() - start < 3


# --- house-number additions before or after the postcode, case numbers left alone (issue 24 item 3) ---------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kerkstraat 12-2, 1017 BV Amsterdam", "Kerkstraat [ADRES] Amsterdam"),
        ("Kerkstraat 12 A, 1017 BV", "Kerkstraat [ADRES]"),
        ("Dorpsweg 12bis, 7751 KM Dalen", "Dorpsweg [ADRES] Dalen"),
        ("Laan 12 hs, 3511 PP", "Laan [ADRES]"),
        ("Hoofdstraat 12-II 9711 JE", "Hoofdstraat [ADRES]"),
        ("Marktplein 13, 5291 DE Den Haag", "Marktplein [ADRES] Den Haag"),
        ("Kerkstraat 12-2a, 1017 XK", "Kerkstraat [ADRES]"),
        ("Kerkstraat 12 A-3, 1017 XK", "Kerkstraat [ADRES]"),
        ("Laan van Meerdervoort 214B, 9781 PP Den Haag", "Laan van Meerdervoort [ADRES] Den Haag"),
        ("1017 XK 12A-3 is het adres", "[ADRES] is het adres"),
        ("2564 AX 12-2 hs", "[ADRES]"),
        ("woont op 3870 TL huisnummer 183hs.", "woont op [ADRES]."),
    ],
)
def test_a_house_number_s_addition_is_part_of_the_address(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["NL-2024-AB-12", "zaak NL-2024-AB-12 van vorig jaar", "BZ-2019-KT-5", "zaaknummer 2024-AB-12",
     "kenmerk 2023-KT-7 in de brief", "2024 NL-2019-AB-25", "12 1043 MB", "in 2024 de 12 KB"],
)
def test_case_numbers_and_sizes_stay(text: str) -> None:
    assert mask_text(text) == text


def test_additions_in_any_position_are_masked_with_the_number() -> None:
    """Generated, not hand-picked: a street, a number with any addition, then a postcode (any valid letters,
    words and units such as BV, MB, DE among them); or the postcode first. Nothing of the number survives."""
    rng = random.Random(24)
    additions = ["", "a", "B", " A", "-3", "-12", "-II", " III", "hs", " hs", "-hs", "bis", " bis", "-2a", "A-3",
                 " A-3", "-h", " bg", "-2 hs", " huis", " boven", " zw"]
    streets = ["Kerkstraat", "Dorpsweg", "Hoofdstraat", "Marktplein", "Prinsengracht", "Stationsweg"]
    for _ in range(400):
        number = f"{rng.randint(1, 250)}{rng.choice(additions)}"
        letters = rng.choice([a + b for a in "ABCDEGHJKLMNPRTVWXZ" for b in "ABCDEGHJKLMNPRTVWXZ"])
        postcode = f"{rng.randint(1000, 9999)}{rng.choice([' ', '', NBSP])}{letters}"
        street = rng.choice(streets)
        if rng.random() < 0.5:
            text = f"{street} {number}{rng.choice([', ', ' '])}{postcode}{rng.choice(['', ' Zwolle', ', graag'])}"
            gone = f"{street} {number}"
        else:
            text = f"adres {postcode}{rng.choice([' ', ', ', ' nr '])}{number}{rng.choice(['', '.', ' graag'])}"
            gone = number
        out = mask_text(text)
        # 210-12 6024 AL: nine digits that pass the 11-proef are a BSN first (masked all the same)
        assert ("[ADRES]" in out or "[BSN]" in out) and gone not in out and postcode not in out, text
