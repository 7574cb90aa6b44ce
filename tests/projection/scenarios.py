"""Scenario files for the tests: short (a few years), written beside a test's temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SOURCE = {"source": "test scenario: a stated figure, not a forecast", "status": "assumption"}


def scenario_text(**changes: Any) -> dict[str, Any]:
    """A valid scenario for Viet Nam, 2026-2028, the R202 social pension from 2027, with ``changes``."""
    data: dict[str, Any] = {
        "title": "Test: Viet Nam, R202 social pension from 2027",
        "jurisdiction": "vnm",
        "population": "sample:vnm",
        "base_month": "2026-10",
        "years": {"first": 2026, "last": 2028},
        "reform": "r202_social_pension",
        "reform_from": 2027,
        "assumptions": {
            "gdp": {
                "base": {"year": 2024, "value": 11_500_000_000_000_000, **SOURCE},
                "real_growth": [{"from": 2025, "value": 0.06, **SOURCE}, {"from": 2028, "value": 0.05, **SOURCE}],
                "deflator": [{"from": 2025, "value": 0.03, **SOURCE}],
            },
            "prices": [{"from": 2027, "value": 0.04, **SOURCE}],
            "real_wage_growth": [{"from": 2027, "value": 0.02, **SOURCE}],
        },
    }
    data.update(changes)
    if data.get("reform") is None and "reform_from" not in changes:  # no reform: no year it starts
        data.pop("reform_from", None)
    return data


def write_data(folder: Path, name: str, data: dict[str, Any]) -> Path:
    """``data`` written as the scenario file ``folder/name``."""
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def write_scenario(folder: Path, name: str = "scenario.yaml", **changes: Any) -> Path:
    """The test scenario with ``changes``, written as ``folder/name``."""
    return write_data(folder, name, scenario_text(**changes))
