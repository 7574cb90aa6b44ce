"""A claim that lacks months of its insured wage is decided where the months stated decide it
(:mod:`openfisca_sp.decisions.unstated_amounts`): what must hold is that the decision it is given is the one the
claim gets whatever wages the missing months had. Checked against the months filled at random and decided whole."""

from __future__ import annotations

import datetime

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import Outcome, decide_claims

FIELDS = ("outcome", "reason", "amount", "duration", "provisional", "start", "end")
AS_OF = datetime.date(2024, 7, 1)
MONTHS = [f"{year}-{month:02d}" for year in (2022, 2023, 2024) for month in range(1, 13)][:30]  # 2022-01 to 2024-06


def _claim(branch: str, wages: dict[str, float], day: int = 10) -> dict:
    if branch == "maternity":  # born on or after the 15th: May counts where contributed (Circular 59/2015 Art 9(1))
        person = {"sex": "female", "pregnancy_outcome": "live_birth", "child_birth_date": f"2024-05-{day:02d}"}
        person |= {"number_of_children_born": 1}
    else:
        person = {"sex": "male", "separation_reason": "dismissal", "unemployment_registration_date": "2024-05-10"}
        person |= {"is_available_for_work": True, "employment_end_date": "2024-04-30"}
    return person | {"birth_date": "1990-02-01", "contribution_months": 60, "insured_wage": wages}


def _stated(wages: list[float], left_out: set[int]) -> dict[str, float]:
    """The wages of :data:`MONTHS` but those at the positions ``left_out``."""
    return {
        month: wage
        for position, (month, wage) in enumerate(zip(MONTHS, wages, strict=True))
        if position not in left_out
    }


def _same(first, second) -> bool:
    for name in FIELDS:
        one, two = getattr(first, name)[0], getattr(second, name)[0]
        if one != two and not (one != one and two != two):
            return False
    return True


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(["lao", "vnm"]),
    branch=st.sampled_from(["maternity", "unemployment"]),
    wages=st.lists(
        st.sampled_from([0.0, 1_500_000.0, 4_000_000.0, 9_000_000.0, 80_000_000.0]), min_size=30, max_size=30
    ),
    left_out=st.sets(st.integers(0, 29), min_size=1, max_size=12),
    fillings=st.lists(st.sampled_from([0.0, 1.0, 2_000_000.0, 7_000_000.0, 5e8]), min_size=12, max_size=12),
    day=st.sampled_from([10, 20]),
)
def test_a_claim_decided_without_some_months_is_decided_so_whatever_they_were(
    code, branch, wages, left_out, fillings, day
) -> None:
    system = tax_benefit_system(code)
    stated = _stated(wages, left_out)
    decided = decide_claims(system, [_claim(branch, stated, day)], AS_OF, [branch]).branches[branch]
    lacking = [fact for fact in (*decided.missing_for_decision, *decided.missing_for_amount) if fact.lacking[0]]
    if decided.outcome[0] == Outcome.undetermined:
        return  # not decided without them: nothing claimed
    filled = dict(stated)
    for position, value in zip(sorted(left_out), fillings[: len(left_out)], strict=True):
        filled[MONTHS[position]] = value
    whole = decide_claims(system, [_claim(branch, filled, day)], AS_OF, [branch]).branches[branch]
    if lacking:  # eligible whatever the amounts left out, its amount not known: eligible so, for the same reason
        assert decided.outcome[0] == whole.outcome[0] == Outcome.eligible and decided.reason[0] == whole.reason[0]
        assert np.isnan(decided.amount[0]) or decided.amount[0] == whole.amount[0]
        asked = {fact.label.removeprefix("insured_wage.") for fact in lacking}
        others = dict(filled)  # the months left out but not asked, filled otherwise: the same decision
        for position, value in zip(sorted(left_out), reversed(fillings), strict=False):
            if MONTHS[position] not in asked:
                others[MONTHS[position]] = value
        again = decide_claims(system, [_claim(branch, others, day)], AS_OF, [branch]).branches[branch]
        assert _same(whole, again), (code, branch, sorted(left_out), sorted(asked))
        return
    assert _same(decided, whole), (code, branch, sorted(left_out), {name: getattr(whole, name)[0] for name in FIELDS})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(["lao", "vnm"]),
    branch=st.sampled_from(["maternity", "unemployment"]),
    wages=st.lists(st.sampled_from([0.0, 1_500_000.0, 4_000_000.0, 9_000_000.0]), min_size=30, max_size=30),
    left_out=st.sets(st.integers(0, 29), min_size=2, max_size=10),
    day=st.sampled_from([10, 20]),
)
def test_each_month_a_claim_is_asked_for_can_change_its_amount(code, branch, wages, left_out, day) -> None:
    """A claim eligible whatever its months left out hold is asked those of them its amount may turn on: with the
    other months left out as 0, the month's own wage changes the amount. Viet Nam's maternity benefit averages the
    6 latest months with contributions (Circular 59/2015 Art 12(1)(a)): a month older than 6 stated months with
    contributions never enters them, and is not asked, whether or not months of the 12 before the birth are
    missing too. An unemployment benefit averages the 6 months before unemployment: a month of the 24 its
    condition reads before them is not asked (both were, where the condition lacked them)."""
    system = tax_benefit_system(code)
    stated = _stated(wages, left_out)
    decided = decide_claims(system, [_claim(branch, stated, day)], AS_OF, [branch]).branches[branch]
    asked = [fact.label.removeprefix("insured_wage.") for fact in decided.missing_for_amount if fact.lacking[0]]
    if decided.outcome[0] != Outcome.eligible or not asked:
        return
    at_zero = stated | {MONTHS[position]: 0.0 for position in left_out}
    for month in asked:
        amounts = [
            decide_claims(system, [_claim(branch, at_zero | {month: wage}, day)], AS_OF, [branch])
            .branches[branch]
            .amount[0]
            for wage in (0.0, 1_234_567.0)
        ]
        assert amounts[0] != amounts[1], (code, branch, month, sorted(MONTHS[position] for position in left_out))


def test_a_month_the_amount_averages_is_still_asked() -> None:
    """Viet Nam's maternity benefit averages the 6 months before the birth: the other 11 months meet the 6 in 12,
    so the claim is eligible, but April 2024 left out is asked for its amount (it turns on April's wage)."""
    wages = {month: 6_000_000.0 for month in MONTHS if "2023-05" <= month <= "2024-03"}
    decided = decide_claims(tax_benefit_system("vnm"), [_claim("maternity", wages)], AS_OF, ["maternity"])
    maternity = decided.branches["maternity"]
    assert maternity.outcome[0] == Outcome.eligible and maternity.duration[0] == 6
    assert [fact.label for fact in maternity.missing_for_amount if fact.lacking[0]] == ["insured_wage.2024-04"]
    assert not [fact for fact in maternity.missing_for_decision if fact.lacking[0]]
    wages["2024-04"] = 6_000_000.0
    stated = decide_claims(tax_benefit_system("vnm"), [_claim("maternity", wages)], AS_OF, ["maternity"])
    assert stated.branches["maternity"].amount[0] == 6_000_000
    assert np.isnan(maternity.amount[0])


def test_an_amount_stated_as_one_value_is_not_asked_where_it_cannot_change_the_decision() -> None:
    """A review: a Viet Nam claimant of 71 with no month of contributions was asked the career-average wage for a
    one-off payment that is 0 whatever it is (SI Law 2024 Art 70: months of wage per year contributed). With 100
    months, the payment turns on the wage, which is asked."""
    system, asked = tax_benefit_system("vnm"), datetime.date(2026, 10, 15)
    never = decide_claims(system, [{"sex": "male", "birth_date": "1955-01-01", "contribution_months": 0}], asked)
    old_age = never.branches["old_age"]
    assert old_age.lump_sums["old_age_lump_sum"][0] == 0
    assert not [fact.label for fact in (*old_age.missing_for_decision, *old_age.missing_for_amount) if fact.lacking[0]]
    some = decide_claims(system, [{"sex": "male", "birth_date": "1955-01-01", "contribution_months": 100}], asked)
    old_age = some.branches["old_age"]
    assert np.isnan(old_age.lump_sums["old_age_lump_sum"][0])
    assert "career_average_insured_wage" in [fact.label for fact in old_age.missing_for_amount if fact.lacking[0]]


def test_a_small_wage_in_a_month_left_out_can_lower_an_average_of_months_with_contributions() -> None:
    """Viet Nam's maternity benefit averages the 6 latest months with contributions (Circular 59/2015 Art
    12(1)(a)). January 2024 left out: as 0 it is skipped and October 2023 (at the ceiling) is averaged, as the
    largest amount it is capped at the same ceiling, yet as 1 dong it pushes October out. The amount is not known,
    and January is asked for."""
    wages = {"2023-10": 80_000_000.0} | {month: 4_000_000.0 for month in ("2023-11", "2023-12", "2024-02", "2024-03")}
    wages["2024-04"] = 4_000_000.0
    system = tax_benefit_system("vnm")
    maternity = decide_claims(system, [_claim("maternity", wages)], AS_OF, ["maternity"]).branches["maternity"]
    assert maternity.outcome[0] == Outcome.eligible and np.isnan(maternity.amount[0])
    assert "insured_wage.2024-01" in [fact.label for fact in maternity.missing_for_amount if fact.lacking[0]]
    amounts = []
    for january in (0.0, 1.0, 1e15):
        decided = decide_claims(system, [_claim("maternity", wages | {"2024-01": january})], AS_OF, ["maternity"])
        amounts.append(decided.branches["maternity"].amount[0])
    assert amounts[0] == amounts[2] != amounts[1]


def test_a_refusal_one_of_two_conditions_may_have_given_is_not_decided_on_the_other() -> None:
    """Two conditions refuse Viet Nam's maternity benefit for too few months of contributions: the general minimum
    (6 in 12, SI Law 2014 Art 31(2)) and the lower one after a prescribed rest (Art 31(3)), which needs its facts
    only of women it may qualify. A mother with 2 contributed months stated in the 12 and 5 left out is not refused
    on the second condition's stated facts: the first lacks the 5 months, and she is asked for them."""
    wages = {month: 0.0 for month in MONTHS if "2023-05" <= month <= "2024-04"}
    wages |= {"2023-05": 9_000_000.0, "2024-01": 9_000_000.0}
    left_out = ["2023-06", "2023-09", "2023-12", "2024-02", "2024-03"]
    stated = {month: wage for month, wage in wages.items() if month not in left_out}
    maternity = decide_claims(tax_benefit_system("vnm"), [_claim("maternity", stated)], AS_OF, ["maternity"])
    decided = maternity.branches["maternity"]
    assert decided.outcome[0] == Outcome.undetermined
    assert [fact.label for fact in decided.missing_for_decision if fact.lacking[0]] == [
        f"insured_wage.{month}" for month in left_out
    ]


LATE = datetime.date(2024, 9, 10)
LATE_MONTHS = [str(month) for month in np.arange("2022-03", "2024-09", dtype="datetime64[M]")]  # 30, to 2024-08


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(["lao", "vnm", "vnm"]),
    branch=st.sampled_from(["maternity", "unemployment"]),
    few=st.sets(st.integers(0, 29), min_size=1, max_size=8),
    wage=st.sampled_from([6_000_000.0, 48_000_000.0]),
    left_out=st.sets(st.integers(0, 29), min_size=1, max_size=8),
)
def test_an_amount_not_told_is_provisional_only_where_what_is_decided_rests_on_an_unverified_value(
    code, branch, few, wage, left_out
) -> None:
    """A claim eligible whatever its months left out hold, its amount not told, is provisional exactly where its
    legal basis holds an unverified value: not for what would qualify the amount, had it been told (Viet Nam's
    maternity benefit averaged over fewer than its 6 latest months with contributions, found in the 24 read, SI Law
    2014 Art 39(1)(a); an unemployment maximum that the regional minimum wage of an unstated end of the contract
    might have set, Employment Law 2013 Art 50(1)), the months left out as 0 or any other amount. A mother has
    contributions in a ``few`` of the 30 months only, an unemployed person in all but a ``few``."""
    if branch == "maternity":  # few months in the 24 suffice after a prescribed rest (SI Law 2014 Art 31(3))
        person = {"sex": "female", "pregnancy_outcome": "live_birth", "child_birth_date": "2024-06-10"}
        person |= {"number_of_children_born": 1, "rested_during_pregnancy_on_prescription": True}
    else:  # the end of the contract not stated: the maximum of the claim's day, or of one of the 3 months before
        person = {"sex": "male", "separation_reason": "dismissal", "unemployment_registration_date": "2024-08-05"}
        person |= {"is_available_for_work": True, "minimum_wage_region": 1}
    paid = [(position in few) == (branch == "maternity") for position in range(len(LATE_MONTHS))]
    stated = {month: wage * paid[position] for position, month in enumerate(LATE_MONTHS) if position not in left_out}
    person |= {"birth_date": "1990-02-01", "contribution_months": 30, "insured_wage": stated}
    decided = decide_claims(tax_benefit_system(code), [person], LATE, [branch]).branches[branch]
    if decided.outcome[0] != Outcome.eligible or not np.isnan(decided.amount[0]):
        return
    basis = decided.bases[str(decided.rules_day[0])]
    rests_on = basis.rests_on(int(decided.basis_key[0]), "women" if branch == "maternity" else "men")
    assert decided.provisional[0] == bool(set(rests_on) & set(basis.unverified)), (code, branch, stated)
