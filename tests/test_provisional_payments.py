"""What must hold for any answer: a payment that rests on an unverified value (or an assumed fact) is provisional.

An ``/eligibility`` answer carries two flags about one claim: the decision's ``provisional`` (it rests on a value
whose status is ``unverified``, or on an assumed fact) and its ``payments.provisional``. The payments list what the
decision owes (its monthly amount, its lump sums, its benefit period), so a provisional decision's payments are
provisional too. A review found Viet Nam's one-off payment after leaving insurance (Resolution 93/2015, unverified)
decided ``provisional: true`` and paid ``provisional: false``: the payments' flag told only the schedule's own rules
(a part month, a first day read, rises not modelled), and a lump sum alone, or an amount no month lists, was never
provisional. The persons are drawn wide (:func:`~tests.synthetic.persons`), their events dated before the date asked,
and decided as ``/eligibility`` decides and answers them; the population engine's ``<benefit>_provisional`` (the
decision's flag) agrees for the man of the review.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
from hypothesis import event, given, settings
from hypothesis import strategies as st

from api.decision_records import branch_records
from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.decisions.consistency import contradictions
from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.decisions.records import read_records
from openfisca_sp.population import simulate
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.rules.branches import BRANCHES
from tests.population.fixtures import dated_persons, inputs_table, person_record
from tests.population.test_decisions_parity import MONTHS  # months across the laws in force
from tests.population.test_population_table import CLAIMED_WITH_PROOF
from tests.synthetic import months_before

COUNT = 12


def _inputs(seed: int, month: str) -> dict:
    """Wide persons (:func:`~tests.population.fixtures.dated_persons`) whose last contract ended up to 40 months
    before their registration: months outside insurance, as Viet Nam's one-off payment after leaving it asks."""
    return dated_persons(COUNT, month, seed, ended_within=1200)


def _records(inputs: dict, month: str) -> list[dict]:
    """The persons of ``inputs`` as a delivery system states them."""
    return [{**CLAIMED_WITH_PROOF, **person_record(inputs, month, row)} for row in range(COUNT)]


def _answers(code: str, records: list[dict], as_of: datetime.date) -> dict[str, list[dict]]:
    """Each branch's ``/eligibility`` answers for the persons whose facts agree (others are refused with 422)."""
    system = tax_benefit_system(code)
    refused = {found.row for found in contradictions(read_records(records, facts_of(system)), as_of)}
    kept = [record for row, record in enumerate(records) if row not in refused]
    decisions = decide_claims(system, kept, as_of)
    jurisdiction = system.jurisdiction
    return {
        branch: branch_records(decided, jurisdiction.currency, jurisdiction.amount_decimals, as_of)
        for branch, decided in decisions.branches.items()
    }


@settings(max_examples=30, deadline=None)
@given(code=st.sampled_from(["lao", "vnm", "tjk"]), seed=st.integers(0, 10_000), month=st.sampled_from(MONTHS))
def test_the_payments_of_a_provisional_decision_are_provisional(code, seed, month):
    as_of = (np.datetime64(month, "M") + 1).astype("datetime64[D]").astype(object) - datetime.timedelta(days=1)
    for branch, answers in _answers(code, _records(_inputs(seed, month), month), as_of).items():
        for answer in answers:
            payments = answer["payments"]
            if payments is None:  # nothing paid: no second flag
                continue
            owed = [lump["name"] for lump in payments["lump_sums"] if lump["amount"]]
            event(f"{code} {branch}: {'provisional' if answer['provisional'] else 'not provisional'}, paid")
            if answer["provisional"]:
                assert payments["provisional"], (code, month, branch, answer["decision"], answer["amount"], owed)
            if answer["provisional"] and owed and answer["amount"] is None:
                event(f"{code} {branch}: a provisional lump sum alone")


MAN_OF_29 = {  # tests/claims/vnm/old_age.yaml: Resolution 93/2015, a man out of work since January 2024
    "sex": "male",
    "birth_date": "1996-01-10",
    "contribution_months": 60,
    "contribution_months_before_2014": 0,
    "career_average_insured_wage": 8_000_000,
    "employment_end_date": "2024-01-10",
}


def test_the_one_off_payment_after_leaving_insurance_is_provisional_where_it_is_paid_and_in_a_population():
    """The payment's values (Resolution 93/2015, not read) are unverified: the decision, its payments and the
    population engine's ``old_age_pension_provisional`` of the same man, his claim dated that day, all say so."""
    (answer,) = _answers("vnm", [MAN_OF_29], datetime.date(2025, 3, 1))["old_age"]
    assert answer["lump_sums"] == {"old_age_lump_sum": 80_000_000} and answer["provisional"]
    assert answer["payments"]["lump_sums"] == [{"name": "old_age_lump_sum", "amount": 80_000_000, "due": "2025-03-01"}]
    assert answer["payments"]["provisional"]
    table = pd.DataFrame([{"person_id": 1, "household_id": 1, "weight": 1.0, **MAN_OF_29}])
    table = table.assign(
        **{f"insured_wage.{month}": 0.0 for month in months_before("2025-03", 24)},
        old_age_claim_date=pd.Timestamp("2025-03-01"),
        birth_date=pd.Timestamp("1996-01-10"),
        employment_end_date=pd.Timestamp("2024-01-10"),
    )
    assumed = {"disability_category": 0, "is_disabled": False, "is_available_for_work": False}
    assumed |= {"number_of_children_born": 0, "pregnancy_outcome": "none", "separation_reason": "end_of_contract"}
    columns = simulate(table, "2025-03", "vnm", assume=assumed).columns
    assert columns["old_age_lump_sum"][0] == 80_000_000
    assert columns[BRANCHES["old_age"].provisional][0]


@settings(max_examples=12, deadline=None)
@given(code=st.sampled_from(["lao", "vnm", "tjk"]), seed=st.integers(0, 10_000), month=st.sampled_from(MONTHS))
def test_the_population_engine_flags_what_eligibility_flags_and_no_more(code, seed, month):
    """Its ``<benefit>_provisional`` is the decision's flag, with what the month evaluated pays on an unverified
    value (a rise of benefits in payment, an amount that follows age: told by ``/eligibility`` in the payments):
    true where the decision is provisional, and only where the decision or its payments are. A Tajik claim
    refused in 2025 read as provisional in 2026 for the unverified rise of pensions of September 2025, which
    raises no pension of a person refused one."""
    system = tax_benefit_system(code)
    inputs = _inputs(seed, month)
    table = inputs_table(inputs, month)
    for name in ("child_birth_date", "old_age_claim_date", "disability_assessment_date", "employment_end_date"):
        table[name] = pd.to_datetime(table[name])
    columns = simulate(table, month, system).columns
    as_of = np.datetime64(f"{month}-01").astype(object)  # an undated claim is made on the month's first day
    decisions = decide_claims(system, _records(inputs, month), as_of)
    for branch in branches_of(system):
        decided = decisions.branches[branch.code]
        payments = decided.payments(as_of, system.jurisdiction.amount_decimals)
        for row in np.flatnonzero(decided.outcome != Outcome.undetermined):
            flagged = bool(columns[branch.provisional][row])
            paid = payments[row] is not None and payments[row].provisional
            where = (code, month, branch.code, int(row), Outcome(decided.outcome[row]).name)
            assert flagged or not decided.provisional[row], where
            assert not flagged or decided.provisional[row] or paid, where


def test_a_rise_of_pensions_makes_no_refusal_provisional_in_a_population():
    """Tajikistan: +10% from 1 September 2025 (presidential decree, the base pension's share not found: unverified).
    A man of 43 refused for his age on a claim of March 2025 is paid nothing it raises: not provisional in January
    2026, in the population engine as in /eligibility (it said true); a man of 65 granted that day is provisional in
    both (his decision rests on unverified values, the index's among them)."""
    claim = {
        "sex": "male",
        "contribution_months": 300,
        "career_average_insured_wage": 3000,
        "old_age_claim_date": "2025-03-10",
    }
    people = [{"birth_date": "1982-02-08", **claim}, {"birth_date": "1960-02-08", **claim}]
    table = pd.DataFrame(
        [{"person_id": row, "household_id": row, "weight": 1.0, **person} for row, person in enumerate(people)]
    )
    table = table.assign(
        birth_date=pd.to_datetime(table["birth_date"]),
        old_age_claim_date=pd.to_datetime(table["old_age_claim_date"]),
    )
    flags = simulate(table, "2026-01", "tjk").columns[BRANCHES["old_age"].provisional].tolist()
    decided = decide_claims(tax_benefit_system("tjk"), people, datetime.date(2026, 1, 1), ["old_age"]).branches[
        "old_age"
    ]
    refused, granted = decided.payments("2026-01-01", 2)
    assert [Outcome(outcome).name for outcome in decided.outcome] == ["not_eligible", "eligible"]
    assert refused is None and not decided.provisional[0] and granted.provisional
    assert flags == [False, True]


def test_a_rise_of_unknown_size_leaves_a_refusal_at_nothing_paid_in_a_population():
    """Tajikistan, October 2026: the rise of 1 September 2026 is not known (its percentage not found), so a pension
    paid then cannot be told (empty, not modelled); a man of 43 refused on a claim of March 2025 is still paid
    nothing (0, as in January), not an amount that cannot be told (it was empty: 0 × an unknown rise)."""
    claim = {"sex": "male", "contribution_months": 300, "career_average_insured_wage": 3000}
    people = [{"birth_date": "1982-02-08", **claim}, {"birth_date": "1960-02-08", **claim}]
    table = pd.DataFrame(
        [{"person_id": row, "household_id": row, "weight": 1.0, **person} for row, person in enumerate(people)]
    )
    table = table.assign(birth_date=pd.to_datetime(table["birth_date"]), old_age_claim_date=pd.Timestamp("2025-03-10"))
    branch = BRANCHES["old_age"]
    columns = simulate(table, "2026-10", "tjk").columns
    assert columns[branch.eligible].tolist() == [False, True]
    assert columns[branch.benefit][0] == 0
    assert np.isnan(columns[branch.benefit][1]) and not columns[branch.amount_modelled][1]
