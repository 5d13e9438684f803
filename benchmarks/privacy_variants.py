"""Masking on random variants no one tuned for: personal data in random formats and random contexts.

    python -m benchmarks.privacy_variants [--seed 1] [--n 3000] [--show 5]

Each positive row puts one generated BSN (11-proef), IBAN (checksum), phone number, e-mail address or
postcode + house number (with additions such as 12-2, 12 A, 12bis, 12 hs, 12-II, before or after the
postcode), written in one of the ways people type it (spaces of every kind, hyphens, dots, odd grouping,
full-width digits, (at), punt, ...), between random words and punctuation; it counts as found when its
placeholder appears and its last six characters (for a street and number before the postcode: that street
and number) are gone. Each look-alike row puts amounts, dates, times, zaaknummers (NL-2024-AB-12),
kentekens, public numbers, units, years, versions, invalid BSNs and the like in random contexts; it counts as
touched when the masked text differs. Complements the hand-written set in tests/data/privacy_labelled.jsonl
(`vraagbaak mask --eval`).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable

from stdnum import iban
from stdnum.nl import bsn

from knowledge.privacy import PLACEHOLDERS, mask_text

WORDS = ("klant belde over de aanvraag graag terugbellen mevrouw meneer wil weten of zijn nummer klopt op 12 mei "
         "om 10:30 € 45,00 2024 is en de brief tel mail adres: , . ; ( ) - / : ! ? 'nummer' 14 020 5 dagen").split()
SPACES = (" ", "\u00a0", "\u202f", "\u2007", "\u2009")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# house-number additions as people write them: letters, numbers, floors, 'huis', 'bis', in any spacing
ADDITIONS = ("", "", "", "a", "B", " A", " b", "-3", "-12", "-II", " II", "-III", " hs", "hs", "-hs", " bis", "bis",
             "-2a", "A-3", " A-3", "-h", " bg", "-bg", " zw", "-2 hs", " huis", " boven")
CODES = ("AB", "KT", "XZ", "BV", "RD")  # the letters in a zaaknummer such as NL-2024-AB-12
STREETS = ("Kerkstraat", "Dorpsweg", "Laan van Meerdervoort", "Hoofdstraat", "Marktplein", "Prinsengracht",
           "Burg. de Withstraat", "Plein 1944")


class Variants:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.gone = ""  # set by a maker when something else than the value's last characters must be masked

    def space(self) -> str:
        return self.rng.choice(SPACES)

    def bsn(self) -> str:
        while not bsn.is_valid(n := f"{self.rng.randint(10_000_000, 999_999_999):09d}"):
            pass
        s = self.space()
        forms = [n, s.join([n[:3], n[3:6], n[6:]]), "-".join([n[:3], n[3:6], n[6:]]), ".".join([n[:4], n[4:6], n[6:]]),
                 ".".join([n[:2], n[2:4], n[4:6], n[6:]]), n[:4] + s + n[4:], n.translate(FULL_WIDTH), "BSN" + n]
        return self.rng.choice(["BSN ", "bsn: ", "burgerservicenummer ", "", "(BSN "]) + self.rng.choice(forms)

    def iban(self) -> str:
        bank = self.rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"])
        account = f"{self.rng.randint(0, 9_999_999_999):010d}"
        number = f"NL{iban.calc_check_digits('NL00' + bank + account)}{bank}{account}"
        sep = self.rng.choice([" ", "-", ".", "", self.space()])
        text = sep.join(number[k : k + 4] for k in range(0, 18, 4))
        return self.rng.choice(["IBAN ", "rekening ", "rekeningnummer: ", ""]) + (
            text.lower() if self.rng.random() < 0.3 else text)

    def phone(self) -> str:
        d = f"{self.rng.randint(10_000_000, 99_999_999)}"
        s = self.space()
        forms = ["06-" + d, "06" + s + d, "06" + d, f"+31{s}6{s}{d}", "+316" + d, "0031 6 " + d, "(06) " + d,
                 "06 " + " ".join(d[k : k + 2] for k in range(0, 8, 2)), "+31 (0)6 " + d, "06.12.34.56.78",
                 self.rng.choice(["020-", "010 ", "030-", "070 ", "050-"]) + d[:7], "0575-" + d[:6]]
        return self.rng.choice(["tel ", "Telefoon: ", "bel ", "mobiel ", "", "nummer "]) + self.rng.choice(forms)

    def email(self) -> str:
        local = self.rng.choice(["jan.jansen", "p.devries", "anna_b", "k.de.jong", "info", "m.yilmaz99"])
        domain = self.rng.choice(["gmail.com", "hotmail.nl", "ziggo.nl", "outlook.com", "gemeente.nl"])
        at = self.rng.choice(["@", " (at) ", "[at]", " at ", " @ "])
        if at == " at " and self.rng.random() < 0.5:
            domain = domain.replace(".", " punt ")
        return self.rng.choice(["mail ", "e-mail: ", ""]) + local + at + domain

    def address(self) -> str:
        pc = str(self.rng.randint(1000, 9999))
        letters = "".join(self.rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        number = str(self.rng.randint(1, 250)) + self.rng.choice(ADDITIONS)
        s = self.space()
        forms = [f"{pc} {letters} {number}", f"{pc}{s}{letters}{s}{number}", f"{pc}-{letters}-{number}",
                 f"{pc}{letters}{number}", f"{pc}{letters.lower()}{number}", f"{pc}{letters}, nr {number}",
                 f"{pc} {letters} huisnummer {number}", f"{pc} {letters}, {number}"]
        if self.rng.random() < 0.5:  # street and number first, then the postcode (and a place)
            street = self.rng.choice(STREETS)
            self.gone = f"{street} {number}"  # what must not survive: the house number with its addition
            place = self.rng.choice(["", " Amsterdam", " Den Haag", " Zwolle", " 's-Hertogenbosch"])
            return self.rng.choice([f"{street} {number}, {pc} {letters}{place}", f"{street} {number} {pc}{s}{letters}",
                                    f"{street} {number}, {pc}{letters}{place}"])
        return self.rng.choice(["adres ", "woont op ", "postcode ", ""]) + self.rng.choice(forms)

    def look_alike(self) -> str:
        r = self.rng.randint
        while bsn.is_valid(bad := str(r(100_000_000, 999_999_999))):
            pass
        return self.rng.choice([
            f"€ {r(1, 9999)},{r(0, 99):02d}", f"€{r(1, 999)}.{r(0, 999):03d},{r(0, 99):02d}",
            f"{r(1, 28)}-{r(1, 12):02d}-{r(1990, 2026)}", f"{r(1, 28):02d}.{r(1, 12):02d}.{r(1990, 2026)}",
            f"{r(1990, 2026)}-{r(1, 12):02d}-{r(1, 28):02d}", f"{r(0, 23):02d}:{r(0, 59):02d}",
            f"Z-{r(2019, 2026)}-{r(1, 999_999):06d}", f"zaaknummer {r(2019, 2026)}-{r(1, 999_999)}",
            f"{r(10, 99)}-{self.rng.choice(['ABC', 'XYZ', 'KLM'])}-{r(1, 9)}",
            self.rng.choice(["14 020", "14 0570", "0800-0543", "0800 1234567", "0900-1234567", "0900 8844", "112"]),
            f"{r(100, 9999)} {self.rng.choice(['MB', 'KB', 'GB', 'KG', 'KM', 'km', 'kg', 'mb'])}",
            f"{r(1990, 2030)} {self.rng.choice(['NS', 'EU', 'AI', 'BV', 'VS', 'UK'])}",
            f"versie {r(1, 20)}.{r(0, 20)}.{r(0, 99)}", bad, f"{bad[:3]} {bad[3:6]} {bad[6:]}",
            f"artikelnummer {r(100, 999)}-{r(1000, 9999)}-{r(10, 99)}", f"{r(1, 100)}%",
            f"artikel {r(1, 10)}:{r(1, 30)} Awb", f"{r(1000, 99_999)} euro", f"ordernummer {r(10**9, 10**10 - 1)}",
            f"factuur {r(10**8, 10**9 - 1)}", f"{r(1990, 2026)} en {r(1990, 2026)}", f"ticket #{r(10**5, 10**8)}",
            f"KvK {r(10**7, 10**8 - 1)}", f"{r(1, 99)} x {r(1, 99)} cm", f"{r(1000, 9999)} en {r(1, 99)} keer",
            f"{self.rng.choice(['NL', 'ZK', 'BZ', 'DOS'])}-{r(2019, 2026)}-{self.rng.choice(CODES)}-{r(1, 99)}",
            f"zaaknummer {r(2019, 2026)}-{self.rng.choice(CODES)}-{r(1, 99)}",
        ])


def context(rng: random.Random, middle: str) -> str:
    left = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6)))
    right = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6)))
    before = rng.choice([" ", ": ", " (", "\u00a0"]) if left else ""
    after = rng.choice([" ", ". ", ", ", ") ", "\u00a0", "\n"]) if right else ""
    return left + before + middle + after + right


def run(seed: int, n: int, show: int) -> None:
    rng = random.Random(seed)
    variants = Variants(rng)
    makers: dict[str, Callable[[], str]] = {kind: getattr(variants, kind) for kind in PLACEHOLDERS}
    found = dict.fromkeys(makers, 0)
    total = dict.fromkeys(makers, 0)
    for _ in range(n):
        kind = rng.choice(list(makers))
        variants.gone = ""
        value = makers[kind]()
        text = context(rng, value)
        out = mask_text(text)
        tail = "".join(c for c in value if c.isalnum())[-6:].translate({ord(c): None for c in " "})
        total[kind] += 1
        gone = variants.gone not in out if variants.gone else tail not in "".join(c for c in out if c.isalnum())
        if PLACEHOLDERS[kind] in out and gone:
            found[kind] += 1
        elif total[kind] - found[kind] <= show:
            print(f"missed {kind}: {text!r} -> {out!r}")
    touched = 0
    for shown in range(n):
        text = context(rng, variants.look_alike())
        out = mask_text(text)
        if out != text:
            touched += 1
            if touched <= show:
                print(f"touched: {text!r} -> {out!r} ({shown})")
    for kind in makers:
        print(f"{kind:>8}: recall {found[kind] / max(1, total[kind]):6.1%} ({found[kind]}/{total[kind]})")
    print(f"look-alikes touched: {touched / n:.1%} ({touched}/{n})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n", type=int, default=3000, help="rows with personal data, and as many look-alike rows")
    parser.add_argument("--show", type=int, default=5, help="print up to this many misses per kind")
    args = parser.parse_args()
    run(args.seed, args.n, args.show)


if __name__ == "__main__":
    main()
