"""Law cases compare results at the precision the rules hold them (float64 money, integer counts), not in
openfisca-core's float32: an outside review's case expecting 20,000,000 passed on a pension of 20,000,001."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from openfisca_core.tools import test_runner

from openfisca_sp.rules.law_case_precision import assert_near
from tests.openfisca_runs import openfisca_test

# Tajikistan, March 2024: base pension 250 + capital / 180 = 250 + 19,999,751 = 20,000,001 somoni
CASE = """- name: A pension above float32's exact whole numbers
  period: 2024-03
  input:
    sex: female
    birth_date: 1966-03-01
    contribution_months: 240
    pension_capital: 3599955180
  output:
    old_age_pension: {expected}
"""


def test_money_held_in_float64_is_compared_to_the_unit() -> None:
    with pytest.raises(AssertionError, match="differs from"):
        assert_near(np.array([20_000_001.0]), 20_000_000)
    with pytest.raises(AssertionError):
        assert_near(np.array([550.0]), 550.004)  # float32 made the expected value 550.0040283203125
    assert_near(np.array([20_000_001.0]), 20_000_001)
    assert_near(np.array([20_000_001.0]), 20_000_000, absolute_error_margin=1)


def test_counts_held_as_integers_are_compared_exactly() -> None:
    with pytest.raises(AssertionError):
        assert_near(np.array([20_000_001], dtype=np.int32), 20_000_000)


def test_other_packages_float32_results_compare_as_openfisca_core_compares_them() -> None:
    assert_near(np.array([550.004], dtype=np.float32), 550.004)  # float32 on both sides, as in openfisca-core
    assert_near(np.array([20_000_001.0], dtype=np.float32), 20_000_000)  # the same number in float32
    assert_near(np.array(["a"]), "a")  # texts: openfisca-core's comparison


def test_the_yaml_runner_under_pytest_compares_at_the_precision_held() -> None:
    assert test_runner.assert_near is assert_near  # installed by tests/conftest.py for tests/rules


@pytest.mark.parametrize(("expected", "passes"), [(20_000_000, False), (20_000_001, True)])
def test_openfisca_test_fails_a_case_one_unit_off(tmp_path: Path, expected: int, passes: bool) -> None:
    folder = tmp_path / "tests" / "rules" / "tjk"
    folder.mkdir(parents=True)
    (folder / "big.yaml").write_text(CASE.format(expected=expected), encoding="utf-8")
    result = openfisca_test(folder)
    assert (result.returncode == 0) is passes, result.stdout[-2000:] + result.stderr[-2000:]
    if not passes:
        assert "[20000001.] differs from 20000000.0" in result.stdout


def test_float64_s_own_rounding_of_a_sum_of_rates_is_not_a_difference() -> None:
    assert_near(np.array([0.45 + 7 * 0.02]), 0.59)  # 0.5900000000000001
    with pytest.raises(AssertionError):
        assert_near(np.array([0.5901]), 0.59)
