"""The kinds of setting: how the text of an environment variable becomes a typed value, or why it cannot.

A kind reads text (``read``) and writes a value back as text (``show``); reading what it showed gives the same
value. A value it cannot read raises ``Refused`` with the key of a message (handlers/messages.py, ``cli_setting_``)
that says what it accepts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol


class Refused(Exception):
    """The text does not fit the kind: ``key`` names the message saying what fits, ``values`` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


class Kind(Protocol):
    def read(self, text: str) -> Any: ...
    def show(self, value: Any) -> str: ...


def _number(value: float) -> str:
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def _float(text: str) -> float | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class Text:
    def read(self, text: str) -> str:
        return text

    def show(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class Choice:
    choices: tuple[str, ...]
    aliases: Mapping[str, str] | None = None

    def read(self, text: str) -> str:
        word = text.strip().lower()
        word = (self.aliases or {}).get(word, word)
        if word not in self.choices:
            raise Refused("cli_setting_choice", choices=", ".join(self.choices))
        return word

    def show(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class Whole:
    low: int = 0

    def read(self, text: str) -> int:
        if not text.isascii() or not text.isdigit() or int(text) < self.low:
            raise Refused("cli_setting_whole", low=self.low)
        return int(text)

    def show(self, value: Any) -> str:
        return str(value)


class Fraction:
    """A number from 0 to 1, or nothing (None: the built-in default)."""

    def read(self, text: str) -> float | None:
        if not text:
            return None
        number = _float(text)
        if number is None or not 0.0 <= number <= 1.0:
            raise Refused("cli_setting_fraction")
        return number

    def show(self, value: Any) -> str:
        return "" if value is None else _number(value)


class Minutes:
    """A number of minutes above 0 (a decimal comma is read as a point)."""

    def read(self, text: str) -> float:
        number = _float(text)
        if number is None or number <= 0:
            raise Refused("cli_setting_minutes")
        return number

    def show(self, value: Any) -> str:
        return _number(value)


class Days:
    """A whole number of days, 0 or more; ``180d`` is read as 180."""

    def read(self, text: str) -> int:
        digits = text.lower().removesuffix("d").strip()
        if not digits.isascii() or not digits.isdigit():
            raise Refused("cli_setting_days")
        return int(digits)

    def show(self, value: Any) -> str:
        return str(value)


class Port:
    """A TCP port (0: any free one) or 'off' (None: no port)."""

    OFF = ("off", "none", "no", "uit")

    def read(self, text: str) -> int | None:
        if text.lower() in self.OFF:
            return None
        if not text.isascii() or not text.isdigit() or int(text) > 65535:
            raise Refused("cli_setting_port")
        return int(text)

    def show(self, value: Any) -> str:
        return "off" if value is None else str(value)


_URL = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Url:
    """An http(s) address; ``empty``: nothing is allowed too."""

    empty: bool = False

    def read(self, text: str) -> str:
        if (text or not self.empty) and not _URL.fullmatch(text):
            raise Refused("cli_setting_url")
        return text

    def show(self, value: Any) -> str:
        return str(value)


class Channels:
    """``name=id`` pairs separated by commas (the text is kept; ``Settings.channel_ids`` reads the pairs)."""

    def read(self, text: str) -> str:
        for item in (part.strip() for part in text.split(",")):
            name, equals, ident = item.partition("=")
            if item and not (equals and name.strip().lstrip("#") and ident.strip()):
                raise Refused("cli_setting_channels")
        return text

    def show(self, value: Any) -> str:
        return str(value)


# day names in English and Dutch; a word that starts one day's names only (at least two letters) is that day
DAY_NAMES = (("monday", "maandag"), ("tuesday", "dinsdag"), ("wednesday", "woensdag"), ("thursday", "donderdag"),
             ("friday", "vrijdag"), ("saturday", "zaterdag"), ("sunday", "zondag"))
SHORT_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFF_WORDS = ("off", "none", "no", "uit", "geen")
_DAY_AND_TIME = re.compile(r"([^\W\d_]+)\.?[\s,]+(?:(?:at|om)\s+)?(\d{1,2})(?:[:.h](\d{2}))?\s*"
                           r"(am|pm|a\.m\.|p\.m\.|u|uur|h)?", re.IGNORECASE)


def day_of(word: str) -> int | None:
    """The day (0 = Monday) an English or Dutch name, or the start of one, stands for; None when none or several."""
    word = word.lower()
    found = {day for day, names in enumerate(DAY_NAMES) for name in names if name.startswith(word)}
    return found.pop() if len(word) >= 2 and len(found) == 1 else None


@dataclass(frozen=True)
class Weekly:
    """A day of the week (0 = Monday) and an hour (UTC): when the weekly digest goes out."""

    day: int
    hour: int

    KIND: ClassVar[WeeklyKind]


class WeeklyKind:
    """'fri 14', 'vrijdag 14:00', 'vr 14u', 'friday 2pm'; 'off' (None): never. Minutes must be :00."""

    def read(self, text: str) -> Weekly | None:
        if text.strip().lower() in OFF_WORDS:
            return None
        found = _DAY_AND_TIME.fullmatch(text.strip())
        if found is None:
            raise Refused("cli_setting_weekly")
        word, hours, minutes, suffix = found.groups()
        day, hour, suffix = day_of(word), int(hours), (suffix or "").lower().replace(".", "")
        if suffix in ("am", "pm"):
            hour = hour % 12 + (12 if suffix == "pm" else 0) if 1 <= hour <= 12 else 99
        if day is None or hour > 23 or (minutes or "00") != "00":
            raise Refused("cli_setting_weekly")
        return Weekly(day, hour)

    def show(self, value: Any) -> str:
        return "off" if value is None else f"{SHORT_DAYS[value.day]} {value.hour:02d}"


Weekly.KIND = WeeklyKind()
TEXT, FRACTION, MINUTES, DAYS, PORT, CHANNELS = Text(), Fraction(), Minutes(), Days(), Port(), Channels()
URL, URL_OR_EMPTY = Url(), Url(empty=True)
