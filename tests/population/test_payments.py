"""What a branch pays in a month, computed over its claimants alone, is what the same rules give over every row.

``month_payments`` works on the rows a claim may pay and spreads the result; ``periodical_in``,
``lump_sums_in`` and ``paid_in`` compute over every row. Every branch of Viet Nam (lump sums, open-ended
pensions, benefits counted in days or months) is checked on arbitrary results, undated claims, unknown
schedules, NaN amounts and amounts paid to persons not eligible included.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis.branch_amounts import branch_amounts
from openfisca_sp.population.claims import UNIT_NAMES
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.payments import (
    SCHEDULED_UNITS,
    claimant_rows,
    claimant_schedule,
    claimants_of,
    lump_sums_in,
    month_payments,
    paid_in,
    periodical_in,
    schedule_parts,
    schedule_unknown,
)
from openfisca_sp.population.totals import unknown_as_zero
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS
from tests.population.pricing_reference import straightforward_pricing

MONTH = "2026-10"
BRANCHES = {branch.code: branch for branch in branches_of(tax_benefit_system("vnm"))}
VND = tax_benefit_system("vnm").jurisdiction.amount_decimals  # 0: payments are rounded to the dong
AMOUNTS = st.sampled_from([0.0, 0.0, 0.0, -0.0, 1_500_000.0, 2_340_000.5, np.nan])
DAYS = st.one_of(st.just(None), st.integers(0, 500))  # days from 2026-01-01, or none (NaT)


def _dates(offsets: list[int | None]) -> np.ndarray:
    first = np.datetime64("2026-01-01")
    return np.array([np.datetime64("NaT") if day is None else first + day for day in offsets], dtype="datetime64[D]")


@st.composite
def branch_results(draw: st.DrawFn, code: str) -> dict[str, np.ndarray]:
    """One branch's per-person results as a population run gives them, with any combination of values."""
    branch = BRANCHES[code]
    count = draw(st.integers(0, 40))
    start = draw(st.lists(DAYS, min_size=count, max_size=count))
    lengths = draw(st.lists(st.one_of(st.just(None), st.integers(0, 400)), min_size=count, max_size=count))
    end = [None if day is None or length is None else day + length for day, length in zip(start, lengths, strict=True)]
    columns = {
        branch.eligible: draw(arrays(bool, count)),
        branch.benefit: draw(arrays(np.float32, count, elements=AMOUNTS)),
        f"{branch.benefit}_claim_date": _dates(draw(st.lists(DAYS, min_size=count, max_size=count))),
        f"{branch.benefit}_duration_unit": draw(arrays(np.int16, count, elements=st.integers(0, len(UNIT_NAMES) - 1))),
        f"{branch.benefit}_start": _dates(start),
        f"{branch.benefit}_end": _dates(end),
        # the law's days a month (Viet Nam's 30), or none (Lao PDR's: what a day pays is not modelled)
        f"{branch.benefit}_days_a_month": draw(arrays(np.float64, count, elements=st.sampled_from([30.0, np.nan]))),
    }
    for name in branch.lump_sums:
        columns[name] = draw(arrays(np.float32, count, elements=AMOUNTS))
        # owed (to one refused the pension, or eligible), and whether its formula is given at the claim's date
        columns[f"{name}_entitled"] = draw(arrays(bool, count))
        columns[f"{name}_modelled"] = draw(arrays(bool, count))
    if branch.amount_modelled:
        columns[branch.amount_modelled] = draw(arrays(bool, count))
    return columns


def unknown_period(columns: dict[str, np.ndarray], branch) -> np.ndarray:
    """No start, or a duration unit with no schedule (not applicable, not modelled)."""
    units = UNIT_NAMES[columns[f"{branch.benefit}_duration_unit"].astype(np.intp)]
    return np.isnat(columns[f"{branch.benefit}_start"]) | ~np.isin(units, SCHEDULED_UNITS)


def unpriced_days(columns: dict[str, np.ndarray], branch) -> np.ndarray:
    """Counted in days, with no days a month in the law: what they pay in a month cannot be told."""
    units = UNIT_NAMES[columns[f"{branch.benefit}_duration_unit"].astype(np.intp)]
    return (units == "days") & np.isnan(columns[f"{branch.benefit}_days_a_month"])


@pytest.mark.parametrize("code", sorted(BRANCHES))
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_claimants_alone_pay_what_every_row_pays(code, data):
    branch = BRANCHES[code]
    columns = data.draw(branch_results(code))
    payments = month_payments(columns, branch, MONTH, VND)
    assert np.array_equal(payments.periodical, periodical_in(columns, branch, MONTH, VND), equal_nan=True)
    assert np.array_equal(payments.lump_sums, lump_sums_in(columns, branch, MONTH), equal_nan=True)
    assert np.array_equal(payments.paid, paid_in(columns, branch, MONTH, VND))
    assert payments.periodical.dtype == np.float64 and payments.paid.dtype == bool
    granted = columns[branch.eligible]
    units = UNIT_NAMES[columns[f"{branch.benefit}_duration_unit"].astype(np.intp)]
    scheduled = ~np.isnat(columns[f"{branch.benefit}_claim_date"]) | np.isin(units, COUNTED_DURATION_UNITS)
    every_row = granted & ((scheduled & unknown_period(columns, branch)) | unpriced_days(columns, branch))
    assert np.array_equal(schedule_unknown(columns, branch), every_row)
    others = np.setdiff1d(np.arange(len(payments.paid)), claimant_rows(columns, branch))
    assert not payments.paid[others].any() and not schedule_unknown(columns, branch)[others].any()


@pytest.mark.parametrize("code", sorted(BRANCHES))
@settings(max_examples=60, deadline=None)
@given(data=st.data(), month=st.sampled_from(["2025-12", "2026-01", "2026-06", "2026-10", "2027-05"]))
def test_a_claim_whose_period_is_not_known_is_not_paid_before_its_claim(code, data, month):
    """A claim granted whose benefit period is not known (Lao unemployment: no duration in the law's sources)
    is not counted as paid, nor its amount as unknown, in the months before its claim's event: it was counted
    in every month of a year, so a year's average beneficiaries were overstated."""
    branch = BRANCHES[code]
    columns = data.draw(branch_results(code))
    payments = month_payments(columns, branch, month, VND)
    claimed = columns[f"{branch.benefit}_claim_date"]
    later = columns[branch.eligible] & (claimed > np.datetime64(month, "M").astype("datetime64[D]") + 31)
    later &= np.isnat(columns[f"{branch.benefit}_start"])  # no start: nothing says when it is paid
    assert not payments.paid[later & (payments.lump_sums == 0)].any()
    assert np.array_equal(payments.periodical[later], np.zeros(later.sum()))
    by_then = columns[branch.eligible] & unknown_period(columns, branch) & (claimed <= np.datetime64(month, "M"))
    assert payments.paid[by_then].all() and np.isnan(payments.periodical[by_then]).all()


@pytest.mark.parametrize("code", sorted(BRANCHES))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_beneficiaries_are_the_persons_paid_something(code, data):
    """docs/population.md: "Beneficiaries are the persons paid something in M". A claim granted whose payment in
    the month is 0 (Lao maternity on no insured wage in the six months before the birth) was counted, so the
    average benefit was understated; a lump sum due to a person refused the benefit (Viet Nam's old-age lump
    sum) was not. An amount not modelled, or that cannot be told (NaN), counts: something may be paid; so does a
    lump sum owed whose formula the law does not give, falling due in the month (Lao PDR's under Decree 207/PM)."""
    branch = BRANCHES[code]
    columns = data.draw(branch_results(code))
    payments = month_payments(columns, branch, MONTH, VND)
    count = len(payments.paid)
    modelled = columns[branch.amount_modelled] if branch.amount_modelled else np.ones(count, dtype=bool)
    owed_not_told = np.zeros(count, dtype=bool)
    for name in branch.lump_sums:
        owed_not_told |= columns[f"{name}_entitled"] & ~columns[f"{name}_modelled"]
    claimed = columns[f"{branch.benefit}_claim_date"].astype("datetime64[M]")
    owed_not_told &= claimed == np.datetime64(MONTH, "M")  # falling due in the month: an undated claim's never
    something = (payments.periodical != 0) | (payments.lump_sums > 0) | np.isnan(payments.lump_sums)
    assert not payments.paid[~something & modelled & ~owed_not_told].any()
    assert payments.paid[(payments.lump_sums > 0) | np.isnan(payments.lump_sums) | owed_not_told].all()


@given(arrays(np.float64, st.integers(0, 40), elements=st.floats(allow_nan=True, allow_infinity=True)), st.booleans())
def test_unknown_amounts_read_as_zero_as_numpy_reads_them(amounts: np.ndarray, copy: bool) -> None:
    """``unknown_as_zero`` is ``np.nan_to_num``, in place or not, whether or not an amount is unknown."""
    expected = np.nan_to_num(amounts)
    given_amounts = amounts.copy()
    read = unknown_as_zero(given_amounts, copy=copy)
    np.testing.assert_array_equal(read, expected)
    if copy:
        np.testing.assert_array_equal(given_amounts, amounts)  # the amounts given are left as they were
    else:
        assert read is given_amounts  # in place


def _one_claim(code: str, unit: str, start: str | None, end: str | None, days: float = 30.0) -> dict[str, np.ndarray]:
    """One granted claim the table does not date, with the benefit period its decision gives (and the law's days
    a month: NaN, none)."""
    branch = BRANCHES[code]
    columns = {
        branch.eligible: np.array([True]),
        branch.benefit: np.array([3_000_000.0]),
        f"{branch.benefit}_claim_date": _dates([None]),
        f"{branch.benefit}_duration_unit": np.array([list(UNIT_NAMES).index(unit)], dtype=np.int16),
        f"{branch.benefit}_start": np.array([start or "NaT"], dtype="datetime64[D]"),
        f"{branch.benefit}_end": np.array([end or "NaT"], dtype="datetime64[D]"),
        f"{branch.benefit}_days_a_month": np.array([days]),
    }
    for name in branch.lump_sums:
        columns[name] = np.array([1_800_000.0])
        columns[f"{name}_entitled"], columns[f"{name}_modelled"] = np.array([True]), np.array([True])
    if branch.amount_modelled:
        columns[branch.amount_modelled] = np.array([True])
    return columns


def test_an_undated_claim_of_a_counted_duration_is_paid_over_its_period_not_every_month():
    """A maternity benefit of 105 days decided on the first day of October (the table dates no birth) is paid
    from then, not in each of the 12 months of the year: it was counted 12 times in a year's cost."""
    branch = BRANCHES["maternity"]
    columns = _one_claim("maternity", "days", "2026-10-01", "2027-01-13")
    paid = {
        month: month_payments(columns, branch, month, VND) for month in ("2026-09", "2026-10", "2027-01", "2027-02")
    }
    assert paid["2026-09"].periodical[0] == 0 and not paid["2026-09"].paid[0]
    # a law's 1/30 of a month a day, rounded to the dong as the schedule's running total is
    assert paid["2026-10"].periodical[0] == 3_100_000  # 3,000,000 x 31/30
    assert paid["2027-01"].periodical[0] == 1_300_000  # the period's 3,000,000 x 105/30 less what was paid before
    assert paid["2027-02"].periodical[0] == 0
    assert all(payments.lump_sums[0] == 0 for payments in paid.values())  # no lump sum for an undated claim
    unknown = _one_claim("maternity", "days", None, None)  # a period the law's sources do not give: not told
    assert np.isnan(month_payments(unknown, branch, "2026-10", VND).periodical[0])


def test_days_the_law_does_not_price_are_paid_what_cannot_be_told_over_their_period_alone():
    """Lao PDR's maternity benefit, 105 days of a monthly amount, no source saying what a day pays (law audit §4):
    over its period what a month pays cannot be told (NaN: the branch's cost is not modelled), outside it nothing;
    Viet Nam's 1/30 is not borrowed."""
    branch = BRANCHES["maternity"]
    columns = _one_claim("maternity", "days", "2026-10-01", "2027-01-13", days=np.nan)
    paid = {
        month: month_payments(columns, branch, month, VND) for month in ("2026-09", "2026-10", "2027-01", "2027-02")
    }
    assert paid["2026-09"].periodical[0] == 0 and not paid["2026-09"].paid[0]
    assert np.isnan(paid["2026-10"].periodical[0]) and paid["2026-10"].paid[0]
    assert np.isnan(paid["2027-01"].periodical[0])
    assert paid["2027-02"].periodical[0] == 0 and not paid["2027-02"].paid[0]
    assert schedule_unknown(columns, branch)[0]  # so the branch's amounts are not all modelled


def test_an_undated_open_ended_claim_is_in_payment_every_month():
    branch = BRANCHES["old_age"]
    columns = _one_claim("old_age", "lifetime", "2026-10-01", None)
    for month in ("2025-11", "2026-03", "2026-10"):
        assert month_payments(columns, branch, month, VND).periodical[0] == 3_000_000


@pytest.mark.parametrize("code", sorted(BRANCHES))
@settings(max_examples=80, deadline=None)
@given(data=st.data(), month=st.sampled_from([None, "2025-12", "2026-01", "2026-06", "2026-10", "2027-05"]))
def test_claimants_indexed_once_give_the_payments_and_schedules_each_gives_alone(code, data, month):
    """A month's payments and the schedules that cannot be told, from the claimants' results indexed once
    (:func:`claimants_of`), are those each computes from the whole results: the claims granted among the
    claimants, with whatever is paid to others (a lump sum owed to one refused), give the same schedules."""
    branch = BRANCHES[code]
    columns = data.draw(branch_results(code))
    claimants = claimants_of(columns, branch)
    alone, shared = schedule_parts(columns, branch, month), schedule_parts(columns, branch, month, claimants)
    assert np.array_equal(alone.period, shared.period) and np.array_equal(alone.days, shared.days)
    assert shared.period.dtype == shared.days.dtype == bool and len(shared.period) == len(columns[branch.eligible])
    if month is not None:
        paid, together = (
            month_payments(columns, branch, month, VND),
            month_payments(columns, branch, month, VND, claimants),
        )
        for field in ("periodical", "lump_sums", "paid", "paid_periodically"):
            assert np.array_equal(getattr(paid, field), getattr(together, field), equal_nan=True)


@pytest.mark.parametrize("code", sorted(BRANCHES))
@settings(max_examples=80, deadline=None)
@given(data=st.data(), month=st.sampled_from(["2025-12", "2026-01", "2026-06", "2026-10", "2027-05"]))
def test_a_branchs_amounts_found_over_its_claimants_are_those_of_every_row(code, data, month):
    """:func:`~openfisca_sp.analysis.branch_amounts.branch_amounts`, found over the rows a branch may pay
    (:func:`claimant_payments`, :func:`claimant_schedule`) and spread, gives what the whole results give."""
    branch = BRANCHES[code]
    columns = data.draw(branch_results(code))
    count = len(columns[branch.eligible])
    columns[branch.reason] = data.draw(arrays(np.int16, count, elements=st.integers(0, 3)))
    columns[branch.provisional] = data.draw(arrays(bool, count))
    found = branch_amounts(columns, branch, count, month, VND)
    payments, schedule = month_payments(columns, branch, month, VND), schedule_parts(columns, branch, month)
    part = claimant_schedule(claimants_of(columns, branch), branch, month)
    assert part.any.any() == schedule.any.any() and part.period.any() == schedule.period.any()
    assert np.array_equal(found.eligible, payments.paid)
    assert np.array_equal(found.paid_periodically, payments.paid_periodically)
    assert found.amounts.tobytes() == unknown_as_zero(payments.amounts).tobytes()  # to the bit, signed zeros too
    modelled, partly, parts = straightforward_pricing(columns, branch, payments.paid, schedule, month)
    assert found.amount_modelled == modelled
    assert found.partly_priced == partly
    if found.rule_modelled and not partly:
        assert found.unpriced == parts
