"""Amounts that follow the person's age in payment (openfisca_sp.decisions.age_changes): a disability allowance
decided for a child of 15 kept the children's coefficient in every later month of its schedule, and one decided at 59
never had the older persons' higher one (Viet Nam, Decree 20/2021/ND-CP Art 6(1)(e)). The amount now changes in the
month the age is reached, or the month after, as the law in force that day says (disability.amount_change.
from_month_after: Decree 20/2021 Art 8(1)(đ) and Decree 335/2026/ND-CP Art 8(4) adjust from the month the conditions
change), in /eligibility's schedules and in the population's months alike."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.decisions.age_changes import METHOD, _month_reached
from openfisca_sp.population import simulate

VNM = tax_benefit_system("vnm")


class _FromMonthAfter(Reform):
    """Viet Nam's rules, read as changing an amount from the month after the month an age is reached from 2026."""

    def apply(self) -> None:
        def after(parameters):
            parameters.disability.amount_change.from_month_after.update(start=periods.instant("2026-01-01"), value=True)
            return parameters

        self.modify_parameters(after)


def _person(birth: str, category: int, assessed: str) -> dict:
    return {
        "birth_date": birth,
        "is_disabled": True,
        "disability_category": category,
        "disability_assessment_date": assessed,
    }


def test_an_age_is_reached_in_the_month_its_day_comes_or_the_next_one_where_the_month_has_no_such_day() -> None:
    births = np.array(["2009-09-15", "2009-01-31", "2009-03-01"], dtype="datetime64[D]")
    assert _month_reached(births, 1).astype(str).tolist() == ["2009-10", "2009-03", "2009-04"]  # 31 Jan: 1 March
    assert _month_reached(births, 192).astype(str).tolist() == ["2025-09", "2025-01", "2025-03"]


def test_the_schedule_changes_the_coefficient_in_the_month_of_the_birthday_and_says_so() -> None:
    """Turning 16 on 15 September 2025: the adults' coefficient from September (Decree 20/2021's rule, kept while
    Decree 147/2025's procedure, not read, was in force: unverified, so the schedule is provisional)."""
    asked = datetime.date(2026, 3, 1)
    records = [_person("2009-09-15", 1, "2025-07-20"), _person("1980-04-01", 1, "2025-07-20")]
    decided = decide_claims(VNM, records, asked, ["disability"]).branches["disability"]
    child, adult = decided.payments(asked)
    paid = {month.month: month.periodical for month in child.months}
    assert paid["2025-08"] == 1_250_000 and paid["2025-09"] == paid["2026-03"] == 1_000_000
    assert child.provisional and child.method.endswith(METHOD)
    assert {month.periodical for month in adult.months[1:]} == {1_000_000}  # no age reached: as before
    assert METHOD not in adult.method


def test_an_age_reached_after_the_period_ends_or_before_the_decision_changes_nothing() -> None:
    """A person decided at 60 is an older person already: no change to list."""
    asked = datetime.date(2025, 12, 1)
    decided = decide_claims(VNM, [_person("1965-03-10", 2, "2025-07-20")], asked, ["disability"])
    schedule = decided.branches["disability"].payments(asked)[0]
    assert {month.periodical for month in schedule.months[1:]} == {1_000_000}
    assert METHOD not in schedule.method


def test_the_population_pays_a_dated_claim_the_amount_of_the_person_s_age_in_the_month_evaluated() -> None:
    table = pd.DataFrame(
        {
            "person_id": [1, 2, 3],
            "household_id": [1, 2, 3],
            "is_household_head": [True, True, True],
            "birth_date": pd.to_datetime(["2009-09-15", "1965-08-20", "1980-04-01"]),
            "is_disabled": [True, True, True],
            "disability_category": [1, 2, 1],
            "disability_assessment_date": pd.to_datetime(["2025-07-20"] * 3),
        }
    )
    asked = datetime.date(2026, 3, 1)
    schedules = (
        decide_claims(
            VNM,
            table.drop(columns=["person_id", "household_id", "is_household_head"])
            .assign(
                birth_date=lambda frame: frame.birth_date.dt.strftime("%Y-%m-%d"),
                disability_assessment_date=lambda frame: frame.disability_assessment_date.dt.strftime("%Y-%m-%d"),
            )
            .to_dict("records"),
            asked,
            ["disability"],
        )
        .branches["disability"]
        .payments(asked)
    )
    others = {"sex": "female", "contribution_months": 0, "career_average_insured_wage": 0}
    others |= {"is_available_for_work": False, "number_of_children_born": 0, "pregnancy_outcome": "none"}
    others |= {"separation_reason": "not_separated"}  # the other branches' facts: none of these persons claims them
    expected = {"2025-08": [1_250_000, 1_000_000], "2025-09": [1_000_000] * 2, "2025-10": [1_000_000] * 2}
    for month in ("2025-08", "2025-09", "2025-10", "2026-03"):
        window = np.arange(np.datetime64(month) - 24, np.datetime64(month), dtype="datetime64[M]").astype(str)
        wages = {f"insured_wage.{each}": 0 for each in window}  # the months the month's rules read
        results = simulate(table.assign(**wages), month, "vnm", assume=others)
        listed = [next(paid.periodical for paid in schedule.months if paid.month == month) for schedule in schedules]
        assert results.columns["disability_benefit"].tolist() == listed
        assert listed[:2] == expected.get(month, [1_000_000] * 2)  # the child's 2.5, then 2.0; 1.5, then 2.0
    assert results.columns["disability_benefit_provisional"].tolist()[:2] == [True, True]


@settings(max_examples=30, deadline=None)
@given(
    assessed=st.dates(datetime.date(2021, 7, 1), datetime.date(2025, 12, 31)),
    age=st.sampled_from([192, 720]),  # 16 and 60: where the coefficient changes
    before=st.integers(0, 12),  # months of age short of it on the day decided
    birth_day=st.integers(1, 28),
    later=st.integers(1, 23),
    category=st.sampled_from([1, 2]),
)
def test_a_schedule_s_month_pays_what_a_claim_decided_on_its_first_day_is_paid(
    assessed, age, before, birth_day, later, category
):
    """A month after the one decided pays the allowance the rules decide on its last day, with the person's age
    then: the law changes the amount from the month the age is reached (a birthday on the 1st included)."""
    birth_month = np.datetime64(assessed, "M") - age + before
    birth = (birth_month.astype("datetime64[D]") + birth_day - 1).astype(datetime.date)
    month = np.datetime64(assessed, "M") + later
    asked = month.astype("datetime64[D]").astype(datetime.date)
    schedule = decide_claims(VNM, [_person(str(birth), category, str(assessed))], asked, ["disability"])
    listed = {paid.month: paid.periodical for paid in schedule.branches["disability"].payments(asked)[0].months}
    last_day = ((month + 1).astype("datetime64[D]") - 1).astype(datetime.date)
    again = decide_claims(VNM, [_person(str(birth), category, str(last_day))], last_day, ["disability"])
    assert listed[str(month)] == again.branches["disability"].amount[0]


def test_from_5_october_2026_the_month_of_the_birthday_pays_the_new_amount_and_is_not_provisional() -> None:
    """Decree 335/2026 Art 8(4), verified: a person of 59 decided in November 2026 turning 60 on 20 December 2026
    is paid the older persons' coefficient (2.0 × 540,000) for December; the month rests on no unverified value."""
    asked = datetime.date(2027, 2, 1)
    records = [_person("1966-12-20", 2, "2026-11-20") | {"disability_decision_date": "2026-11-25"}]
    records.append(_person("2009-09-15", 1, "2025-07-20"))  # 16 in September 2025: Decree 147/2025's time
    decided = decide_claims(VNM, records, asked, ["disability"]).branches["disability"]
    schedule = decided.payments(asked)[0]
    paid = {month.month: month.periodical for month in schedule.months}
    assert paid == {"2026-11": 810_000, "2026-12": 1_080_000, "2027-01": 1_080_000, "2027-02": 1_080_000}
    assert schedule.method.endswith(METHOD)
    changed = decided.age_changes.months <= np.datetime64(asked, "M")  # NaT: none; a child is 60 in 2069
    assert decided.age_changes.months[changed].astype(str).tolist() == ["2026-12", "2025-09"]
    assert decided.age_changes.unverified[changed].tolist() == [False, True]  # verified; Decree 147/2025 not read


def test_the_law_in_force_on_the_birthday_decides_the_month_from_which_the_amount_changes() -> None:
    """With a rule of the month after (a counterfactual from 2026), a change whose age is reached under it moves to
    the next month."""
    system = _FromMonthAfter(VNM)
    asked = datetime.date(2026, 12, 1)
    records = [_person("1966-10-20", 2, "2026-07-20"), _person("1966-06-20", 2, "2025-07-20")]
    decided = decide_claims(system, records, asked, ["disability"]).branches["disability"]
    late, early = ({month.month: month.periodical for month in each.months} for each in decided.payments(asked))
    assert late["2026-10"] == 810_000 and late["2026-11"] == 1_080_000  # 60 on 20 October 2026: from November
    assert early["2026-06"] == 500_000 * 1.5 and early["2026-07"] == 1_080_000  # 60 in June 2026: from July
