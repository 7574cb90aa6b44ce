"""A dated claim reads the facts the rules of its event's day read, as /eligibility decides it.

Viet Nam's disability allowance is paid from the month the commune chairman signs the decision from 5 October 2026
(Decree 335/2026/ND-CP Art 8(2)), from the certificate's month before (Decree 20/2021/ND-CP Art 8(1)(đ)). The
population decided an assessment of 20 October with the rules of the 5th, but read the table's columns as the rules
of 1 October read them: the decision's date (and the certificate's, which no output traced) was never read, and the
allowance was paid from the assessment's month where /eligibility paid from the decision's."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.population import simulate

VNM = tax_benefit_system("vnm")
ASSESSED = ["2026-10-20", "2026-10-03", "2026-09-20"]
OTHERS = {"sex": "female", "contribution_months": 0, "career_average_insured_wage": 0, "is_available_for_work": False}
OTHERS |= {"number_of_children_born": 0, "pregnancy_outcome": "none", "separation_reason": "not_separated"}


@pytest.mark.parametrize("month", ["2026-10", "2026-11"])
def test_the_first_day_paid_is_the_one_eligibility_gives(month: str) -> None:
    dates = {"disability_certificate_date": "2026-10-22", "disability_decision_date": "2026-11-03"}
    person = {"birth_date": "1980-04-01", "is_disabled": True, "disability_category": 1}
    records = [{**person, **dates, "disability_assessment_date": day} for day in ASSESSED]
    asked = datetime.date.fromisoformat(f"{month}-01")
    decided = decide_claims(VNM, records, asked, ["disability"]).branches["disability"]
    assert [str(day) for day in decided.start] == ["2026-11-01", "2026-10-01", "2026-10-01"]
    table = pd.DataFrame(records).assign(person_id=[1, 2, 3], household_id=[1, 2, 3], is_household_head=True)
    window = np.arange(np.datetime64(month) - 24, np.datetime64(month), dtype="datetime64[M]").astype(str)
    results = simulate(table.assign(**{f"insured_wage.{each}": 0 for each in window}), month, VNM, assume=OTHERS)
    assert results.columns["disability_benefit_start"].astype(str).tolist() == [str(day) for day in decided.start]
