"""A projection's notes say what its method leaves out or changes: amounts in money held at their value in law,
one-off payments counted from the base month's events only, the base year reweighted to the projected population,
and the years a reform in force changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from openfisca_sp.projection import Projection, project, read_scenario
from tests.projection.scenarios import SOURCE, write_scenario

HELD = "amounts fixed in the currency that the scenario does not index are held at their value in law"


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
