"""Viet Nam's lower pensionable age of arduous work and of underground coal mining (SI Law 2014 Art 54(1)(b)-(c),
SI Law 2024 Art 64(1)(b)-(c)) in the population engine: each person near those ages gets the old-age decision, amount
and first day the Python API (and /eligibility) gives them alone; a table without the columns reads them as none,
says so, and decides as a table of zeros does."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.population import simulate
from openfisca_sp.population.errors import PopulationError
from tests.population.fixtures import ENUMS, inputs_table, person_record, person_table
from tests.synthetic import persons

MONTH = "2026-10"
COUNT = 60
FACTS = ("arduous_work_months", "hardship_area_months", "underground_coal_mining_months")
OUTPUTS = ("old_age_pension_eligible", "old_age_pension_ineligibility_reason", "old_age_pension")


def _near_the_lower_ages(seed: int) -> dict:
    """``persons()``'s inputs made 48 to 62 years old (the general ages of 2026 are 57 and 61 years 6 months), with
    14 to 25 years of contributions and months of each kind of work around the law's 15 years."""
    rng = np.random.default_rng(seed)
    inputs = persons(COUNT, MONTH, seed)
    month = np.datetime64(f"{MONTH}-01", "D")
    inputs[("birth_date", "ETERNITY")] = month - rng.integers(48 * 365, 62 * 365, COUNT).astype("timedelta64[D]")
    contributed = rng.integers(170, 300, COUNT)
    inputs[("contribution_months", MONTH)] = contributed
    for fact in FACTS:  # among the months contributed, as the social insurance book records them
        inputs[(fact, MONTH)] = np.minimum(rng.choice([0, 0, 100, 179, 180, 240], COUNT), contributed)
    return inputs


@pytest.mark.parametrize("seed", [3, 17])
def test_each_person_gets_alone_what_the_population_gives_them(seed):
    inputs = _near_the_lower_ages(seed)
    system = tax_benefit_system("vnm")
    results = simulate(inputs_table(inputs, MONTH), MONTH, system).columns
    births = inputs[("birth_date", "ETERNITY")].astype("datetime64[M]")
    age = (np.datetime64(MONTH, "M") - births).astype(np.int64)  # by the end of the claim's month
    general = np.where(inputs[("sex", "ETERNITY")] == ENUMS["sex"].female.index, 684, 738)  # 57, 61 years 6 months
    lower = 0
    for row in range(COUNT):
        alone = decide_claims(system, [person_record(inputs, MONTH, row)], datetime.date(2026, 10, 1), ("old_age",))
        decided = alone.branches["old_age"]
        eligible = bool(results["old_age_pension_eligible"][row])
        assert decided.outcome[0] != Outcome.undetermined, row  # every fact stated
        assert (decided.outcome[0] == Outcome.eligible) == eligible, row
        assert decided.reason[0] == int(results["old_age_pension_ineligibility_reason"][row]), row
        assert bool(decided.provisional[0]) == bool(results["old_age_pension_provisional"][row]), row
        start, found = decided.start[0], results["old_age_pension_start"][row]
        assert (np.isnat(start) and np.isnat(found)) or start == found, row
        if eligible:
            assert decided.amount[0] == pytest.approx(float(results["old_age_pension"][row]), abs=0.5), row
        lower += eligible and age[row] < general[row]
    assert lower  # some are granted at a lower age


def test_a_table_without_the_columns_reads_no_such_months_and_says_so():
    inputs = _near_the_lower_ages(3)
    for fact in FACTS:
        inputs[(fact, MONTH)] = np.zeros(COUNT, dtype=int)
    system = tax_benefit_system("vnm")
    stated = simulate(inputs_table(inputs, MONTH), MONTH, system).to_frame()
    run = simulate(inputs_table(inputs, MONTH, left_out=FACTS), MONTH, system)
    for fact in FACTS:
        assert any(note.startswith(f"{fact} not given: the law's default applies") for note in run.assumptions), fact
    pd.testing.assert_frame_equal(run.to_frame()[list(OUTPUTS)], stated[list(OUTPUTS)])


@pytest.mark.parametrize("fact", FACTS)
def test_more_months_of_such_work_than_months_lived_are_refused_with_their_row(fact):
    """A user review: with no ``contribution_months`` to hold them (a month whose rules read none: Viet Nam's of
    2000), 100,000 months of such work were decided; a part of the months contributed, they are no more than the
    months lived, and are refused as ``/eligibility`` refuses them."""
    table = person_table(50, "2000-01", seed=7).drop(columns=["contribution_months"])
    table.loc[7, fact] = 100_000
    with pytest.raises(PopulationError) as raised:
        simulate(table, "2000-01", "vnm")
    message = str(raised.value)
    assert message.startswith(f"column '{fact}': more {fact.replace('_', ' ')} than months lived"), message
    assert "(first: row 7, counted from 0): 100000" in message
    table.loc[7, fact] = 0
    simulate(table, "2000-01", "vnm")  # the same table with a count the calendar holds is decided


def test_months_of_arduous_work_and_of_hardship_together_above_the_months_lived_are_refused_with_their_row():
    """An outside review: each kind within the months lived, the two together above them were decided; the rules add
    them (SI Law 2024 Art 64(1)(b)), as months apart, and ``/eligibility`` refuses them."""
    table = person_table(50, "2026-10", seed=7)
    lived = (np.datetime64("2026-10", "M") - np.datetime64(str(table.loc[7, "birth_date"])[:7], "M")).astype(int) + 1
    table["arduous_work_months"] = 0
    table["hardship_area_months"] = 0
    table.loc[7, ["contribution_months", "arduous_work_months", "hardship_area_months"]] = [lived, lived, 1]
    with pytest.raises(PopulationError) as raised:
        simulate(table, "2026-10", "vnm")
    message = str(raised.value)
    assert message.startswith(
        "column 'hardship_area_months': more months of arduous work and of work in a place of hardship together (the "
        "rules add them) than months lived by the end of the month evaluated in 1 row (first: row 7, counted from 0): "
        f"{lived + 1}; expected arduous_work_months and hardship_area_months together at most the months from "
        "birth_date to the month evaluated, both counted"
    ), message
    table.loc[7, "arduous_work_months"] = lived - 1
    simulate(table, "2026-10", "vnm")  # together within the months lived: decided
