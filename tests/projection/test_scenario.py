"""Scenario files: every assumption has a value, a source and a status; a mistake names its file and line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from openfisca_sp.projection import ScenarioError, demography, read_scenario, scenario_path, shipped_scenario
from openfisca_sp.projection.economy import coverage_target, growth, nominal_gdp, price_index, rate_in, wage_index
from openfisca_sp.projection.scenario import scenario_name
from openfisca_sp.projection.scenario_reader import STATUSES
from tests.projection.scenarios import SOURCE, scenario_text, write_data, write_scenario


def _error_of(tmp_path: Path, text: str) -> ScenarioError:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    return caught.value


def _good_lines() -> list[str]:
    return yaml.safe_dump(scenario_text(), sort_keys=False).splitlines()


def _replace(old: str, new: str) -> str:
    lines = _good_lines()
    index = next(number for number, line in enumerate(lines) if old in line)
    lines[index] = lines[index].replace(old, new)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("old", "new", "cause"),
    [
        ("source: 'test scenario: a stated figure, not a forecast'", "source: ''", "states its source"),
        ("status: assumption", "status: guessed", "status must be one of"),
        ("value: 0.04", "value: 4", "a yearly rate is a fraction"),
        ("value: 0.04", "value: 4%", "'value' must be a number, not '4%'"),
        ("value: 0.04", "value: 4e-2", "YAML reads 1.0e16 as text"),
        ("value: 0.04", "value: productivity", "'value' must be a number, not 'productivity'"),
        ("prices:", "price:", "unknown assumption 'price'"),
        ("first: 2026", "first: 2020", "years run from the base month's year"),
        ("base_month: 2026-10", "base_month: October", "base_month is a month"),
        ("base_month: 2026-10", "base_month: 2026-13", "base_month '2026-13' has no month 13 (01 to 12)"),
        ("title:", "titel:", "unknown key 'titel'"),
        ("population: sample:vnm", "population: sample:lao", "synthetic population of 'lao', not of 'vnm'"),
        ("population: sample:vnm", "population: sample:laos", "no shipped sample for 'laos'"),
        # found by an outside review: each was misreported, or found only after years of work, or ran for nothing
        ("jurisdiction: vnm", "jurisdiction: xyz", "unknown jurisdiction 'xyz'; known jurisdictions: ilo_c102, lao"),
        ("jurisdiction: vnm", "jurisdiction: ilo_c102", "no population projection is shipped for jurisdiction"),
        ("last: 2028", "last: 2225", "the population projection shipped for vnm covers 2024-2100; years run"),
        (
            "base_month: 2026-10",
            "base_month: 2025-10",
            "sample:vnm describes 2026-10 (its metadata); the scenario's base month is 2025-10",
        ),
        ("reform_from: 2027", "reform_from: 2090", "reform_from 2090 is outside the years projected (2026–2028)"),
        # a second review: a rate's first step later than the projection reads it was carried back to those years
        ("from: 2025", "from: 2026", "'real_growth' starts in 2026, but the projection reads it from 2025: give a"),
        ("year: 2024", "year: 2027", "the GDP base year 2027 is after the first year projected (2026)"),
        # a hunt (stop 77): a GDP of .inf or .nan was taken (every share of GDP 0 or nan, exit 0), a number of 400
        # digits raised OverflowError with a traceback, and true was told "a whole number or a number or text"
        ("value: 11500000000000000", "value: .inf", "'value' must be a finite number, not inf"),
        ("value: 11500000000000000", "value: .nan", "'value' must be a finite number, not nan"),
        (
            "value: 11500000000000000",
            f"value: 1{'0' * 400}",
            "must be a finite number, not a whole number of 401 digits",
        ),
        ("value: 0.04", "value: -.inf", "'value' must be a finite number, not -inf"),
        ("value: 11500000000000000", "value: true", "'value' must be a number, not True"),
        ("value: 0.02", "value: false", "'value' must be a number or productivity, not False"),
    ],
)
def test_a_mistake_is_reported_with_its_file_line_and_cause(tmp_path: Path, old: str, new: str, cause: str) -> None:
    text = _replace(old, new)
    error = _error_of(tmp_path, text)
    assert cause in str(error)
    assert str(error).startswith(f"{tmp_path / 'bad.yaml'}:")
    line = next(number for number, content in enumerate(text.splitlines(), 1) if new in content)
    assert error.line in (line, line - 1, line - 2), (error.line, line, str(error))


def test_prices_from_later_than_the_first_year_they_grow_are_refused(tmp_path: Path) -> None:
    data = scenario_text()
    data["assumptions"]["prices"][0]["from"] = 2028
    with pytest.raises(ScenarioError, match="'prices' starts in 2028, but the projection reads it from 2027"):
        read_scenario(write_data(tmp_path, "prices.yaml", data))


def test_a_person_table_that_is_no_file_is_refused_at_its_line(tmp_path: Path) -> None:
    """A second review: the scenario was read, and the missing file named later without the scenario's line."""
    path = write_scenario(tmp_path, "missing.yaml", population="data/people.parquet")
    with pytest.raises(ScenarioError) as raised:
        read_scenario(path)
    assert str(raised.value).startswith(f"{path}:")
    assert f"no file data/people.parquet (a person table is looked for beside the scenario, in {tmp_path}" in str(
        raised.value
    )


def test_reform_from_without_a_reform_is_refused(tmp_path: Path) -> None:
    """A second review: its "reform" rows were the baseline's, said as a reform's."""
    data = scenario_text()
    del data["reform"]
    with pytest.raises(ScenarioError, match="reform_from is the year a reform starts: the scenario names no reform"):
        read_scenario(write_data(tmp_path, "baseline.yaml", data))


def test_a_reform_naming_python_code_is_refused_unimported(tmp_path: Path) -> None:
    """A security review: ``reform: this:Foo`` imported the module (the Zen of Python was printed) before being
    refused: a scenario is data a drafter edits, its reform a shipped one or a YAML file."""
    data = scenario_text()
    data["reform"] = "this:Foo"
    with pytest.raises(
        ScenarioError, match=r":\d+: unknown reform 'this:Foo': give a shipped reform \(.*r202_social_pension"
    ):
        read_scenario(write_data(tmp_path, "code.yaml", data))
    assert "this" not in sys.modules


def test_steps_out_of_order_are_refused(tmp_path: Path) -> None:
    data = scenario_text()
    data["assumptions"]["prices"] = [{"from": 2030, "value": 0.03, **SOURCE}, {"from": 2027, "value": 0.04, **SOURCE}]
    path = write_data(tmp_path, "steps.yaml", data)
    with pytest.raises(ScenarioError, match="increasing years"):
        read_scenario(path)


@pytest.mark.parametrize("second", ["wages", "prices"])
def test_a_parameter_indexed_twice_is_refused_at_the_second_entry(tmp_path: Path, second: str) -> None:
    """An analyst's review: "prices from 2028, then wages from 2029" ran, one entry's values silently replacing the
    other's by their order, while the report listed both as assumptions."""
    data = scenario_text()
    data["assumptions"]["indexation"] = [
        {"parameter": "social_pension.amount", "index": "prices", "from": 2027, **SOURCE},
        {"parameter": "reference_amounts.social_assistance_standard", "index": "prices", "from": 2027, **SOURCE},
        {"parameter": "social_pension.amount", "index": second, "from": 2028, **SOURCE},
    ]
    path = write_data(tmp_path, "twice.yaml", data)
    lines = [number for number, text in enumerate(path.read_text().splitlines(), 1) if "social_pension.amount" in text]
    with pytest.raises(ScenarioError) as raised:
        read_scenario(path)
    assert raised.value.line == lines[1]
    assert str(raised.value).startswith(
        f"{path}:{lines[1]}: 'social_pension.amount' is indexed twice: line {lines[0]} already indexes it (by prices "
        "from 2027)"
    )


def test_a_missing_assumption_is_named(tmp_path: Path) -> None:
    data = scenario_text()
    del data["assumptions"]["real_wage_growth"]
    path = write_data(tmp_path, "missing.yaml", data)
    with pytest.raises(ScenarioError, match="'real_wage_growth' is missing"):
        read_scenario(path)


def test_bad_yaml_fails_with_its_line(tmp_path: Path) -> None:
    error = _error_of(tmp_path, "title: x\n  jurisdiction: vnm\n")
    assert error.line == 2


def test_a_non_breaking_space_pasted_into_a_scenario_is_named_at_its_line(tmp_path: Path) -> None:
    error = _error_of(tmp_path, "title: x\nyears:\n  first: 2026\n \u00a0last: 2030\n")
    assert error.line == 4
    assert "a non-breaking space (U+00A0) at column 2 where YAML needs an ordinary space" in str(error)


@pytest.mark.parametrize("code", ["lao", "vnm", "tjk"])
def test_each_shipped_scenario_reads_and_states_every_source(code: str) -> None:
    scenario = read_scenario(shipped_scenario(code))
    assert scenario_path(f"scenario:{code}") == shipped_scenario(code)
    named = read_scenario(f"scenario:{code}")  # the Python API names it as the command does
    assert named.path == scenario.path and repr(named.assumptions()) == repr(scenario.assumptions())  # NaN: stated
    assert scenario.jurisdiction == code
    assert scenario.first_year <= 2026 and scenario.last_year >= 2055
    for row in scenario.assumptions():
        assert row["source"].strip() and row["status"] in STATUSES


def test_an_unknown_shipped_scenario_is_named_by_the_python_api() -> None:
    with pytest.raises(ScenarioError, match="no scenario is shipped for 'xyz'"):
        read_scenario("scenario:xyz")


def test_the_economy_grows_as_the_steps_say(tmp_path: Path) -> None:
    scenario = read_scenario(write_scenario(tmp_path))
    assert rate_in(scenario.real_growth, 2024) == 0.06  # the first step's value before it
    assert rate_in(scenario.real_growth, 2030) == 0.05
    assert price_index(scenario, 2026) == 1.0
    assert price_index(scenario, 2028) == pytest.approx(1.04**2)
    assert wage_index(scenario, 2028) == pytest.approx((1.04 * 1.02) ** 2)
    assert nominal_gdp(scenario, 2024) == 11_500_000_000_000_000
    assert nominal_gdp(scenario, 2028) == pytest.approx(11.5e15 * 1.06**3 * 1.05 * 1.03**4)
    assert growth(scenario.prices, 2028, 2026) == pytest.approx(1 / 1.04**2)


def test_real_wages_may_grow_with_productivity(tmp_path: Path) -> None:
    data = scenario_text()
    data["assumptions"]["real_wage_growth"] = [{"from": 2027, "value": "productivity", **SOURCE}]
    path = write_data(tmp_path, "productivity.yaml", data)
    scenario = read_scenario(path)
    people = demography("vnm")
    productivity = 1.06 * people.working_age(2026) / people.working_age(2027)
    assert wage_index(scenario, 2027) == pytest.approx(1.04 * productivity)
    del data["assumptions"]["gdp"]
    write_data(path.parent, path.name, data)
    with pytest.raises(ScenarioError, match=r"needs gdp\.real_growth"):
        read_scenario(path)


def test_without_gdp_there_is_no_share_of_gdp(tmp_path: Path) -> None:
    data = scenario_text()
    del data["assumptions"]["gdp"]
    path = write_data(tmp_path, "no-gdp.yaml", data)
    scenario = read_scenario(path)
    assert scenario.gdp is None and nominal_gdp(scenario, 2030) is None
    assert all(row["assumption"] != "gdp" for row in scenario.assumptions())


def test_a_coverage_path_is_linear_to_each_target_then_held(tmp_path: Path) -> None:
    data = scenario_text()
    data["assumptions"]["coverage"] = [{"year": 2030, "value": 0.5, **SOURCE}, {"year": 2040, "value": 0.6, **SOURCE}]
    path = write_data(tmp_path, "coverage.yaml", data)
    scenario = read_scenario(path)
    assert coverage_target(scenario, 0.3, 2026) == pytest.approx(0.3)
    assert coverage_target(scenario, 0.3, 2028) == pytest.approx(0.4)
    assert coverage_target(scenario, 0.3, 2035) == pytest.approx(0.55)
    assert coverage_target(scenario, 0.3, 2050) == pytest.approx(0.6)
    assert coverage_target(read_scenario(write_scenario(tmp_path, "plain.yaml")), 0.3, 2030) is None


@pytest.mark.parametrize(
    ("target", "cause"),
    [
        ({"year": 2030, "value": 1.5}, r"a coverage target is a share above 0 and at most 1 \(0.6 for 60%\), not 1.5"),
        ({"year": 2030, "value": 0.0}, r"a coverage target is a share above 0 and at most 1 \(0.6 for 60%\), not 0.0"),
        # an analyst's review: 60 for 60% was told "a yearly rate is a fraction (0.035 for 3.5%)", a share being none
        ({"year": 2030, "value": 60}, r"^(?!.*yearly rate).*a coverage target is a share .*\(0.6 for 60%\), not 60"),
        ({"year": 2020, "value": 0.5}, "a coverage target is for a year after 2026, whose share is the table's own"),
        ({"year": 2026, "value": 0.5}, "a coverage target is for a year after 2026"),
    ],
)
def test_a_coverage_target_that_cannot_be_one_is_refused_with_its_line(
    tmp_path: Path, target: dict, cause: str
) -> None:
    """An outside review: 1.5 was taken (and reached 0.87), and a target for 2020 reweighted the base year itself
    (its cost rose by a fifth)."""
    data = scenario_text()
    data["assumptions"]["coverage"] = [{**target, **SOURCE}]
    path = write_data(tmp_path, "coverage.yaml", data)
    with pytest.raises(ScenarioError, match=cause) as raised:
        read_scenario(path)
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1) if "coverage:" in text)
    assert str(raised.value).startswith(f"{path}:") and line < raised.value.line <= line + 5


def test_a_shipped_scenario_is_named_as_the_reader_asked_it(tmp_path: Path) -> None:
    """A review of the pages: a projection report of scenario:lao named its scenario by the folder the package is
    installed in (/home/…/site-packages/openfisca_sp/data/scenarios/lao.yaml), shown to whoever the report is shared
    with. A shipped scenario is named scenario:<code>; a file of the reader's own, by the path given."""
    assert scenario_name(shipped_scenario("lao")) == "scenario:lao"
    assert scenario_name(scenario_path("scenario:vnm")) == "scenario:vnm"
    own = write_scenario(tmp_path, "lao.yaml")
    assert scenario_name(own) == str(own)
