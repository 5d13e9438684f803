"""Dates as the owner reads them: '1 maart 2027' (nl), '1 March 2027' (en); in charts '1 mrt' / '1 Mar'.
The month names are texts of the catalogue (handlers/messages_web.py: web_months, web_months_short)."""

from __future__ import annotations

from datetime import date, datetime

from bot.web import console


def _parse(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def day(value: object, short: bool = False) -> str:
    """``value`` (a date, or ISO text '2027-03-01[T…]') in the owner's language; anything else as it is."""
    found = _parse(value)
    if found is None:
        return "" if value is None else str(value)
    months = console.text("web_months_short" if short else "web_months").split()
    return f"{found.day} {months[found.month - 1]}" + ("" if short else f" {found.year}")


def moment(value: object) -> str:
    """ISO text with a time ('2026-12-07T14:05…') as '7 december 2026 14:05'."""
    found = _parse(value)
    clock = str(value)[11:16] if found and len(str(value)) >= 16 else ""
    return f"{day(value)} {clock}".strip() if found else day(value)
