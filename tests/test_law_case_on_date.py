"""Law cases read the rules in force on their event's day, as /eligibility does (openfisca_sp.rules.law_case_on_date).

A law case of October 2026 assessing a disability on the 20th read the rules of 1 October (Decree 20/2021: paid from
the certificate's month) where /eligibility read those of the 5th (Decree 335/2026/ND-CP, in force that day: paid
from the month of the commune chairman's decision): the case and the engine disagreed on the same facts."""

from __future__ import annotations

import datetime

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions import decide_claims
from openfisca_sp.rules.law_case_on_date import law_case_simulation

VNM = tax_benefit_system("vnm")
DATES = {"disability_certificate_date": "2026-10-22", "disability_decision_date": "2026-11-03"}


def _first_day(situation: dict, period: str = "2026-10") -> list[str]:
    simulation = law_case_simulation(VNM, period, situation)
    return [str(day) for day in simulation.calculate("disability_benefit_first_day", period)]


def test_a_case_reads_the_rules_of_its_event_s_day_as_eligibility_does() -> None:
    for day, expected in (("2026-10-20", "2026-11-01"), ("2026-10-03", "2026-10-01"), ("2026-10-05", "2026-11-01")):
        assert _first_day({"event_date": day, **DATES}) == [expected], day
        person = {"birth_date": "1980-04-01", "is_disabled": True, "disability_category": 1}
        record = {**person, **DATES, "disability_assessment_date": day}
        decided = decide_claims(VNM, [record], datetime.date(2026, 12, 1), ["disability"]).branches["disability"]
        assert [str(day) for day in decided.start] == [expected], day


def test_a_case_without_one_event_day_in_its_month_reads_the_rules_of_the_month_s_first_day() -> None:
    assert _first_day(DATES) == ["2026-10-01"]  # no event_date: the 1st, Decree 20/2021's certificate month
    persons = {"persons": {"a": {"event_date": "2026-10-20", **DATES}, "b": {"event_date": "2026-10-25", **DATES}}}
    assert _first_day(persons) == ["2026-10-01", "2026-10-01"]  # two days: one simulation cannot read both
    assert _first_day({"event_date": "2026-11-20", **DATES}) == ["2026-11-01"]  # a later month's: 1 October's rules
