"""The types of the commands' arguments that are checked before any work: a month of the rules' calendar, a whole
number within bounds (a typo sizing work, ``--persons 10**23``, is refused in argparse's words, naming the
option)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from openfisca_sp.decisions.facts import MONTH_EXPECTED, MONTH_PATTERN
from openfisca_sp.rules.wording import abridged


def month(text: str) -> str:
    """A YYYY-MM month of the calendar the rules are asked in (1900-01 to 2199-12), checked."""
    if not re.fullmatch(MONTH_PATTERN, text):
        raise argparse.ArgumentTypeError(f"expected {MONTH_EXPECTED}, not {text!r}")
    return text


def whole_number(low: int, high: int | None = None, why: str = "") -> Callable[[str], int]:
    """An argument's type: a whole number from ``low`` (to ``high``, ``why`` saying why no more), refused in
    argparse's words with what is expected, before any work is sized by it."""
    expected = f"a whole number of {low:,} or more" if high is None else f"a whole number from {low:,} to {high:,}"
    expected += f" ({why})" if why else ""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected {expected}, not {abridged(text)}")
        return value

    return read
