"""A null read inside a wage window, or for one region (docs/drafting.md §2): where a value the amount reads month by
month (the ceiling every branch shares, the unemployment insurance's own ceiling, the reference amount a ceiling is a
multiple of) stands at a null NOT FOUND in a month the person's window reads, or where one region's minimum wage does,
the amount of those persons is not modelled (no amount, ``amount_modelled`` false), never computed as if the null
were 0, no ceiling, or another month's or region's value. Each test appends a drafter's values to a copy of Viet
Nam's parameters.
"""

from __future__ import annotations

import datetime
import math
import shutil
from pathlib import Path

import numpy as np

from openfisca_sp.decisions.claims import decide_claims
from openfisca_sp.population import simulate
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.system import SocialProtectionSystem
from openfisca_sp.synthetic import generate
from tests.test_null_optional_names import ENDED, NOT_FOUND, _mother, _system, _unemployed

SHARED_CEILING = "insured_wage/ceiling_reference_amount/base_salary.yaml"
OWN_CEILING = "unemployment/reference_wage/ceiling/regional_minimum_wage.yaml"
BASE_SALARY = "reference_amounts/base_salary.yaml"
REGION_2 = "reference_amounts/regional_minimum_wage/region_2.yaml"


def _null_then(day: str, value: float, again: str) -> str:
    """A null NOT FOUND from ``day``, and ``value`` again from ``again`` (a drafter's test)."""
    return NOT_FOUND.replace("2027-07-01", day) + (
        f"""
  {again}:
    value: {value}
    metadata:
      status: unverified
      reference:
        - instrument: Decree No. 99/2027/ND-CP (a drafter's test)
          article: Art 1
          href: https://example.org/decree99
"""
    )


def _maternity(system, born: str, wage: float) -> tuple[float, bool]:
    mother = _mother(born)
    mother["insured_wage"] = dict.fromkeys(mother["insured_wage"], wage)
    asked = datetime.date.fromisoformat(born) + datetime.timedelta(days=5)
    decided = decide_claims(system, [mother], asked, ["maternity"]).branches["maternity"]
    assert decided.outcome[0] == 0, decided.reason  # eligible
    return float(decided.amount[0]), bool(decided.amount_modelled[0])


def _unemployed_in(region: int, registered: str, ended: str | None = None, wage: float = 200_000_000) -> dict:
    person = _unemployed(wage, registered) | {"minimum_wage_region": region}
    return person if ended is None else person | {"employment_end_date": ended}


def _unemployment(system, *persons: dict) -> list[tuple[float, bool]]:
    """The amounts of unemployed ``persons`` (registered on the same day), each with whether it is modelled."""
    asked = datetime.date.fromisoformat(persons[0]["unemployment_registration_date"]) + datetime.timedelta(days=5)
    decided = decide_claims(system, list(persons), asked, ["unemployment"]).branches["unemployment"]
    assert (decided.outcome == 0).all(), decided.reason  # eligible
    paid = zip(decided.amount, decided.amount_modelled, strict=True)
    return [(float(amount), bool(modelled)) for amount, modelled in paid]


def _not_modelled(found: tuple[float, bool]) -> bool:
    return math.isnan(found[0]) and not found[1]


def test_a_shared_ceiling_not_found_for_months_of_the_window_leaves_their_amount_not_modelled(tmp_path: Path):
    """20 × the base salary NOT FOUND for March and April 2027: a birth in July averages them (it paid 67,066,667,
    two months uncapped); a birth in December does not read them (capped at 20 × 2,530,000)."""
    system = _system(tmp_path, (SHARED_CEILING, _null_then("2027-03-01", 20, "2027-05-01")))
    assert _not_modelled(_maternity(system, "2027-07-10", 100_000_000))
    assert _not_modelled(_maternity(system, "2027-07-10", 3_000_000))  # a ceiling not known may be below the wage
    assert _maternity(system, "2027-12-10", 100_000_000) == (20 * 2_530_000, True)


def test_lao_s_ceiling_not_found_for_months_of_the_window_is_not_no_ceiling(tmp_path: Path):
    """Lao PDR's ceiling of 4,500,000 kip NOT FOUND for March and April 2027: a birth of July, whose 6 months average
    them, is not paid 80% of 9,000,000 for two of them; a birth of June 2028 is paid 80% of the ceiling."""
    folder = tmp_path / "lao"
    shutil.copytree(jurisdictions.get("lao").parameters_dir, folder)
    ceiling = folder / "insured_wage" / "ceiling.yaml"
    ceiling.write_text(ceiling.read_text(encoding="utf-8") + _null_then("2027-03-01", 4500000, "2027-05-01"))
    system = SocialProtectionSystem(jurisdictions.read_jurisdiction(folder))
    assert _not_modelled(_maternity(system, "2027-07-10", 9_000_000))
    assert _maternity(system, "2028-06-10", 9_000_000) == (0.8 * 4_500_000, True)


def test_a_reference_amount_not_found_for_months_of_the_window_leaves_their_amount_not_modelled(tmp_path: Path):
    """The base salary NOT FOUND for March and April 2027: the ceiling of those months is not known (no amount, and it
    was said modelled)."""
    system = _system(tmp_path, (BASE_SALARY, _null_then("2027-03-01", 2_530_000, "2027-05-01")))
    assert _not_modelled(_maternity(system, "2027-07-10", 100_000_000))
    assert _maternity(system, "2027-12-10", 100_000_000) == (20 * 2_530_000, True)


def test_an_own_ceiling_not_found_for_months_of_the_window_is_not_the_claim_s(tmp_path: Path):
    """The unemployment insurance's own ceiling NOT FOUND for March and April 2027: not the claim's 20 × the regional
    minimum wage in those months (the amount was paid, capped at 5 × it)."""
    system = _system(tmp_path, (OWN_CEILING, _null_then("2027-03-01", 20, "2027-05-01")))
    assert _not_modelled(_unemployment(system, _unemployed_in(1, "2027-08-05"))[0])
    assert _unemployment(system, _unemployed_in(1, "2027-12-05")) == [(5 * 5_310_000, True)]


def test_a_window_ending_with_the_contract_reads_its_own_months_only(tmp_path: Path):
    """The ceiling NOT FOUND for June and July 2027, two claimants registered in August: one whose contract ended in
    May (her window, December to May, reads neither) is paid; one whose contract ended in July is not modelled."""
    system = _system(tmp_path, (OWN_CEILING, _null_then("2027-06-01", 20, "2027-08-01")))
    may = _unemployed_in(1, "2027-08-10", ended="2027-05-20", wage=10_000_000)
    july = _unemployed_in(1, "2027-08-10", ended="2027-07-31", wage=10_000_000)
    ended_in_may, ended_in_july = _unemployment(system, may, july)
    assert ended_in_may == (6_000_000, True) and _not_modelled(ended_in_july)


def test_one_region_s_minimum_wage_not_found_leaves_that_region_s_amounts_not_modelled(tmp_path: Path):
    """Region II's minimum wage NOT FOUND from July 2027: a region-II claimant's maximum is not region I's (it was
    capped at 5 × 5,310,000); the other regions' are as in force."""
    system = _system(tmp_path, (REGION_2, NOT_FOUND))
    one, two, three = _unemployment(system, *(_unemployed_in(region, "2027-08-05") for region in (1, 2, 3)))
    assert one == (5 * 5_310_000, True) and three == (5 * 4_140_000, True)
    assert _not_modelled(two)
    assert _unemployment(system, _unemployed_in(2, "2027-06-15")) == [(5 * 4_730_000, True)]  # before the null
    unstated = _unemployed_in(1, "2027-08-05")
    del unstated["minimum_wage_region"]  # capped at the highest region's amount, which is not known then
    assert _not_modelled(_unemployment(system, unstated)[0])
    assert _unemployment(system, _unemployed_in(1, "2027-06-15") | {"minimum_wage_region": 0}) == [
        (5 * 5_310_000, True)
    ]


def test_one_region_s_minimum_wage_not_found_on_the_contract_s_last_day_is_not_the_claim_day_s(tmp_path: Path):
    """Region II's minimum wage NOT FOUND from 10 to 19 July 2027 (no month's first day): a contract ended on the
    15th is capped at the amount in force that day (Employment Law 2013 Art 50(1)), which is not known; not the
    claim day's amount."""
    system = _system(tmp_path, (REGION_2, _null_then("2027-07-10", 4_730_000, "2027-07-20")))
    assert _not_modelled(_unemployment(system, _unemployed_in(2, "2027-08-03", ended="2027-07-15"))[0])
    assert _unemployment(system, _unemployed_in(2, "2027-08-03", ended="2027-07-25")) == [(5 * 4_730_000, True)]


def test_one_region_s_minimum_wage_a_law_ended_is_a_region_the_law_does_not_name(tmp_path: Path):
    """A null citing the law that ends region II: its claimants are capped as in any region the law does not name,
    at the highest amount (a cap never cuts a benefit on a missing fact)."""
    system = _system(tmp_path, (REGION_2, ENDED))
    assert _unemployment(system, _unemployed_in(2, "2027-08-05")) == [(5 * 5_310_000, True)]


def test_a_population_s_amounts_reading_a_month_not_found_are_not_modelled(tmp_path: Path):
    """The population engine says what ``/eligibility`` says: a mother paid in June 2027 whose claim came after the
    null (from May) but whose window read March or April, when 20 × the base salary was NOT FOUND, has no amount (the
    branch's cost is not modelled); the others are paid as under the law in force."""
    population = generate("vnm", 3000, "2027-06", seed=3)
    system = _system(tmp_path, (SHARED_CEILING, _null_then("2027-03-01", 20, "2027-05-01")))
    results = simulate(population, "2027-06", system)
    paid = results.columns["maternity_benefit_eligible"].astype(bool)
    priced = results.columns["maternity_benefit_amount_modelled"].astype(bool)
    amount = results.columns["maternity_benefit"]
    claimed = results.columns["maternity_benefit_claim_date"].astype("datetime64[D]")
    after = paid & (claimed >= np.datetime64("2027-05-01"))
    assert (after & ~priced).any() and np.isnan(amount[after & ~priced]).all()
    in_force = simulate(population, "2027-06", _system(tmp_path / "in_force")).columns["maternity_benefit"]
    np.testing.assert_array_equal(amount[paid & priced], in_force[paid & priced])
    assert not results.totals().set_index("branch").loc["maternity"]["amount_modelled"]


def test_a_population_s_region_not_found_leaves_that_region_s_amounts_not_modelled(tmp_path: Path):
    """Region II's minimum wage NOT FOUND from July 2026: claims of region II that read it have no amount (capped at
    region I's before); the other regions' are priced."""
    population = generate("vnm", 3000, "2027-08", seed=3)
    results = simulate(population, "2027-08", _system(tmp_path, (REGION_2, NOT_FOUND.replace("2027-", "2026-"))))
    paid = results.columns["unemployment_benefit_eligible"].astype(bool)
    priced = results.columns["unemployment_benefit_amount_modelled"].astype(bool)
    amount = results.columns["unemployment_benefit"]
    region = population.column("minimum_wage_region").to_numpy()
    assert (paid & (region == 2) & ~priced).any() and priced[paid & (region != 2)].all()
    np.testing.assert_array_equal(priced[paid], ~np.isnan(amount[paid]))
