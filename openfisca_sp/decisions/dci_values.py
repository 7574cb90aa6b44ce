"""DCI values as they come, read as the values of our facts: dates with times, the spec's code lists.

DCI v1.0.0 (``registry_core_api``, ``social_api``, ``ibr_api``, ``dr_api``) writes:

- dates as ISO 8601 dates and times (``birth_date: '1985-05-20T00:00:00Z'``,
  ``'1995-09-21T11:20:00'``): a date fact takes **the date as written**, in the
  record's own offset (the calendar day of the place that recorded it), never
  converted to another time zone: ``2024-05-28T23:30:00-05:00`` is 28 May;
- ``sex`` from the code list ``dci_Sex`` (``male``, ``female``, ``other``,
  ``unknown``; the code list numbers them ``1`` to ``4``, read as text: ``"2"`` is
  ``female``); the IBR's example writes ``F``, the Disability Registry's
  ``Male``. ``other`` and ``unknown`` give no sex the law's rules can use: the
  fact is read as not stated, and a decision that needs it says so
  (``missing_facts``);
- flags as ``"0"`` / ``"1"`` (the IBR's ``is_disabled: '0'``): exactly these two texts.

:func:`needs_decoding` says whether a value is in one of these forms, :func:`decode`
reads it (or raises :class:`DCIValueError` saying what was expected). Used by both
readers of the eligibility API, so that they accept the same values.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from openfisca_core.indexed_enums import Enum

from openfisca_sp.decisions.facts import Fact
from openfisca_sp.rules.periods import FIRST_DATE, LAST_DATE

# a date, then optionally a time and an offset (ISO 8601 extended format, ASCII digits only)
DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-](?P<offset_hour>[0-9]{2}):(?P<offset_minute>[0-9]{2}))?"
)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_EXPECTED = "a date as text, YYYY-MM-DD, or an ISO 8601 date and time (1995-09-21T11:20:00, 1985-05-20T00:00:00Z)"
OFFSET_EXPECTED = "an offset from -23:59 to +23:59 (2024-05-28T23:30:00-05:00)"
FLAGS = {"0": False, "1": True}  # the IBR's flags: exactly these texts
FLAG_EXPECTED = 'true or false, or "1" / "0"'
# Codes of an enumerated fact other than its own names: None reads the fact as not stated.
# dci_Sex numbers its codes 1 to 4 (registry_core_api, dr_api, fr_api): read as text.
CODES: dict[str, dict[str, str | None]] = {
    "sex": {
        "M": "male", "F": "female", "Male": "male", "Female": "female", "other": None, "unknown": None,
        "1": "male", "2": "female", "3": None, "4": None,
    },
}  # fmt: skip


class DCIValueError(ValueError):
    """A DCI value that reads as no value of the fact; ``expected`` says what would."""

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.expected = expected


def has_dci_forms(fact: Fact) -> bool:
    """Whether some text of ``fact`` can be written in a DCI form (a date and time, a flag, a code): numbers and
    plain texts never are."""
    kind = fact.value_type  # compared by identity: an enumeration type's ``==`` is Python code
    return kind is datetime.date or kind is bool or (kind is Enum and fact.name in CODES)


def needs_decoding(fact: Fact, value: Any) -> bool:
    """Whether ``value`` is written in a DCI form that :func:`decode` reads (not as the fact's own value)."""
    if type(value) is not str:
        return False
    if fact.value_type is datetime.date:
        return len(value) > 10  # YYYY-MM-DD is read as it is
    if fact.value_type is bool:
        return True
    return fact.value_type is Enum and fact.name in CODES and value not in fact.enum_names


def decode(fact: Fact, value: str) -> Any:
    """The value of ``fact`` that a DCI text means (a date's date part as text, a flag, an enumeration's name or
    None for not stated), or :class:`DCIValueError`."""
    if fact.value_type is datetime.date:
        return date_part(value)
    if fact.value_type is bool:
        if value not in FLAGS:
            raise DCIValueError(f"{value!r} is not a DCI flag", FLAG_EXPECTED)
        return FLAGS[value]
    codes = CODES[fact.name]
    if value not in codes:
        names = " or ".join(map(repr, fact.enum_names))
        raise DCIValueError(
            f"{value!r} is not a code of {fact.name}", f"{names}, or a DCI code: {', '.join(map(repr, codes))}"
        )
    return codes[value]


def date_part(text: str) -> str:
    """The date of an ISO 8601 date and time, as written (its own offset), as ``YYYY-MM-DD``; the time and the
    offset must be real ones."""
    match = DATE_TIME.fullmatch(text)
    if match is None:
        raise DCIValueError("not a date, nor a date and time", DATE_EXPECTED)
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    offset_hour, offset_minute = int(match["offset_hour"] or 0), int(match["offset_minute"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DCIValueError("not a time of day", DATE_EXPECTED)
    if offset_hour > 23 or offset_minute > 59:
        offset = text[match.start("offset_hour") - 1 :]
        raise DCIValueError(f"the offset {offset} is out of range", OFFSET_EXPECTED)
    return match["date"]


def calendar_day(text: str) -> str:
    """A date, or the date of a date and time (:func:`date_part`), as ``YYYY-MM-DD``: a real day of the calendar
    the service reads, else :class:`DCIValueError`. For a day read as no fact's value (a death's), which no
    fact's validation checks: never compared as text with the date asked."""
    day = date_part(text) if len(text) > 10 else text
    try:
        found = datetime.date.fromisoformat(day) if DAY.fullmatch(day) else None
    except ValueError:
        found = None
    if found is None or not FIRST_DATE <= found <= LAST_DATE:
        raise DCIValueError(f"not a day from {FIRST_DATE} to {LAST_DATE}", DATE_EXPECTED)
    return day
