"""Viet Nam's maternity reference wage is the average of the 6 latest months with contributions (Circular 59/2015 Art
12(1)(a)), the month of a birth on or after the 15th first where contributed (its second paragraph, Art 9(1)(b)),
looked for 24 months back at most: what must hold is that the vectorised scan, which reads each month only for the
mothers still lacking some, gives every mother what counting her months one by one gives, whoever else is in the
population (women without a confinement, mothers found in the first months)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.enums import PregnancyOutcome
from openfisca_sp.rules.simulations import simulation_from_arrays
from openfisca_sp.rules.windows import months_back, months_of

MONTH = "2026-10"
BACK = [str(month) for month in reversed(months_of(months_back(periods.period(MONTH), 30)))]  # newest first
WAGES = st.sampled_from([0.0, 0.0, 0.0, 4_000_000.0, 6_500_000.0, 30_000_000.0])
PERSON = st.fixed_dictionaries(
    {
        "wages": st.lists(WAGES, min_size=30, max_size=30),  # newest first, 30 months before the birth's
        "own": WAGES,  # the month of the birth
        "day": st.integers(1, 28),
        "confined": st.booleans(),
        "career": st.integers(0, 60),
    }
)


def _expected(person: dict) -> tuple[float, bool]:
    """The average and the short history, counting her months one after another."""
    found = []
    if person["day"] >= 15 and person["own"] > 0:  # the month of the birth counts (Art 9(1)(b))
        found.append(person["own"])
    own = len(found)
    for wage in person["wages"][:24]:  # 24 months back at most
        if len(found) < 6 and wage > 0:
            found.append(wage)
    average = float(np.mean(found)) if found else 0.0
    before = len(found) - own
    return average, len(found) < 6 and person["career"] > before


@settings(max_examples=60, deadline=None)
@given(st.lists(PERSON, min_size=1, max_size=12))
def test_each_mother_gets_her_6_latest_months_with_contributions(people: list[dict]) -> None:
    count = len(people)
    inputs = {
        ("sex", "ETERNITY"): np.full(count, 1),  # female
        ("pregnancy_outcome", MONTH): np.array(
            [PregnancyOutcome.live_birth.index if p["confined"] else PregnancyOutcome.none.index for p in people]
        ),
        ("child_birth_date", MONTH): np.array([np.datetime64(f"{MONTH}-{p['day']:02d}") for p in people]),
        ("contribution_months", MONTH): np.array([p["career"] for p in people]),
        ("insured_wage", MONTH): np.array([p["own"] for p in people]),
    }
    for position, month in enumerate(BACK):
        inputs[("insured_wage", month)] = np.array([p["wages"][position] for p in people])
    simulation = simulation_from_arrays(tax_benefit_system("vnm"), count, inputs)
    wage = simulation.calculate("maternity_reference_wage", MONTH)
    short = simulation.calculate("maternity_reference_wage_short_history", MONTH)
    for row, person in enumerate(people):
        if not person["confined"]:  # no claim: nothing averaged
            assert wage[row] == 0 and not short[row], row
            continue
        average, short_history = _expected(person)
        assert wage[row] == average, (row, person)  # no ceiling binds: 20 × the base salary is 50,600,000
        assert bool(short[row]) == short_history, (row, person)
