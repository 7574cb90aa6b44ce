"""The chunk's check of wages before the month of birth, made among those born after the earliest month alone,
finds what the check over every person finds."""

from __future__ import annotations

import numpy as np
import pytest

from openfisca_sp.decisions.before_birth import before_birth
from openfisca_sp.population.contradictions import _wages_before_birth


def _over_everyone(wages: dict[str, np.ndarray], birth: np.ndarray) -> list:
    everyone = np.ones(len(birth), dtype=bool)
    stated = {month: (values, everyone) for month, values in wages.items()}
    return [found for found in before_birth(lambda _: None, stated, birth, everyone) if found.mask.any()]


@pytest.mark.parametrize("seed", range(6))
def test_the_same_months_rows_and_values_as_over_every_person(seed: int) -> None:
    generator = np.random.default_rng(seed)
    count = 400
    birth = np.datetime64("1950-01-01") + generator.integers(0, 28_000, count).astype("timedelta64[D]")
    months = [f"20{year:02d}-{month:02d}" for year in range(22, 26) for month in (1, 6, 12)]
    wages = {month: generator.choice([0.0, 0.0, 1.5, np.nan, 3e6], count) for month in months}
    found = _wages_before_birth(wages, birth)
    expected = _over_everyone(wages, birth)
    assert expected, "the draw has wages before births"
    assert [item.field for item in found] == [item.field for item in expected]
    for item, want in zip(found, expected, strict=True):
        assert np.array_equal(item.mask, want.mask)
        assert item.values is wages[item.field.split(".", 1)[1]]
        assert (item.said, item.named, item.expected) == (want.said, want.named, want.expected)


def test_none_when_no_one_is_born_after_the_earliest_month_or_no_wage_is_given() -> None:
    birth = np.array(["1980-05-02", "1990-01-01"], dtype="datetime64[D]")
    assert _wages_before_birth({"2024-01": np.array([5.0, 6.0])}, birth) == []
    assert _wages_before_birth({}, birth) == []
    assert _over_everyone({"2024-01": np.array([5.0, 6.0])}, birth) == []
