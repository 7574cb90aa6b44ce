"""Whether a birth's month may count among the months before it (Viet Nam: Circular 59/2015 Art 9(1)): the birth
falls in the month evaluated, on or after the day from which its month counts, whatever the dates; compared with
the month and the day of the month worked out from each date."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.simulations import simulation_from_arrays


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    period=st.sampled_from(["2021-02", "2024-02", "2025-07", "2026-12"]),
    offsets=st.lists(st.integers(-70, 70), min_size=1, max_size=80),  # days from the month's first day
    unstated=st.booleans(),
)
def test_a_birth_month_is_read_from_its_day_on_in_the_month_evaluated(period, offsets, unstated):
    born = np.datetime64(period, "D") + np.asarray(offsets, dtype=np.int64)
    if unstated:
        born[0] = np.datetime64("1970-01-01")  # child_birth_date's default
    system = tax_benefit_system("vnm")
    inputs = {("child_birth_date", period): born}
    found = simulation_from_arrays(system, len(born), inputs).calculate("maternity_birth_month_read", period)
    from_day = system.get_parameters_at_instant(f"{period}-01").maternity.qualifying_period.birth_month_from_day
    month = born.astype("datetime64[M]")
    day = (born - month.astype("datetime64[D]")).astype(np.int64) + 1
    expected = (month == np.datetime64(period, "M")) & (day >= int(from_day))
    np.testing.assert_array_equal(np.asarray(found, dtype=bool), expected)
