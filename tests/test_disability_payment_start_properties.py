"""The first day a disability allowance is paid, whatever the dates (Viet Nam, Decree 20/2021/ND-CP Art 8(1)(đ): from
the month the certificate of the degree of disability is issued; Decree 335/2026/ND-CP Art 8(2), from 5 October 2026:
from the month the commune chairman signs the decision).

Under Viet Nam's law in force it is always the first day of a month, never before the assessment's month (the claim
is decided on the assessment), the named month (the certificate's, then the decision's) where that is later, and a
reading exactly where no later date of it is stated. Where the law in force names no such month, it is the
assessment's day.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.simulations import simulation_from_arrays

DRAWS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOT_STATED = np.datetime64("1970-01-01", "D")
DAYS = st.lists(st.integers(-400, 400), min_size=1, max_size=60)  # days from the assessment; -9999: not stated


def _first_days(
    code: str, period: str, assessed: np.ndarray, certified: np.ndarray, named: str = "disability_certificate_date"
) -> tuple[np.ndarray, np.ndarray]:
    """The first day paid and whether it is a reading, with ``certified`` the dates of the input ``named``."""
    inputs = {("event_date", period): assessed, (named, period): certified}
    simulation = simulation_from_arrays(tax_benefit_system(code), len(assessed), inputs)
    first = np.asarray(simulation.calculate("disability_benefit_first_day", period), dtype="datetime64[D]")
    return first, np.asarray(simulation.calculate("disability_benefit_first_day_read", period), dtype=bool)


@DRAWS
@given(
    law=st.sampled_from(
        [
            ("2021-07", "disability_certificate_date"),
            ("2024-06", "disability_certificate_date"),
            ("2025-07", "disability_certificate_date"),
            ("2026-09", "disability_certificate_date"),
            ("2026-11", "disability_decision_date"),  # Decree 335/2026 Art 8(2)
        ]
    ),
    day=st.integers(0, 27),
    offsets=DAYS,
    stated=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_viet_nam_pays_from_the_named_month_never_before_the_assessments(law, day, offsets, stated):
    period, named = law
    assessed = np.full(len(offsets), np.datetime64(period, "D") + day)
    certified = np.where(stated[: len(offsets)], assessed + np.array(offsets), NOT_STATED)
    first, read = _first_days("vnm", period, assessed, certified, named)
    months = first.astype("datetime64[M]")
    assert np.all(months.astype("datetime64[D]") == first)  # a whole month
    assert np.all(months >= assessed.astype("datetime64[M]"))
    later = (certified != NOT_STATED) & (certified.astype("datetime64[M]") > assessed.astype("datetime64[M]"))
    assert np.all(months[later] == certified[later].astype("datetime64[M]"))
    same = (certified != NOT_STATED) & (certified.astype("datetime64[M]") == assessed.astype("datetime64[M]"))
    assert np.all(months[~later] == assessed[~later].astype("datetime64[M]"))
    assert np.array_equal(read, ~(later | same))


@pytest.mark.parametrize("code", sorted(set(jurisdictions.registry()) - {"vnm"}))
@DRAWS
@given(day=st.integers(0, 27), offsets=DAYS)
def test_elsewhere_the_allowance_is_paid_from_the_assessments_day(code, day, offsets):
    period = "2025-07"
    assessed = np.full(len(offsets), np.datetime64(period, "D") + day)
    first, read = _first_days(code, period, assessed, assessed + np.array(offsets))
    assert np.array_equal(first, assessed) and not read.any()
