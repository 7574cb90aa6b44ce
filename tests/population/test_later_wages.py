"""A wage of a month after the month evaluated: the population engine decides the table as it would without it and
says so in the results' notes; ``/eligibility`` refuses it (a claim's record is of its date: a wage not yet earned
contradicts it). A table evaluated at many months (a projection's, an analyst's own reused for an earlier month)
holds such months as a matter of course; docs/population.md says why the two differ. ``/eligibility``'s refusal is
tested in tests/api/test_claims.py ("a wage of a month to come") and tests/api/test_http_input.py."""

from __future__ import annotations

from openfisca_sp.cli import main
from openfisca_sp.population import simulate
from tests.population.test_hand_checked_table import MONTH, _viet_nam

LATER = ("insured_wage.2026-11", "insured_wage.2027-03")


def test_later_wages_are_not_read_and_the_results_say_so():
    """The hand-checked Viet Nam table in October 2026, with wages of November 2026 and March 2027 of 50,000,000
    dong for everyone: every result is that of the table without them, and a note names the months not read."""
    plain = simulate(_viet_nam(), MONTH, "vnm")
    later = simulate(_viet_nam().assign(**dict.fromkeys(LATER, 50e6)), MONTH, "vnm")
    assert later.to_frame().equals(plain.to_frame())
    assert later.totals().equals(plain.totals())
    notes = [note for note in later.assumptions if note.startswith("insured_wage of months after 2026-10")]
    assert notes == [
        "insured_wage of months after 2026-10 not read (2 months, 2026-11 to 2027-03): a decision in 2026-10 reads "
        "the wages before it, so their values change nothing (/eligibility refuses a wage of a month after the date "
        "asked)"
    ]
    assert not [note for note in plain.assumptions if "after 2026-10" in note]


def test_simulate_prints_the_note(tmp_path, capsys):
    table = tmp_path / "later.csv"
    _viet_nam().assign(**{LATER[0]: 1.0}).to_csv(table, index=False)
    assert main(["simulate", str(table), "--month", MONTH, "--jurisdiction", "vnm"]) == 0
    assert "note: insured_wage of months after 2026-10 not read (2026-11)" in capsys.readouterr().err
