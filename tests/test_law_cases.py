"""The law cases themselves: what every YAML case under ``tests/rules`` must respect."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

RULES = Path(__file__).resolve().parent / "rules"
CASES = sorted(RULES.rglob("*.yaml"))


def _margins(case: dict) -> dict:
    margin = case.get("absolute_error_margin")
    return margin if isinstance(margin, dict) else {"default": margin}


@pytest.mark.parametrize("path", CASES, ids=lambda path: str(path.relative_to(RULES)))
def test_no_case_tolerates_a_whole_unit_on_every_output(path: Path) -> None:
    """A margin of 1 on every output would let a duration of 4 months pass for 5: a margin that is not below 1
    must name the variables it applies to (``{default: 0, old_age_replacement_rate: 0.000001}``)."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    for case in cases if isinstance(cases, list) else [cases]:
        default = _margins(case).get("default")
        assert default is None or default < 1, f"{path.name}: {case['name']}: absolute_error_margin {default}"
