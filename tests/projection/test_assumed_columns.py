"""A projection on a person table lacking columns the rules read: refused, saying how to state a value for the whole
column (``project --assume COLUMN=VALUE``, the scenario's ``assumptions: assume:``); stated, its figures are those
of a table stating that value for everyone, on this machine, in forked workers and on Dask, and the assumption is
in the projection's notes, its assumptions and its report. A review found ``project`` alone, of the analyst's
commands, without ``--assume``: a table lacking a column could not be projected at all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from distributed import Client

from openfisca_sp.cli import main
from openfisca_sp.distributed import project_distributed
from openfisca_sp.population import PopulationError
from openfisca_sp.population.errors import MissingColumnsError
from openfisca_sp.projection import ScenarioError, project, read_scenario
from openfisca_sp.projection.assumed import FOR_THE_RUN
from openfisca_sp.projection.forked import can_fork
from openfisca_sp.projection.scenario import with_assumptions
from openfisca_sp.projection.year import year_inputs
from openfisca_sp.rules.wording import count_value
from openfisca_sp.synthetic import write_parquet
from tests.population.test_distributed import client  # noqa: F401 - a LocalCluster of two workers
from tests.projection.scenarios import SOURCE, scenario_text, write_data

AVAILABLE, CAREER = "is_available_for_work", "career_average_insured_wage"
OWN = "insured_wage.2026-10"  # the base month's wage, which the table lacks (its history ends the month before)
WAGE = 6_000_000.0  # VND a month, in the base month: moved with the wage index as the table's own amounts
YEARS = {"first": 2026, "last": 2027}


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A Viet Nam table of 300 persons without two columns the rules read (Parquet and CSV), and the same table
    stating them for everyone."""
    folder = tmp_path_factory.mktemp("assumed")
    whole = pq.read_table(write_parquet(folder / "whole.parquet", "vnm", 300, "2026-10", seed=1))
    lacking = whole.drop_columns([AVAILABLE, CAREER])
    count = whole.num_rows
    stated = lacking.append_column(AVAILABLE, pa.array(np.ones(count, dtype=bool)))
    stated = stated.append_column(CAREER, pa.array(np.full(count, WAGE)))
    paths = {"lacking": folder / "lacking.parquet", "stated": folder / "stated.parquet", "csv": folder / "lack.csv"}
    pq.write_table(lacking, paths["lacking"])
    pq.write_table(stated, paths["stated"])
    pacsv.write_csv(lacking, paths["csv"])
    return paths


def _scenario(folder: Path, name: str = "scenario.yaml", **assume: dict) -> Path:
    data = scenario_text(years=YEARS)
    if assume:
        data["assumptions"]["assume"] = assume
    return write_data(folder, name, data)


def _same_figures(one, other) -> None:
    pd.testing.assert_frame_equal(one.years, other.years)
    pd.testing.assert_frame_equal(one.branches, other.branches)


def test_a_table_lacking_columns_is_refused_saying_how_to_state_them(
    tmp_path: Path, tables: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = _scenario(tmp_path)
    assert main(["project", str(scenario), "--population", str(tables["lacking"])]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"openfisca-sp project: error: {tables['lacking']}: missing columns ") and "\n" not in error
    assert f"'{CAREER}', '{AVAILABLE}': the rules read them at this month and the law gives no default" in error
    assert "project --assume COLUMN=VALUE for this run, or in the scenario, assumptions: assume: COLUMN:" in error
    with pytest.raises(MissingColumnsError) as caught:
        project(scenario, population=str(tables["lacking"]), assume={AVAILABLE: True})
    assert caught.value.columns == [CAREER]  # the other is stated


@pytest.mark.parametrize("column", ["sex", "birth_date"])
def test_a_table_without_the_reweighting_s_columns_is_refused_saying_why(
    tmp_path: Path, tables: dict[str, Path], column: str
) -> None:
    """The reweighting's columns: a table without sex was refused by pyarrow ('Field "sex" does not exist in
    schema'), then told to state it with ``--assume``, which could not work (a review: ``--assume sex=female``
    left no man, ``--assume birth_date=1980-01-01`` no one aged 0-44). The projection needs them from the table,
    and says so; an assumption of one is refused before anything runs, here and in the scenario at its line."""
    scenario = _scenario(tmp_path)
    unaged = tmp_path / "unaged.parquet"
    pq.write_table(pq.read_table(tables["stated"]).drop_columns([column]), unaged)
    why = f"a projection reads {column} from the person table: every year reweights the persons by sex and five-year"
    with pytest.raises(MissingColumnsError, match=f"missing column '{column}': {why}") as caught:
        project(scenario, population=str(unaged))
    assert "--assume" not in str(caught.value)
    value = "female" if column == "sex" else "1980-01-01"
    for population in (unaged, tables["stated"]):
        with pytest.raises(ValueError, match=f"^assumption '{column}': {why}"):
            project(scenario, population=str(population), assume={column: value})
    data = scenario_text(years=YEARS, population=str(unaged))
    data["assumptions"]["assume"] = {column: {"value": value, **SOURCE}}
    path = write_data(tmp_path, "aged.yaml", data)
    line = next(
        n
        for n, text in enumerate(path.read_text().splitlines(), 1)
        if text.strip().startswith("value:") and value in text
    )
    with pytest.raises(ScenarioError, match=re.escape(f"{path}:{line}: assumption '{column}': {why}")):
        project(path)


@pytest.mark.parametrize("given", [{OWN: 0, AVAILABLE: "TRUE"}, {"insured_wage": 0, AVAILABLE: "true"}])
def test_the_month_evaluated_s_wage_and_a_flag_in_text_are_stated_as_simulate_states_them(
    tmp_path: Path, tables: dict[str, Path], given: dict
) -> None:
    """A review: ``insured_wage.2026-10`` (read where a birth falls on or after the 15th) was refused as a column
    the rules do not read, ``insured_wage`` as one the table has (it has the months before), and ``TRUE`` (or
    ``"true"`` in Python) as not true or false; each gives the figures of a table stating it."""
    with_wage = tmp_path / "with-wage.parquet"
    table = pq.read_table(tables["stated"])
    pq.write_table(table.append_column(OWN, pa.array(np.zeros(table.num_rows))), with_wage)
    stated = project(_scenario(tmp_path, "plain.yaml"), population=str(with_wage))
    in_file = _scenario(tmp_path, **{CAREER: {"value": WAGE, **SOURCE}})
    _same_figures(project(in_file, population=str(tables["lacking"]), assume=given), stated)


def test_an_assumption_gives_the_figures_of_a_table_stating_it_for_everyone(
    tmp_path: Path, tables: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """On the command line (a CSV table, as ``simulate`` takes ``--assume``: true, a number) and in the scenario
    file (a Parquet table), with its source; the JSON, the printed notes and the report say each assumption."""
    plain = _scenario(tmp_path)
    stated = project(plain, population=str(tables["stated"]))
    data = tmp_path / "projection.json"
    report = tmp_path / "projection.html"
    command = ["project", str(plain), "--population", str(tables["csv"]), "--json", str(data)]
    given = ["--assume", f"{AVAILABLE}=true", "--assume", f"{CAREER}={WAGE:.0f}", "--report", str(report)]
    assert main([*command, *given]) == 0
    printed = capsys.readouterr().out
    run = json.loads(data.read_text(encoding="utf-8"))
    by_year = {(row["year"], row["side"]): row for row in run["years"]}
    for row in stated.years.to_dict(orient="records"):
        assert by_year[(row["year"], row["side"])]["cost"] == pytest.approx(row["cost"], rel=1e-12)
        # a count of persons written to a hundredth (the JSON's counts, as simulate's and compare's)
        assert by_year[(row["year"], row["side"])]["beneficiaries"] == count_value(row["beneficiaries"])
    rows = {row["column"]: row for row in run["assumptions"] if row.get("column")}
    assert rows[AVAILABLE] == {
        "assumption": f"{AVAILABLE} for every person",
        "column": AVAILABLE,
        "year": 2026,
        "value": True,
        "source": FOR_THE_RUN,
        "status": "assumption",
    }
    assert rows[CAREER]["value"] == WAGE
    said = [note for note in run["meta"]["notes"] if "stated assumption" in note]
    assert said == [
        f"{AVAILABLE} = True for every person, in the base month, moved to each year as the table's own columns are "
        f"(stated assumption: {FOR_THE_RUN}; status assumption)",
        f"{CAREER} = {WAGE:.0f} for every person, in the base month, moved to each year as the table's own columns are "
        f"(stated assumption: {FOR_THE_RUN}; status assumption)",
    ]
    assert all(f"note: {note}" in printed for note in said)
    page = report.read_text(encoding="utf-8")
    assert f"{CAREER} for every person" in page and "600000000.00%" not in page  # a cell, not a rate
    in_file = _scenario(
        tmp_path, "assumed.yaml", **{AVAILABLE: {"value": True, **SOURCE}, CAREER: {"value": WAGE, **SOURCE}}
    )
    assumed = project(in_file, population=str(tables["lacking"]))
    _same_figures(assumed, stated)
    rows = {row["column"]: row for row in assumed.to_dict()["assumptions"] if row.get("column")}
    assert rows[CAREER]["source"] == SOURCE["source"] and rows[CAREER]["status"] == "assumption"


def test_an_assumption_is_a_column_of_the_base_table_converted_once(tmp_path: Path, tables: dict[str, Path]) -> None:
    """Each year reads the assumed columns as the table's own, from the base converted once (not chunk by chunk
    in Arrow): money in float64, moved with the wage index."""
    scenario = with_assumptions(
        read_scenario(_scenario(tmp_path, **{AVAILABLE: {"value": True, **SOURCE}})), {CAREER: WAGE}
    )
    inputs = year_inputs(scenario, population=str(tables["lacking"]))
    assert inputs.assumed == frozenset({AVAILABLE, CAREER})
    assert inputs.base.column(CAREER).type == pa.float64() and inputs.base.column(AVAILABLE).type == pa.bool_()
    assert inputs.converted is not None
    assert {key[0] for key in inputs.converted.money} >= {CAREER} and AVAILABLE in {
        key[0] for key in inputs.converted.plain
    }


def test_the_command_line_overrides_the_scenario_s_value(tmp_path: Path, tables: dict[str, Path]) -> None:
    in_file = _scenario(tmp_path, **{AVAILABLE: {"value": True, **SOURCE}, CAREER: {"value": 3_000_000, **SOURCE}})
    overridden = project(in_file, population=str(tables["lacking"]), assume={CAREER: WAGE})
    _same_figures(overridden, project(_scenario(tmp_path, "plain.yaml"), population=str(tables["stated"])))
    rows = {row["column"]: row for row in overridden.to_dict()["assumptions"] if row.get("column")}
    assert (
        rows[CAREER]["value"] == WAGE and rows[CAREER]["source"] == f"{FOR_THE_RUN}, in place of the scenario's 3000000"
    )
    assert rows[AVAILABLE]["source"] == SOURCE["source"]


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (f"{AVAILABLE}=maybe", f"assumption '{AVAILABLE}': assumed value 'maybe' is not valid: expected true or false"),
        (f"{CAREER}=-5", f"assumption '{CAREER}': assumed value -5 is not valid: "),
        ("is_availabel_for_work=true", f"the rules have no fact 'is_availabel_for_work'; did you mean '{AVAILABLE}'?"),
        ("birth_date.2026-09=2000-01-01", "assumption 'birth_date.2026-09': the fact 'birth_date' has no history"),
        ("sex=female", "assumption 'sex': a projection reads sex from the person table: every year reweights"),
        ("contribution_months=60", "assumption 'contribution_months': the table has this column"),
        ("insured_wage.2026-13=0", "assumption 'insured_wage.2026-13': 2026-13 is no month (the months are 01 to 12)"),
        (f"{AVAILABLE}=null", f"assumption '{AVAILABLE}': no value assumed (None): an assumption needs a value"),
        ("pension_capital=0", "assumption 'pension_capital': the rules do not read such a column in 2026-10"),
    ],
)
def test_an_assumption_that_cannot_be_is_refused_naming_its_column_and_what_is_expected(
    tmp_path: Path, tables: dict[str, Path], given: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = _scenario(tmp_path, **{AVAILABLE: {"value": True, **SOURCE}, CAREER: {"value": WAGE, **SOURCE}})
    assert main(["project", str(scenario), "--population", str(tables["lacking"]), "--assume", given]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("openfisca-sp project: error: ") and said in error and "\n" not in error


def test_a_column_assumed_twice_is_refused(
    tmp_path: Path, tables: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: ``--assume is_available_for_work=true --assume is_available_for_work=false`` ran on one of them."""
    scenario = _scenario(tmp_path, **{CAREER: {"value": WAGE, **SOURCE}})
    given = ["--assume", f"{AVAILABLE}=true", "--assume", f"{AVAILABLE}=false"]
    assert main(["project", str(scenario), "--population", str(tables["lacking"]), *given]) == 2
    error = capsys.readouterr().err.strip()
    assert error == f"openfisca-sp project: error: --assume states '{AVAILABLE}' twice; state each column once"


def test_a_contradiction_with_an_assumed_wage_says_the_wage_was_assumed(
    tmp_path: Path, tables: dict[str, Path]
) -> None:
    """A review: a projection refused an assumed wage against a table's 0 months of contributions as if the table
    stated the wage."""
    wage = "insured_wage.2026-09"
    table = pq.read_table(tables["lacking"]).drop_columns([wage])
    months = table.column("contribution_months").to_numpy().copy()
    months[7] = 0
    table = table.set_column(
        table.schema.get_field_index("contribution_months"), "contribution_months", pa.array(months)
    )
    path = tmp_path / "no-wage.parquet"
    pq.write_table(table, path)
    scenario = _scenario(tmp_path, **{AVAILABLE: {"value": True, **SOURCE}, CAREER: {"value": WAGE, **SOURCE}})
    with pytest.raises(PopulationError) as raised:
        project(scenario, population=str(path), assume={wage: 5_000_000})
    message = str(raised.value)
    assert "column 'contribution_months': fewer months of contributions than months with an insured wage" in message
    assert message.endswith("(insured_wage: the value assumed for every person, not the table's)"), message


def test_a_scenario_s_assumption_is_checked_at_its_line(tmp_path: Path, tables: dict[str, Path]) -> None:
    def refused(entry: object, said: str, line_of: str, population: Path | None = None) -> None:
        data = scenario_text(years=YEARS, population=str(population or tables["lacking"]))
        data["assumptions"]["assume"] = {AVAILABLE: {"value": True, **SOURCE}, CAREER: entry}
        path = write_data(tmp_path, "bad.yaml", data)
        line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.strip().startswith(line_of))
        with pytest.raises(ScenarioError, match=re.escape(f"{path}:{line}: {said}")):
            project(path)

    refused({"value": -5, **SOURCE}, f"assumption '{CAREER}': assumed value -5 is not valid: ", "value: -5")
    refused({"value": WAGE, "status": "assumption"}, "'source' is missing", "value: 6000000")  # its mapping's line
    refused(
        {"value": WAGE, **SOURCE, "sources": "x"},
        f"unknown key 'sources' in the assumption for column '{CAREER}'; did you mean 'source'?",
        "sources:",
    )
    refused(WAGE, f"the assumption for column '{CAREER}' is a mapping of its value, source and status", f"{CAREER}:")
    refused(  # found against the table, which has the columns: the first is named at its line
        {"value": WAGE, **SOURCE},
        f"assumption '{AVAILABLE}': the table has this column",
        f"{AVAILABLE}:",
        population=tables["stated"],
    )


def test_forked_workers_and_a_dask_cluster_take_the_assumptions(
    client: Client,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    tables: dict[str, Path],
) -> None:
    in_file = _scenario(tmp_path, **{CAREER: {"value": WAGE, **SOURCE}})
    stated = project(_scenario(tmp_path, "plain.yaml"), population=str(tables["stated"]))
    if can_fork():
        _same_figures(project(in_file, population=str(tables["lacking"]), assume={AVAILABLE: True}, workers=2), stated)
    distributed = project_distributed(client, in_file, tables["lacking"], assume={AVAILABLE: True})
    columns = ["year", "side", "cost", "beneficiaries", "population", "contributors"]
    pd.testing.assert_frame_equal(distributed.years[columns], stated.years[columns], rtol=1e-12)
    assert [row for row in distributed.to_dict()["assumptions"] if row.get("column") == AVAILABLE]
    with pytest.raises(PopulationError, match=re.escape(f"{tables['lacking']}: missing column")):
        project_distributed(client, in_file, tables["lacking"])  # said once, from a worker's first year


def test_python_states_a_text_for_the_run_as_the_command_line_does(tmp_path: Path) -> None:
    """A review: ``assume={...: "240"}`` in Python was refused ("expected a number") where ``--assume ...=240`` took
    240: a text given for the run is read by the command line's reader."""
    scenario = read_scenario(_scenario(tmp_path, **{CAREER: {"value": 3_000_000, **SOURCE}}))
    as_text = with_assumptions(scenario, {CAREER: "6000000", AVAILABLE: "true"}).assume
    as_values = with_assumptions(scenario, {CAREER: 6_000_000, AVAILABLE: True}).assume
    assert as_text == as_values and {item.value for item in as_text} == {6_000_000, True}
    with pytest.raises(ValueError, match=f"assumption '{CAREER}': assumed value 'six' is not valid: expected a number"):
        with_assumptions(scenario, {CAREER: "six"})
