"""A key a scenario's mapping does not know is refused at its own line, named with the keys allowed there and the
closest of them; a misspelt reform or indexed parameter is given the closest shipped name (an actuary's review:
``until:``, ``yaer:``, ``note:``, ``step:`` and ``currency:`` were ignored, and the projection ran)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from openfisca_sp.projection import ScenarioError, read_scenario
from openfisca_sp.projection.scenario_keys import kind_name
from openfisca_sp.projection.year import year_inputs
from tests.projection.scenarios import SOURCE, scenario_text, write_data

INDEXATION = {"parameter": "social_pension.amount", "index": "prices", "from": 2027, **SOURCE}


def _refused(tmp_path: Path, data: dict[str, Any], key: str) -> ScenarioError:
    """The error reading ``data``, checked to be at the line of ``key`` (its only occurrence)."""
    path = write_data(tmp_path, "keys.yaml", data)
    with pytest.raises(ScenarioError) as raised:
        read_scenario(path)
    lines = [number for number, text in enumerate(path.read_text().splitlines(), 1) if f"{key}:" in text]
    assert len(lines) == 1 and raised.value.line == lines[0], (lines, str(raised.value))
    assert str(raised.value).startswith(f"{path}:{lines[0]}: unknown key '{key}' in ")
    return raised.value


def _with(where: str, key: str, value: Any) -> dict[str, Any]:
    data = scenario_text()
    assumptions = data["assumptions"]
    assumptions["indexation"] = [dict(INDEXATION)]
    assumptions["coverage"] = [{"year": 2028, "value": 0.5, **SOURCE}]
    target = {
        "years": data["years"],
        "gdp": assumptions["gdp"],
        "gdp.base": assumptions["gdp"]["base"],
        "real_growth": assumptions["gdp"]["real_growth"][1],
        "deflator": assumptions["gdp"]["deflator"][0],
        "prices": assumptions["prices"][0],
        "real_wage_growth": assumptions["real_wage_growth"][0],
        "coverage": assumptions["coverage"][0],
        "indexation": assumptions["indexation"][0],
    }[where]
    target[key] = value
    return data


@pytest.mark.parametrize(
    ("where", "key", "value", "said"),
    [
        ("indexation", "until", 2030, "in an entry of 'indexation' (allowed there: parameter, index, from, source"),
        ("coverage", "yaer", 2035, "in an entry of 'coverage'; did you mean 'year'? (allowed there: value, source,"),
        ("real_growth", "note", "held", "in an entry of 'real_growth' (allowed there: value, source, status, from)"),
        ("years", "step", 5, "in years (allowed there: first, last)"),
        ("gdp.base", "currency", "USD", "in gdp.base (allowed there: value, source, status, year)"),
        ("gdp", "bas", {}, "in gdp; did you mean 'base'? (allowed there: base, real_growth, deflator)"),
        ("prices", "staus", "verified", "in an entry of 'prices'; did you mean 'status'?"),
        ("deflator", "sorce", "x", "did you mean 'source'?"),
        ("real_wage_growth", "vaule", 0.01, "did you mean 'value'?"),
        ("indexation", "idnex", "wages", "did you mean 'index'?"),
    ],
)
def test_an_unknown_key_in_an_entry_is_refused_at_its_line(
    tmp_path: Path, where: str, key: str, value: Any, said: str
) -> None:
    assert said in str(_refused(tmp_path, _with(where, key, value), key))


def test_a_misspelt_status_is_named_not_said_missing(tmp_path: Path) -> None:
    """``staus:`` was reported as "'status' is missing" at the step's first line."""
    data = scenario_text()
    step = data["assumptions"]["prices"][0]
    step["staus"] = step.pop("status")
    error = _refused(tmp_path, data, "staus")
    assert "did you mean 'status'?" in str(error) and "is missing" not in str(error)


def test_unknown_top_level_keys_and_assumptions_say_the_closest(tmp_path: Path) -> None:
    data = scenario_text()
    data["titel"] = data.pop("title")
    assert "did you mean 'title'?" in str(_refused(tmp_path, data, "titel"))
    data = scenario_text()
    data["assumptions"]["indexing"] = []
    path = write_data(tmp_path, "assumption.yaml", data)
    with pytest.raises(ScenarioError, match="unknown assumption 'indexing' in assumptions; did you mean 'indexation'"):
        read_scenario(path)


def test_a_misspelt_reform_is_given_the_closest_shipped_one(tmp_path: Path) -> None:
    path = write_data(tmp_path, "reform.yaml", scenario_text(reform="r202_social_pensoin"))
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("reform:"))
    with pytest.raises(ScenarioError) as raised:
        read_scenario(path)
    assert str(raised.value).startswith(
        f"{path}:{line}: unknown reform 'r202_social_pensoin' (did you mean 'r202_social_pension'?): give a shipped"
    )


def test_a_misspelt_indexed_parameter_is_given_the_closest_parameter(tmp_path: Path) -> None:
    data = scenario_text(years={"first": 2026, "last": 2027})
    data["assumptions"]["indexation"] = [{**INDEXATION, "parameter": "social_pension.amout"}]
    path = write_data(tmp_path, "parameter.yaml", data)
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if "amout" in text)
    with pytest.raises(ScenarioError) as raised:
        year_inputs(read_scenario(path))
    assert raised.value.line == line
    assert "no single-valued parameter 'social_pension.amout'" in str(raised.value)
    assert "did you mean 'social_pension.amount'?" in str(raised.value)


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ((int, float, str, bool, datetime.date), "a number or text or true or false or a date"),
        ((int, float, str), "a number or text"),
        ((int, str), "a whole number or text"),
        (dict, "a mapping"),
    ],
)
def test_a_value_s_kinds_are_said_once_each(kind: Any, said: str) -> None:
    """A hunt (stop 77): an assumption's list value was told "a whole number or a number or text or bool or
    date" (a number, whole or not, said twice; Python's names for the others)."""
    assert kind_name(kind) == said
