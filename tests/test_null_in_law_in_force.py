"""Whether the law in force already provides a social pension the baseline does not model, NOT FOUND
(``social_pension.in_law_in_force``, a reform's note: docs/drafting.md §2): the social pension is not modelled where
that is not known, never "not provided by law", never a baseline of 0.

Each test writes a drafter's copy of Tajikistan's R202 proposal (``reforms/r202_social_pension/tjk.yaml``): the
reform provides no social pension in 2025 (``provided: false``), one from 2026, and whether the law in force provides
one is NOT FOUND from 2025 (or, to compare, stated false).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from openfisca_sp import tax_benefit_system
from openfisca_sp.analysis import compare
from openfisca_sp.analysis.in_law import in_law_notes, in_law_unmodelled
from openfisca_sp.decisions.claims import decide_claims
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.population import simulate
from openfisca_sp.population.outputs import branches_of
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.verification import EVERY_PART, verification
from openfisca_sp.synthetic import generate
from reforms.r202_social_pension import PARAMETERS, r202_social_pension

NOT_FOUND = """    2025-01-01:
      value: null
      metadata:
        note: NOT FOUND - whether the state social pensions continue in 2025 was not found (a drafter's test)
"""
STATED_FALSE = """    2025-01-01:
      value: false
      metadata:
        status: unverified
        reference:
          - instrument: Law No. 99 of 2024 (a drafter's test)
            article: Art 1, the state social pensions abolished
            href: https://example.org/law99
"""
OLD_MAN = {"sex": "male", "birth_date": "1950-01-01", "contribution_months": 0}


def _reform(tmp_path: Path, in_law_2025: str):
    """Tajikistan's R202 proposal, none provided in 2025, with ``in_law_2025`` appended to ``in_law_in_force``."""
    head, tail = (PARAMETERS / "tjk.yaml").read_text(encoding="utf-8").split("\nprovided:\n", 1)
    tail = tail.replace("    2026-01-01: true", "    2025-01-01: false\n    2026-01-01: true", 1)
    (tmp_path / "tjk.yaml").write_text(f"{head}\n{in_law_2025}provided:\n{tail}", encoding="utf-8")
    drafted = type("r202_social_pension", (r202_social_pension,), {"proposals": tmp_path})
    return load_reform(drafted, tax_benefit_system("tjk"))


def _decided(reform, day: str) -> tuple[Outcome, int]:
    """The outcome of an old man's social pension claim on ``day``, and its reason (an index of Reason)."""
    decided = decide_claims(reform, [OLD_MAN], datetime.date.fromisoformat(day), ["social_pension"])
    social_pension = decided.branches["social_pension"]
    return Outcome(social_pension.outcome[0]), int(social_pension.reason[0])


def test_a_social_pension_in_law_not_found_is_not_modelled_not_absent_from_the_law(tmp_path: Path) -> None:
    """In 2025 the reform provides none; whether the law in force does is not known: not modelled, not "not
    provided by law"; from 2026 the reform's own rule decides."""
    reform = _reform(tmp_path, NOT_FOUND)
    assert _decided(reform, "2025-06-01") == (Outcome.not_modelled, Reason.not_modelled.index)
    assert _decided(reform, "2026-10-01")[0] == Outcome.eligible


def test_a_social_pension_the_law_in_force_does_not_provide_is_not_provided(tmp_path: Path) -> None:
    reform = _reform(tmp_path, STATED_FALSE)
    assert _decided(reform, "2025-06-01") == (Outcome.not_provided_by_law, Reason.not_provided_by_law.index)
    listed = verification(reform, datetime.date(2025, 6, 1)).not_modelled
    assert not [part for part in listed if part.branch == "social_pension"]


def test_verification_lists_the_social_pension_whose_provision_in_law_was_not_found(tmp_path: Path) -> None:
    listed = verification(_reform(tmp_path, NOT_FOUND), datetime.date(2025, 6, 1)).not_modelled
    assert [(part.part, part.missing) for part in listed if part.branch == "social_pension"] == [
        (EVERY_PART, (("in_law_in_force",),))
    ]


def test_a_population_s_social_pension_in_law_not_found_is_not_modelled(tmp_path: Path) -> None:
    """The population engine says what ``/eligibility`` says: not modelled, no cost of 0."""
    reform = _reform(tmp_path, NOT_FOUND)
    results = simulate(generate("tjk", 300, "2025-06", seed=3), "2025-06", reform)
    reasons = np.asarray(results.columns["social_pension_ineligibility_reason"])
    assert (reasons == Reason.not_modelled.index).all()
    row = results.totals().set_index("branch").loc["social_pension"]
    assert not row["amount_modelled"] and pd.isna(row["cost"])


def test_a_comparison_reads_a_baseline_in_law_not_found_as_not_modelled(tmp_path: Path) -> None:
    """From 2025 the baseline's social pension may or may not exist: not modelled, never 0, and the note says why."""
    reform = _reform(tmp_path, NOT_FOUND)
    branches = {"baseline": branches_of(tax_benefit_system("tjk")), "reform": branches_of(reform)}
    assert in_law_unmodelled(branches, reform, "2026-10") == ["social_pension"]
    assert in_law_unmodelled(branches, reform, "2024-10") == ["social_pension"]  # in law then (the shipped value)
    (note,) = in_law_notes(branches, reform, "2026-10")
    assert "whether the law in force provides such a benefit was NOT FOUND (social_pension.in_law_in_force)" in note
    assert "already provides" not in note and note.endswith("may overstate the change")
    row = compare("sample:tjk", "2026-10", reform, "tjk").branches.set_index("branch").loc["social_pension"]
    assert pd.isna(row["baseline_cost"]) and pd.isna(row["cost_change"]) and row["reform_cost"] > 0
