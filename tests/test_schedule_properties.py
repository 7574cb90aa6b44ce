"""What must hold for any payment schedule: its months add up to its total, and nothing is paid before it starts."""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.decisions import schedules
from openfisca_sp.decisions.benefit_periods import period_end
from openfisca_sp.decisions.month_amounts import _on_short_month_end, payable_in, total_entitlement
from openfisca_sp.decisions.month_rounding import counted_duration, counted_months, counted_paid_in, rounded_total
from openfisca_sp.decisions.schedules import payments_of
from openfisca_sp.rules.formulas import round_money

UNITS = {"days": (1, 400), "weeks": (1, 60), "months": (1, 24)}
DAYS = 30.0  # a law's days a month (Viet Nam's 1/30 a day); NaN: the law gives none


@st.composite
def entitlements(draw):
    unit = draw(st.sampled_from(sorted(UNITS)))
    low, high = UNITS[unit]
    start = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)))
    amount = draw(st.integers(1, 50_000_000)) / draw(st.sampled_from([1, 100]))
    return unit, np.datetime64(start, "D"), draw(st.integers(low, high)), amount


def one_schedule(entitlement, unit=None, decimals=0, lump_sums=None, due=None, days_a_month=(DAYS,)):
    """The payments of one claim drawn by :func:`entitlements` (its ``unit`` unless given), asked the day after its
    period ends, and that period's end; ``due``: the lump sums' day (the start by default)."""
    drawn_unit, start, duration, amount = entitlement
    units, starts = np.array([unit or drawn_unit]), np.array([start])
    end = period_end(starts, np.array([float(duration)]), units)
    (payments,) = payments_of(
        np.array([amount]),
        np.array([float(duration)]),
        units,
        starts,
        end,
        lump_sums or {},
        starts if due is None else due,
        end[0] + 1,
        decimals,
        days_a_month=None if days_a_month is None else np.array(days_a_month),
    )
    return payments, end


@settings(max_examples=200, deadline=None)
@given(entitlements(), st.sampled_from([0, 2]))
def test_the_months_of_a_schedule_add_up_to_its_total_entitlement(entitlement, decimals):
    unit, start, duration, amount = entitlement
    payments, end = one_schedule(entitlement, decimals=decimals)
    units, starts = np.array([unit]), np.array([start])
    exact_total = total_entitlement(np.array([amount]), np.array([duration]), units, DAYS)
    assert payments.periodical_total == round_money(exact_total, decimals)[0]
    assert abs(sum(month.periodical for month in payments.months) - payments.periodical_total) < 10**-decimals / 10
    exact = sum(
        payable_in(np.datetime64(month.month, "M"), np.array([amount]), starts, end, units, DAYS)[0]
        for month in payments.months
    )
    assert (
        abs(exact - float(total_entitlement(np.array([amount]), np.array([duration]), units, DAYS)[0]))
        < 1e-6 * amount * duration
    )
    assert all(month.periodical >= 0 for month in payments.months)


@settings(max_examples=200, deadline=None)
@given(entitlements(), st.integers(1, 60), st.booleans(), st.sampled_from([DAYS, np.nan]))
def test_nothing_is_payable_before_the_start_nor_after_the_end(entitlement, months_away, open_ended, days):
    """Not even where what a day pays is not modelled (``days`` NaN): outside its period a claim pays 0."""
    unit, start, duration, amount = entitlement
    units = np.array(["lifetime" if open_ended else unit])
    end = period_end(np.array([start]), np.array([float(duration)]), units)
    before = np.datetime64(start, "M") - months_away
    assert payable_in(before, np.array([amount]), np.array([start]), end, units, days)[0] == 0
    if not open_ended:
        after = np.datetime64(end[0], "M") + months_away
        assert payable_in(after, np.array([amount]), np.array([start]), end, units, days)[0] == 0


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(entitlements(), st.booleans(), st.booleans()), min_size=1, max_size=6),
    st.dates(datetime.date(1999, 6, 1), datetime.date(2033, 12, 31)),
    st.integers(1, 40),
)
def test_several_months_at_once_pay_what_each_month_pays_alone(drawn, first, count):
    """``payable_in`` over an array of months gives, row by row, exactly what each month gives alone (open-ended
    benefits, unknown starts and undetermined amounts among them)."""
    units = np.array([("lifetime" if open_ended else unit) for (unit, _, _, _), open_ended, _ in drawn])
    starts = np.array([start if known else np.datetime64("NaT", "D") for (_, start, _, _), _, known in drawn])
    amounts = np.array([amount if index % 3 else np.nan for index, ((_, _, _, amount), _, _) in enumerate(drawn)])
    ends = period_end(starts, np.array([float(duration) for (_, _, duration, _), _, _ in drawn]), units)
    months = np.datetime64(first, "M") + np.arange(count)
    together = payable_in(months, amounts, starts, ends, units, DAYS)
    assert together.shape == (count, len(drawn))
    for row, month in enumerate(months):
        np.testing.assert_array_equal(together[row], payable_in(month, amounts, starts, ends, units, DAYS))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(entitlements(), st.booleans(), st.integers(-40, 40)), min_size=1, max_size=8),
    st.dates(datetime.date(2000, 1, 1), datetime.date(2032, 12, 31)),
)
def test_schedules_computed_in_blocks_of_months_are_the_same(drawn, asked):
    """However many months a block computes at once (``TABLE_BLOCK``), every claim's payments are the same."""
    units = np.array([("lifetime" if open_ended else unit) for (unit, _, _, _), open_ended, _ in drawn])
    starts = np.array([start for (_, start, _, _), _, _ in drawn])
    amounts = np.array([amount for (_, _, _, amount), _, _ in drawn])
    durations = np.array([float(duration) for (_, _, duration, _), _, _ in drawn])
    due = starts + np.array([shift for _, _, shift in drawn])
    lumps = {"grant": amounts / 3}
    arguments = (amounts, durations, units, starts, period_end(starts, durations, units), lumps, due)
    rules = {"days_a_month": np.where(np.arange(len(drawn)) % 2, DAYS, np.nan)}  # some with no rule for days
    whole = payments_of(*arguments, np.datetime64(asked, "D"), 2, np.ones(len(drawn), dtype=bool), **rules)
    default = schedules.TABLE_BLOCK
    schedules.TABLE_BLOCK = 1  # a month at a time
    try:
        blocks = payments_of(*arguments, np.datetime64(asked, "D"), 2, np.ones(len(drawn), dtype=bool), **rules)
    finally:
        schedules.TABLE_BLOCK = default
    assert repr(blocks) == repr(whole)  # repr: NaN equal to NaN


@settings(max_examples=150, deadline=None)
@given(entitlements(), st.integers(0, 90), st.booleans())
def test_a_schedule_lists_no_month_before_its_start_but_one_a_lump_sum_falls_due_in(entitlement, days_before, lump):
    """An outside review: a claim registered on 31 January whose benefit starts on 15 February listed January,
    paying 0, as if the period had begun. The event's month is listed only where a lump sum falls due in it."""
    _, start, _, _ = entitlement
    event = np.array([start]) - days_before
    lump_sums = {"grant": np.array([1_000.0 if lump else 0.0])}
    payments, _ = one_schedule(entitlement, lump_sums=lump_sums, due=event)
    first = payments.months[0].month
    expected = str(np.datetime64(event[0] if lump else start, "M"))
    assert first == expected, (first, expected)


@settings(max_examples=100, deadline=None)
@given(entitlements(), st.sampled_from([None, np.nan]))
def test_a_duration_in_days_is_not_priced_where_the_law_gives_no_days_a_month(entitlement, days):
    """Lao PDR's maternity benefit: a monthly 80% for 105 days, and no source says what a day pays (law audit §4).
    The period's months are listed, none with an amount; there is no total and nothing provisional; the method
    says it is not modelled (Viet Nam's 1/30 a day is not borrowed)."""
    _, _, duration, amount = entitlement
    units = np.array(["days"])
    payments, _ = one_schedule(entitlement, unit="days", days_a_month=None if days is None else (days,))
    assert payments.months and all(month.periodical is None for month in payments.months)
    assert payments.periodical_total is None and payments.total is None and payments.provisional is False
    assert payments.method == "a day's share of the monthly amount is not modelled (the law in force sets none)"
    assert np.isnan(total_entitlement(np.array([amount]), np.array([duration]), units)[0])


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)),
    count=st.integers(1, 24),
    last_day=st.booleans(),
    amount=st.integers(1, 50_000_000),
)
def test_a_period_of_months_ends_on_the_day_before_the_same_day_or_on_a_short_month_s_last(
    start: datetime.date, count: int, last_day: bool, amount: int
) -> None:
    """Counted in months, a period ends the day before the same day of its last month; where that month has no such
    day, on its last day (Viet Nam, Civil Code 2015 Art 148(3)) or, without that rule, the day before it. Either
    way the count read back from its days is the count, and its months pay the monthly amount ``count`` times."""
    first = np.array([np.datetime64(start, "D")])
    units = np.array(["months"])
    end = period_end(first, np.array([float(count)]), units, last_day)[0]
    month = np.datetime64(start, "M") + count
    days_in_last = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(int)
    if start.day <= days_in_last:
        assert end == month.astype("datetime64[D]") + start.day - 2  # the day before the same day
    else:
        last = (month + 1).astype("datetime64[D]") - 1
        assert end == (last if last_day else last - 1)
    assert counted_duration(first, np.array([end]), units)[0] == count
    months = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)
    paid = payable_in(months, np.array([float(amount)]), first, np.array([end]), units)
    assert abs(paid.sum() - amount * count) <= 1e-6 * amount * count


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    count=st.integers(1, 40),
    months=st.integers(1, 3),  # a column of months: days of several months for each claim
)
def test_a_short_months_end_is_found_as_the_days_of_the_month_compared_everywhere(data, count, months):
    """:func:`_on_short_month_end` compares the days of the month only where some day is the period's end: the
    same as comparing them for every day (NaT days and ends too)."""
    offsets = st.one_of(st.none(), st.integers(-400, 400))

    def days(shape: tuple[int, ...]) -> np.ndarray:
        drawn = data.draw(st.lists(offsets, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
        base = np.datetime64("2024-01-31")
        return np.array(
            [np.datetime64("NaT") if x is None else base + x for x in drawn], dtype="datetime64[D]"
        ).reshape(shape)

    anchor, end = days((count,)), days((count,))
    day = days((months, count))
    if data.draw(st.booleans()):
        day[0] = end  # some days are the end
    expected = ((day - day.astype("datetime64[M]")) != (anchor - anchor.astype("datetime64[M]"))) & (day == end)
    found = _on_short_month_end(day, anchor, end)
    assert found.shape == expected.shape
    np.testing.assert_array_equal(found, expected)


def _paid_month_by_month(month, amount, start, end, unit, days, decimals):
    """:func:`counted_paid_in` as a loop over the months, each added to the running totals in turn."""
    month = np.datetime64(month, "M")
    first, last = start.astype("datetime64[M]"), end.astype("datetime64[M]")
    meets = (first <= month) & (last >= month)
    paid = np.zeros(len(amount))
    if not meets.any():
        return paid
    amount, start, end, unit, days = amount[meets], start[meets], end[meets], unit[meets], days[meets]
    before = running = np.zeros(len(amount))
    for each in np.arange(first[meets].min(), month + 1):
        before, running = running, running + payable_in(each, amount, start, end, unit, days)
    total = rounded_total(amount, counted_duration(start, end, unit), unit, days, decimals)
    through = np.where(last[meets] == month, total, running)
    paid[meets] = counted_months(np.stack([before, through]), decimals)[-1]
    return paid


@settings(max_examples=60, deadline=None)
@given(
    claims=st.lists(
        st.tuples(
            st.one_of(st.just(np.nan), st.floats(0, 1e7, allow_subnormal=False)),  # the monthly amount
            st.integers(0, 900),  # the first day, from 1 January 2024
            st.integers(0, 500),  # the days to the last
            st.sampled_from(["months", "days", "weeks"]),
            st.sampled_from([np.nan, 30.0, 26.0]),  # days a month
        ),
        min_size=1,
        max_size=30,
    ),
    month=st.integers(0, 40),
    decimals=st.sampled_from([0, 2]),
)
def test_counted_periods_paid_in_a_month_are_the_running_totals_added_month_by_month(claims, month, decimals):
    """A counted period's payment in a month, its months computed together, is the schedule's: the running totals
    added month by month from the first, to the last bit."""
    amount = np.array([claim[0] for claim in claims])
    start = np.datetime64("2024-01-01") + np.array([claim[1] for claim in claims])
    end = start + np.array([claim[2] for claim in claims])
    unit = np.array([claim[3] for claim in claims], dtype=object)
    days = np.array([claim[4] for claim in claims])
    evaluated = np.datetime64("2024-01", "M") + month
    found = counted_paid_in(evaluated, amount, start, end, unit, days, decimals)
    expected = _paid_month_by_month(evaluated, amount, start, end, unit, days, decimals)
    np.testing.assert_array_equal(found.view(np.int64), expected.view(np.int64))
