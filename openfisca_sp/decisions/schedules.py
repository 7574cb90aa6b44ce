"""Benefit periods and payment schedules: when an entitlement starts and ends, and what is payable each month.

A periodical benefit is decided as a monthly amount and a duration in days, weeks or months (or throughout the
contingency). The law gives the total of a counted duration; it seldom says how a part month is paid. The rules
used here, where the law is silent, are stated with each schedule (``METHODS``) and make it provisional:

* a duration in **months** is paid as that many monthly amounts, each spread over the days of its own benefit
  month (10 May to 9 June …);
* a duration in **days** is paid at the share of the monthly amount a day that the jurisdiction's law gives
  (:mod:`~.day_rate`: Viet Nam's 1/30, SI Law 2014 Art 39(1)(c), SI Law 2024 Art 59(3)); where its law gives
  none, what the days pay is not modelled (no month's amount, no total);
* a duration in **weeks** is paid at 12/52 of the monthly amount a week, spread over its days;
* a benefit **throughout the contingency** is paid the monthly amount for each whole calendar month, and the share
  of its days for a part month (none where the law pays from the first day of a month: Viet Nam's pension, from the
  month after retirement, the branch's ``first_day``, told first in ``method``);
* an amount that depends on the person's **age** (Viet Nam's coefficients of children and older persons) changes
  from the month an age the law names is reached, or the month after, as the law in force that day says
  (:mod:`~.age_changes`).

All on whole arrays: the population engine asks what millions of claims pay in a month at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from openfisca_sp.decisions.age_changes import METHOD as AGE_METHOD
from openfisca_sp.decisions.age_changes import AgeChanges
from openfisca_sp.decisions.day_rate import day_method
from openfisca_sp.decisions.month_amounts import NO_RULE, OPEN_ENDED, payable_in
from openfisca_sp.decisions.month_rounding import counted_months, rounded_total
from openfisca_sp.decisions.uprating import INDEXED_NOTE, NOT_MODELLED_NOTE, UNSURE, InPaymentIndex
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS, DurationUnit
from openfisca_sp.rules.formulas import among, round_money

NOT_A_DATE = np.datetime64("NaT", "D")
METHODS = {
    "months": "each monthly amount spread over the days of its benefit month",
    "days": "the monthly amount's share a day the law gives (day_rate.day_method)",
    "weeks": "12/52 of the monthly amount a week, spread over its days",
    "lifetime": "the monthly amount for each whole calendar month; the share of its days for a part month",
    "until_pensionable_age": (
        "the monthly amount for each whole calendar month; the share of its days for a part month"
    ),
}


def _months(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]")


class MonthPayment(NamedTuple):
    """What one claim pays in one calendar month: the periodical benefit and the lump sums falling due (a
    named tuple: an answer lists thousands of them)."""

    month: str
    periodical: float | None
    lump_sums: float


@dataclass(frozen=True)
class LumpSum:
    """A one-off payment and the day it falls due (the claim's event)."""

    name: str
    amount: float | None
    due: str


@dataclass(frozen=True)
class Payments:
    """An entitlement's benefit period and payment schedule, and whether it is payable on the date asked."""

    start: str | None  # the first day paid; None where the law's start is not modelled
    end: str | None  # the last day paid; None when open-ended (or not modelled: see the duration's unit)
    status: str | None  # on the date asked: payable, not_yet_payable, ended
    months: list[MonthPayment] | None  # calendar months of the period (for an open-ended one, to the date asked)
    periodical_total: float | None  # the whole periodical entitlement; None when open-ended or not determined
    lump_sums: list[LumpSum]
    total: float | None  # periodical total plus lump sums; None when open-ended or not determined
    # the decision it schedules is provisional (rests on an unverified value or an assumed fact: so does what it
    # pays), or a part month is paid by a rule the law does not give, or rises are not modelled (``method``)
    provisional: bool
    method: str | None


TABLE_BLOCK = 1 << 15  # months times claims computed at once: arrays of 256 KB, within a core's cache
MAX_MONTHS = 24  # an open-ended schedule lists at most the last 24 months to the date asked


def status_on(day: np.datetime64, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``payable``, ``not_yet_payable`` or ``ended`` on ``day``; None where the start is unknown."""
    status = np.where(day < start, "not_yet_payable", np.where(~np.isnat(end) & (day > end), "ended", "payable"))
    return np.where(np.isnat(start), None, status.astype(object))


def _listed_months(start: np.ndarray, end: np.ndarray, due: np.ndarray, asked: np.datetime64) -> tuple:
    """Each claim's first and last month to list: its period (open-ended: to the date asked, at most
    ``MAX_MONTHS``), and the month its lump sums fall due."""
    first = np.minimum(_months(start), _months(due))
    last = np.where(np.isnat(end), np.maximum(np.datetime64(asked, "M"), _months(start)), _months(end))
    last = np.maximum(last, _months(due))
    first = np.where(np.isnat(end), np.maximum(first, last - (MAX_MONTHS - 1)), first)
    return first, last


def _months_listed(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Every month from ``first`` to ``last`` of some claim, once each, in order (months as ``datetime64[M]``)."""
    counts = (last - first).astype(np.int64) + 1
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.unique(np.repeat(first, counts) + offsets)


def _payable_table(
    listed: np.ndarray,
    amount: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    unit: np.ndarray,
    days: np.ndarray,
    changes: AgeChanges | None = None,
) -> np.ndarray:
    """What each claim pays in each month ``listed``, a row per month: :func:`payable_in` over blocks of months
    (each block's temporaries at most ``TABLE_BLOCK`` values); ``days``: each claim's days a month; ``changes``:
    each claim's amount by month, where it follows the person's age."""
    step = max(1, TABLE_BLOCK // max(len(amount), 1))
    blocks = []
    for at in range(0, len(listed), step):  # blocks of months, each computed for every claim at once
        months = listed[at : at + step]
        monthly = amount if changes is None else changes.monthly(amount, months)
        blocks.append(payable_in(months, monthly, start, end, unit, days))
    return np.concatenate(blocks) if blocks else np.zeros((0, len(amount)))


def payments_of(
    amount: np.ndarray,
    duration: np.ndarray,
    unit: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    lump_sums: dict[str, np.ndarray],
    due: np.ndarray,
    asked: np.datetime64,
    decimals: int = 0,
    eligible: np.ndarray | None = None,
    index: InPaymentIndex | None = None,
    earliest: np.ndarray | None = None,
    days_a_month: np.ndarray | None = None,
    changes: AgeChanges | None = None,
    first_day_notes: np.ndarray | None = None,
    first_day_read: np.ndarray | None = None,
    decided_provisional: np.ndarray | None = None,
) -> list[Payments | None]:
    """Each claim's payments; None where nothing is paid (not ``eligible``, no lump sum due).

    ``amount`` is the monthly amount (NaN where not determined or not modelled),
    ``duration`` and ``unit`` its duration; ``lump_sums`` fall due on ``due`` (the
    event). Open-ended schedules run to the month of ``asked``. Amounts are rounded
    to ``decimals``: a counted period's months so that they add up to its rounded total, an open-ended
    period's each on its own (a month pays the same whenever it is asked).
    With the branch's ``index`` of benefits in payment, each month pays the amount
    decided (on ``due``) times the index's rise since (:mod:`~.uprating`). A claim whose first day paid is not
    known is ``not_yet_payable`` when asked before ``earliest``, the day it can be claimed. A duration in days
    is paid at 1/``days_a_month`` of the monthly amount a day (each claim's: the law's on the day it was decided,
    :mod:`~.day_rate`); without it (NaN, or none given), what the days pay is not modelled. With ``changes``, a
    month pays the amount the person's age gives then (:mod:`~.age_changes`), the schedule provisional where the
    month it changes rests on an unverified value.
    ``first_day_notes``: what each claim's first day paid rests on where it is not its event's day (Viet Nam's
    pension, from the month after retirement; None elsewhere), told first in its ``method``; ``first_day_read``:
    where that day is a reading of the law, the schedule provisional. ``decided_provisional``: where the decision
    scheduled is provisional (its amount, lump sums, duration or eligibility rest on an unverified value or an
    assumed fact), the schedule is too, whatever it lists: what it pays rests on them.
    """
    days = np.full(len(amount), NO_RULE) if days_a_month is None else np.asarray(days_a_month, dtype=np.float64)
    periodic = ~np.isnat(start) if eligible is None else np.asarray(eligible, dtype=bool)
    lump_due = np.zeros(len(periodic), dtype=bool)
    for values in lump_sums.values():
        lump_due |= ~np.isnat(due) & (values > 0)  # NaN (not determined): not due
    entitled = periodic | lump_due
    if not entitled.any():  # nothing paid to anyone (a branch nobody is eligible for)
        return [None] * len(entitled)
    anchor = np.where(np.isnat(start), due, start)
    # the event's month is listed where a lump sum falls due in it, not before a period that starts later
    first, last = _listed_months(anchor, end, np.where(lump_due, due, anchor), asked)
    # a period counted in days, weeks or months whose count is not told (a fact it reads is missing), or whose
    # duration is not modelled (a leave a physician sets), has no end known: it is not open-ended, so no month is
    # listed and whether it still runs is not told
    untold = np.isnan(np.asarray(duration, dtype=np.float64)) & among(unit, COUNTED_DURATION_UNITS)
    untold_end = np.isnat(end) & (untold | (unit == DurationUnit.not_modelled.name))
    scheduled = entitled & ~np.isnat(start) & ~np.isnan(amount) & ~untold_end
    unsure = np.zeros(len(amount), dtype=bool)  # raised by an unverified value of the index: provisional
    aged = np.zeros(len(amount), dtype=bool)  # paid, some month, what the person's age gives then
    aged_unsure = aged  # ... from a month an unverified value names: provisional
    if changes is not None:  # from the first month paid: a change before the months listed pays them its amount
        aged = scheduled & changes.within(_months(start), last)
        aged_unsure = scheduled & changes.within(_months(start), last, unverified=True)
    if scheduled.any():
        listed = _months_listed(first[scheduled], last[scheduled])
        own_changes = changes.take(scheduled) if aged.any() else None
        payable = _payable_table(
            listed, amount[scheduled], start[scheduled], end[scheduled], unit[scheduled], days[scheduled], own_changes
        )
        if index is not None:  # a month of unknown index pays what is not known (NaN)
            # a decree raises what was paid before it; a reference amount followed counts from the day decided
            paid_from = index.counted_from(due[scheduled], start[scheduled])
            payable = payable * index.factors(paid_from, listed)
            own = (listed[:, np.newaxis] >= first[scheduled]) & (listed[:, np.newaxis] <= last[scheduled])
            unsure[scheduled] = (index.unsure(paid_from, listed) & own).any(axis=0)  # each claim's months
    else:  # no schedule to list (amounts not modelled, lump sums only)
        listed, payable = np.zeros(0, dtype="datetime64[M]"), np.zeros((0, 0))
    column = np.cumsum(scheduled) - 1  # a scheduled claim's column of ``payable``
    totals = rounded_total(amount, duration, unit, days, decimals)
    totals[aged] = np.nan  # a counted period whose amount follows age: the total is its months' (listed whole)
    status = status_on(np.datetime64(asked, "D"), start, end)
    status[untold_end & (np.datetime64(asked, "D") >= start)] = None  # payable or ended: the end is not known
    if earliest is not None:  # the first day paid not known, but not before the day it can be claimed
        status[periodic & np.isnat(start) & (np.datetime64(asked, "D") < earliest)] = "not_yet_payable"
    listed_amount = np.where(untold_end, np.nan, amount) if untold_end.any() else amount  # no month listed
    arrays = (listed_amount, unit, start, end, lump_sums, due, first, last, listed, payable, column, totals, status)
    notes = np.full(len(amount), None, dtype=object) if first_day_notes is None else first_day_notes
    read = np.zeros(len(amount), dtype=bool) if first_day_read is None else np.asarray(first_day_read, dtype=bool)
    decided = np.zeros(len(amount), dtype=bool) if decided_provisional is None else np.asarray(decided_provisional)
    ages = (aged, aged_unsure)
    claims = _Claims(*arrays, decimals, periodic, index is not None, unsure, days, *ages, notes, read, decided)
    return [claims.payments(row) if entitled[row] else None for row in range(len(amount))]


def _money(value: float) -> float | None:
    return None if value != value else float(value)  # NaN: not known


@dataclass(frozen=True)
class _Claims:
    """A branch's claims as arrays, and what the claims with a schedule are paid in each month listed
    (``payable``: a row per month of ``listed``, the column of each such claim in ``column``)."""

    amount: np.ndarray
    unit: np.ndarray
    start: np.ndarray
    end: np.ndarray
    lump_sums: dict[str, np.ndarray]
    due: np.ndarray
    first: np.ndarray
    last: np.ndarray
    listed: np.ndarray
    payable: np.ndarray
    column: np.ndarray
    totals: np.ndarray
    status: np.ndarray
    decimals: int
    periodic: np.ndarray  # entitled to the periodical benefit (else to lump sums only)
    indexed: bool  # raised with the law's rises of benefits in payment (else each month at the amount decided)
    unsure: np.ndarray  # raised by an unverified value of the index
    days_a_month: np.ndarray  # float64: what a day of a duration in days is paid (NaN: not modelled)
    aged: np.ndarray  # bool: some month pays what the person's age gives then (:mod:`~.age_changes`)
    aged_unsure: np.ndarray  # bool: from a month an unverified value names (provisional)
    first_day_notes: np.ndarray  # object: what the first day paid rests on, where not the event's day (else None)
    first_day_read: np.ndarray  # bool: that day is a reading of the law (provisional)
    decided_provisional: np.ndarray  # bool: the decision scheduled is provisional (what it pays rests on it)

    def _months(self, row: int, lumps: list[LumpSum]) -> list[MonthPayment]:
        """The listed months. A counted period, listed whole, is rounded so that each running total is the
        rounded running total and the period adds up to its rounded total; an open-ended one, listed up to the
        month asked, pays each month its own amount rounded, the same whichever months are listed with it."""
        months = np.arange(self.first[row], self.last[row] + 1, dtype="datetime64[M]")
        positions = np.searchsorted(self.listed, months)
        payable = self.payable[positions, self.column[row]]
        unknown = np.isnan(payable)  # a month whose rise of benefits in payment is not known
        if self.totals[row] == self.totals[row]:  # a counted period, listed whole
            running = np.cumsum(np.where(unknown, 0.0, payable))
            running[-1] = self.totals[row]
            paid = np.where(unknown, np.nan, counted_months(running, self.decimals)).tolist()
        else:
            paid = np.where(unknown, np.nan, round_money(np.where(unknown, 0.0, payable), self.decimals)).tolist()
        due: dict[str, float] = {}  # the lump sums falling due in each month
        for lump in lumps:
            due[lump.due[:7]] = due.get(lump.due[:7], 0.0) + (lump.amount or 0.0)
        texts = self.month_texts
        return [
            MonthPayment(texts[position], _money(value), due.get(texts[position], 0.0))
            for position, value in zip(positions.tolist(), paid, strict=True)
        ]

    @cached_property
    def month_texts(self) -> list[str]:
        """The months listed as text (YYYY-MM), converted once."""
        return np.datetime_as_string(self.listed).tolist()

    @cached_property
    def texts(self) -> tuple[list[str], list[str], list[str]]:
        """Start, end and due days as text ("NaT" where none), converted once."""
        return tuple(np.datetime_as_string(days).tolist() for days in (self.start, self.end, self.due))  # type: ignore[return-value]

    def _by_rule(self, row: int, months: list[MonthPayment] | None, split: bool, later: bool, aged: bool) -> bool:
        """Whether a schedule's months rest on a rule the law does not give (a part month ``split``, months
        ``later`` than the one decided not raised, an unsure rise, an amount ``aged`` from a month an unverified value
        names, a first day read)."""
        return bool(months) and (
            split or (later and not self.indexed) or bool(self.unsure[row]) or aged or bool(self.first_day_read[row])
        )

    def payments(self, row: int) -> Payments:
        starts, ends, dues = self.texts
        start = None if starts[row] == "NaT" else starts[row]
        lumps = [
            LumpSum(name, _money(values[row]), dues[row])
            for name, values in self.lump_sums.items()
            if dues[row] != "NaT" and values[row] != 0
        ]
        months = None
        if start is not None and self.amount[row] == self.amount[row]:
            months = self._months(row, lumps)
        periodical_total = _money(self.totals[row]) if start is not None else 0.0
        if periodical_total is None and months is not None and ends[row] != "NaT":
            # a period no count gives but whose end is known (until pensionable age): its months, listed whole
            listed = np.array([month.periodical for month in months], dtype=np.float64).sum(keepdims=True)
            periodical_total = _money(float(round_money(listed, self.decimals)[0]))  # None: a month not known
        if start is None and self.periodic[row]:  # entitled, the period not known: not determined, never 0
            periodical_total = None
        lumps_known = all(lump.amount is not None for lump in lumps)
        total = None
        if periodical_total is not None and lumps_known:
            total = periodical_total + sum(lump.amount for lump in lumps)  # type: ignore[misc]
        unit = str(self.unit[row])
        priced = unit != "days" or self.days_a_month[row] == self.days_a_month[row]  # else no month is paid
        split = priced and (unit in ("days", "weeks") or (start is not None and not start.endswith("-01")))
        method = (day_method(self.days_a_month[row]) if unit == "days" else METHODS.get(unit)) if months else None
        note = self.first_day_notes[row]
        if months and note:  # paid from another day than the event's: what that day rests on, first
            method = f"{note}; {method}"
        # the month the amount was decided for: the first month paid where the law pays from a later day
        decided = (start or dues[row]) if note else min(dues[row], start or dues[row])
        later = bool(months) and unit in OPEN_ENDED and months[-1].month > decided[:7]
        if later:  # months after the one decided: raised with the law, or at the amount decided
            method = f"{method}; {INDEXED_NOTE if self.indexed else NOT_MODELLED_NOTE}{UNSURE * bool(self.unsure[row])}"
        if months and self.aged[row]:
            method = f"{method}; {AGE_METHOD}"
        aged = bool(months) and bool(self.aged_unsure[row])
        return Payments(
            start=start,
            end=None if ends[row] == "NaT" else ends[row],
            status=self.status[row],
            months=months,
            periodical_total=periodical_total if start is not None else None,
            lump_sums=lumps,
            total=total,
            provisional=bool(self.decided_provisional[row]) or self._by_rule(row, months, split, later, aged),
            method=method,
        )
