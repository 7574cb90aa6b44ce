"""A projection's notes say what its method leaves out or changes: amounts in money held at their value in law,
one-off payments counted from the base month's events only, the base year reweighted to the projected population,
and the years a reform in force changes nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from openfisca_sp.population import simulate
from openfisca_sp.population.reading import read_table
from openfisca_sp.projection import Projection, demography, project, read_scenario
from openfisca_sp.projection.base_notes import base_year_note, pays_lump_sum
from openfisca_sp.rules.wording import count_text
from tests.projection.scenarios import SOURCE, write_scenario

HELD = "amounts fixed in the currency that the scenario does not index are held at their value in law"
ONE_OFF = "one-off payments (lump sums, birth grants) are due on their event's day"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("projection_notes")


@pytest.fixture(scope="module")
def later_reform(folder: Path) -> Projection:
    """A YAML reform whose value starts in 2029, in force from 2027: 2027 and 2028 compare the law with itself."""
    reform = folder / "from_2029.yaml"
    reform.write_text(
        "label: From 2029\njurisdiction: vnm\nreference: [{instrument: A test, article: Art 1}]\n"
        "parameters:\n  maternity.benefit_rate:\n    2029-01-01: 0.9\n",
        encoding="utf-8",
    )
    path = write_scenario(folder, "later.yaml", reform=str(reform), years={"first": 2026, "last": 2029})
    return project(read_scenario(path))


def _notes(projection: Projection, start: str) -> list[str]:
    return [note for note in projection.meta["notes"] if note.startswith(start)]


def test_amounts_in_money_not_indexed_are_named_once_as_held(later_reform: Projection) -> None:
    (note,) = _notes(later_reform, HELD)  # once, not once a year
    assert "in every year after 2026-10" in note
    assert "reference_amounts.base_salary" in note and "reference_amounts.social_assistance_standard" in note
    assert "poverty_line.rural" in note and "costs are understated" in note
    assert "maternity.benefit_rate" not in note  # a rate, not an amount


def test_an_indexed_amount_is_not_held_and_more_than_eight_are_counted(folder: Path) -> None:
    from openfisca_sp.population.engine import resolve_system
    from openfisca_sp.projection.held_amounts import held_amounts_note
    from openfisca_sp.reforms import load_reform

    indexed = {"parameter": "reference_amounts.base_salary", "index": "prices", "from": 2027, **SOURCE}
    plain = resolve_system("vnm")
    systems = [plain, load_reform("r202_social_pension", plain)]
    (all_held,) = held_amounts_note(read_scenario(write_scenario(folder, "held.yaml")), systems)
    assert all_held.count("reference_amounts.") == 6 and "poverty_line.urban" in all_held
    assert "social_pension.amount" not in all_held  # the 9th: 8 are named
    assert "reference_amounts.social_assistance_standard and 1 more." in all_held
    data = write_scenario(folder, "indexed.yaml", assumptions=_with_indexation(indexed))
    (note,) = held_amounts_note(read_scenario(data), systems)
    assert "reference_amounts.base_salary" not in note and "social_pension.amount" in note
    assert "more" not in note


def _with_indexation(item: dict) -> dict:
    from tests.projection.scenarios import scenario_text

    return {**scenario_text()["assumptions"], "indexation": [item]}


def test_lao_s_insured_wage_ceiling_is_held(folder: Path) -> None:
    from openfisca_sp.population.engine import resolve_system
    from openfisca_sp.projection.held_amounts import held_amounts_note

    (note,) = held_amounts_note(read_scenario("scenario:lao"), [resolve_system("lao")])
    assert ": insured_wage.ceiling. Wages grow" in note


def test_one_off_payments_count_the_base_month_s_events_and_the_others_are_counted(later_reform: Projection) -> None:
    """Only the claims that pay a lump sum are counted: an analyst's review found every dated old-age claim
    counted as an old-age lump sum ("counted 12 times: 300,900"), though the claims dated in 2026-10 are pensions
    granted, which pay none, and every birth counted as a birth grant."""
    (note,) = _notes(later_reform, ONE_OFF)
    assert "a year's are those due on the events the base table dates in 2026-10, times 12" in note
    assert "the 12 months from 2025-11 to 2026-10" in note
    results = simulate("sample:vnm", "2026-10", "vnm")  # the scenario's baseline: no indexation before 2027
    table = read_table("sample:vnm", ["old_age_claim_date", "child_birth_date"]).to_pandas()
    for code, column in (("old_age", "old_age_claim_date"), ("maternity", "child_birth_date")):
        (branch,) = (branch for branch in results.branches if branch.code == code)
        pays = pays_lump_sum(results.columns, branch)
        months = table[column].astype("datetime64[s]").dt.strftime("%Y-%m")
        dated = ((months >= "2025-11") & (months <= "2026-10")).to_numpy()
        year, inside = (results.weights[pays & mask].sum() for mask in (dated, (months == "2026-10").to_numpy()))
        assert 0 < year < results.weights[dated].sum()  # some claims dated in those months pay none
        label = f"{branch.label} ({', '.join(branch.lump_sums)})"
        counted = (
            f"{count_text(year)} claims paying one, {count_text(year - inside)} outside 2026-10 and "
            f"{count_text(inside)} in it"
        )
        assert f"{label}: {counted} (counted 12 times: {count_text(12 * inside)})" in note
    assert "Old-age pension (old_age_lump_sum): 15,045 claims paying one, 15,045 outside 2026-10 and 0 in it" in note


def test_the_base_year_s_population_is_the_projected_one_not_the_table_s(later_reform: Projection) -> None:
    table = read_table("sample:vnm", ["weight"]).column("weight").to_numpy().sum()
    projected = demography("vnm").population(2026).sum()
    (note,) = _notes(later_reform, "the base year 2026 is reweighted")
    assert f"{count_text(projected)} persons against the base table's {count_text(table)}" in note
    assert "differ from openfisca-sp compare's on the same table and month" in note
    assert round(projected) != round(table)


def test_years_a_reform_in_force_changes_nothing_are_noted_as_compare_notes_them(later_reform: Projection) -> None:
    years = later_reform.years.set_index(["year", "side"])
    assert years.loc[(2027, "reform"), "reform_in_force"] and years.loc[(2028, "reform"), "reform_in_force"]
    notes = later_reform.meta["notes"]
    assert (
        "none of the reform's values is in force in 2027-10 and the same month of every year to 2028: the first "
        "starts on 2029-01-01, so every change is 0"
    ) in notes
    assert any(
        note.startswith("the reform changes no one's result in 2027-10 and the same month of every year to 2028:")
        for note in notes
    )
    assert not any("2029-10" in note for note in notes if "the reform changes no one's result" in note)


def test_yearly_notes_are_merged_with_their_months() -> None:
    from openfisca_sp.projection.reform_years import merged

    notes = [
        "the reform changes no one's result in 2030-10: every person's result in every branch is the same",
        "a note",
        "the reform changes no one's result in 2031-10: every person's result in every branch is the same",
        "the reform changes no one's result in 2033-10: every person's result in every branch is the same",
    ]
    assert merged(notes) == [
        "the reform changes no one's result in 2030-10, 2031-10, 2033-10: every person's result in every branch is "
        "the same",
        "a note",
    ]
    assert merged(notes[:3]) == [
        "the reform changes no one's result in 2030-10 and the same month of every year to 2031: every person's "
        "result in every branch is the same",
        "a note",
    ]


def test_years_whose_reform_changes_a_benefit_the_totals_leave_out_say_their_difference_is_not_its_cost(
    folder: Path,
) -> None:
    """Tajikistan's maternity benefit under tjk_maternity_c183 (modelled by the reform only) on a table of mothers:
    the totals cover old age alone (no one old enough), 0 on both sides, which read as a reform costing nothing."""
    from openfisca_sp.report.projection import coverage_notes
    from tests.population.fixtures import mothers_table

    table = folder / "mothers.csv"
    mothers = mothers_table({"T1": 3000, "T2": 1500}, {"T1": "2026-10-11", "T2": "2026-07-01"}, {"T1": 2, "T2": 3})
    # a girl and a boy: every age group projected then has a younger group of its sex to stand in for it
    children = pd.DataFrame(
        {"person_id": ["C1", "C2"], "household_id": ["HC1", "HC2"], "weight": 1.0, "birth_date": "2024-01-01"}
        | {"sex": ["female", "male"], "contribution_months": 0, "income": 0.0, "number_of_children_born": 0}
        | {"pregnancy_outcome": "none"}
    )
    wages = {name: 0.0 for name in mothers.columns if name.startswith("insured_wage.")}
    pd.concat([mothers, children.assign(**wages)], ignore_index=True).to_csv(table, index=False)
    path = write_scenario(
        folder,
        "mothers.yaml",
        jurisdiction="tjk",
        population=str(table),
        reform="tjk_maternity_c183",
        years={"first": 2026, "last": 2027},
    )
    data = project(read_scenario(path)).to_dict()
    left_out = {row["year"]: row["changes_left_out"] for row in data["years"] if row["side"] == "reform"}
    assert left_out == {2026: [], 2027: ["maternity"]}  # the reform is in force from 2027
    assert (
        "2027: the reform changes Maternity benefit, left out of the totals: the difference between the sides' "
        "totals is not the reform's cost, which is not modelled"
    ) in coverage_notes(data)


def test_a_history_month_no_year_states_is_one_note_with_its_months(tmp_path: Path) -> None:
    """A review as an analyst: the sample's history ends the month before its base month, so every year's month
    lacked its insured wage and a 30-year projection of Viet Nam printed 30 notes ("insured_wage.2027-10 not given:
    no contributions that month for every person ...", one per year) that differ only in the year."""
    notes = project(write_scenario(tmp_path, years={"first": 2026, "last": 2028})).to_dict()["meta"]["notes"]
    said = [note for note in notes if note.startswith("insured_wage.")]
    assert len(said) == 1
    assert said[0].startswith(
        "insured_wage.2026-10 and the same month of every year to 2028 not given: no contributions that month"
    )


def test_the_base_year_s_populations_are_weighted_counts_with_their_decimals() -> None:
    """An analyst's review: a weighted count read as a whole number (Lao PDR's sample weighs 372.15 a person, the
    projected population of a group is a fraction of the UN's): a count is written as simulate writes one."""
    note = base_year_note(2026, 7_443_000.000000001, 2_362_448.5513780825)
    assert "2,362,448.55 persons against the base table's 7,443,000, so" in note


def test_a_poverty_line_the_law_sets_anew_is_said_in_its_year() -> None:
    """Viet Nam's rural headcount rises from 12.7% to 19.4% in 2027 (a review read it as an artefact): Decree
    351/2025 raises the line from VND 1,500,000 to 2,200,000 a month that year. The note says so, with the
    instrument; a table stating each person's area has both lines' notes; years before the change have none."""
    from dataclasses import replace

    from openfisca_sp.population.engine import resolve_system
    from openfisca_sp.projection.line_changes import line_change_notes

    scenario, law = read_scenario("scenario:vnm"), resolve_system("vnm").parameters
    (rural,) = line_change_notes(scenario, law, ["rural"], "VND", 0)
    assert rural.startswith("the rural poverty line is the law's VND 2,200,000 a month in 2027 (VND 1,500,000 the")
    assert "Decree No. 351/2025/ND-CP" in rural and "2027's poverty headcount is measured against it" in rural
    by_area = line_change_notes(scenario, law, ["by area"], "VND", 0)
    assert [note.split(" poverty line")[0] for note in by_area] == ["the rural", "the urban"]
    assert "VND 2,800,000 a month in 2027 (VND 2,000,000 the year before" in by_area[1]
    assert line_change_notes(replace(scenario, last_year=2026), law, ["rural"], "VND", 0) == []
    assert line_change_notes(scenario, law, [None, "not a line"], "VND", 0) == []
