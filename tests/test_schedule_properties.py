"""What must hold for any payment schedule: its months add up to its total, and nothing is paid before it starts."""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp.decisions.schedules import payable_in, payments_of, period_end, total_entitlement
from openfisca_sp.rules.formulas import round_money

UNITS = {"days": (1, 400), "weeks": (1, 60), "months": (1, 24)}


@st.composite
def entitlements(draw):
    unit = draw(st.sampled_from(sorted(UNITS)))
    low, high = UNITS[unit]
    start = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)))
    amount = draw(st.integers(1, 50_000_000)) / draw(st.sampled_from([1, 100]))
    return unit, np.datetime64(start, "D"), draw(st.integers(low, high)), amount


@settings(max_examples=200, deadline=None)
@given(entitlements(), st.sampled_from([0, 2]))
def test_the_months_of_a_schedule_add_up_to_its_total_entitlement(entitlement, decimals):
    unit, start, duration, amount = entitlement
    units, starts = np.array([unit]), np.array([start])
    end = period_end(starts, np.array([float(duration)]), units)
    (payments,) = payments_of(
        np.array([amount]),
        np.array([float(duration)]),
        units,
        starts,
        end,
        {},
        starts,
        end[0] + 1,
        decimals,
        np.array([True]),
    )
    exact_total = total_entitlement(np.array([amount]), np.array([duration]), units)
    assert payments.periodical_total == round_money(exact_total, decimals)[0]
    assert abs(sum(month.periodical for month in payments.months) - payments.periodical_total) < 10**-decimals / 10
    exact = sum(
        payable_in(np.datetime64(month.month, "M"), np.array([amount]), starts, end, units)[0]
        for month in payments.months
    )
    assert (
        abs(exact - float(total_entitlement(np.array([amount]), np.array([duration]), units)[0]))
        < 1e-6 * amount * duration
    )
    assert all(month.periodical >= 0 for month in payments.months)


@settings(max_examples=200, deadline=None)
@given(entitlements(), st.integers(1, 60), st.booleans())
def test_nothing_is_payable_before_the_start_nor_after_the_end(entitlement, months_away, open_ended):
    unit, start, duration, amount = entitlement
    units = np.array(["lifetime" if open_ended else unit])
    end = period_end(np.array([start]), np.array([float(duration)]), units)
    before = np.datetime64(start, "M") - months_away
    assert payable_in(before, np.array([amount]), np.array([start]), end, units)[0] == 0
    if not open_ended:
        after = np.datetime64(end[0], "M") + months_away
        assert payable_in(after, np.array([amount]), np.array([start]), end, units)[0] == 0
