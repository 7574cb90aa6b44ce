"""Viet Nam's months of arduous work and of work in a place of hardship (old_age.arduous_work), whatever the counts.

From 1 July 2025 the lower pensionable age rests on their total, a time of contributions (SI Law 2024 Art 64(1)(b):
"tổng thời gian đóng bảo hiểm xã hội bắt buộc … khi làm nghề … hoặc làm việc ở vùng …"): a month recorded under both
kinds counts once, so the total never exceeds contribution_months. Before, each kind stands alone (SI Law 2014 Art
54(1)(b): "hoặc có đủ 15 năm"), whatever the other kind and contribution_months.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.simulations import simulation_from_arrays

DRAWS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTS = st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 400)), min_size=1, max_size=50)
MINIMUM = 180  # 15 years, old_age.arduous_work.minimum_months


def _lower_age(period: str, counts: list[tuple[int, int, int]]) -> tuple[np.ndarray, ...]:
    work, area, contributed = (np.array(column) for column in zip(*counts, strict=True))
    count = len(counts)
    inputs = {
        ("sex", "ETERNITY"): np.array(["female"] * count),
        ("birth_date", "ETERNITY"): np.full(count, np.datetime64("1972-01-01")),
        ("arduous_work_months", period): work,
        ("hardship_area_months", period): area,
        ("contribution_months", period): contributed,
    }
    simulation = simulation_from_arrays(tax_benefit_system("vnm"), count, inputs)
    return simulation.calculate("old_age_lower_pensionable_age_months", period) > 0, work, area, contributed


@DRAWS
@given(counts=COUNTS)
def test_from_july_2025_the_total_counts_a_month_contributed_once(counts):
    lower, work, area, contributed = _lower_age("2025-08", counts)
    assert np.array_equal(lower, np.minimum(work + area, contributed) >= MINIMUM)


@DRAWS
@given(counts=COUNTS)
def test_before_july_2025_each_kind_stands_alone(counts):
    lower, work, area, _ = _lower_age("2022-06", counts)
    assert np.array_equal(lower, (work >= MINIMUM) | (area >= MINIMUM))
