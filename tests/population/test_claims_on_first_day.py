"""A population run with every claim decided on the first day of the month (``claims_on_events=False``, the CLI's
``--claims-on-first-day``): what openfisca-core's own run of the rules gives, person by person, where the default
run decides a claim the table dates on another day on that day."""

from __future__ import annotations

import datetime
import json

import numpy as np
import pandas as pd
import pytest
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.analysis.comparison import first_day_note
from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from openfisca_sp.population.claims import schedule_columns
from openfisca_sp.population.outputs import branches_of, outputs_of
from openfisca_sp.population.payments import month_amounts, paid_in
from tests.population.test_population_claims import MONTH, _claims

STRUCTURE = ("person_id", "household_id", "weight", "is_household_head", "income")


def _value(variable, value):
    """A table's cell as an openfisca-core situation states it."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp | datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if variable.value_type is datetime.date and isinstance(value, str):
        return value
    return value


def _situation(system, row: pd.Series) -> dict:
    """One person of the table, alone in a household, as openfisca-core's ``SimulationBuilder`` takes it."""
    person: dict = {}
    for column, value in row.items():
        if column in STRUCTURE or value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        name, _, period = column.partition(".")
        variable = system.get_variable(name)
        if not period:
            period = "ETERNITY" if variable.definition_period == DateUnit.ETERNITY else MONTH
        person.setdefault(name, {})[period] = _value(variable, value)
    return {"persons": {"p": person}, "households": {"h": {"heads": ["p"]}}}


@pytest.fixture(scope="module")
def runs():
    _, frame = _claims()
    system = tax_benefit_system("vnm")
    return system, frame, simulate(frame, MONTH, system, claims_on_events=False), simulate(frame, MONTH, system)


def test_every_claim_is_decided_as_openfisca_core_decides_it_on_the_first_day(runs):
    system, frame, first_day, _ = runs
    schedules = {name for branch in branches_of(system) for name in schedule_columns(branch)}
    outputs = [name for name in outputs_of(system) if name not in schedules]
    for row in range(len(frame)):
        alone = SimulationBuilder().build_from_entities(system, _situation(system, frame.iloc[row]))
        for name in outputs:
            expected = np.asarray(alone.calculate(name, MONTH))[0]
            found = first_day.columns[name][row]
            if isinstance(expected, np.floating):
                assert found == pytest.approx(float(expected), abs=0.5), (row, name)
            else:
                assert found == expected, (row, name, found, expected)


def test_claims_dated_on_other_days_are_what_changes(runs):
    """The default run decides the births and the claim of August on their days; on the first day of the month a
    birth seven months before is past the benefit period, and the rows without a dated claim answer alike."""
    system, frame, first_day, on_events = runs
    dated = np.zeros(len(frame), dtype=bool)
    for name in ("child_birth_date", "old_age_claim_date"):
        days = pd.to_datetime(frame[name]).to_numpy().astype("datetime64[D]")
        dated |= ~np.isnat(days) & (days != np.datetime64(f"{MONTH}-01"))
    differs = np.zeros(len(frame), dtype=bool)
    for name in outputs_of(system):
        a, b = first_day.columns[name], on_events.columns[name]
        same = (a == b) | (pd.isna(a) & pd.isna(b)) if a.dtype.kind in "fM" else a == b
        differs |= ~same
    assert differs.any()
    assert not differs[~dated].any()
    for name in (f"{branch.benefit}_claim_date" for branch in branches_of(system)):  # the events still reported
        np.testing.assert_array_equal(first_day.columns[name], on_events.columns[name])


def test_the_command_line_decides_every_claim_on_the_first_day(runs, tmp_path):
    _, frame, first_day, _ = runs
    table, output = tmp_path / "persons.parquet", tmp_path / "results.parquet"
    frame.to_parquet(table)
    assert main(["simulate", str(table), "--month", MONTH, "--jurisdiction", "vnm", "--claims-on-first-day",
                 "--output", str(output), "--no-progress"]) == 0  # fmt: skip
    written = pd.read_parquet(output)
    for name in ("maternity_benefit", "maternity_benefit_eligible", "old_age_lump_sum"):
        np.testing.assert_array_equal(written[name].fillna(0), np.nan_to_num(first_day.columns[name]))


def test_a_comparison_decides_every_claim_on_the_first_day_and_says_so(runs, tmp_path):
    _, frame, first_day, _ = runs
    comparison = compare(frame, MONTH, "r202_social_pension", "vnm", claims_on_events=False)
    rows = comparison.branches.set_index("branch")
    weights = first_day.weights
    for branch in first_day.branches:
        paid = paid_in(first_day.columns, branch, MONTH, first_day.decimals)
        assert rows.loc[branch.code, "baseline_beneficiaries"] == pytest.approx(weights[paid].sum()), branch.code
        cost = rows.loc[branch.code, "baseline_cost"]
        if not np.isnan(cost):
            amounts = np.nan_to_num(month_amounts(first_day.columns, branch, MONTH, first_day.decimals))
            assert cost == pytest.approx((weights * amounts).sum(), rel=1e-12), branch.code
    assert first_day_note(MONTH) in comparison.meta["notes"]
    on_events = compare(frame, MONTH, "r202_social_pension", "vnm").branches.set_index("branch")
    assert on_events.loc["maternity", "baseline_cost"] != rows.loc["maternity", "baseline_cost"]
    assert first_day_note(MONTH) not in compare(frame, MONTH, "r202_social_pension", "vnm").meta["notes"]
    table, output = tmp_path / "persons.parquet", tmp_path / "comparison.json"
    frame.to_parquet(table)
    assert main(["compare", str(table), "--month", MONTH, "--jurisdiction", "vnm", "--reform", "r202_social_pension",
                 "--claims-on-first-day", "--json", str(output), "--report", str(tmp_path / "report.html"),
                 "--no-progress"]) == 0  # fmt: skip
    written = json.loads(output.read_text())
    assert first_day_note(MONTH) in written["meta"]["notes"]
    assert first_day_note(MONTH) in (tmp_path / "report.html").read_text(encoding="utf-8")
