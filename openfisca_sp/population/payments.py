"""What each person's claims pay in a calendar month, from a population run's per-person results.

The cost of a branch in month M is what is payable in M: the periodical
payments of the claims whose benefit period covers M (part months as
:mod:`~openfisca_sp.decisions.schedules` pays them), plus the lump sums that
fall due in M (on the claim's event). A claim whose event date the table does
not state is decided on the first day of the month evaluated: one of a benefit
paid for a counted duration (a maternity benefit of 105 days) is paid over the
benefit period that decision gives, from that day; one of an open-ended benefit
(a pension or a disability benefit in payment) pays its monthly amount in every
month. Neither pays a lump sum: a one-off payment is counted once, in the month
of its dated claim, never every month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from openfisca_sp.decisions.month_amounts import OPEN_ENDED, payable_in
from openfisca_sp.decisions.month_rounding import counted_paid_in
from openfisca_sp.population.claims import UNIT_NAMES
from openfisca_sp.population.outputs import owed_flags
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS
from openfisca_sp.rules.formulas import round_money

SCHEDULED_UNITS = (*COUNTED_DURATION_UNITS, *OPEN_ENDED)
SCHEDULED = np.isin(UNIT_NAMES, SCHEDULED_UNITS)  # by duration unit index: whether a schedule is known
COUNTED = np.isin(UNIT_NAMES, COUNTED_DURATION_UNITS)  # by duration unit index: a benefit paid for a count
IN_DAYS = UNIT_NAMES == "days"  # by duration unit index: paid at the law's share of the monthly amount a day


@dataclass(frozen=True)
class MonthPayments:
    """What a branch's claims pay each person in a month (:func:`month_payments`)."""

    periodical: np.ndarray  # float64; NaN where it cannot be told
    lump_sums: np.ndarray  # float64: those falling due in the month
    paid: np.ndarray  # bool: paid something in the month (or what cannot be told)
    paid_periodically: np.ndarray  # bool: paid the periodical benefit (a pension), not only a lump sum

    @property
    def amounts(self) -> np.ndarray:
        """Periodical payments plus lump sums due (float64; NaN where it cannot be told)."""
        return self.periodical + self.lump_sums


def _month_bounds(month: str) -> tuple[np.datetime64, np.datetime64]:
    first = np.datetime64(month, "M")
    return first.astype("datetime64[D]"), (first + 1).astype("datetime64[D]") - 1


def _dated(columns: Mapping[str, np.ndarray], branch: Branch) -> np.ndarray:
    return ~np.isnat(columns[f"{branch.benefit}_claim_date"])


def _scheduled(columns: Mapping[str, np.ndarray], branch: Branch, dated: np.ndarray) -> np.ndarray:
    """The claims paid over their benefit period: the dated ones, and the undated ones of a counted duration
    whose period is known (from the first day of the month evaluated, where they are decided)."""
    counted = COUNTED[columns[f"{branch.benefit}_duration_unit"].astype(np.intp, copy=False)]
    return dated | (counted & ~np.isnat(columns[f"{branch.benefit}_start"]))


def _unknown(columns: Mapping[str, np.ndarray], branch: Branch, dated: np.ndarray) -> np.ndarray:
    """Claims granted to be paid over a benefit period that is not known: dated ones, and undated ones of a
    counted duration (an open-ended one undated is in payment every month)."""
    units = columns[f"{branch.benefit}_duration_unit"].astype(np.intp, copy=False)
    unknown = np.isnat(columns[f"{branch.benefit}_start"]) | ~SCHEDULED[units]
    return columns[branch.eligible].astype(bool) & (dated | COUNTED[units]) & unknown


@dataclass(frozen=True)
class ScheduleUnknown:
    """Claims granted whose payment in a month cannot be told, by why (:func:`schedule_parts`)."""

    period: np.ndarray  # bool: the benefit period is not known (a start or a duration the sources do not give)
    days: np.ndarray  # bool: counted in days, and the law sets no days a month (what a day pays)

    @property
    def any(self) -> np.ndarray:
        """Either (:func:`schedule_unknown`)."""
        return self.period | self.days


def schedule_parts(
    columns: Mapping[str, np.ndarray], branch: Branch, month: str | None = None, claimants: Claimants | None = None
) -> ScheduleUnknown:
    """Claims granted whose benefit period is not known (a start or a duration the law's sources do not give),
    dated or of a counted duration; and those counted in days that the law does not say how to pay (no days a
    month: Lao PDR's maternity benefit), whose months cannot be priced (computed over the claims granted alone, or
    over ``claimants`` where the caller has them: :func:`claimants_of`, the claims granted among them).
    With ``month``, only the claims whose payment in it cannot be told: made by its end where the period is not
    known, paid in days over a period that meets it (a claim whose days ended before it pays nothing in it)."""
    if claimants is None:
        rows = np.flatnonzero(columns[branch.eligible])
        claimants = Claimants(rows, len(columns[branch.eligible]), _results_of(columns, branch, rows))
    found = claimant_schedule(claimants, branch, month)
    return ScheduleUnknown(
        spread(found.period, claimants.rows, claimants.count), spread(found.days, claimants.rows, claimants.count)
    )


def claimant_schedule(claimants: Claimants, branch: Branch, month: str | None = None) -> ScheduleUnknown:
    """:func:`schedule_parts` on ``claimants``' rows alone (one value per claimant, the others' all False): for a
    caller that only asks whether any is."""
    part = claimants.results
    units = part[f"{branch.benefit}_duration_unit"].astype(np.intp, copy=False)
    unpriced = IN_DAYS[units] & np.isnan(part[f"{branch.benefit}_days_a_month"])  # paid NaN over their period
    unpriced &= part[branch.eligible].astype(bool)  # of the claims granted (all of them, by default)
    period = _unknown(part, branch, _dated(part, branch))
    if month is not None:
        first, last = _month_bounds(month)
        start, end = part[f"{branch.benefit}_start"], part[f"{branch.benefit}_end"]
        unpriced &= (start <= last) & (np.isnat(end) | (end >= first)) & (part[branch.benefit] != 0)
        period &= _claimed_by(part, branch, month)
    return ScheduleUnknown(period, unpriced)


def schedule_unknown(columns: Mapping[str, np.ndarray], branch: Branch) -> np.ndarray:
    """Claims granted whose payment in a month cannot be told: their benefit period is not known, or they are
    counted in days the law does not say how to pay (:func:`schedule_parts`)."""
    return schedule_parts(columns, branch).any


def _periodical(
    columns: Mapping[str, np.ndarray],
    branch: Branch,
    month: str,
    dated: np.ndarray,
    unknown: np.ndarray,
    decimals: int,
) -> np.ndarray:
    """Each claim's periodical payment in ``month``, rounded to ``decimals`` as its schedule rounds it
    (:mod:`~openfisca_sp.decisions.month_rounding`): a counted period so that its running totals are rounded, an
    open-ended one (or one in payment every month) each month on its own."""
    amount = columns[branch.benefit].astype(np.float64)
    scheduled = _scheduled(columns, branch, dated)
    paid = np.where(scheduled, 0.0, amount)
    rows = np.flatnonzero(scheduled & (amount != 0))  # NaN amounts too: they stay NaN
    if len(rows):
        units = UNIT_NAMES[columns[f"{branch.benefit}_duration_unit"][rows].astype(np.intp)]
        start, end = columns[f"{branch.benefit}_start"][rows], columns[f"{branch.benefit}_end"][rows]
        days = columns[f"{branch.benefit}_days_a_month"][rows]  # NaN: what a day pays is not modelled
        paid[rows] = payable_in(np.datetime64(month, "M"), amount[rows], start, end, units, days)
    paid = round_money(paid, decimals)
    if len(rows):
        counted = np.isin(units, COUNTED_DURATION_UNITS) & ~np.isnat(start) & ~np.isnat(end)
        if counted.any():
            at = rows[counted]
            paid[at] = counted_paid_in(
                month, amount[at], start[counted], end[counted], units[counted], days[counted], decimals
            )
    claimed = _claimed_by(columns, branch, month)
    paid[unknown & ~claimed] = 0.0  # a claim made after the month pays nothing in it, whatever its period
    paid[unknown & claimed] = np.nan
    return paid


def _claimed_by(columns: Mapping[str, np.ndarray], branch: Branch, month: str) -> np.ndarray:
    """Whether each claim is made by the end of ``month`` (an undated claim: yes): a benefit period, known or
    not, never starts before its claim's event."""
    claimed = columns[f"{branch.benefit}_claim_date"]
    return np.isnat(claimed) | (claimed <= _month_bounds(month)[1])


def periodical_in(columns: Mapping[str, np.ndarray], branch: Branch, month: str, decimals: int) -> np.ndarray:
    """Each person's periodical benefit payable in ``month`` (float64; NaN where it cannot be told), rounded to
    ``decimals`` (the currency's) as its schedule rounds it (:func:`_periodical`).

    Only dated claims with an amount are scheduled (the others pay their amount, or nothing): a population's
    few claimants, not everyone, go through the calendar arithmetic.
    """
    dated = _dated(columns, branch)
    return _periodical(columns, branch, month, dated, _unknown(columns, branch, dated), decimals)


def due_in(columns: Mapping[str, np.ndarray], branch: Branch, month: str) -> np.ndarray:
    """Whose lump sums of ``branch`` fall due in ``month``: those of the claims dated in it (an undated claim's
    never)."""
    first, last = _month_bounds(month)
    claimed = columns[f"{branch.benefit}_claim_date"]
    return (claimed >= first) & (claimed <= last)  # NaT: never


def owed_not_told(columns: Mapping[str, np.ndarray], branch: Branch) -> np.ndarray:
    """Who is owed a lump sum of ``branch`` whose formula the law at their claim's date does not give: its amount
    is not told (0 in the results), yet it is owed, and paid once it falls due (:func:`due_in`)."""
    unknown = np.zeros(len(columns[branch.eligible]), dtype=bool)
    for name, owed in owed_flags(branch).items():
        unknown |= columns[owed].astype(bool) & ~columns[f"{name}_modelled"].astype(bool)
    return unknown


def _lump_sums_due(columns: Mapping[str, np.ndarray], branch: Branch, month: str, lump_sums: np.ndarray) -> np.ndarray:
    """Who is paid a lump sum in ``month``: one due in it (``lump_sums``: :func:`lump_sums_in`) above 0 or that
    cannot be told (NaN), or one owed whose amount is not told (:func:`owed_not_told`) falling due in it."""
    paid = (lump_sums > 0) | np.isnan(lump_sums)
    if branch.lump_sums:
        paid |= owed_not_told(columns, branch) & due_in(columns, branch, month)
    return paid


def lump_sums_in(columns: Mapping[str, np.ndarray], branch: Branch, month: str) -> np.ndarray:
    """Each person's lump sums falling due in ``month`` (float64): those of claims dated in it."""
    total = np.zeros(len(columns[branch.eligible]))
    if not branch.lump_sums:
        return total
    due = due_in(columns, branch, month)
    for name in branch.lump_sums:
        total[due] += columns[name][due].astype(np.float64)
    return total


def _paid_periodically(
    columns: Mapping[str, np.ndarray],
    branch: Branch,
    month: str,
    dated: np.ndarray,
    unknown: np.ndarray,
    periodical: np.ndarray,
) -> np.ndarray:
    """Who is paid the periodical benefit: a claim granted whose period covers the month and whose payment in it
    is not 0 (or cannot be told: NaN, or an amount not modelled)."""
    first, last = _month_bounds(month)
    start, end = columns[f"{branch.benefit}_start"], columns[f"{branch.benefit}_end"]
    covers = (start <= last) & (np.isnat(end) | (end >= first))
    covered = np.where(_scheduled(columns, branch, dated), covers, True)
    covered |= unknown & _claimed_by(columns, branch, month)
    pays = periodical != 0  # NaN too
    if branch.amount_modelled:
        pays |= ~columns[branch.amount_modelled].astype(bool)
    return columns[branch.eligible].astype(bool) & covered & pays


def paid_periodically_in(columns: Mapping[str, np.ndarray], branch: Branch, month: str, decimals: int) -> np.ndarray:
    """Who is paid the periodical benefit of ``branch`` in ``month`` (a pension in payment): :func:`paid_in`
    without those paid only a lump sum falling due in it."""
    dated = _dated(columns, branch)
    unknown = _unknown(columns, branch, dated)
    return _paid_periodically(
        columns, branch, month, dated, unknown, _periodical(columns, branch, month, dated, unknown, decimals)
    )


def paid_in(columns: Mapping[str, np.ndarray], branch: Branch, month: str, decimals: int) -> np.ndarray:
    """Who is paid something by ``branch`` in ``month``: a claim granted whose period covers it (or whose
    period is not known, from its claim's month on) and whose payment in it is not 0, undated claims in payment
    (:func:`paid_periodically_in`), and lump sums due in it (those owed whose amount is not told too)."""
    due = _lump_sums_due(columns, branch, month, lump_sums_in(columns, branch, month))
    return paid_periodically_in(columns, branch, month, decimals) | due


def month_payments(
    columns: Mapping[str, np.ndarray], branch: Branch, month: str, decimals: int, claimants: Claimants | None = None
) -> MonthPayments:
    """Everything :func:`periodical_in`, :func:`lump_sums_in`, :func:`paid_in` and :func:`paid_periodically_in`
    give, computed together; periodical payments rounded to ``decimals`` (the currency's) as the schedules of
    ``/eligibility`` round them (lump sums are the rules' amounts, rounded by their formulas).

    Computed over the rows a claim may pay (``claimants``, or :func:`claimants_of` them), a few percent of a
    population, and spread over the others, which are paid nothing."""
    claimants = claimants or claimants_of(columns, branch)
    found = claimant_payments(claimants, branch, month, decimals)
    rows, count = claimants.rows, claimants.count
    return MonthPayments(
        spread(found.periodical, rows, count),
        spread(found.lump_sums, rows, count),
        spread(found.paid, rows, count),
        spread(found.paid_periodically, rows, count),
    )


def claimant_payments(claimants: Claimants, branch: Branch, month: str, decimals: int) -> MonthPayments:
    """:func:`month_payments` on ``claimants``' rows alone (one value per claimant; the others are paid nothing):
    a caller spreads over the population only the arrays it keeps."""
    part = claimants.results
    dated = _dated(part, branch)
    unknown = _unknown(part, branch, dated)
    lump_sums = lump_sums_in(part, branch, month)
    periodical = _periodical(part, branch, month, dated, unknown, decimals)
    periodically = _paid_periodically(part, branch, month, dated, unknown, periodical)
    paid = periodically | _lump_sums_due(part, branch, month, lump_sums)
    return MonthPayments(periodical, lump_sums, paid, periodically)


@dataclass(frozen=True)
class Claimants:
    """The results of a branch that what it pays depends on (:func:`_results_of`), for some rows alone: indexed
    once for :func:`month_payments` and :func:`schedule_parts` of the same results."""

    rows: np.ndarray  # their rows among ``count``, ascending
    count: int
    results: dict[str, np.ndarray]


def claimants_of(columns: Mapping[str, np.ndarray], branch: Branch) -> Claimants:
    """The results of the rows ``branch`` may pay (:func:`claimant_rows`)."""
    rows = claimant_rows(columns, branch)
    return Claimants(rows, len(columns[branch.eligible]), _results_of(columns, branch, rows))


def claimant_rows(columns: Mapping[str, np.ndarray], branch: Branch) -> np.ndarray:
    """The rows ``branch`` may pay: a claim granted, an amount or a lump sum other than 0 (NaN counts), or a lump
    sum owed whose amount is not told (:func:`owed_not_told`). The others are paid nothing in any month."""
    active = columns[branch.eligible].astype(bool)
    for name in (branch.benefit, *branch.lump_sums):
        active |= columns[name] != 0
    if branch.lump_sums:
        active |= owed_not_told(columns, branch)
    return np.flatnonzero(active)


def _results_of(columns: Mapping[str, np.ndarray], branch: Branch, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The results of ``branch`` that what it pays depends on, for ``rows`` alone."""
    schedule = (f"{branch.benefit}_{part}" for part in ("claim_date", "duration_unit", "start", "end", "days_a_month"))
    modelled = (branch.amount_modelled,) if branch.amount_modelled else ()
    owed = (name for lump_sum, flag in owed_flags(branch).items() for name in (flag, f"{lump_sum}_modelled"))
    names = (branch.eligible, branch.benefit, *schedule, *branch.lump_sums, *modelled, *owed)
    return {name: columns[name][rows] for name in names}


def spread(values: np.ndarray, rows: np.ndarray, count: int) -> np.ndarray:
    """``values`` of ``rows`` placed among ``count`` rows; the others zero (or False)."""
    found = np.zeros(count, dtype=values.dtype)
    found[rows] = values
    return found


def month_amounts(columns: Mapping[str, np.ndarray], branch: Branch, month: str, decimals: int) -> np.ndarray:
    """Each person's amounts payable by ``branch`` in ``month``: periodical payments plus lump sums due
    (float64; NaN where it cannot be told), rounded to ``decimals`` (:func:`month_payments`)."""
    return month_payments(columns, branch, month, decimals).amounts
