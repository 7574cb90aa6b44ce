"""``openfisca-sp project``: the years printed, the report and JSON written; a bad scenario is one clear line
naming its file and line, exit code 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from openfisca_sp.cli import main
from openfisca_sp.population import PopulationError
from openfisca_sp.projection import project, read_scenario
from openfisca_sp.projection.scenario import ScenarioError, scenario_path
from openfisca_sp.report.projection_assumptions import assumptions_table
from openfisca_sp.synthetic import write_parquet
from tests.projection.scenarios import scenario_text, write_data, write_scenario


def test_project_prints_the_years_and_writes_the_report_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2027})
    report, data = tmp_path / "projection.html", tmp_path / "projection.json"
    assert main(["project", str(scenario), "--report", str(report), "--json", str(data), "--locale", "vi"]) == 0
    printed = capsys.readouterr().out
    assert "% of GDP" in printed and "2027" in printed and "reform" in printed
    page = report.read_text(encoding="utf-8")
    assert page.count('<svg role="img"') == 5 and 'lang="vi"' in page
    assert "Assumptions" in page and "World Population Prospects 2024" in page
    years = json.loads(data.read_text(encoding="utf-8"))["years"]
    assert [row["year"] for row in years] == [2026, 2026, 2027, 2027]


def test_project_writes_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform=None)
    assert main(["project", str(scenario), "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "" and lines[2].startswith("| year | side | cost per year | % of GDP |")
    assert lines[2].endswith("| poverty headcount | Gini |")
    assert lines[6] == "" and lines[7].startswith("- 2026: totals cover ")


def test_the_years_say_what_their_totals_cover_and_leave_out(capsys: pytest.CaptureFixture[str]) -> None:
    """Tajikistan's law provides state social pensions, which the baseline does not model, and its other branches
    are not modelled: the totals cover no branch in any year, and the years say so rather than a bare 0 (a review
    found its baseline social pension costing 0). Lao PDR's law has no social pension: its baseline's is 0, and
    covered."""
    assert main(["project", "scenario:tjk", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meta"]["scenario"] == "scenario:tjk"  # as the reader asked it, not the package's installed folder
    year = {(row["year"], row["side"]): row for row in data["years"]}
    for key in ((2026, "baseline"), (2027, "baseline"), (2027, "reform")):
        assert year[key]["covers"] == [] and year[key]["cost"] is None
    maternity = [row for row in data["branches"] if row["branch"] == "maternity"]
    assert maternity and all(row["beneficiaries"] is None and row["cost"] is None for row in maternity)
    assert main(["project", "scenario:tjk"]) == 0
    printed = capsys.readouterr().out.splitlines()
    below = printed[printed.index(next(line for line in printed if line.startswith("2026–2055: totals cover"))) :]
    assert below[0].startswith("2026–2055: totals cover no branch (none is modelled on both sides); not modelled: ")
    assert below[0].endswith("Social pension")
    # the old-age pension, which pays older persons, rests on unverified values: their coverage says so (it did not)
    assert below[1] == (
        "provisional: the coverage of older persons of 30 years (2026 to 2055) rests on rule values not verified "
        "(see openfisca-sp verification)"
    )
    assert below[2:] == [f"note: {note}" for note in data["meta"]["notes"]]  # the notes of the report and JSON
    assert main(["project", "scenario:lao", "--format", "json"]) == 0
    lao = {(row["year"], row["side"]): row for row in json.loads(capsys.readouterr().out)["years"]}
    assert "social_pension" in lao[(2027, "baseline")]["covers"] and lao[(2027, "reform")]["provisional"] is True


def test_a_bad_scenario_is_one_line_with_its_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("status: assumption", "status: maybe", 1))
    assert main(["project", str(scenario)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"openfisca-sp project: error: {scenario}:")
    assert "status must be one of" in error and len(error.splitlines()) == 1


def test_a_population_of_another_jurisdiction_than_the_scenarios_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A synthesized table names its jurisdiction: Tajik money is not projected with Viet Nam's rules."""
    table = write_parquet(tmp_path / "t.parquet", "tjk", 200, "2026-10", seed=1)
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform_from=2026)
    assert main(["project", str(scenario), "--population", str(table)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("openfisca-sp project: error: ") and "\n" not in error
    assert f"{table} is a population of 'tjk', not of 'vnm': the scenario {scenario} is for 'vnm'" in error


def test_a_population_of_another_month_than_the_base_month_is_refused_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An analyst's review: a table synthesized for 2025-10, given to a scenario of 2026-10, listed missing columns
    'insured_wage.2025-10' … and named no file, though its metadata states its month. So in Python and in a
    scenario's ``population:``."""
    table = write_parquet(tmp_path / "lao2025.parquet", "lao", 300, "2025-10", seed=1)
    said = f"{table} describes 2025-10 (its metadata); the scenario's base month is 2026-10"
    assert main(["project", "scenario:lao", "--population", str(table)]) == 2
    assert capsys.readouterr().err.strip() == f"openfisca-sp project: error: {said}"
    with pytest.raises(PopulationError, match=re.escape(said)):
        project("scenario:lao", population=str(table))
    scenario = write_scenario(tmp_path, jurisdiction="lao", population=str(table), reform_from=2027)
    line = next(n for n, text in enumerate(scenario.read_text().splitlines(), 1) if text.startswith("base_month:"))
    with pytest.raises(ScenarioError, match=re.escape(f"{scenario}:{line}: {said}")):
        read_scenario(scenario)


@pytest.mark.parametrize(
    ("reform", "cause"),
    [
        ("nope", "unknown reform 'nope': give a shipped reform"),
        ("lao_maternity_c183", "reform 'lao_maternity_c183' applies to lao, not to 'vnm'"),
    ],
)
def test_a_reform_that_cannot_be_had_is_named_at_its_line(
    tmp_path: Path, reform: str, cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform=reform, reform_from=2026)
    line = next(n for n, text in enumerate(scenario.read_text().splitlines(), 1) if text.startswith("reform:"))
    assert main(["project", str(scenario)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"openfisca-sp project: error: {scenario}:{line}: {cause}"), error


def test_an_unknown_shipped_scenario_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "scenario:fra"]) == 2
    assert "no scenario is shipped for 'fra'" in capsys.readouterr().err


def test_workers_run_the_years_side_by_side_with_the_same_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2028})
    assert main(["project", str(scenario), "--format", "json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert main(["project", str(scenario), "--format", "json", "--workers", "2"]) == 0
    forked = json.loads(capsys.readouterr().out)
    assert forked["years"] == alone["years"] and forked["branches"] == alone["branches"]


@pytest.mark.parametrize("workers", ["-1", "two", "257"])
def test_a_bad_number_of_workers_is_refused(workers: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["project", "scenario:vnm", "--workers", workers])
    assert exit_.value.code == 2
    said = f"expected a whole number from 0 to 256 (processes; 0: one per core), not '{workers}'"
    assert said in capsys.readouterr().err


def test_workers_and_dask_are_not_mixed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "scenario:vnm", "--workers", "2", "--dask", "local"]) == 2
    assert "with --dask, the cluster's workers run the years" in capsys.readouterr().err


def test_a_dask_address_that_is_none_is_said_with_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    """A hunt (stop 77): ``--dask nonsense`` was told "missing port number in address 'nonsense'" alone."""
    assert main(["project", "scenario:vnm", "--dask", "nonsense"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("openfisca-sp project: error: --dask nonsense: missing port number")
    assert error.endswith("(give a scheduler's address, tcp://host:8786, or 'local')")


@pytest.mark.parametrize("code", ["lao", "vnm", "tjk"])
def test_a_rate_given_by_a_method_is_written_by_name_never_as_nan(code: str) -> None:
    """Real wage growth ``productivity`` was written ``"value": NaN`` (no JSON: another program's parser failed)
    and shown as ``NaN.0000`` in the report's assumptions (found by an outside review)."""
    rows = read_scenario(scenario_path(f"scenario:{code}")).assumptions()
    assert {"assumption": "real_wage_growth", "value": "productivity"}.items() <= next(
        row for row in rows if row["value"] == "productivity"
    ).items()
    json.dumps(rows, allow_nan=False)  # raises on a NaN
    page = assumptions_table(rows)
    assert not any("NaN" in str(cell) for row in page.rows for cell in row)
    assert any("productivity" in str(cell) for row in page.rows for cell in row)


def test_a_one_year_projection_draws_its_year_and_the_tables_say_what_they_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review of the pages: one year drew empty charts whose axis ran from 1925 to 2125, the text alternative
    repeated the year; the Gini the JSON held was nowhere on the page, nor which poverty line, nor that the
    beneficiaries count only the benefits modelled on both sides (Tajikistan's baseline read 0)."""
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform_from=2026)
    report = tmp_path / "one.html"
    assert main(["project", str(scenario), "--report", str(report)]) == 0
    title = capsys.readouterr().out.splitlines()[0]  # the beneficiaries are persons, each once (an analyst's review)
    assert title.endswith(
        "beneficiaries: the persons paid at least one of the benefits the totals cover, each counted once)"
    )
    page = report.read_text(encoding="utf-8")
    assert "the beneficiaries are the persons paid at least one of them, each counted once" in page
    assert "in 2026, " not in page.split('id="charts"')[1].split("</section>")[0].replace("2026-", "")
    assert "<path" in page.split('id="cost"')[1].split("</svg>")[0]  # the year's point is drawn
    assert ">1925<" not in page and ">2125<" not in page
    assert "Gini, baseline" in page and "Gini, reform" in page
    assert "against the rural, urban poverty line" in page or "against the rural poverty line" in page
    assert "Cost and beneficiaries count the benefits whose amounts are modelled on both sides (" in page


def test_the_assumptions_are_written_for_a_reader() -> None:
    """A review of the pages: GDP read 12,847,600,000,000,000.0000 with no currency, rates 0.0620, the names as the
    scenario's keys and the statuses raw."""
    rows = read_scenario(scenario_path("scenario:vnm")).assumptions()
    page = assumptions_table(rows, "VND")
    text = [[str(cell.text) for cell in row] for row in page.rows]
    gdp = next(row for row in text if row[0] == "GDP of the base year")
    assert gdp[2].startswith("VND") and ".0000" not in gdp[2]
    growth = next(row for row in text if row[0] == "Real GDP growth")
    assert growth[2].endswith("%")
    assert not any(row[3] == "verified_2nd" for row in text)


def test_a_share_of_gdp_without_a_gdp_says_so_not_not_modelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second review: with no GDP in the scenario, the share read "not modelled", which the report defines as a
    rule without source, though the cost is modelled."""
    data = scenario_text(years={"first": 2026, "last": 2026}, reform=None)
    del data["assumptions"]["gdp"]
    scenario = write_data(tmp_path, "no_gdp.yaml", data)
    report = tmp_path / "report.html"
    assert main(["project", str(scenario), "--report", str(report)]) == 0
    printed = capsys.readouterr().out
    assert "no GDP assumption" in printed and "not modelled" not in printed.splitlines()[2]
    assert "no GDP assumption" in report.read_text(encoding="utf-8")


def test_a_reform_file_that_does_not_exist_is_refused_at_the_scenario_s_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second review: "[Errno 2] No such file or directory: 'nothere.yaml'", without the scenario's line."""
    scenario = write_scenario(tmp_path, "reform_missing.yaml", reform="nothere.yaml")
    assert main(["project", str(scenario)]) == 2
    error = capsys.readouterr().err
    assert f"{scenario}:" in error and "no reform file" in error and "Errno" not in error


def test_the_printed_years_give_costs_to_the_currency_s_smallest_unit() -> None:
    """TJS to the diram (a year's cost of TJS 1,024.10 a month is 12,289.20, not 12,289), VND whole; counts whole."""
    import pandas as pd

    from openfisca_sp.cli.projection import years_table

    years = pd.DataFrame(
        {
            "year": [2027, 2027],
            "side": ["baseline", "reform"],
            "cost": [12_289.2, None],
            "cost_share_of_gdp": [0.001, None],
            "beneficiaries": [1_234.4, None],
            "contributors": [5_000.0, 5_000.0],
            "older_persons_coverage": [0.5, 0.5],
            "poverty_headcount": [None, None],
            "gini": [0.3, 0.3],
        }
    )
    tajik, dong = years_table(years, 2), years_table(years, 0)
    assert list(tajik["cost per year"]) == ["12,289.20", "not modelled"]
    assert list(dong["cost per year"]) == ["12,289", "not modelled"]
    assert list(tajik["beneficiaries"]) == ["1,234", "not modelled"]


def test_the_printed_years_name_the_poverty_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A review as an analyst: Viet Nam's sample states no area, so a year's poverty headcount is against the rural
    line applied to everyone (12.73% in 2026, where compare gives 13.13% rural and 20.39% urban); the report said
    so under its table, the printed years (text and Markdown) did not name any line."""
    scenario = write_scenario(tmp_path, years={"first": 2026, "last": 2026}, reform=None)
    said = "poverty headcount: after benefits, against the rural poverty line applied to everyone (the table states "
    for form in ("text", "markdown"):
        assert main(["project", str(scenario), "--format", form]) == 0
        assert said in capsys.readouterr().out
    assert main(["project", "scenario:tjk", "--format", "text"]) == 0
    assert "poverty headcount: " not in capsys.readouterr().out  # no sourced line: the column says not modelled


def test_a_benefit_before_the_rules_decide_it_is_not_in_the_rules_not_a_cost_not_modelled() -> None:
    """A review found Lao PDR's social pension "not modelled" in 2026 and "LAK 0" in the baseline of 2030: the
    reform adds it from 2027, so no side's rules decide it in 2026 (nothing is left out: it is not in the rules),
    while a branch whose amount has no formula stays "not modelled"."""
    from openfisca_sp.report.projection import NOT_IN_RULES, branch_table

    branches = [
        {"year": 2027, "side": side, "branch": "social_pension", "label": "Social pension", "cost": cost}
        for side, cost in (("baseline", 0.0), ("reform", 1_834_088_960_580.0))
    ] + [
        {"year": year, "side": side, "branch": "old_age", "label": "Old-age pension", "cost": None}
        for year in (2026, 2027)
        for side in ("baseline", "reform")
    ]
    table = branch_table(branches, "LAK", 2026, 2027)
    rows = {row[0].text: [item.text for item in row[1:]] for row in table.rows}
    assert table.headers == ["Year", "Social pension", "Old-age pension"]
    assert rows["2026, baseline"] == rows["2026, reform"] == [NOT_IN_RULES, "not modelled"]
    assert rows["2027, baseline"][1] == rows["2027, reform"][1] == "not modelled"
    assert rows["2027, baseline"][0] != NOT_IN_RULES and rows["2027, reform"][0] != NOT_IN_RULES


def _vnm_table_with(tmp_path: Path, column: str, values: object) -> Path:
    """A 300-person Viet Nam table of 2026-10 whose ``column`` holds ``values`` (an Arrow array)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from openfisca_sp.synthetic import generate

    table = generate("vnm", 300, "2026-10", seed=3)
    array = pa.array(values(table.num_rows)) if callable(values) else values
    path = tmp_path / f"{column}.parquet"
    pq.write_table(table.set_column(table.column_names.index(column), column, array), path)
    return path


@pytest.mark.parametrize(
    ("column", "values", "said"),
    [
        ("sex", lambda rows: [1] * rows, "column 'sex': expected one of male, female (as text), found int64"),
        ("birth_date", lambda rows: [20000101] * rows, "column 'birth_date': expected dates, found int64"),
        (
            "birth_date",
            lambda rows: ["soon"] * rows,
            "column 'birth_date': expected ISO dates (YYYY-MM-DD), found text",
        ),
        ("weight", lambda rows: [-1.0] * rows, "column 'weight': weights must be finite and not negative; 300 rows"),
        ("sex", lambda rows: [["male"]] * rows, "column 'sex': expected one of male, female (as text), found list"),
        (  # compare and project said "expected text (such as 'not_separated')" where simulate names them all
            "separation_reason",
            lambda rows: [1.5] * rows,
            "column 'separation_reason': expected one of not_separated, dismissal, employer_closure, "
            "temporary_closure_disaster, end_of_contract, mutual_agreement, lawful_resignation, unlawful_resignation, "
            "misconduct, retirement (as text), found double",
        ),
    ],
)
def test_a_column_the_reweighting_or_the_breakdowns_read_is_checked_as_the_rules_check_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, values: object, said: str
) -> None:
    """A hunt (stop 77): ``sex`` coded 1 and 2 (as surveys code it), a birth date as a number or text, a list for
    a text: Arrow's tracebacks ("Function 'equal' has no kernel matching input types (int64, string)", "Unsupported
    cast from int64 to date32"); a negative weight was told "the person table has no one"."""
    path = _vnm_table_with(tmp_path, column, values)
    assert main(["project", "scenario:vnm", "--population", str(path)]) == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"openfisca-sp project: error: {path}: {said}"), error
    assert main(["compare", str(path), "--reform", "r202_social_pension"]) == 2  # the breakdowns read them too
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"openfisca-sp compare: error: {path}: column '{column}'"), error


def test_a_refusal_of_the_reweighting_s_columns_counts_rows_as_the_files_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hunt (stop 77): the check above first ran on the base table reordered for the claims' events, so a bad
    ``sex`` in a directory's second file was told at row 168 where ``simulate`` says 1,524, the file's row."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from openfisca_sp.synthetic import generate

    table = generate("vnm", 3000, "2026-10", seed=3)
    households = table.column("household_id").to_numpy()
    cut = int((np.flatnonzero(np.diff(households)) + 1)[700])
    folder = tmp_path / "parts"
    folder.mkdir()
    pq.write_table(table.slice(0, cut), folder / "part-0.parquet")
    second = table.slice(cut)
    sex = second.column_names.index("sex")
    pq.write_table(
        second.set_column(sex, "sex", pa.array(np.ones(second.num_rows, dtype=np.int64))), folder / "part-1.parquet"
    )
    said = f"column 'sex': unknown value '1' in {second.num_rows} rows (first: row {cut}, counted from 0)"
    for arguments in (
        ["simulate", str(folder), "--month", "2026-10", "--jurisdiction", "vnm"],
        ["project", "scenario:vnm", "--population", str(folder)],
    ):
        assert main(arguments) == 2
        assert said in capsys.readouterr().err, arguments
