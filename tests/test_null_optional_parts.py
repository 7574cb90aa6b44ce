"""Every optional name says the part of the result it serves, so that a null whose source was NOT FOUND leaves that
part not modelled (docs/drafting.md §2), never read as the name's absence: the names added with Viet Nam's pension
start, prescribed rest and reduced-capacity pension, and a walk of the catalogue for any name that says none."""

from __future__ import annotations

import datetime
import math
from pathlib import Path

from openfisca_sp.decisions.claims import decide_claims
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.branches.model import ELIGIBILITY, FIRST_DAY
from tests.test_null_optional_names import NOT_FOUND, _system

NOT_FOUND_2027 = NOT_FOUND.replace("2027-07-01", "2027-01-01")
# optional names without a part, each with the way a null NOT FOUND on it is not modelled already (each checked)
HANDLED_OTHERWISE = {
    ("old_age", "in_payment_index"): "read as a dated series: a null is NaN, the months after it not determined",
    ("old_age", "in_payment_catch_up"): "read as a dated series with the index: the months after it not determined",
    ("disability", "flat_rate.follows_reference_amount"): "the amount followed is not known from a null (uprating)",
    (
        "maternity",
        "duration.days_a_month",
    ): "read as a dated series (day_rate): a null is NaN, a day's share not modelled",
    ("unemployment", "duration.days_a_month"): "read as a dated series (day_rate): as maternity's",
    ("old_age", "lump_sum.provided"): "None: whether a lump sum is owed is not known (old_age_lump_sum_owed_unknown)",
    ("old_age", "lump_sum.months_of_wage_per_year"): "the lump sum's requirement (LUMP_SUM) needs it",
    # a reform's note: whether the law in force provides the benefit is not known from a null NOT FOUND
    ("social_pension", "in_law_in_force"): (
        "in_law_in_force None: the branch not modelled where not provided (never not_provided_by_law), the baseline "
        "of a comparison not modelled (tests/test_null_in_law_in_force.py)"
    ),
}


def _pensioner(claim: str) -> dict:
    """A man of 61 years 9 months (the 2027 age) on 1 March 2027, 25 years at 10,000,000."""
    return {
        "sex": "male",
        "birth_date": "1965-06-01",
        "contribution_months": 300,
        "career_average_insured_wage": 10_000_000,
        "old_age_claim_date": claim,
    }


def test_a_pension_start_rule_not_found_leaves_the_first_day_paid_not_modelled(tmp_path: Path) -> None:
    """Decree 135/2020 Art 3(2) stands at a null NOT FOUND: the start is not the claim's day with a part month."""
    system = _system(tmp_path, ("old_age/payment_start/month_after_retirement.yaml", NOT_FOUND_2027))
    decided = decide_claims(system, [_pensioner("2027-03-10")], datetime.date(2027, 5, 1), ["old_age"])
    old_age = decided.branches["old_age"]
    schedule = old_age.payments("2027-05-01")[0]
    assert old_age.outcome[0] == Outcome.eligible and old_age.amount[0] > 0
    assert schedule.start is None and not schedule.months


def test_the_pension_start_in_force_still_pays_from_the_month_after(tmp_path: Path) -> None:
    decided = decide_claims(_system(tmp_path), [_pensioner("2027-03-10")], datetime.date(2027, 5, 1), ["old_age"])
    assert decided.branches["old_age"].payments("2027-05-01")[0].start == "2027-04-01"


def test_a_prescribed_rest_minimum_not_found_is_not_modelled_not_a_refusal(tmp_path: Path) -> None:
    """4 months in the 12 before the birth after a prescribed rest: eligible at 3 months, not refused at a null."""
    wages = {f"2026-{month:02d}": 0 for month in range(9, 13)} | {f"2027-{month:02d}": 0 for month in range(1, 5)}
    wages |= {f"2027-{month:02d}": 6_000_000 for month in range(5, 9)}
    mother = {
        "sex": "female",
        "birth_date": "1994-09-30",
        "contribution_months": 30,
        "pregnancy_outcome": "live_birth",
        "child_birth_date": "2027-09-15",
        "number_of_children_born": 1,
        "rested_during_pregnancy_on_prescription": True,
        "insured_wage": wages,
    }
    asked = datetime.date(2027, 10, 1)
    path = "maternity/qualifying_period/prescribed_rest/minimum_months.yaml"
    before = decide_claims(_system(tmp_path / "in_force"), [mother], asked, ["maternity"]).branches["maternity"]
    after = decide_claims(_system(tmp_path, (path, NOT_FOUND_2027)), [mother], asked, ["maternity"])
    assert before.outcome[0] == Outcome.eligible
    assert after.branches["maternity"].outcome[0] == Outcome.not_modelled


def test_a_reduced_capacity_rule_not_found_leaves_the_pension_not_modelled(tmp_path: Path) -> None:
    system = _system(tmp_path, ("old_age/reduced_capacity/minimum_degree.yaml", NOT_FOUND_2027))
    decided = decide_claims(system, [_pensioner("2027-03-10")], datetime.date(2027, 5, 1), ["old_age"])
    assert decided.branches["old_age"].outcome[0] == Outcome.not_modelled


def test_every_optional_name_says_the_part_it_serves_or_how_a_null_not_found_is_handled() -> None:
    """A name whose NOT FOUND null would silently read as its absence is caught here."""
    silent = [
        (code, name.path)
        for code, branch in BRANCHES.items()
        for name in branch.parameters
        if name.absent is not None and name.part is None and (code, name.path) not in HANDLED_OTHERWISE
    ]
    assert silent == []


def test_the_new_names_serve_the_parts_that_read_them() -> None:
    assert BRANCHES["old_age"].parameter("payment_start.month_after_retirement").part == FIRST_DAY
    assert {name.part for name in BRANCHES["old_age"].parameters if name.path.startswith("reduced_capacity.")} == {
        ELIGIBILITY
    }


def test_a_lump_sum_provision_not_found_is_not_told_not_0(tmp_path: Path) -> None:
    """100 months at the pensionable age: whether the law provides a lump sum is not known from the null."""
    system = _system(tmp_path, ("old_age/lump_sum/provided.yaml", NOT_FOUND_2027))
    short = _pensioner("2027-08-10") | {"contribution_months": 100}
    decided = decide_claims(system, [short], datetime.date(2027, 9, 1), ["old_age"]).branches["old_age"]
    assert decided.outcome[0] == Outcome.not_eligible
    assert math.isnan(decided.lump_sums["old_age_lump_sum"][0])


def test_a_followed_reference_amount_not_found_leaves_the_months_after_not_determined(tmp_path: Path) -> None:
    """Viet Nam's disability allowance follows the social assistance level (2.0 × 540,000 in December 2026): not from a
    null NOT FOUND on that rule."""
    path = "disability/flat_rate/follows_reference_amount.yaml"
    disabled = {
        "sex": "male",
        "birth_date": "1980-04-01",
        "is_disabled": True,
        "disability_category": 1,
        "disability_assessment_date": "2026-03-20",
    }
    asked = datetime.date(2027, 9, 1)
    decided = decide_claims(_system(tmp_path, (path, NOT_FOUND_2027)), [disabled], asked, ["disability"])
    paid = {month.month: month.periodical for month in decided.branches["disability"].payments(asked)[0].months}
    assert paid["2026-12"] == 1_080_000 and paid["2027-01"] is None and paid["2027-09"] is None
