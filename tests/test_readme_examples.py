"""README's "Examples: one person per jurisdiction and branch" is what this version computes.

Each row of the table is one person, one month, one run of openfisca-core's ``SimulationBuilder``; its "Result"
cell lists ``name=value`` pairs. Here each row's person is stated as the facts the rules read, computed, and the
cell is compared pair by pair, so that a change of the rules that changes an example fails until the README says
it (the table once said ``provisional=False`` for a Decree 207 pension the engine and its law case call
provisional).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openfisca_core.simulation_builder import SimulationBuilder

from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.system import tax_benefit_system

README = Path(__file__).parents[1] / "README.md"
HEADING = "## Examples: one person per jurisdiction and branch"

# the benefit variable of each branch, and the names a "Result" cell gives its outputs
BENEFITS = {
    "old_age": "old_age_pension",
    "maternity": "maternity_benefit",
    "unemployment": "unemployment_benefit",
    "disability": "disability_benefit",
    "social_pension": "social_pension",
}
OWN_NAMES = {"old_age_lump_sum", "birth_grant"}  # variables named as they are
MONEY = {"amount", "old_age_lump_sum", "birth_grant"}


def _monthly(first: str, last: str, wage: float) -> dict[str, float]:
    months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 1)
    return {str(month): wage for month in months}


# Each row's first cell, and per branch it covers: the branch, the jurisdiction, the month and the facts stated.
ROWS: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {
    "lao, old age (Decree 207/PM)": [
        (
            "old_age",
            "lao",
            "2012-01",
            {
                "birth_date": "1952-01-01",
                "sex": "male",
                "contribution_months": 60,
                "pension_points": 10,
                "insured_wage": {"2011": 1_200_000},
            },
        )
    ],
    "lao, old age (Law 34/NA)": [
        ("old_age", "lao", "2020-01", {"birth_date": "1964-06-01", "sex": "female", "contribution_months": 180})
    ],
    "lao, maternity": [
        (
            "maternity",
            "lao",
            "2024-03",
            {
                "sex": "female",
                "pregnancy_outcome": "live_birth",
                "number_of_children_born": 2,
                "child_birth_date": "2024-03-05",
                "contribution_months": 10,
                "insured_wage": _monthly("2023-09", "2024-03", 3_000_000),
            },
        )
    ],
    "lao, unemployment": [
        (
            "unemployment",
            "lao",
            "2024-03",
            {
                "separation_reason": "dismissal",
                "employment_end_date": "2024-01-31",
                "unemployment_registration_date": "2024-02-01",
                "insured_wage": _monthly("2022-02", "2024-01", 5_000_000),
            },
        )
    ],
    "lao, disability": [
        ("disability", "lao", "2024-03", {"is_disabled": True, "disability_category": 1, "contribution_months": 120})
    ],
    "vnm, old age (SI Law 2014, Labour Code 2019)": [
        (
            "old_age",
            "vnm",
            "2024-01",
            {
                "birth_date": "1963-01-01",
                "sex": "male",
                "contribution_months": 300,
                "career_average_insured_wage": 10_000_000,
            },
        )
    ],
    "vnm, maternity (SI Law 2014)": [
        (
            "maternity",
            "vnm",
            "2024-03",
            {
                "sex": "female",
                "pregnancy_outcome": "live_birth",
                "number_of_children_born": 1,
                "child_birth_date": "2024-03-05",
                "insured_wage": _monthly("2023-03", "2024-02", 8_000_000),
            },
        )
    ],
    "vnm, unemployment (Employment Law 2013)": [
        (
            "unemployment",
            "vnm",
            "2024-03",
            {
                "separation_reason": "dismissal",
                "employment_end_date": "2024-02-29",
                "unemployment_registration_date": "2024-03-01",
                "contribution_months": 60,
                "minimum_wage_region": 1,
                "insured_wage": _monthly("2022-03", "2024-02", 30_000_000),
            },
        )
    ],
    "vnm, disability (Decree 20/2021)": [
        (
            "disability",
            "vnm",
            "2024-08",
            {"birth_date": "1980-01-01", "is_disabled": True, "disability_category": 1},
        )
    ],
    "vnm, social pension (SI Law 2024, Decree 176/2025)": [
        ("social_pension", "vnm", "2026-10", {"birth_date": "1951-10-01", "sex": "female", "contribution_months": 0})
    ],
    "tjk, old age (Law of 12 Jan 2010)": [
        (
            "old_age",
            "tjk",
            "2024-03",
            {"birth_date": "1961-03-01", "sex": "male", "contribution_months": 300, "pension_capital": 90_000},
        )
    ],
    "tjk, maternity, unemployment, disability": [
        (
            "maternity",
            "tjk",
            "2024-03",
            {"sex": "female", "pregnancy_outcome": "live_birth", "number_of_children_born": 1},
        ),
        (
            "unemployment",
            "tjk",
            "2024-03",
            {"separation_reason": "dismissal", "unemployment_registration_date": "2024-02-01"},
        ),
        ("disability", "tjk", "2024-03", {"is_disabled": True, "disability_category": 1}),
    ],
    "ilo_c102, old age": [
        (
            "old_age",
            "ilo_c102",
            "2020-01",
            {"birth_date": "1955-01-01", "contribution_months": 240, "insured_wage": {"2019": 1000}},
        )
    ],
    "ilo_c102, maternity": [
        (
            "maternity",
            "ilo_c102",
            "2020-01",
            {"sex": "female", "pregnancy_outcome": "live_birth", "insured_wage": {"2019": 1000}},
        )
    ],
    "ilo_c102, unemployment": [
        (
            "unemployment",
            "ilo_c102",
            "2020-01",
            {
                "separation_reason": "dismissal",
                "unemployment_registration_date": "2020-01-02",
                "insured_wage": {"2019": 1000},
            },
        )
    ],
    "ilo_c102, disability": [
        (
            "disability",
            "ilo_c102",
            "2020-01",
            {
                "birth_date": "1970-01-01",
                "is_disabled": True,
                "disability_degree": 100,
                "contribution_months": 120,
                "insured_wage": {"2019": 1000},
            },
        )
    ],
}


def readme_rows() -> dict[str, dict[str, str]]:
    """The table's rows: first cell → the "Result" cell's pairs."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index(HEADING) :].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and "=" in cells[3]:
            rows[cells[0]] = dict(pair.split("=", 1) for pair in re.split(r";\s*", cells[3]))
    return rows


def variable_of(branch: str, name: str) -> str:
    benefit = BENEFITS[branch]
    if name in OWN_NAMES:
        return name
    return benefit if name == "amount" else f"{benefit}_{name}"


def shown(name: str, value: Any, decimals: int) -> str:
    """A value as the table writes it: money with thousands separators and the currency's decimals."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if hasattr(value, "name"):
        return value.name
    if name in MONEY:
        return f"{float(value):,.{decimals}f}"
    return f"{int(value)}" if float(value).is_integer() else f"{float(value)}"


def computed(branch: str, jurisdiction: str, month: str, facts: dict[str, Any], names: list[str]) -> dict[str, str]:
    system = tax_benefit_system(jurisdiction)
    person: dict[str, Any] = {}
    for variable, value in facts.items():
        if isinstance(value, dict):
            person[variable] = value
        else:
            period = "ETERNITY" if system.variables[variable].definition_period == "eternity" else month
            person[variable] = {period: value}
    simulation = SimulationBuilder().build_from_entities(system, {"persons": {"person": person}})
    decimals = jurisdictions.get(jurisdiction).amount_decimals
    found = {}
    for name in names:
        array = simulation.calculate(variable_of(branch, name), month)
        value = array.decode()[0] if hasattr(array, "decode") else array[0]
        found[name] = shown(name, value, decimals)
    return found


def test_every_row_of_the_table_is_stated_here():
    assert sorted(readme_rows()) == sorted(ROWS)


@pytest.mark.parametrize("row", sorted(ROWS))
def test_the_readme_example_is_what_the_rules_compute(row):
    expected = readme_rows()[row]
    for branch, jurisdiction, month, facts in ROWS[row]:
        got = computed(branch, jurisdiction, month, facts, list(expected))
        assert got == expected, (
            f"README row {row!r} ({branch}): the rules compute {'; '.join(f'{k}={v}' for k, v in got.items())}"
        )
