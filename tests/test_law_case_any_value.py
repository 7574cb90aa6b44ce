"""A law case with any value at any place (a number of 400 digits, ``.inf``, text for an input, a list for a
margin) is checked by ``openfisca-sp check`` into problems at lines: never another exception (``input: ''`` raised
AttributeError and a margin of hundreds of digits OverflowError, found by a hypothesis fuzz in stop 77)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp.drafting.checks import check
from tests.any_value import changed, places, values

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "rules" / "lao" / "old_age" / "decree_207_old_age_pension.yaml"
CASES = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))[:2]
WORDS = ["2012-01", "2012-13", "2012", "eligible", "lifetime", "male", "female", "", "1e5", "ETERNITY"]
WORDS += ["month:2012-01:3", "openfisca_sp.reforms.yaml_reforms.lao_old_age_10_years", "nope.nope"]
KEYS = ["2012-01", "2011", "input", "output", "period", "persons", "age", "insured_wage", "reforms", "keywords"]


PLACES = list(places(CASES))
VALUES = values(WORDS, KEYS)


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")  # openfisca-core's, on a huge margin
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), VALUES), min_size=1, max_size=2))
def test_any_value_at_any_place_of_a_case_is_checked_into_problems(tmp_path: Path, changes: list[Any]) -> None:
    folder = tmp_path / "lao" / "old_age"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(changed(CASES, changes), allow_unicode=True), encoding="utf-8")
    for problem in check([path]):
        assert str(problem).startswith(str(path)), str(problem)


def test_the_cases_unchanged_have_no_problem(tmp_path: Path) -> None:
    """The test above starts from cases that pass (else every change would be told for nothing)."""
    folder = tmp_path / "lao" / "old_age"
    folder.mkdir(parents=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(CASES, allow_unicode=True), encoding="utf-8")
    assert check([path]) == []
