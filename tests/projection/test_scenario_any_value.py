"""A scenario file with any value at any key (a number of 400 digits, ``.inf``, a list for a year, a mapping for
a source) is read, or refused as a :class:`ScenarioError` naming its file: never another exception, never a
traceback (a GDP of ``.inf`` was taken and a number of 400 digits raised OverflowError, found by a hunt in stop 77)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp.projection import ScenarioError, read_scenario
from openfisca_sp.projection.scenario import scenario_path
from tests.any_value import changed, places, values

SHIPPED = yaml.safe_load(scenario_path("scenario:vnm").read_text(encoding="utf-8"))
WORDS = ["2026-10", "2026-13", "sample:vnm", "sample:lao", "r202_social_pension", "productivity", "prices", "wages"]
WORDS += ["verified", "assumption", "x.yaml", "", " ", "1e5", "2026", "social_pension.amount", "lao"]


PLACES = list(places(SHIPPED))
VALUES = values(WORDS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), VALUES), min_size=1, max_size=2))
def test_any_value_at_any_key_is_read_or_refused_naming_the_file(tmp_path: Path, changes: list[Any]) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(changed(SHIPPED, changes), allow_unicode=True), encoding="utf-8")
    try:
        read_scenario(path)
    except ScenarioError as error:
        assert str(error).startswith(f"{path}"), str(error)
        assert "Traceback" not in str(error)


def test_the_shipped_scenario_is_read_and_one_change_refused(tmp_path: Path) -> None:
    """The test above starts from a scenario that is read (else every case would be a refusal), and a change it
    makes is refused."""
    assert read_scenario(scenario_path("scenario:vnm")).jurisdiction == "vnm"
    path = tmp_path / "scenario.yaml"
    path.write_text(
        yaml.safe_dump(changed(SHIPPED, [(("assumptions", "gdp", "base", "value"), float("inf"))])), "utf-8"
    )
    with pytest.raises(ScenarioError, match="must be a finite number, not inf"):
        read_scenario(path)
