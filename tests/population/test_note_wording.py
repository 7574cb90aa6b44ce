"""An analyst's review of what errors and notes say: a count's noun and pronoun agree with it, an amount is written to
the currency's unit, and a note of claims not modelled names only the cases its own rows have."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from openfisca_sp.analysis import compare
from openfisca_sp.population import PopulationError, simulate
from openfisca_sp.population.claims_notes import CASES, CLAIMS_NOT_MODELLED, claims_note
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.synthetic import generate
from tests.population.fixtures import person_table

MONTH = "2026-10"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return person_table(300, MONTH, seed=7)


def _refusal(table: pd.DataFrame, jurisdiction: str) -> str:
    with pytest.raises(PopulationError) as raised:
        simulate(table, MONTH, jurisdiction)
    return str(raised.value)


def test_a_missing_column_is_it_and_two_are_them(table):
    """The review: "missing column 'is_disabled': the rules read them"."""
    one = _refusal(table.drop(columns="is_disabled"), "vnm")
    assert "missing column 'is_disabled': the rules read it at this month" in one
    two = _refusal(table.drop(columns=["is_disabled", "sex"]), "vnm")
    assert "missing columns 'is_disabled', 'sex': the rules read them at this month" in two


def test_a_column_only_a_dated_claim_reads_is_said_in_the_singular(table):
    """A registration in 2026-05 reads the wages of the 24 months before it: the table's history starts in 2024-06,
    so one month's column is missing, read by one claim's month and one date column."""
    dated = table.copy()
    dated.loc[3, "unemployment_registration_date"] = pd.Timestamp("2026-05-15")
    message = _refusal(dated, "lao")
    assert message.startswith(
        "missing column 'insured_wage.2024-05': the claims dated in other months than the one evaluated read it "
        "(unemployment_registration_date in 2026-05)"
    )
    assert message.endswith("Give that month's column, or check that date")


def test_a_file_of_a_directory_missing_two_columns_says_columns(table, tmp_path):
    table.iloc[:150].to_parquet(tmp_path / "part-0.parquet", index=False)
    table.iloc[150:].drop(columns=["sex", "birth_date"]).to_parquet(tmp_path / "part-1.parquet", index=False)
    assert "part-1.parquet: missing columns 'birth_date', 'sex'" in _refusal(tmp_path, "lao")


def test_what_the_others_are_paid_is_written_to_the_diram():
    """Tajik amounts are to the diram (TJS 2 decimals, as simulate prints them): the note wrote a whole number."""
    table = generate("tjk", 1500, "2024-03", seed=7)  # each row one person: the sum keeps each pension's dirams
    table = table.set_column(table.schema.get_field_index("weight"), "weight", pa.array(np.ones(table.num_rows)))
    results = simulate(table, "2024-03")
    columns = results.columns
    priced = columns["old_age_pension_eligible"].astype(bool) & columns["old_age_pension_amount_modelled"]
    others = float(np.dot(results.weights[priced], columns["old_age_pension"][priced]))
    assert round(others) != round(others, 2)  # some dirams
    note = results.totals().set_index("branch").loc["old_age", "note"]
    assert note.endswith(f"what the others are paid is {others:,.2f}")


def test_a_note_of_claims_not_modelled_names_only_its_own_cases():
    """A Tajik row said "as a pregnancy loss in Viet Nam", and Viet Nam's old-age row did too, though its claims not
    modelled are reduced pensions of a loss of working capacity."""
    results = simulate("sample:vnm", MONTH)
    vnm = results.totals().set_index("branch")["note"]
    assert vnm["old_age"] == claims_note([CASES[Reason.reduced_capacity_pension_not_modelled]])
    year = results.cost_over_year().set_index("branch")["note"]  # the year's note names its months' cases
    assert year["old_age"].startswith(claims_note([CASES[Reason.reduced_capacity_pension_not_modelled]]))
    assert vnm["maternity"] == claims_note([CASES[Reason.outcome_not_modelled]])
    tjk = simulate(generate("tjk", 1500, "2013-03", seed=3), "2013-03").totals().set_index("branch")["note"]
    assert tjk["old_age"].startswith(claims_note([CASES[Reason.not_modelled]]))
    maternity = compare("sample:tjk", MONTH, "tjk_maternity_c183").branches.set_index("branch").loc["maternity", "note"]
    assert maternity.startswith(f"{CLAIMS_NOT_MODELLED} in the reform (")
    for note in (*vnm.dropna(), tjk["old_age"], maternity):
        assert "Viet Nam" not in note and "as a pregnancy loss" not in note


@pytest.mark.parametrize(("source", "month"), [("sample:vnm", MONTH), ("tjk", "2013-03")])
def test_compare_s_rows_say_the_claims_not_modelled_that_simulate_s_rows_say(source, month):
    """compare's branch rows said nothing of the claims left out where simulate's rows did (only a note beside)."""
    table = source if source.startswith("sample:") else generate(source, 1500, month, seed=3)
    said = simulate(table, month).totals().set_index("branch")["note"]
    rows = compare(table, month, "r202_social_pension").branches.set_index("branch")["note"]
    claims = [code for code, note in said.items() if isinstance(note, str) and note.startswith(CLAIMS_NOT_MODELLED)]
    assert claims
    for code in claims:
        simulated = said[code].split(": beneficiaries and cost leave them out")[0]
        assert rows[code].startswith(simulated)
