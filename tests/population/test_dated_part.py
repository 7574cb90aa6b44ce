"""What a chunk keeps for the claims decided again on their days: the rows of its dated claims, by the month of
their household's earliest claim (one simulation a month then reads its persons in runs), each household's
members together and in the table's order, with their inputs."""

from __future__ import annotations

import numpy as np

from openfisca_sp import tax_benefit_system
from openfisca_sp.population.chunks import _dated_part
from openfisca_sp.population.inputs import PopulationInputs

NAT = np.datetime64("NaT", "D")


def _day(text: str | None) -> np.datetime64:
    return NAT if text is None else np.datetime64(text, "D")


def test_a_chunks_dated_claims_are_kept_by_their_households_earliest_month():
    household_of = np.array([0, 0, 1, 1, 2, 3])
    part = PopulationInputs(
        count=6,
        person_ids=np.arange(6),
        household_of=household_of,
        household_ids=np.array([10, 11, 12, 13]),
        is_head=np.array([True, False, True, False, True, True]),
        weights=np.ones(6),
        inputs={("contribution_months", "2026-10"): np.arange(6, dtype=np.int32) * 10},
    )
    old_age = ["2026-03-05", None, None, "2026-09-01", "2025-09-15", None]
    maternity = [None, None, "2025-06-10", None, None, None]
    chunk = [
        {
            "old_age_pension_claim_date": np.array([_day(day) for day in old_age]),
            "maternity_benefit_claim_date": np.array([_day(day) for day in maternity]),
        }
    ]
    rows, inputs = _dated_part([tax_benefit_system("vnm")], chunk, part, start=100)
    # household 1 (June 2025: its second member's claim is later, it comes with it), 2 (September 2025), 0
    np.testing.assert_array_equal(rows, [102, 103, 104, 100])
    np.testing.assert_array_equal(inputs[("contribution_months", "2026-10")], [20, 30, 40, 0])


def test_a_chunk_without_dated_claims_keeps_nothing():
    part = PopulationInputs(
        count=2,
        person_ids=np.arange(2),
        household_of=np.array([0, 1]),
        household_ids=np.array([5, 6]),
        is_head=np.array([True, True]),
        weights=np.ones(2),
        inputs={("contribution_months", "2026-10"): np.array([1, 2], dtype=np.int32)},
    )
    chunk = [{"old_age_pension_claim_date": np.array([NAT, NAT])}]
    rows, inputs = _dated_part([tax_benefit_system("vnm")], chunk, part, start=0)
    assert len(rows) == 0 and len(inputs[("contribution_months", "2026-10")]) == 0
