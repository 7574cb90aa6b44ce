"""Person tables for the population engine's tests, built from ``tests/synthetic.py``'s wide inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from openfisca_sp.decisions.facts import HISTORIES
from openfisca_sp.rules.enums import PregnancyOutcome, SeparationReason, Sex
from openfisca_sp.rules.windows import NO_DATE
from tests.synthetic import months_before, persons

ENUMS = {"sex": Sex, "pregnancy_outcome": PregnancyOutcome, "separation_reason": SeparationReason}
HISTORY = 48  # months of wages of dated_persons: a claim dated up to 18 months before reads its own windows
NAT = np.datetime64("NaT", "D")


def person_table(count: int, month: str, seed: int = 0, household_size: int = 3) -> pd.DataFrame:
    """A person table (schema of ``population_table``) of ``count`` persons in households of ``household_size``."""
    rng = np.random.default_rng(seed + 1)
    columns: dict[str, np.ndarray] = {
        "person_id": np.arange(count) + 1000,
        "household_id": np.arange(count) // household_size,
        "weight": np.round(rng.uniform(0.5, 3.0, count), 3),
        "income": np.round(rng.lognormal(np.log(2_000_000), 1.0, count), -3),
    }
    for (variable, period), values in persons(count, month, seed).items():
        name = variable if period in ("ETERNITY", month) else f"{variable}.{period}"
        columns[name] = _cells(variable, values)
    return pd.DataFrame(columns)


def _cells(variable: str, values: np.ndarray) -> np.ndarray:
    """A fact's values as a table's cells: enumerations by name, an event's date of NO_DATE (not stated) an empty
    cell."""
    if variable in ENUMS:
        return np.array([item.name for item in ENUMS[variable]])[values]
    return np.where(_unstated(variable, values), np.datetime64("NaT"), values) if values.dtype.kind == "M" else values


def _unstated(variable: str, values: np.ndarray) -> np.ndarray:
    """Where an event's date (``values``) is NO_DATE, the default of a date: not stated (a birth on that day is a
    birth)."""
    return (values == NO_DATE) & (variable != "birth_date")


def inputs_table(inputs: dict, month: str, left_out: tuple[str, ...] = ()) -> pd.DataFrame:
    """``persons()``'s inputs (or inputs like them) as a person table of one-person households, each of weight 1: a
    fact of ``month`` or eternal as its plain column, another month as ``<fact>.<YYYY-MM>``, enumerations by name;
    the facts ``left_out`` not given."""
    count = len(next(iter(inputs.values())))
    columns = {"person_id": np.arange(count) + 1, "household_id": np.arange(count), "weight": np.ones(count)}
    for (variable, period), values in inputs.items():
        if variable in left_out:
            continue
        name = variable if period in ("ETERNITY", month) else f"{variable}.{period}"
        columns[name] = _cells(variable, values)
    return pd.DataFrame(columns)


def person_record(inputs: dict, month: str, row: int) -> dict:
    """One person of ``persons()``'s inputs as a delivery system states it: single values as of the event,
    histories by month (the month evaluated's wage too), enumerations by name."""
    record: dict = {}
    for (variable, period), values in inputs.items():
        if values.dtype.kind == "M" and _unstated(variable, values[row]):  # not stated, as a table reads it
            continue
        value = values[row].item()
        if variable in ENUMS:
            value = list(ENUMS[variable])[value].name
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if period == "ETERNITY" or (period == month and variable not in HISTORIES):
            record[variable] = value
        else:
            record.setdefault(variable, {})[period] = value
    return record


def mothers_table(wages: dict[str, float], births: dict[str, str], weights: dict[str, float]) -> pd.DataFrame:
    """Women insured at a monthly wage each, from 2024-10 to 2026-09, each with a live birth on a day."""
    months = [str(month) for month in pd.period_range("2024-10", "2026-09", freq="M")]
    table = pd.DataFrame(
        {
            "person_id": list(wages),
            "household_id": [f"H{person}" for person in wages],
            "weight": [weights[person] for person in wages],
            "birth_date": "1995-01-01",
            "sex": "female",
            "contribution_months": 24,
            "income": list(wages.values()),
            "child_birth_date": [births[person] for person in wages],
            "number_of_children_born": 1,
            "pregnancy_outcome": "live_birth",
        }
    )
    return table.assign(**{f"insured_wage.{month}": list(wages.values()) for month in months})


NO_CLAIMS = {  # assumed for a table of persons alone (ids, birth, sex, income): no one insured, separated or disabled
    "career_average_insured_wage": 0,
    "contribution_months": 0,
    "disability_category": 0,
    "is_available_for_work": False,
    "is_disabled": False,
    "number_of_children_born": 0,
    "pregnancy_outcome": "none",
    "separation_reason": "not_separated",
    "insured_wage": 0,
}


def asked_for_lump_sum_fact(decided, row: int) -> bool:
    """Whether ``/eligibility`` asks the person of ``row`` for a fact its branch's lump sum turns on (Viet Nam's
    ``employment_end_date`` for the payment after leaving insurance), and so tells no lump sum where a table's
    empty cell is no such event (no contract ended: 0)."""
    facts = decided.branch.lump_sum_facts
    return any(bool(fact.lacking[row]) and fact.label.split(" ")[0] in facts for fact in decided.missing_for_amount)


def dated_persons(count: int, month: str, seed: int, ended_within: int = 60) -> dict:
    """:func:`~tests.synthetic.persons` with events dated before the month evaluated, as a delivery system records
    them: confinements up to 18 months before, pension claims and disability assessments up to a year before,
    contracts ended up to ``ended_within`` days before the registration (of those separated), 48 months of wages."""
    inputs = persons(count, month, seed)
    rng = np.random.default_rng(seed + 7)
    first = np.datetime64(month, "D")
    wage = inputs[("career_average_insured_wage", month)]
    for older in months_before(month, HISTORY)[: HISTORY - 28]:
        inputs[("insured_wage", older)] = np.where(rng.random(count) < 0.7, wage, 0.0)
    paid = sum((values > 0).astype(int) for (name, _), values in inputs.items() if name == "insured_wage")
    lived = (np.datetime64(month, "M") - inputs[("birth_date", "ETERNITY")].astype("datetime64[M]")).astype(int) + 1
    careers = np.maximum(inputs[("contribution_months", month)], paid)
    inputs[("contribution_months", month)] = np.minimum(careers, lived)
    days = lambda high: rng.integers(0, high, count).astype("timedelta64[D]")  # noqa: E731 - a draw of days
    confined = inputs[("pregnancy_outcome", month)] != PregnancyOutcome.none.index
    inputs[("child_birth_date", month)] = np.where(confined, first - days(540), inputs[("child_birth_date", month)])
    inputs[("old_age_claim_date", month)] = np.where(rng.random(count) < 0.5, first - days(365), NAT)
    assessed = inputs[("is_disabled", month)] & (rng.random(count) < 0.6)
    inputs[("disability_assessment_date", month)] = np.where(assessed, first - days(365), NAT)
    separated = inputs[("separation_reason", month)] != SeparationReason.not_separated.index
    registered = inputs[("unemployment_registration_date", month)]
    inputs[("employment_end_date", month)] = np.where(separated, registered - days(ended_within), NAT)
    return inputs
