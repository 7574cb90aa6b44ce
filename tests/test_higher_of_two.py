"""Viet Nam, SI Law 2024 Art 22(2): a person entitled to the social pension and to a monthly social allowance (the
disability branch's, Decree 20/2021) is paid the higher of the two, never both. At the amounts in force the
allowance is the higher: from the social pension's age, 75, a person is an older person, whose allowance is 2.0 or
2.5 times VND 540,000 in October 2026 (Decree 335/2026 Art 4(2), Art 6(1)(e), as Decree 20/2021's). A reform
raising the social pension to VND 1,100,000 makes it the higher for a severe (category 2) disability's 1,080,000, and
the allowance gives way."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.decision_records import branch_records
from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims, facts_of, read_records
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.simulations import simulation_from_arrays
from tests.synthetic import persons

PERIOD = "2026-10"


def _with_social_pension_of(amount: int):
    """Viet Nam's rules with the social pension's amount set to ``amount`` from 2026 (a YAML parametric reform)."""
    text = (
        f"label: Social pension of {amount}\njurisdiction: vnm\nreference:\n  - instrument: A test\n    article: Art 1\n"
        f"parameters:\n  social_pension.amount:\n    2026-01-01: {amount}\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "amount.yaml"
        path.write_text(text, encoding="utf-8")
        return load_reform(str(path), tax_benefit_system("vnm"))


def _decided(system, **inputs):
    """One person of 80 with no pension in October 2026, with ``inputs``."""
    facts = {("birth_date", "ETERNITY"): np.array(["1946-05-01"], dtype="datetime64[D]")}
    facts |= {(name, PERIOD): np.array([value]) for name, value in inputs.items()}
    simulation = simulation_from_arrays(system, 1, facts)
    names = ("disability_benefit", "disability_benefit_ineligibility_reason", "social_pension")
    found = {name: simulation.calculate(name, PERIOD)[0] for name in names}
    reason = simulation.calculate("disability_benefit_ineligibility_reason", PERIOD).decode_to_str()[0]
    return found["disability_benefit"], reason, found["social_pension"]


def test_at_the_amounts_in_force_the_allowance_is_the_higher() -> None:
    allowance, reason, pension = _decided(tax_benefit_system("vnm"), is_disabled=True, disability_category=2)
    assert (allowance, reason, pension) == (1_080_000, "eligible", 0)  # an older person's 2.0 x 540,000


def test_a_higher_social_pension_is_paid_instead_of_the_allowance() -> None:
    raised = _with_social_pension_of(1_100_000)
    allowance, reason, pension = _decided(raised, is_disabled=True, disability_category=2)
    assert (allowance, reason, pension) == (0, "receives_higher_social_pension", 1_100_000)
    allowance, reason, pension = _decided(raised, is_disabled=True, disability_category=1)  # 2.5 x 540,000
    assert (allowance, reason, pension) == (1_350_000, "eligible", 0)


def test_below_the_social_pension_s_age_the_allowance_is_paid_whatever_its_amount() -> None:
    raised = _with_social_pension_of(1_100_000)
    facts = {("birth_date", "ETERNITY"): np.array(["1970-05-01"], dtype="datetime64[D]")}
    facts |= {("is_disabled", PERIOD): np.array([True]), ("disability_category", PERIOD): np.array([2])}
    simulation = simulation_from_arrays(raised, 1, facts)
    assert simulation.calculate("disability_benefit", PERIOD)[0] == 810_000  # an adult's 1.5 x 540,000
    assert simulation.calculate("social_pension", PERIOD)[0] == 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.integers(1, 300), amount=st.integers(1, 2_000).map(lambda x: x * 1_000))
def test_never_both_and_never_less_than_either(seed: int, size: int, amount: int) -> None:
    """Whatever the social pension's amount: nobody is paid both; an allowance gives way only to a higher social
    pension, paid; a social pension refused for an allowance leaves one at least as high."""
    system = _with_social_pension_of(amount)
    inputs = persons(size, PERIOD, seed=seed)
    simulation = simulation_from_arrays(system, size, inputs)
    allowance = simulation.calculate("disability_benefit", PERIOD)
    pension = simulation.calculate("social_pension", PERIOD)
    assert not np.any((allowance > 0) & (pension > 0))
    due = simulation.calculate("disability_benefit_amount_due", PERIOD)
    gave_way = simulation.calculate("disability_benefit_ineligibility_reason", PERIOD).decode_to_str()
    gave_way = gave_way == "receives_higher_social_pension"
    assert np.all(pension[gave_way] == amount) and np.all(pension[gave_way] > due[gave_way])
    refused = simulation.calculate("social_pension_ineligibility_reason", PERIOD).decode_to_str()
    refused = refused == "receives_higher_social_allowance"
    assert np.all(allowance[refused] >= amount)


def test_an_allowance_that_gives_way_cites_the_rule_of_the_higher() -> None:
    """The refusal ``receives_higher_social_pension`` rests on Art 22(2), as the disability branch's own value
    (``disability.higher_of_social_pension``), not on the allowance's ``provided`` alone."""
    system = _with_social_pension_of(1_100_000)
    record = {"birth_date": "1946-05-01", "is_disabled": True, "disability_category": 2}
    record |= {"disability_assessment_date": "2026-10-10", "contribution_months": 0}
    columns = read_records([record], facts_of(system))
    decided = decide_claims(system, columns, datetime.date(2026, 10, 15), ["disability"]).branches["disability"]
    answer = branch_records(decided, "VND", 0, datetime.date(2026, 10, 15))[0]
    assert answer["reason"] == "receives_higher_social_pension"
    assert tuple(answer["legal_basis"]) == ("disability.higher_of_social_pension",)
