"""The units a formula reads a parameter's number in, as a parameter file's ``metadata.unit`` states them, and
the values a law can set in each (a count of time beyond a century, an age outside 40 to 80 years: a slip)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """The unit a formula reads a number in, as a parameter file's ``metadata.unit`` must state it.

    ``units`` are the exact units accepted (``/1``, ``month`` …); ``pattern``, when given, accepts the units
    that match it instead (an amount in the jurisdiction's currency: ``LAK per month``). A rate written as a
    percentage (``unit: percent``, ``value: 80``) would otherwise give amounts a hundred times too large.
    ``named_by``, when given, is the parameter under the branch whose value names the unit the formulas read
    (``duration.unit``: ``days``): the file's own unit must be that one (:mod:`~openfisca_sp.rules.named_units`).
    """

    words: str
    units: tuple[str, ...] = ()
    pattern: str = ""
    written: str = ""  # where a pattern accepts the units: how to write one
    # the values a law can set in this unit, where a value outside is a slip (an age in years written as months)
    plausible: tuple[float, float] | None = None
    slip: str = ""  # why a value outside ``plausible`` is one
    # what it most likely is ({value}, and {months}: it times 12), said only where that is within ``plausible``
    likely: str = ""
    named_by: str = ""  # the parameter under the branch that names the unit in force (``duration.unit``)

    def accepts(self, unit: str | None) -> bool:
        """Whether a file's ``unit`` is one the formula reads."""
        if unit is None:
            return False
        return unit in self.units or bool(self.pattern and re.match(self.pattern, unit))

    @property
    def example(self) -> str:
        """A unit to write: the first accepted one, or what a pattern accepts, in words."""
        return self.units[0] if self.units else self.written


RATE = Unit("a rate, a fraction between 0 and 1", ("/1",))
# No law counts more than a century of anything: a value beyond is a typo (10**23 months stops every claim unseen).
CENTURY = "a law counts no more than a century"
MONTHS = Unit("a number of months", ("month",), plausible=(0, 1200), slip=f"{CENTURY} (1,200 months)")
# An age the law sets for a benefit: no law sets one below 40 years or above 80 (ILO C102 Art 26(2): not more than
# 65, or higher where the working ability of elderly persons allows); 55 written for 55 years is 4 years 7 months.
AGE_MONTHS = Unit(
    "an age, in months (720 = 60 years)",
    ("month",),
    plausible=(40 * 12, 80 * 12),
    slip="a law sets an age of 480 to 960 months (40 to 80 years)",
    likely="if {value} is in years, write {months}",
)
WEEKS = Unit("a number of weeks", ("week",), plausible=(0, 5218), slip=f"{CENTURY} (5,218 weeks)")
DAYS = Unit("a number of days", ("day",), plausible=(0, 36525), slip=f"{CENTURY} (36,525 days)")
DAY_OF_MONTH = Unit(
    "a day of the month (15: the 15th)", ("day of month",), plausible=(1, 31), slip="a month's days are 1 to 31"
)
YEARS = Unit("a number of years", ("year",), plausible=(0, 100), slip=f"{CENTURY}")
TIME_COUNTS = (MONTHS, WEEKS, DAYS, YEARS)  # bound a count no declaration bounds, by its file's unit
WAGE_MONTHS = Unit("a number of months of wage, fractions allowed (1.5: one and a half months)", ("months of wage",))
COUNTED = Unit(  # bounded, as a count no declaration bounds, by its file's unit (:data:`TIME_COUNTS`)
    "a number of days, weeks or months (the branch's duration unit)", ("day", "week", "month"), named_by="duration.unit"
)
MONEY = Unit(
    "an amount in the jurisdiction's currency", pattern=r"^[A-Z]{3}\b", written="its currency code, e.g. LAK per month"
)
MULTIPLE = Unit(
    "a multiple of a reference amount", pattern=r"^times ", written="times and the amount, e.g. times the base salary"
)
PERCENT = Unit("a percentage", ("percent",))
CHILDREN = Unit("a number of children", ("child",))
INDEX = Unit("an index, 1 on its first date (1.3: 30% above it)", ("index",))
