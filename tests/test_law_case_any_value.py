"""A law case with any value at any place (a number of 400 digits, ``.inf``, text for an input, a list for a
margin) is checked by ``openfisca-sp check`` into problems at lines: never another exception (``input: ''`` raised
AttributeError and a margin of hundreds of digits OverflowError, found by a hypothesis fuzz in stop 77)."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp.drafting.checks import check

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "rules" / "lao" / "old_age" / "decree_207_old_age_pension.yaml"
CASES = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))[:2]
WORDS = ["2012-01", "2012-13", "2012", "eligible", "lifetime", "male", "female", "", "1e5", "ETERNITY"]
WORDS += ["month:2012-01:3", "openfisca_sp.reforms.yaml_reforms.lao_old_age_10_years", "nope.nope"]
KEYS = ["2012-01", "2011", "input", "output", "period", "persons", "age", "insured_wage", "reforms", "keywords"]


def _places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield (*path, key)
        yield from _places(value, (*path, key))


PLACES = list(_places(CASES))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.text(max_size=12),
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.sampled_from(WORDS),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(KEYS)), inner, max_size=3),
    ),
    max_leaves=6,
)


def _changed(changes: list[tuple[tuple[Any, ...], Any]]) -> list[Any]:
    cases = copy.deepcopy(CASES)
    for place, value in changes:
        parent: Any = cases
        try:
            for key in place[:-1]:
                parent = parent[key]
            parent[place[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return cases


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), VALUES), min_size=1, max_size=2))
def test_any_value_at_any_place_of_a_case_is_checked_into_problems(tmp_path: Path, changes: list[Any]) -> None:
    folder = tmp_path / "lao" / "old_age"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(_changed(changes), allow_unicode=True), encoding="utf-8")
    for problem in check([path]):
        assert str(problem).startswith(str(path)), str(problem)


def test_the_cases_unchanged_have_no_problem(tmp_path: Path) -> None:
    """The test above starts from cases that pass (else every change would be told for nothing)."""
    folder = tmp_path / "lao" / "old_age"
    folder.mkdir(parents=True)
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(CASES, allow_unicode=True), encoding="utf-8")
    assert check([path]) == []
