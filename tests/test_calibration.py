"""Calibration: each sample's statistics, computed another way, and the shipped tables, kept up to date."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openfisca_core.reforms import Reform

from openfisca_sp.analysis import compare
from openfisca_sp.calibration import (
    FAR,
    STATISTICS,
    STATUSES,
    calibrate,
    official_figures,
    shipped_path,
    shipped_table,
)
from openfisca_sp.calibration.figures import _figure, figures_path
from openfisca_sp.calibration.render import cells, to_text
from openfisca_sp.calibration.statistics import PERSONS
from openfisca_sp.calibration.table import shipped_content
from openfisca_sp.cli import main
from openfisca_sp.population import PopulationError, simulate
from openfisca_sp.population.payments import paid_in, paid_periodically_in
from openfisca_sp.population.totals import rule_decided
from openfisca_sp.report import render_report
from openfisca_sp.synthetic import SAMPLE_JURISDICTIONS, SAMPLE_PERIOD, generate, sample_path, wage_columns
from tests.population.fixtures import NO_CLAIMS

CODES = tuple(statistic.code for statistic in STATISTICS)


class Unchanged(Reform):
    """A reform that changes nothing: a comparison whose baseline is the rules as they are."""

    name = "unchanged"

    def apply(self) -> None:
        pass


@pytest.fixture(scope="module", params=SAMPLE_JURISDICTIONS)
def calibrated(request: pytest.FixtureRequest) -> tuple[str, dict]:
    code = request.param
    table = calibrate(f"sample:{code}")
    return code, {row.statistic: row for row in table.rows}


def _sample(code: str) -> pd.DataFrame:
    return pq.read_table(sample_path(code)).to_pandas()


def _age(born: pd.Series, month: str) -> pd.Series:
    first = pd.Timestamp(f"{month}-01")
    born = pd.to_datetime(born)
    before = (born.dt.month > first.month) | ((born.dt.month == first.month) & (born.dt.day > first.day))
    return first.year - born.dt.year - before.astype(int)


def test_population_statistics_equal_a_direct_computation(calibrated: tuple[str, dict]) -> None:
    code, rows = calibrated
    frame = _sample(code)
    weights = frame["weight"]
    ages = _age(frame["birth_date"], SAMPLE_PERIOD)
    latest = wage_columns(SAMPLE_PERIOD)[-1]
    expected = {
        "population.total": weights.sum(),
        "population.aged_0_14": weights[ages < 15].sum() / weights.sum(),
        "population.aged_15_64": weights[(ages >= 15) & (ages < 65)].sum() / weights.sum(),
        "population.aged_65_plus": weights[ages >= 65].sum() / weights.sum(),
        "population.women": weights[frame["sex"] == "female"].sum() / weights.sum(),
        "insured.contributors": weights[frame[latest] > 0].sum(),
    }
    for statistic, value in expected.items():
        assert rows[statistic].sample == pytest.approx(value, rel=1e-6, abs=0.1), statistic


def test_coverage_and_pensioners_equal_the_comparison_and_the_engine(calibrated: tuple[str, dict]) -> None:
    code, rows = calibrated
    comparison = compare(f"sample:{code}", SAMPLE_PERIOD, Unchanged, code)
    everyone = comparison.coverage[comparison.coverage["sex"] == "all"].set_index("indicator")
    for group, rate in everyone["baseline_rate"].items():
        sample = rows[f"sdg131.{group}"].sample
        assert (sample is None) == (rate is None or math.isnan(rate)), group
        if sample is not None:
            assert sample == pytest.approx(rate, abs=1e-6), group
    results = simulate(f"sample:{code}", SAMPLE_PERIOD, code)
    paid = {
        branch.code: paid_in(results.columns, branch, SAMPLE_PERIOD, results.decimals) for branch in results.branches
    }
    # pensioners are paid a pension in the month: a lump sum alone makes nobody a pensioner
    pensioned = {
        branch.code: paid_periodically_in(results.columns, branch, SAMPLE_PERIOD, results.decimals)
        for branch in results.branches
    }
    assert rows["pensioners.old_age"].sample == pytest.approx(results.weights[pensioned["old_age"]].sum(), abs=0.1)
    # a count over branches is not modelled where one of them has no rule at the date: it would count as nobody
    decided = {branch.code: rule_decided(results.columns, branch) for branch in results.branches}
    pensioners = pensioned["old_age"] | pensioned["disability"]
    if decided["old_age"] and decided["disability"]:
        assert rows["pensioners.all"].sample == pytest.approx(results.weights[pensioners].sum(), abs=0.1)
    else:
        assert rows["pensioners.all"].sample is None
    wages = _sample(code).set_index("person_id").loc[results.person_ids, wage_columns(SAMPLE_PERIOD)[-1]].to_numpy()
    covered = np.logical_or.reduce(list(paid.values())) | (wages > 0)
    expected = results.weights[covered].sum() / results.weights.sum()
    if all(decided.values()):
        assert rows["sdg131.at_least_one"].sample == pytest.approx(expected, abs=1e-6)
    else:
        assert rows["sdg131.at_least_one"].sample is None


def test_each_row_puts_the_official_figure_beside_the_sample_with_the_distance(calibrated: tuple[str, dict]) -> None:
    code, rows = calibrated
    figures = official_figures(code)
    assert list(rows) == list(CODES)
    for statistic, row in rows.items():
        assert row.official is figures.get(statistic) or row.official == figures.get(statistic)
        if row.official is None or row.sample is None or not row.official.comparable:
            assert row.absolute is None and row.relative is None and not row.far
            continue
        assert row.absolute == pytest.approx(row.sample - row.official.value)
        assert row.relative == pytest.approx((row.sample - row.official.value) / row.official.value)
        assert row.far == (abs(row.relative) > FAR)


def test_the_statistics_come_from_the_population_not_from_constants() -> None:
    table = generate("lao", persons=3000, period=SAMPLE_PERIOD, seed=7)
    other = {row.statistic: row.sample for row in calibrate(table, "lao", SAMPLE_PERIOD).rows}
    sample = {row.statistic: row.sample for row in calibrate("sample:lao").rows}
    weights = table.column("weight").to_numpy()
    assert other["population.total"] == pytest.approx(weights.sum(), abs=0.1)
    assert other["population.total"] == pytest.approx(sample["population.total"], rel=1e-9)  # same shape total
    assert other["insured.contributors"] != sample["insured.contributors"]
    assert other["population.aged_0_14"] != sample["population.aged_0_14"]


@pytest.mark.parametrize("code", SAMPLE_JURISDICTIONS)
def test_the_shipped_calibration_table_is_up_to_date(code: str) -> None:
    shipped = shipped_table(code)
    assert shipped is not None, f"{shipped_path(code)} is missing: run 'openfisca-sp calibration --write-shipped'"
    expected = json.loads(json.dumps(shipped_content(code)))
    assert shipped == expected, "the shipped table is stale: run 'openfisca-sp calibration --write-shipped'"


@pytest.mark.parametrize("code", SAMPLE_JURISDICTIONS)
def test_every_official_figure_has_a_source_and_a_status(code: str) -> None:
    assert figures_path(code).is_file()
    figures = official_figures(code)
    assert figures, code
    for figure in figures.values():
        assert figure.status in STATUSES
        assert figure.source["publication"] and figure.source["url"].startswith(("http://", "https://"))
        assert figure.year
        unit = next(statistic.unit for statistic in STATISTICS if statistic.code == figure.statistic)
        assert figure.value > 0 and (unit == PERSONS or figure.value <= 1)


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"statistic": "population.nothing", "value": 1, "status": "verified"}, "unknown statistic"),
        ({"statistic": "population.total", "value": 1, "status": "guessed"}, "status"),
        ({"statistic": "population.total", "value": 1, "status": "verified", "source": {"url": "x"}}, "publication"),
        (
            {
                "statistic": "population.total",
                "value": "7m",
                "status": "verified",
                "source": {"publication": "p", "url": "u"},
            },
            "number",
        ),
    ],
)
def test_a_figure_without_a_known_statistic_status_source_or_number_is_refused(entry: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _figure(entry, figures_path("lao"))


def test_a_sample_is_calibrated_against_its_own_jurisdiction_only() -> None:
    with pytest.raises(ValueError, match="synthetic population of 'lao'"):
        calibrate("sample:lao", "vnm")
    generated = generate("lao", persons=100, period=SAMPLE_PERIOD, seed=1)
    assert calibrate(generated, "lao").month == SAMPLE_PERIOD  # the month its metadata names
    with pytest.raises(ValueError, match="month"):
        calibrate(generated.to_pandas(), "lao")  # a table that names none


def test_the_command_prints_the_table_as_json_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibration", "sample:tjk", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(calibrate("sample:tjk").to_dict()))
    assert main(["calibration", "sample:tjk"]) == 0
    assert "Share of women" in capsys.readouterr().out
    assert main(["calibration", "sample:tjk", "--format", "markdown"]) == 0
    assert "| Statistic | Official |" in capsys.readouterr().out
    assert main(["calibration", "sample:tjk", "--jurisdiction", "lao"]) == 2


def test_the_report_shows_the_distance_for_a_sample_only() -> None:
    comparison = compare("sample:lao", SAMPLE_PERIOD, Unchanged, "lao").to_dict()
    html = render_report(comparison)
    assert 'id="table-calibration"' in html
    assert "7,443,000" in html.split('id="table-calibration"')[1]
    # a second review: the shipped table was captioned as if computed by this run, whose options may differ
    assert (
        "the table shipped with the sample (October 2026, every claim on its event, no assumption), not computed"
        in html
    )
    comparison["meta"]["source"] = None
    assert 'id="table-calibration"' not in render_report(comparison)


def test_a_month_the_sample_has_no_wages_for_is_refused_as_simulate_refuses_it() -> None:
    """It was pyarrow's ``Field "insured_wage.2026-10" does not exist in schema``, naming no table; the sample says
    the month it describes, as ``simulate`` does."""
    with pytest.raises(
        PopulationError,
        match=r"sample:lao describes 2026-10 \(its metadata\), not 2026-11, .* \('insured_wage\.2026-10'\)",
    ):
        calibrate("sample:lao", None, "2026-11")


def test_a_distance_that_rounds_to_nothing_has_no_sign_and_a_relative_one_has_the_absolute_one_s() -> None:
    """A review of the pages: Tajikistan's calibration showed a relative distance of "-0%". An analyst's review:
    "Share aged 0-14" then read -0.1 pt beside +0% (the relative distance rounded to whole percent, its sign
    dropped). Now one decimal, and a distance that rounds to nothing has no sign."""
    from openfisca_sp.calibration.render import distance, relative
    from openfisca_sp.report.calibration import cells
    from openfisca_sp.report.formatting import formatted_in, report_locale

    assert relative(-0.004) == "-0.4%" and relative(-0.3) == "-30.0%" and relative(-0.0004) == "0.0%"
    assert distance(-0.0004, "share") == "0.0 pp" and distance(-0.4, "persons") == "0"
    assert distance(-1_234.6, "persons") == "-1,235" and distance(0.012, "share") == "+1.2 pp"
    row = next(row for row in shipped_table("tjk")["rows"] if row["label"] == "Share aged 0–14")
    assert row["absolute"] < 0 and row["relative"] < 0  # 36.2% against 36.3%
    text = next(line for line in to_text(shipped_table("tjk")).splitlines() if line.startswith("Share aged 0–14"))
    assert "-0.1 pp" in text and "-0.3%" in text and "+0%" not in text
    with formatted_in(report_locale("en")):
        assert cells(row)[3:5] == ["-0.1\u00a0pp", "-0.3%"]


def test_a_statistic_the_rules_cannot_give_reads_not_modelled_not_a_dash() -> None:
    """An outside review: Tajikistan's maternity, unemployment and disability coverage showed "-" (JSON null),
    which reads as a figure not found; the comparison's coverage says "not modelled" for the same groups."""
    table = shipped_table("tjk")
    rows = {row["statistic"]: row for row in table["rows"]}
    mothers = rows["sdg131.mothers_of_newborns"]
    assert (mothers["sample"], mothers["modelled"]) == (None, False)
    assert rows["sdg131.older_persons"]["modelled"] is True
    line = next(line for line in to_text(table).splitlines() if line.startswith(mothers["label"]))
    assert "not modelled" in line


def test_the_command_takes_an_assumption_for_a_column_the_table_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An analyst's review: the error told them to state an assumption for the missing columns, and calibration
    had no --assume. A column stated by an assumption counts as if the table held that value (the insured wage of
    the month before, which counts the contributors, too), and the notes say so."""
    table = generate("vnm", persons=300, period=SAMPLE_PERIOD, seed=1)
    assumed = {"is_available_for_work": False, "insured_wage.2026-09": 0.0}
    filled = table
    for name, value in assumed.items():
        column = table.column_names.index(name)
        filled = filled.set_column(column, name, pa.array([value] * table.num_rows, table.schema.field(name).type))
    path = tmp_path / "lacking.parquet"
    pq.write_table(table.drop_columns(list(assumed)), path)
    arguments = ["calibration", str(path), "--month", SAMPLE_PERIOD, "--format", "json"]
    assert main(arguments) == 2
    assert "missing columns 'insured_wage.2026-09', 'is_available_for_work'" in capsys.readouterr().err
    assert main([*arguments, "--assume", "is_available_for_work=false", "--assume", "insured_wage.2026-09=0"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = calibrate(filled, "vnm", SAMPLE_PERIOD).to_dict()
    assert printed["rows"] == json.loads(json.dumps(expected["rows"]))
    assert {row["statistic"]: row["sample"] for row in printed["rows"]}["insured.contributors"] == 0
    assert "is_available_for_work = False for every person (stated assumption)" in printed["notes"]
    assert "insured_wage.2026-09 = 0 for every person (stated assumption)" in printed["notes"]


def _set(table: pa.Table, name: str, values: list) -> pa.Table:
    return table.set_column(table.column_names.index(name), name, pa.array(values, table.schema.field(name).type))


def test_a_lump_sum_alone_makes_nobody_a_pensioner_nor_an_older_person_receiving_a_pension() -> None:
    """A lump sum falling due in the month counted its payee among the pensioners, whom the official figures
    (institutions' pensioners, SDG 1.3.1's older persons receiving a pension) count by a pension paid. Two persons
    of 68 in Viet Nam in 2026-10: one with 5 years of contributions claims in the month, is refused the pension and
    owed the old-age lump sum (SI Law 2024 Art 70), due in it; one with 30 years is paid the pension (an undated
    claim, in payment)."""
    table = generate("vnm", persons=300, period=SAMPLE_PERIOD, seed=1).slice(0, 2)
    table = _set(table, "birth_date", [date(1958, 3, 1)] * 2)
    table = _set(table, "contribution_months", [60, 360])
    table = _set(table, "old_age_claim_date", [date(2026, 10, 5), None])
    results = simulate(table, SAMPLE_PERIOD, "vnm")
    old_age = next(branch for branch in results.branches if branch.code == "old_age")
    assert results.columns["old_age_lump_sum"][0] > 0 and not results.columns[old_age.eligible][0]
    assert paid_in(results.columns, old_age, SAMPLE_PERIOD, results.decimals).tolist() == [
        True,
        True,
    ]  # the branch pays both
    rows = {row.statistic: row.sample for row in calibrate(table, "vnm", SAMPLE_PERIOD).rows}
    weights = table.column("weight").to_numpy()
    assert rows["pensioners.old_age"] == pytest.approx(weights[1])
    assert rows["pensioners.all"] == pytest.approx(weights[1])
    assert rows["sdg131.older_persons"] == pytest.approx(weights[1] / weights.sum())
    comparison = compare(table, SAMPLE_PERIOD, Unchanged, "vnm")
    coverage = comparison.coverage.set_index(["indicator", "sex"])
    assert coverage.loc[("older_persons", "all"), "baseline_rate"] == pytest.approx(rows["sdg131.older_persons"])
    branches = comparison.branches.set_index("branch")  # its beneficiaries are whoever the branch pays: both
    assert branches.loc["old_age", "baseline_beneficiaries"] == pytest.approx(weights.sum())


def test_a_coverage_group_with_no_one_reads_so_not_not_modelled() -> None:
    """A review as an analyst: on a table of Viet Nam with no mother, no unemployed and no disabled person, the
    coverage of those groups read "not modelled", though Viet Nam's rules model the three branches; and a table
    without a weight column, which simulate reads, was refused ("the calibration counts contributors by the wage")."""
    table = pd.DataFrame(
        {
            "person_id": [1, 2],
            "household_id": [1, 2],
            "birth_date": ["1950-01-15", "1990-05-01"],
            "sex": ["female", "male"],
            "insured_wage.2026-09": [0, 0],
        }
    )
    data = calibrate(table, "vnm", "2026-10", assume=NO_CLAIMS).to_dict()
    rows = {row["statistic"]: row for row in data["rows"]}
    mothers = rows["sdg131.mothers_of_newborns"]
    assert mothers["sample"] is None and mothers["modelled"] is True
    assert rows["sdg131.older_persons"]["sample"] == 1.0
    assert rows["population.total"]["sample"] == 2  # no weight column: each row one person (it was refused)
    text = to_text(data)
    line = next(line for line in text.splitlines() if line.startswith("SDG 1.3.1: Mothers of newborns"))
    assert "no one in the group" in line and "not modelled" not in line


def test_a_statistic_from_rules_resting_on_unverified_law_says_provisional(calibrated: tuple[str, dict]) -> None:
    """A review walking the README's tour: ``calibration sample:tjk`` printed 372,590 old-age pensioners and 53.4% of
    older persons covered with no word that Tajikistan's old-age rules rest on unverified values, where ``simulate``
    flags the branch provisional. Each statistic from the rules is flagged as the branches it counts are, in the
    table, its text and the report's cells; one not modelled, or from the table alone, is not."""
    code, rows = calibrated
    totals = simulate(f"sample:{code}", SAMPLE_PERIOD, code).totals().set_index("branch")
    unverified = set(totals.index[totals["provisional"].astype(bool)])
    resting = {"pensioners.old_age": {"old_age"}, "sdg131.older_persons": {"old_age", "social_pension"}}
    for statistic, branches in resting.items():
        row = rows[statistic]
        assert row.provisional == (row.modelled and bool(branches & unverified)), statistic
        text = cells(row.to_dict())[2]
        assert text.endswith("(provisional)") == row.provisional, (statistic, text)
    assert any(row.provisional for row in rows.values())  # every sample's old-age rules rest on some
    for statistic in ("population.total", "population.women"):
        assert not rows[statistic].provisional
    assert not any(row.provisional for row in rows.values() if not row.modelled)
