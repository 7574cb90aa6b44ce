"""A null on a name the law may leave out (a cap, a ceiling, a birth grant): docs/drafting.md §2.

A null citing the law that ends the rule reads as the name's documented absence ("no maximum", "no ceiling", "no
grant of this kind"); a null whose note says the source was NOT FOUND makes the part of the result that reads the
name not modelled (no amount, ``amount_modelled`` false, listed by ``verification``), never 0. Each test appends a
drafter's null to a copy of Viet Nam's parameters.
"""

from __future__ import annotations

import datetime
import math
import shutil
from pathlib import Path

import pytest

from openfisca_sp.decisions.claims import decide_claims
from openfisca_sp.population import simulate
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.null_values import source_not_found
from openfisca_sp.rules.system import SocialProtectionSystem
from openfisca_sp.rules.verification import verification
from openfisca_sp.synthetic import generate

MAXIMUM = "unemployment/maximum/regional_minimum_wage.yaml"
CEILING = "unemployment/reference_wage/ceiling/regional_minimum_wage.yaml"
BIRTH_GRANT = "maternity/birth_grant/reference_amount_multiple/base_salary.yaml"
ENDED = """
  2027-07-01:
    value: null
    metadata:
      reference:
        - instrument: Law No. 99/2027/QH15 (a drafter's test)
          article: Art 3
          href: https://example.org/law99
"""
NOT_FOUND = """
  2027-07-01:
    value: null
    metadata:
      note: NOT FOUND - the 2027 amending law changes the rule; its text was not found (a drafter's test)
"""
RATE_2027 = """
  2027-07-01:
    value: 0.65
    metadata:
      status: unverified
      reference:
        - instrument: Law No. 99/2027/QH15 (a drafter's test)
          article: Art 39(1)
          href: https://example.org/law99
"""


def _system(tmp_path: Path, *changes: tuple[str, str]) -> SocialProtectionSystem:
    """Viet Nam's rules with ``changes`` (file, dated values) appended to a copy of its parameters."""
    folder = tmp_path / "vnm"
    shutil.copytree(jurisdictions.get("vnm").parameters_dir, folder)
    for name, text in changes:
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text.lstrip("\n"), encoding="utf-8")
    return SocialProtectionSystem(jurisdictions.read_jurisdiction(folder))


def _unemployed(wage: float, registered: str) -> dict:
    """A man dismissed on the eve of ``registered``, 24 months insured at ``wage`` before it, in region I."""
    day = datetime.date.fromisoformat(registered)
    months = [(day.year * 12 + day.month - 2 - back) for back in range(24)]
    return {
        "birth_date": "1985-01-01",
        "sex": "male",
        "is_available_for_work": True,
        "separation_reason": "dismissal",
        "unemployment_registration_date": registered,
        "employment_end_date": str(day - datetime.timedelta(days=10)),
        "contribution_months": 48,
        "minimum_wage_region": 1,
        "insured_wage": {f"{month // 12}-{month % 12 + 1:02d}": wage for month in months},
    }


def _unemployment(system: SocialProtectionSystem, wage: float, registered: str) -> tuple[float, bool]:
    asked = datetime.date.fromisoformat(registered) + datetime.timedelta(days=5)
    decided = decide_claims(system, [_unemployed(wage, registered)], asked, ["unemployment"]).branches["unemployment"]
    assert decided.outcome.tolist() == [decided.outcome[0]] and decided.reason[0] == 0, decided.reason
    return float(decided.amount[0]), bool(decided.amount_modelled[0])


def _mother(born: str) -> dict:
    day = datetime.date.fromisoformat(born)
    months = [(day.year * 12 + day.month - 2 - back) for back in range(12)]
    return {
        "birth_date": "1994-09-30",
        "sex": "female",
        "contribution_months": 30,
        "pregnancy_outcome": "live_birth",
        "child_birth_date": born,
        "number_of_children_born": 1,
        "insured_wage": {f"{month // 12}-{month % 12 + 1:02d}": 3_000_000 for month in months},
    }


def _maternity(system: SocialProtectionSystem, born: str, wage: float) -> tuple[float, bool]:
    mother = _mother(born)
    mother["insured_wage"] = dict.fromkeys(mother["insured_wage"], wage)
    asked = datetime.date.fromisoformat(born) + datetime.timedelta(days=5)
    decided = decide_claims(system, [mother], asked, ["maternity"]).branches["maternity"]
    return float(decided.amount[0]), bool(decided.amount_modelled[0])


def _birth_grant(system: SocialProtectionSystem, born: str) -> float:
    asked = datetime.date.fromisoformat(born) + datetime.timedelta(days=5)
    decided = decide_claims(system, [_mother(born)], asked, ["maternity"]).branches["maternity"]
    assert bool(decided.amount_modelled[0])  # the periodical benefit is not touched
    return float(decided.lump_sums["birth_grant"][0])


def _not_modelled(system: SocialProtectionSystem, day: str) -> dict[tuple[str, str], tuple[tuple[str, ...], ...]]:
    listed = verification(system, datetime.date.fromisoformat(day)).not_modelled
    return {(part.branch, part.part): part.missing for part in listed}


def test_a_maximum_a_law_ended_is_no_maximum(tmp_path: Path) -> None:
    """Art 50(1)'s cap of 5 minimum wages, abolished from 2027-07-01: 65% of 10,000,000 is paid, not 0."""
    system = _system(tmp_path, (MAXIMUM, ENDED), ("unemployment/benefit_rate.yaml", RATE_2027))
    assert _unemployment(system, 10_000_000, "2027-08-05") == (6_500_000, True)
    assert _unemployment(system, 50_000_000, "2027-08-05") == (32_500_000, True)  # no cap: 65% of it
    assert _unemployment(system, 50_000_000, "2027-06-15")[0] == pytest.approx(5 * 5_310_000, abs=1)  # capped before
    assert ("unemployment", "amount") not in _not_modelled(system, "2027-08-01")


def test_a_maximum_whose_source_was_not_found_leaves_the_amount_not_modelled(tmp_path: Path) -> None:
    system = _system(tmp_path, (MAXIMUM, NOT_FOUND))
    amount, modelled = _unemployment(system, 10_000_000, "2027-08-05")
    assert math.isnan(amount) and not modelled
    assert _unemployment(system, 10_000_000, "2027-06-15") == (6_000_000, True)  # before the null: as in force
    assert _not_modelled(system, "2027-08-01")[("unemployment", "amount")] == (("maximum",),)
    assert ("unemployment", "amount") not in _not_modelled(system, "2027-06-01")


def test_a_ceiling_a_law_ended_gives_way_to_the_ceiling_every_branch_shares(tmp_path: Path) -> None:
    """The unemployment insurance's own ceiling ended from 2027-07-01: the month 2027-07 is not counted as 0."""
    system = _system(tmp_path, (CEILING, ENDED), ("unemployment/benefit_rate.yaml", RATE_2027))
    assert _unemployment(system, 10_000_000, "2027-08-05") == (6_500_000, True)
    assert ("unemployment", "amount") not in _not_modelled(system, "2027-08-01")


def test_a_ceiling_whose_source_was_not_found_leaves_the_amount_not_modelled(tmp_path: Path) -> None:
    system = _system(tmp_path, (CEILING, NOT_FOUND))
    amount, modelled = _unemployment(system, 10_000_000, "2027-08-05")
    assert math.isnan(amount) and not modelled
    assert _not_modelled(system, "2027-08-01")[("unemployment", "amount")] == (("reference_wage.ceiling",),)


def test_a_birth_grant_a_law_ended_is_no_grant(tmp_path: Path) -> None:
    system = _system(tmp_path, (BIRTH_GRANT, ENDED))
    assert _birth_grant(system, "2027-06-10") == 2 * 2_530_000
    assert _birth_grant(system, "2027-07-10") == 0  # nothing owed: the law ended it
    assert ("maternity", "birth grant") not in _not_modelled(system, "2027-08-01")


def test_a_birth_grant_whose_source_was_not_found_is_not_modelled_not_0(tmp_path: Path) -> None:
    """The reviewer's finding 2: the mother was told no grant is owed where the drafter recorded it is not known."""
    system = _system(tmp_path, (BIRTH_GRANT, NOT_FOUND))
    assert _birth_grant(system, "2027-06-10") == 2 * 2_530_000
    assert math.isnan(_birth_grant(system, "2027-07-10"))
    assert _not_modelled(system, "2027-08-01")[("maternity", "birth grant")] == (
        ("birth_grant.reference_amount_multiple",),
    )
    assert ("maternity", "birth grant") not in _not_modelled(system, "2027-06-01")


def test_a_reference_amount_a_null_stops_leaves_what_multiplies_it_not_modelled(tmp_path: Path) -> None:
    """The base salary stopped from 2027-07-01: the grant (2 × it) and the maternity amount (whose wages are capped
    at 20 × it) are not modelled, never computed from 0 (the rules raised ParameterNotFoundError before)."""
    system = _system(tmp_path, ("reference_amounts/base_salary.yaml", NOT_FOUND))
    decided = decide_claims(system, [_mother("2027-07-10")], datetime.date(2027, 7, 15), ["maternity"])
    maternity = decided.branches["maternity"]
    assert math.isnan(maternity.amount[0]) and not maternity.amount_modelled[0]
    assert math.isnan(maternity.lump_sums["birth_grant"][0])
    listed = _not_modelled(system, "2027-08-01")
    assert (
        listed[("maternity", "amount")] == listed[("maternity", "birth grant")] == (("reference_amounts.base_salary",),)
    )
    assert ("maternity", "amount") not in _not_modelled(system, "2027-06-01")


@pytest.mark.parametrize(
    ("metadata", "not_found"),
    [
        ({"note": "NOT FOUND: the amending decree was not published"}, True),
        ({"note": "the amount was not found in any source"}, True),  # in any case
        ({"note": "NOT FOUND", "reference": [{"instrument": "Law 1", "article": "Art 2"}]}, True),  # where looked
        ({"reference": [{"instrument": "Law 1", "article": "Art 2"}]}, False),  # the instrument that ends it
        ({"note": "The Decree 207/PM regime ends"}, False),  # a note saying why the rule ends (Lao early pension)
        (None, False),  # a reform's bare null: the proposal ends the rule
    ],
)
def test_a_null_is_not_found_where_its_own_note_says_so(metadata: dict | None, not_found: bool) -> None:
    assert source_not_found(metadata) is not_found


def test_a_population_s_birth_grants_not_found_are_not_modelled_not_0(tmp_path: Path) -> None:
    """A population's cost leaves out, and says so, the birth grants owed where their rule was NOT FOUND."""
    system = _system(tmp_path, (BIRTH_GRANT, NOT_FOUND))
    sides = {}
    for month in ("2027-06", "2027-08"):
        results = simulate(generate("vnm", 3000, month, seed=3), month, system)
        owed = results.columns["birth_grant_entitled"].astype(bool)
        assert owed.any()
        sides[month] = results.totals().set_index("branch").loc["maternity"]
    assert sides["2027-06"]["lump_sums"] > 0 and sides["2027-06"]["amount_modelled"]
    assert math.isnan(sides["2027-08"]["lump_sums"]) and math.isnan(sides["2027-08"]["cost"])
    assert "the lump sums owed to" in sides["2027-08"]["note"]


SHARED_CEILING = "insured_wage/ceiling_reference_amount/base_salary.yaml"


def test_the_ceiling_every_branch_shares_a_law_ended_is_no_ceiling(tmp_path: Path) -> None:
    system = _system(tmp_path, (SHARED_CEILING, ENDED))
    capped, modelled = _maternity(system, "2027-06-10", 100_000_000)
    assert modelled and capped == 20 * 2_530_000  # 20 × the base salary before the null
    assert _maternity(system, "2027-07-10", 100_000_000) == (capped, True)  # wages of months when it was in force
    assert _maternity(system, "2028-02-10", 100_000_000) == (100_000_000, True)  # six months after it ended


def test_the_ceiling_every_branch_shares_not_found_leaves_the_amounts_it_caps_not_modelled(tmp_path: Path) -> None:
    system = _system(tmp_path, (SHARED_CEILING, NOT_FOUND))
    amount, modelled = _maternity(system, "2027-07-10", 3_000_000)
    assert math.isnan(amount) and not modelled
    assert _not_modelled(system, "2027-08-01")[("maternity", "amount")] == (("insured_wage.ceiling_reference_amount",),)
    assert _unemployment(system, 10_000_000, "2027-08-05") == (6_000_000, True)  # capped at its own ceiling
