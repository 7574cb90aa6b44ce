"""Differential: the population engine decides each person of random tables as ``/eligibility`` (its Python
equivalent, :func:`~openfisca_sp.decisions.decide_claims`) decides that person, in each jurisdiction and branch, in
months drawn across the laws in force: the decision, the amount, the benefit period and each lump sum."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.decisions.uprating import paid_from, raised_in
from openfisca_sp.population import simulate
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.rules.enums import PregnancyOutcome, SeparationReason
from tests.population.fixtures import asked_for_lump_sum_fact, inputs_table, person_record
from tests.population.test_population_table import CLAIMED_WITH_PROOF
from tests.synthetic import months_before, persons

COUNT = 12
HISTORY = 48  # months of wages: a claim dated up to 18 months before reads its own windows
NAT = np.datetime64("NaT", "D")


def _dated(seed: int, month: str) -> dict:
    """:func:`~tests.synthetic.persons` with events dated before the month evaluated, as a delivery system records
    them: confinements up to 18 months before, pension claims and disability assessments up to a year before,
    contracts ended up to two months before the registration (of those separated), 48 months of wages."""
    inputs = persons(COUNT, month, seed)
    rng = np.random.default_rng(seed + 7)
    first = np.datetime64(month, "D")
    wage = inputs[("career_average_insured_wage", month)]
    for older in months_before(month, HISTORY)[: HISTORY - 28]:
        inputs[("insured_wage", older)] = np.where(rng.random(COUNT) < 0.7, wage, 0.0)
    paid = sum((values > 0).astype(int) for (name, _), values in inputs.items() if name == "insured_wage")
    lived = (np.datetime64(month, "M") - inputs[("birth_date", "ETERNITY")].astype("datetime64[M]")).astype(int) + 1
    careers = np.maximum(inputs[("contribution_months", month)], paid)
    inputs[("contribution_months", month)] = np.minimum(careers, lived)
    days = lambda high: rng.integers(0, high, COUNT).astype("timedelta64[D]")  # noqa: E731 - a draw of days
    confined = inputs[("pregnancy_outcome", month)] != PregnancyOutcome.none.index
    inputs[("child_birth_date", month)] = np.where(confined, first - days(540), inputs[("child_birth_date", month)])
    inputs[("old_age_claim_date", month)] = np.where(rng.random(COUNT) < 0.5, first - days(365), NAT)
    assessed = inputs[("is_disabled", month)] & (rng.random(COUNT) < 0.6)
    inputs[("disability_assessment_date", month)] = np.where(assessed, first - days(365), NAT)
    separated = inputs[("separation_reason", month)] != SeparationReason.not_separated.index
    registered = inputs[("unemployment_registration_date", month)]
    inputs[("employment_end_date", month)] = np.where(separated, registered - days(60), NAT)
    return inputs


MONTHS = ["2014-03", "2016-07", "2019-01", "2022-05", "2024-02", "2025-07", "2026-01", "2026-10", "2028-06"]


@pytest.mark.parametrize("jurisdiction", ["lao", "vnm", "tjk"])
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), month=st.sampled_from(MONTHS), size=st.integers(1, 3), dated=st.booleans())
def test_each_person_is_decided_as_eligibility_decides_that_person(jurisdiction, seed, month, size, dated):
    system = tax_benefit_system(jurisdiction)
    inputs = _dated(seed, month) if dated else persons(COUNT, month, seed)
    frame = inputs_table(inputs, month)
    frame["household_id"] = np.arange(COUNT) // size
    for name in ("child_birth_date", "old_age_claim_date", "disability_assessment_date", "employment_end_date"):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name])
    run = simulate(frame, month, system)
    results, table = run.columns, run.to_frame()
    as_of = np.datetime64(f"{month}-01").astype(object)
    records = [{**CLAIMED_WITH_PROOF, **person_record(inputs, month, row)} for row in range(COUNT)]
    decided_all = decide_claims(system, records, as_of)
    for branch in branches_of(system):
        decided = decided_all.branches[branch.code]
        on = np.where(np.isnat(decided.event_date), np.datetime64(as_of), decided.event_date).astype("datetime64[D]")
        on = paid_from(system, branch.code, on, decided.start)  # the rises as the schedules count them
        paid = raised_in(system, branch.code, decided.amount, on, month)[0]  # the amount as paid in the month
        for row in range(COUNT):
            where = (jurisdiction, month, branch.code, row)
            for name, lump_sum in decided.lump_sums.items():
                told, found = float(lump_sum[row]), table.loc[row, name]
                if np.isnan(told) and found == 0 and asked_for_lump_sum_fact(decided, row):
                    continue  # a table's empty cell is no such event (no contract ended); /eligibility asks for it
                assert (np.isnan(told) and pd.isna(found)) or told == pytest.approx(found, abs=0.5), (*where, name)
            eligible = bool(results[branch.eligible][row])
            assert (decided.outcome[row] == Outcome.eligible) == eligible, (*where, str(decided.outcome[row]))
            if eligible and not np.isnan(paid[row]):
                found = float(results[branch.benefit][row])
                assert paid[row] == pytest.approx(found, abs=0.5), (*where, decided.amount[row], paid[row], found)
            for name in ("start", "end"):
                expected = getattr(decided, name)[row]
                found = results[f"{branch.benefit}_{name}"][row]
                assert (np.isnat(expected) and np.isnat(found)) or expected == found, (*where, name, expected, found)
            event(f"{branch.code}: {'eligible' if eligible else 'not eligible'}")
