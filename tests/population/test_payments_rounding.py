"""A population's month payments are rounded as ``/eligibility``'s schedules round them: a whole population costs
what its persons' schedules pay, month by month.

A counted period (days, weeks, months) is paid so that each month's running total is the rounded running total
and the period adds up to its rounded total; an open-ended one pays each month its own amount rounded
(:mod:`openfisca_sp.decisions.month_rounding`). Rounded to the dong (Viet Nam, 0 decimals) and to the diram
(Tajikistan, 2).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions.benefit_periods import period_end
from openfisca_sp.decisions.schedules import payments_of
from openfisca_sp.population.claims import UNIT_NAMES
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.population.payments import month_payments

MATERNITY = {code: branches_of(tax_benefit_system(code))[1] for code in ("vnm", "tjk")}
DECIMALS = {code: tax_benefit_system(code).jurisdiction.amount_decimals for code in MATERNITY}  # vnm 0, tjk 2
LONGEST = {"days": 400, "weeks": 60, "months": 24}


@st.composite
def counted_claims(draw: st.DrawFn, code: str) -> dict[str, np.ndarray]:
    """Dated claims of a counted duration: a monthly amount in the currency's unit (or a part of it, to a tie),
    a first day and a count of days, weeks or months."""
    count = draw(st.integers(1, 8))
    cents = 10 ** DECIMALS[code]
    units = np.array(draw(st.lists(st.sampled_from(sorted(LONGEST)), min_size=count, max_size=count)))
    durations = np.array([draw(st.integers(1, LONGEST[unit])) for unit in units], dtype=np.float64)
    amounts = np.array(draw(st.lists(st.integers(1, 60_000_000), min_size=count, max_size=count))) / cents
    start = np.datetime64("2024-01-01") + np.array(draw(st.lists(st.integers(0, 900), min_size=count, max_size=count)))
    return {"amount": amounts, "duration": durations, "unit": units, "start": start}


def _columns(code: str, claims: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The claims as a population run gives them (their benefit period from :func:`period_end`, as it does)."""
    branch = MATERNITY[code]
    count = len(claims["amount"])
    units = np.array([list(UNIT_NAMES).index(unit) for unit in claims["unit"]], dtype=np.int16)
    columns = {
        branch.eligible: np.ones(count, dtype=bool),
        branch.benefit: claims["amount"],
        f"{branch.benefit}_claim_date": claims["start"],
        f"{branch.benefit}_duration_unit": units,
        f"{branch.benefit}_start": claims["start"],
        f"{branch.benefit}_end": period_end(claims["start"], claims["duration"], claims["unit"]),
        f"{branch.benefit}_days_a_month": np.full(count, 30.0),  # Viet Nam's 1/30 of a month a day
        branch.amount_modelled: np.ones(count, dtype=bool),
    }
    for name in branch.lump_sums:
        columns[name] = np.zeros(count)
        columns[f"{name}_entitled"], columns[f"{name}_modelled"] = np.zeros(count, bool), np.ones(count, bool)
    return columns


@settings(max_examples=60, deadline=None)
@given(data=st.data(), code=st.sampled_from(sorted(MATERNITY)))
def test_a_counted_period_costs_its_schedules_months_and_adds_up_to_its_rounded_total(data, code):
    claims = data.draw(counted_claims(code))
    columns = _columns(code, claims)
    branch, decimals = MATERNITY[code], DECIMALS[code]
    end = columns[f"{branch.benefit}_end"]
    schedules = payments_of(
        claims["amount"],
        claims["duration"],
        claims["unit"],
        claims["start"],
        end,
        {},
        claims["start"],
        end.max(),
        decimals,
        days_a_month=np.full(len(end), 30.0),
    )
    months = np.arange(claims["start"].min().astype("datetime64[M]"), end.max().astype("datetime64[M]") + 1)
    paid = np.array([month_payments(columns, branch, str(month), decimals).periodical for month in months])
    for row, schedule in enumerate(schedules):
        listed = {payment.month: payment.periodical for payment in schedule.months}
        expected = [listed.get(str(month), 0.0) for month in months]
        assert paid[:, row].tolist() == expected, row  # month by month, exactly
        assert round(paid[:, row].sum(), decimals) == schedule.periodical_total  # the period's rounded total
