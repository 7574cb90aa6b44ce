"""The Python API's less used entry points refuse what they cannot read, in words, before any work: a hunt as an
analyst and a delivery system's developer would call them (stop 79). Each case failed in Python's or a library's
words, or was taken and gave a wrong answer in silence."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.calibration import calibrate, official_figures, shipped_table
from openfisca_sp.compliance import compliance
from openfisca_sp.decisions import decide_claims
from openfisca_sp.report import render_report
from openfisca_sp.synthetic import sample_path

AS_OF = datetime.date(2024, 6, 1)
PERSON = {"sex": "female", "birth_date": datetime.date(1960, 1, 1), "contribution_months": 200}


def test_a_record_naming_no_fact_is_refused_with_the_closest_one() -> None:
    """``sexe`` was dropped in silence: the decision then said the sex was missing."""
    lao = tax_benefit_system("lao")
    with pytest.raises(ValueError, match=r"unknown fact 'sexe' \(record 1; did you mean 'sex'\?\)"):
        decide_claims(lao, [PERSON, {**PERSON, "sexe": "male"}], AS_OF)
    with pytest.raises(TypeError, match="record 0 is a mapping of fact names to values, not str"):
        decide_claims(lao, ["female"], AS_OF)
    copied = {**PERSON, "identifier": "p1", "household_identifier": "h1", "relationship_head": "self"}
    decided = decide_claims(lao, [PERSON, copied], AS_OF, ["old_age"]).branches["old_age"]  # as /eligibility reads
    assert decided.outcome[0] == decided.outcome[1]


def test_an_unknown_branch_is_refused_with_the_branches() -> None:
    """``KeyError: 'old_ages'`` said nothing of the branches there are."""
    with pytest.raises(ValueError, match=r"unknown branch 'old_ages'; did you mean 'old_age'\?; the branches: old_age"):
        decide_claims(tax_benefit_system("lao"), [PERSON], AS_OF, ["old_ages"])


def test_the_compliance_report_takes_a_code_alone_and_a_date_as_text() -> None:
    """``compliance("lao")`` was read as the codes 'l', 'a', 'o'; ``date="2026-01-01"`` raised "'str' object has no
    attribute 'isoformat'"."""
    day = datetime.date(2026, 1, 1)
    alone = compliance("lao", "2026-01-01")
    assert alone == compliance(["lao"], day)
    assert [item.code for item in alone.jurisdictions] == ["lao"]
    with pytest.raises(ValueError, match=r"date must be a day, a datetime\.date or YYYY-MM-DD, not '2026-13-01'"):
        compliance("lao", "2026-13-01")


def test_a_report_is_of_a_comparison() -> None:
    """A ``Comparison`` raised "'Comparison' object has no attribute 'get'"; ``{}`` made a report of nothing."""
    comparison = compare(sample_path("lao"), "2026-10", "r202_social_pension")
    assert render_report(comparison) == render_report(comparison.to_dict())
    with pytest.raises(ValueError, match=r"this one has no 'meta' and no 'branches'"):
        render_report({})
    with pytest.raises(TypeError, match=r"a report is of a comparison .*, not list"):
        render_report([])


def test_a_missing_table_is_told_missing_before_its_jurisdiction_is_asked(tmp_path: Path) -> None:
    """A path that does not exist was told "give the jurisdiction whose official figures …"."""
    with pytest.raises(ValueError, match=r"absent\.parquet: no such file or directory"):
        calibrate(tmp_path / "absent.parquet")


def test_the_official_figures_of_an_unknown_jurisdiction_are_refused() -> None:
    """``official_figures("xx")`` and ``shipped_table("xx")`` answered none, as for a jurisdiction without figures."""
    assert official_figures("lao") and shipped_table("ilo_c102") is None  # a jurisdiction with no sample: none
    for call in (official_figures, shipped_table):
        with pytest.raises(KeyError, match="unknown jurisdiction 'xx'; known jurisdictions: ilo_c102, lao"):
            call("xx")


def test_a_schedule_is_asked_on_a_day_in_a_currency_s_decimals() -> None:
    """``payments(None)`` was read as no day and said "payable"; 2.5 decimals were taken and 10**6 overflowed."""
    mother = {**PERSON, "birth_date": datetime.date(1990, 1, 1), "child_birth_date": datetime.date(2024, 5, 10)}
    mother |= {"pregnancy_outcome": "live_birth", "number_of_children_born": 1}
    maternity = decide_claims(tax_benefit_system("vnm"), [mother], AS_OF, ["maternity"]).branches["maternity"]
    assert maternity.payments("2024-06-01") == maternity.payments(AS_OF) == maternity.payments(np.datetime64(AS_OF))
    for as_of in (None, "2024-13-01", np.datetime64("NaT")):
        with pytest.raises(ValueError, match=r"as_of must be a day, a datetime\.date or YYYY-MM-DD"):
            maternity.payments(as_of)
    for decimals in (-1, 2.5, 10**6):
        with pytest.raises(ValueError, match=r"decimals must be a whole number, from 0 to 4 \(a currency's decimals\)"):
            maternity.payments(AS_OF, decimals)


@pytest.mark.parametrize(
    ("stated", "told"),
    [
        ({"sex": "robot"}, "record 0: 'robot' of 'sex' is not one of its names (one of: male, female)"),
        ({"contribution_months": -5}, "record 0: '-5' of 'contribution_months' is below 0"),
        ({"contribution_months": 2.5}, "record 0: 2.5 of 'contribution_months' is not a whole number"),
        ({"contribution_months": 10**30}, "beyond what the rules hold for it (held as int32"),
        ({"birth_date": "1850-01-01"}, "is outside the calendar the rules are asked in (1900-01-01 to 2199-12-31)"),
        ({"insured_wage": {"2024-13": 5}}, "record 0: '2024-13' of 'insured_wage' is not a month, YYYY-MM"),
        ({"is_disabled": "yes"}, "record 0: 'yes' of 'is_disabled' is not true or false"),
        ({"sex": {"2024-01": "male"}}, "record 0: 'sex' is one value for life, not month by month"),
    ],
)
def test_a_record_s_values_are_checked_as_a_claim_case_s(stated: dict, told: str) -> None:
    """A hunt (stop 79): ``contribution_months: -5`` and ``2.5`` were taken, ``sex: robot`` and a month ``2024-13``
    failed in openfisca-core's words, ``10**30`` in NumPy's; the claim cases' checks (``check``) now serve both."""
    with pytest.raises(ValueError, match=re.escape(told)):
        decide_claims(tax_benefit_system("lao"), [{**PERSON, **stated}], AS_OF)
