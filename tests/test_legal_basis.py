"""A decision's legal basis: the values it rests on, and no value it does not read."""

from __future__ import annotations

import numpy as np

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.legal_basis import OWED, InForce, _legal_basis, cited_by_any, in_force_on, legal_basis


def _outside_the_branch(code: str, branch: str, day: str) -> set[str]:
    return {name for name in legal_basis(tax_benefit_system(code), branch, day).values if not name.startswith(branch)}


def test_a_branch_rests_on_the_reference_amounts_its_parameters_name_only() -> None:
    """An outside review: every Tajik old-age decision cited the calculation indicator and the minimum wage,
    which no Tajik old-age formula reads; Viet Nam's unemployment cap and own ceiling read the regional minimum
    wages, not the social insurance's ceiling."""
    assert _outside_the_branch("tjk", "old_age", "2024-03-15") == set()
    assert _outside_the_branch("vnm", "unemployment", "2025-06-01") == {
        f"reference_amounts.regional_minimum_wage.region_{region}" for region in (1, 2, 3, 4)
    }
    assert _outside_the_branch("vnm", "maternity", "2025-06-01") == {
        "reference_amounts.base_salary",
        "insured_wage.ceiling_reference_amount.base_salary",  # 20 times it caps the insured wage
    }
    assert _outside_the_branch("lao", "maternity", "2025-06-01") == {"insured_wage.ceiling"}


def test_a_mothers_rule_counts_for_women_only() -> None:
    """A woman refused for her age rests on the mothers' reduced age too (one source: unverified); a man not."""
    basis = legal_basis(tax_benefit_system("tjk"), "old_age", "2024-03-15")
    assert any(".mothers." in name for name in basis.unverified)
    assert basis.by_sex_differs


def test_a_refusal_owing_a_lump_sum_rests_on_the_lump_sum_s_values_too() -> None:
    """Viet Nam, 2020: a refusal for too short a career rests on the qualifying period; with a lump sum owed, on the
    lump sum's values, the reference wage's and the wage ceiling's too; a decision not made on none, owed or not."""
    basis = legal_basis(tax_benefit_system("vnm"), "old_age", "2020-06-01")
    refused = Reason.insufficient_contributions.index
    assert basis.by_key[refused] == ("old_age.qualifying_period.minimum_months",)
    owed = set(basis.by_key[refused + OWED])
    assert owed > {"old_age.qualifying_period.minimum_months", "old_age.lump_sum.provided"}
    assert {"old_age.reference_wage.averaging_months", "insured_wage.ceiling_reference_amount.base_salary"} <= owed
    assert not any(name.startswith("old_age.pensionable_age") for name in owed)
    assert basis.by_key.get(Reason.early_pension_not_modelled.index + OWED, ()) == ()
    maternity = legal_basis(tax_benefit_system("vnm"), "maternity", "2020-06-01")
    assert not any(key // OWED & 1 for key in maternity.by_key)  # the birth grant is owed to the eligible only


def test_a_lump_sum_s_basis_names_parameters_its_branch_declares() -> None:
    for branch in BRANCHES.values():
        for path in branch.lump_sum_basis:
            assert any(name.path.startswith(f"{path}.") for name in branch.parameters), (branch.code, path)


def test_values_read_only_for_some_persons_name_parameters_and_variables_the_branch_declares() -> None:
    for branch in BRANCHES.values():
        for path, variable in branch.basis_only_where:  # a folder of parameters, or one parameter
            assert any(name.path == path or name.path.startswith(f"{path}.") for name in branch.parameters), (
                branch.code,
                path,
            )
            for code in ("lao", "vnm", "tjk", "ilo_c102"):
                assert tax_benefit_system(code).variables[variable].value_type is bool, (code, variable)


REDUCED = OWED << 1  # the key's part: the reduced-capacity window is the person's (old_age.basis_only_where)


def test_the_reduced_capacity_window_is_cited_only_where_a_loss_at_its_minimum_is_stated_below_the_age() -> None:
    """An outside review (finding 3 of review66d): every Viet Nam pension granted in 2016-2019 cited the window of a
    reduced pension for a loss of working capacity, the women's values unverified, and every woman's was
    provisional; a refusal for the age of a woman stating 65% cited the pensionable age only (finding 4)."""
    basis = legal_basis(tax_benefit_system("vnm"), "old_age", "2016-05-20")
    window = "old_age.reduced_capacity.months_below_pensionable_age.women"
    eligible, age = Reason.eligible.index, Reason.below_pensionable_age.index
    # the second values cited apart, the lower age of arduous work (all verified), change no provisional flag; the
    # third, the lump sum after leaving insurance (Resolution 93/2015/QH13, unverified), does; the fourth, the
    # qualifying period where the lower age refuses (verified), does not
    assert window in basis.unverified and basis.where_cited == (True, True, True, True)
    assert basis.where_differs == (True, False, True, False)
    assert not any(name.startswith("old_age.reduced_capacity.") for name in basis.by_key[eligible])
    assert not basis.provisional_by_sex[1, eligible]
    assert not any(name.startswith("old_age.reduced_capacity.") for name in basis.by_key[age])
    assert window in basis.by_key[age + REDUCED]
    assert set(basis.by_key[age]) < set(basis.by_key[age + REDUCED])
    assert basis.provisional_by_sex[:, age + REDUCED].tolist() == [False, True]  # the women's window unverified
    assert basis.by_key[Reason.reduced_capacity_pension_not_modelled.index + REDUCED] == ()
    later = legal_basis(tax_benefit_system("vnm"), "old_age", "2024-05-20")  # verified but Resolution 93/2015's
    assert later.where_cited == (True, True, True, True) and later.where_differs == (False, False, True, False)
    assert "old_age.reduced_capacity.minimum_degree" in later.by_key[age + REDUCED]
    before = legal_basis(tax_benefit_system("vnm"), "old_age", "2015-06-01")  # no window in force
    assert before.where_cited == (False, False, False, False)  # no old-age value in force before 2016


ARDUOUS = OWED << 2  # the key's part: the lower age of arduous work is the person's (old_age.basis_only_where)


def test_the_lower_age_of_arduous_work_is_cited_only_where_such_months_are_stated_below_the_age() -> None:
    """A pension granted at the general age, or a refusal for the age of a person stating no months of arduous work,
    does not rest on the lower age of arduous work (SI Law 2014 Art 54(1)(b)-(c)); one granted or refused below the
    general age with such months at the law's minimum does."""
    basis = legal_basis(tax_benefit_system("vnm"), "old_age", "2019-06-15")
    lower = "old_age.arduous_work.months_below_pensionable_age"
    eligible, age = Reason.eligible.index, Reason.below_pensionable_age.index
    for key in (eligible, age):
        assert not any(name.startswith("old_age.arduous_work.") for name in basis.by_key[key])
        assert lower in basis.by_key[key + ARDUOUS]
        assert "old_age.arduous_work.underground_coal_mining.minimum_months" in basis.by_key[key + ARDUOUS]
    assert "old_age.reduced_capacity.minimum_degree" not in basis.by_key[age + ARDUOUS]  # each apart
    assert basis.by_key[Reason.reduced_capacity_pension_not_modelled.index + ARDUOUS] == ()  # not made: none


def test_the_lower_minimum_after_a_prescribed_rest_is_cited_only_for_a_woman_short_of_the_general_months() -> None:
    """The note on finding 3 of review66d: a woman eligible on the general 6 months cited the prescribed rest's."""
    basis = legal_basis(tax_benefit_system("vnm"), "maternity", "2024-06-01")
    rest = "maternity.qualifying_period.prescribed_rest."
    short = Reason.insufficient_recent_contributions.index
    assert not any(name.startswith(rest) for name in basis.by_key[Reason.eligible.index])
    assert any(name.startswith(rest) for name in basis.by_key[Reason.eligible.index + (OWED << 1)])
    assert any(name.startswith(rest) for name in basis.by_key[short + (OWED << 1)])
    assert not any(name.startswith(rest) for name in basis.by_key[short])


def test_a_refusal_for_no_confinement_rests_on_the_outcomes_covered_not_on_the_window() -> None:
    """An outside review: a Lao woman refused for no confinement was provisional and cited the qualifying window
    (unverified), which plays no part in a refusal where there is no birth. It rests on the outcomes the law sets
    a qualifying period for (Lao PDR's unverified, so provisional: read on the NSSF page, S26, which bears no
    date; Viet Nam's, a live birth, verified); so does an outcome whose rules are not modelled, a decision not
    made, which rests on nothing."""
    covered = "maternity.qualifying_period.minimum_months."
    for code, day, outcomes, provisional in (
        ("lao", "2024-06-15", ("live_birth", "pregnancy_loss"), True),
        ("lao", "2020-06-15", ("live_birth", "pregnancy_loss"), True),
        ("vnm", "2024-06-15", ("live_birth",), False),
    ):
        basis = legal_basis(tax_benefit_system(code), "maternity", day)
        assert basis.rests_on(Reason.no_confinement.index, "women") == tuple(covered + name for name in outcomes)
        assert basis.provisional_by_sex[1, Reason.no_confinement.index] == provisional, (code, day)
        assert basis.rests_on(Reason.outcome_not_modelled.index, "women") == ()
    declared = {
        reason: condition.parameters for condition in BRANCHES["maternity"].conditions for reason in condition.reasons
    }
    assert (
        declared[Reason.no_confinement]
        == declared[Reason.outcome_not_modelled]
        == ("qualifying_period.minimum_months",)
    )


def test_values_a_condition_also_cites_name_parameters_its_branch_declares() -> None:
    """Each path a condition also cites is a parameter (or a folder of them) its branch declares; a condition whose
    reason another gives too says where it refuses (``only_where``), else every refusal for the reason would cite
    values only some of them rest on."""
    for branch in BRANCHES.values():
        for condition in branch.conditions:
            for path in condition.also_cites:
                assert any(name.path == path or name.path.startswith(f"{path}.") for name in branch.parameters), (
                    branch.code,
                    path,
                )
            shared = any(
                set(other.reasons) & set(condition.reasons) for other in branch.conditions if other is not condition
            )
            assert not (condition.also_cites and shared) or condition.only_where, (branch.code, condition.reasons)


AFTER_LEAVING = OWED << 3  # the key's part: the lump sum after leaving insurance may concern the person
QUALIFYING = OWED << 4  # the key's part: the lower age of arduous work refuses (old_age's first condition citing apart)


def test_a_refusal_at_the_lower_age_of_arduous_work_cites_the_qualifying_period_it_rests_on() -> None:
    """Viet Nam SI Law 2014 Art 54(1): the lower ages of points (b) and (c) need 20 years of contributions. A person
    refused there for too few months (the key's part of ``old_age_lower_pensionable_age_may_apply``) rests on the
    qualifying period; a refusal for the age elsewhere (below even the lower age, or with no such months) does not."""
    basis = legal_basis(tax_benefit_system("vnm"), "old_age", "2019-06-15")
    period = "old_age.qualifying_period.minimum_months"
    age, short = Reason.below_pensionable_age.index, Reason.insufficient_contributions.index
    assert BRANCHES["old_age"].basis_flags[2] == ("old_age_lump_sum_after_leaving_considered", ())
    assert BRANCHES["old_age"].basis_flags[3] == (
        "old_age_lower_pensionable_age_may_apply",
        (Reason.below_pensionable_age,),
    )
    assert period not in basis.by_key[age] and period not in basis.by_key[age + ARDUOUS]
    assert period in basis.by_key[age + ARDUOUS + QUALIFYING]
    assert set(basis.by_key[age + ARDUOUS + QUALIFYING]) - set(basis.by_key[age + ARDUOUS]) == {period}
    # the other reasons are not changed by the part: it is cited where the lower age refuses only
    for reason in (Reason.eligible.index, short, Reason.reduced_capacity_pension_not_modelled.index):
        assert basis.by_key[reason + QUALIFYING] == basis.by_key[reason], reason
    assert basis.by_key[short] == (period,)
    # the lump sum after leaving insurance is cited only of those it may concern (below the age, a short career)
    after = "old_age.lump_sum.after_leaving_insurance.months_outside"
    assert after in basis.by_key[age + AFTER_LEAVING] and after not in basis.by_key[age]


def test_a_social_pension_refused_for_a_higher_allowance_rests_on_its_amount() -> None:
    """Viet Nam SI Law 2024 Art 22(2): the higher of the social pension and a monthly social allowance is paid; a
    refusal for the allowance rests on the rule and on the social pension's amount (a refusal for the age does not)."""
    basis = legal_basis(tax_benefit_system("vnm"), "social_pension", "2026-06-15")
    assert basis.by_key[Reason.receives_higher_social_allowance.index] == (
        "social_pension.amount",
        "social_pension.higher_of_social_allowance",
    )
    assert "social_pension.amount" not in basis.by_key[Reason.below_pensionable_age.index]


def test_a_decision_made_under_each_sex_cites_what_either_rests_on() -> None:
    """Decisions of one reason under each value of a fact not stated stand as one citing every value either cites
    (:func:`~openfisca_sp.rules.legal_basis.cited_by_any`), and only those."""
    basis = legal_basis(tax_benefit_system("vnm"), "old_age", "2019-06-15")
    keys = np.array(sorted(basis.by_key))
    for reason in (Reason.eligible.index, Reason.below_pensionable_age.index, Reason.insufficient_contributions.index):
        mine = keys[keys % OWED == reason]
        first, second = np.repeat(mine, len(mine)), np.tile(mine, len(mine))
        for one, other, either in zip(first, second, cited_by_any([first, second]).tolist(), strict=True):
            assert set(basis.by_key[either]) == set(basis.by_key[one]) | set(basis.by_key[other]), (one, other)


def test_a_basis_shared_by_the_days_of_the_same_values_is_the_one_each_day_gives() -> None:
    """A branch's legal basis is worked out once for the days the same values are in force: on the first and
    fifteenth days of every other month from 2015 to 2030, in every jurisdiction and branch, the basis found is the one worked out afresh
    from that day's own values, and the days between two changes of a value share it."""
    days = [
        f"{year}-{month:02d}-{day:02d}" for year in range(2015, 2031) for month in range(1, 13, 2) for day in (1, 15)
    ]
    shared = 0
    for code in sorted(jurisdictions.registry()):
        system = tax_benefit_system(code)
        for branch in sorted(BRANCHES):
            found = [legal_basis(system, branch, day) for day in days]
            for day, basis in zip(days, found, strict=True):
                alone = _legal_basis.__wrapped__(system, branch, in_force_on(system, branch, day))  # not shared
                assert alone.values == basis.values and alone.by_key == basis.by_key
                assert alone.unverified == basis.unverified
                assert np.array_equal(alone.provisional_by_sex, basis.provisional_by_sex)
                assert (alone.by_sex_differs, alone.owed_differs) == (basis.by_sex_differs, basis.owed_differs)
                assert (alone.where_cited, alone.where_differs) == (basis.where_cited, basis.where_differs)
            shared += len(found) - len({id(basis) for basis in found})
    assert shared > 0  # some days did share a basis


def test_values_in_force_are_equal_where_each_value_is_the_same_parameter_s_from_the_same_date() -> None:
    """An :class:`~openfisca_sp.rules.legal_basis.InForce` is hashed and compared by its values' parameters and
    dates, worked out once: two days between the same changes give equal ones, whatever else differs."""
    system = tax_benefit_system("vnm")
    one, same, other = (in_force_on(system, "old_age", day) for day in ("2021-03-01", "2021-03-02", "2016-03-01"))
    dated = tuple((record.parameter, record.start) for record in one.records)
    assert one == same and hash(one) == hash(same) == hash(dated)
    assert one != other and one._dated is one._dated
    assert len(one.records) > 1 and InForce(tuple(reversed(one.records))) != one  # the order counts
