"""A date written otherwise than ``YYYY-MM-DD`` (``31/12/2026``, ``2027-1-1``, ``2027/01/01``), and the date
meant, in the form the rules read: what a drafter is told to write instead."""

from __future__ import annotations

import datetime
import re
from typing import Any

_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})[-/.](?P<first>\d{1,2})[-/.](?P<second>\d{1,2})$")
_YEAR_LAST = re.compile(r"^(?P<first>\d{1,2})[-/.](?P<second>\d{1,2})[-/.](?P<year>\d{4})$")


def _day(year: str, month: str, day: str) -> str | None:
    """``year-month-day`` as ``YYYY-MM-DD`` if that day exists, else None."""
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def meant(text: Any) -> list[str]:
    """The existing days ``text`` can be read as, written ``YYYY-MM-DD``: one for ``31/12/2026`` (day first, the
    only reading) and ``2027-1-1``; two for ``01/02/2027`` (1 February, day first, or 2 January, month first);
    none for what is no date written otherwise."""
    if not isinstance(text, str):
        return []
    if found := _YEAR_FIRST.fullmatch(text.strip()):
        readings = [_day(found["year"], found["first"], found["second"])]
    elif found := _YEAR_LAST.fullmatch(text.strip()):
        readings = [
            _day(found["year"], found["second"], found["first"]),  # day first, as most of the world writes it
            _day(found["year"], found["first"], found["second"]),  # month first
        ]
    else:
        return []
    return list(dict.fromkeys(reading for reading in readings if reading is not None))


def write_instead(text: Any) -> str:
    """What to write for ``text``, a date written otherwise: `` (write 2026-12-31)``, `` (write 2027-02-01, day
    first, or 2027-01-02, month first)``; or nothing where ``text`` reads as no day."""
    days = meant(text)
    if len(days) == 1:
        return f" (write {days[0]})"
    if len(days) == 2:
        return f" (write {days[0]}, day first, or {days[1]}, month first)"
    return ""


_MONTH_LAST = re.compile(r"^(?P<month>\d{1,2})[-/.](?P<year>\d{4})$")
_MONTH_FIRST = re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})$")


def month_meant(text: Any) -> str | None:
    """The month ``text`` is written otherwise for (``03/2027``, ``2027-3``: ``2027-03``), or None."""
    found = _MONTH_LAST.fullmatch(str(text).strip()) or _MONTH_FIRST.fullmatch(str(text).strip())
    if found is None or not 1 <= int(found["month"]) <= 12:
        return None
    return f"{int(found['year']):04d}-{int(found['month']):02d}"


def why_no_such_day(text: str) -> str:
    """Why ``text``, written ``YYYY-MM-DD``, is no day of the calendar: ``there is no month 13``, ``2027-02 has 28
    days``."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}: months run from 01 to 12"
    if day == 0:
        return "there is no day 0: days run from 01"
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return f"{year:04d}-{month:02d} has {(following - datetime.timedelta(days=1)).day} days"
