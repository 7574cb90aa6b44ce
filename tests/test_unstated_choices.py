"""A claim whose sex is not stated is decided as a man's and as a woman's: the decision both give stands.

Where the two decisions differ, or either lacks another fact, the claim stays undetermined (or its amount
unknown) and sex is listed among the facts missing.
"""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims
from openfisca_sp.decisions.unstated_choices import choice_facts

FIELDS = ("outcome", "reason", "amount", "duration", "duration_unit", "provisional", "start", "end", "rules_day")
BRANCHES = ("old_age", "disability", "unemployment", "maternity")
AS_OF = datetime.date(2025, 1, 10)


def listed(decisions, row: int) -> list[str]:
    """The facts a person's decision or amount is told are missing."""
    facts = (*decisions.missing_for_decision, *decisions.missing_for_amount)
    return [fact.label for fact in facts if fact.lacking[row]]


def same(first, second, row: int, other_row: int | None = None) -> bool:
    """Whether two branch decisions of one person agree on every field compared."""
    other_row = row if other_row is None else other_row
    for name in FIELDS:
        one, two = getattr(first, name)[row], getattr(second, name)[other_row]
        if one != two and not (one != one and two != two):  # NaN and NaT equal themselves here
            return False
    return True


@st.composite
def persons(draw):
    """Claimants of every age, some with contributions, histories and events, none stating sex."""
    claim = draw(st.dates(datetime.date(2020, 1, 1), datetime.date(2024, 12, 31)))
    months = [str(month) for month in np.arange(np.datetime64(claim, "M") - 30, np.datetime64(claim, "M"))]
    wage = draw(st.integers(1, 40)) * 250_000.0
    person = {
        "birth_date": draw(st.dates(datetime.date(1940, 1, 1), datetime.date(2004, 12, 31))),
        "contribution_months": draw(st.integers(0, 480)),
        "career_average_insured_wage": wage,
        "old_age_claim_date": claim,
        "insured_wage": dict.fromkeys(months, wage),
    }
    if draw(st.booleans()):
        person |= {"disability_degree": float(draw(st.integers(0, 100))), "disability_assessment_date": claim}
    if draw(st.booleans()):
        person |= {"pregnancy_outcome": "live_birth", "child_birth_date": claim, "number_of_children_born": 1}
    return person


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["lao", "tjk", "vnm"]), st.lists(persons(), min_size=1, max_size=4))
def test_a_decision_without_sex_is_the_one_both_sexes_give_or_undetermined(jurisdiction, records):
    system = tax_benefit_system(jurisdiction)
    unstated = decide_claims(system, records, AS_OF, BRANCHES)
    as_man = decide_claims(system, [record | {"sex": "male"} for record in records], AS_OF, BRANCHES)
    as_woman = decide_claims(system, [record | {"sex": "female"} for record in records], AS_OF, BRANCHES)
    for code in BRANCHES:
        decided, man, woman = unstated.branches[code], as_man.branches[code], as_woman.branches[code]
        for row in range(len(records)):
            settled = (
                same(man, woman, row)
                and man.outcome[row] != Outcome.undetermined
                and not listed(man, row)
                and not listed(woman, row)
            )
            if settled:
                assert same(decided, man, row), (code, row)
                assert "sex" not in listed(decided, row)
            elif "sex" not in listed(decided, row):  # sex never read: decided as the default, a man
                assert same(decided, man, row), (code, row)


def test_lao_old_age_past_both_ages_is_decided_without_sex():
    """Law No. 54/NA (2018): 60 for men, 55 for women. At 70 both are reached; at 57 only a woman's."""
    system = tax_benefit_system("lao")
    base = {"contribution_months": 360, "old_age_claim_date": datetime.date(2024, 6, 20)}
    records = [base | {"birth_date": datetime.date(1954, 3, 1)}, base | {"birth_date": datetime.date(1967, 3, 1)}]
    decided = decide_claims(system, records, AS_OF, ["old_age"]).branches["old_age"]
    assert decided.outcome.tolist() == [Outcome.eligible, Outcome.undetermined]
    assert listed(decided, 0) == [] and listed(decided, 1) == ["sex"]


def test_a_person_is_decided_again_with_their_household():
    """A member who states no sex is decided again with the household's other members, as in the batch."""
    system = tax_benefit_system("lao")
    base = {"contribution_months": 360, "old_age_claim_date": datetime.date(2024, 6, 20)}
    records = [
        base | {"birth_date": datetime.date(1954, 3, 1)},
        base | {"sex": "female", "birth_date": datetime.date(1960, 3, 1)},
        base | {"sex": "male", "birth_date": datetime.date(1990, 3, 1)},
    ]
    households = (["h1", "h1", "h2"], [True, False, True])
    decided = decide_claims(system, records, AS_OF, ["old_age"], households).branches["old_age"]
    stated = [records[0] | {"sex": "female"}, *records[1:]]
    expected = decide_claims(system, stated, AS_OF, ["old_age"], households).branches["old_age"]
    for row in range(3):
        assert same(decided, expected, row)
    assert [listed(decided, row) for row in range(3)] == [[], [], []]


def test_only_two_valued_eternal_facts_are_decided_under_each_value():
    names = {fact.name for fact in choice_facts(tax_benefit_system("vnm"))}
    assert names == {"sex"}
