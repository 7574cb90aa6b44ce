"""The population engine on a real dask.distributed cluster gives what a local run gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

from openfisca_sp.analysis.breakdowns import decile_cut_points
from openfisca_sp.analysis.comparison import compare, first_day_note, household_incomes
from openfisca_sp.analysis.survey import COLUMNS, income_column, survey_arrays
from openfisca_sp.distributed import (
    check_whole_households,
    compare_distributed,
    household_summary,
    income_cut_points,
    partitions,
    simulate_distributed,
)
from openfisca_sp.population import PopulationError, read_population, simulate
from openfisca_sp.reforms import load_reform
from openfisca_sp.rules.system import tax_benefit_system
from openfisca_sp.synthetic import write_parquet

MONTH = "2026-10"
PERSONS = 8000
COLUMNS_ASKED = ["old_age_pension_eligible", "old_age_pension_ineligibility_reason", "unemployment_benefit"]
REFORM_YAML = """\
label: Higher insured wage ceiling, maternity and unemployment benefits
jurisdiction: lao
description: A test reform that changes who is entitled and how much.
reference:
  - instrument: Test
    article: None
parameters:
  insured_wage.ceiling:
    2026-01-01: 6000000
  unemployment.benefit_rate:
    2026-01-01: 0.7
  unemployment.qualifying_period.minimum_months:
    2026-01-01: 6
  maternity.benefit_rate:
    2026-01-01: 0.9
  maternity.birth_grant.reference_wage_share:
    2026-01-01: 0.9
"""


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet(tmp_path_factory.mktemp("population"), "lao", PERSONS, MONTH, seed=11, partitions=4)


@pytest.fixture(scope="module")
def yaml_reform(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("reforms") / "test_reform.yaml"
    path.write_text(REFORM_YAML)
    return str(path)


def whole(path: Path) -> pa.Table:
    return pa.concat_tables([pq.read_table(file) for file in partitions(path)])


def write_parts(directory: Path, tables: list[pa.Table]) -> Path:
    directory.mkdir()
    for index, table in enumerate(tables):
        pq.write_table(table, directory / f"part-{index}.parquet")
    return directory


def local_cut_points(path: Path) -> np.ndarray:
    extra = (*COLUMNS, income_column(MONTH))
    inputs, analysis = read_population(str(path), [tax_benefit_system("lao")], MONTH, [()], extra_columns=extra)
    survey, _ = survey_arrays(analysis, MONTH)
    return decile_cut_points(household_incomes(inputs, survey), inputs.weights)


def same(left: object, right: object) -> bool:
    """Counts, labels, flags and None exactly; sums (float) to rounding."""
    if isinstance(left, float) and isinstance(right, float):
        return bool(np.isclose(left, right, rtol=1e-12, atol=0, equal_nan=True))
    return type(left) is type(right) and left == right


def assert_same_comparison(local, distributed) -> None:
    assert local.tables.keys() == distributed.tables.keys()
    for name, table in local.tables.items():
        other = distributed.tables[name]
        assert list(table.columns) == list(other.columns) and len(table) == len(other), name
        for column in table.columns:
            assert table[column].dtype == other[column].dtype, f"{name}.{column}"
            pairs = zip(table[column].tolist(), other[column].tolist(), strict=True)
            assert all(same(left, right) for left, right in pairs), f"{name}.{column}"
    for key in ("persons", "households", "notes", "rules", "reform", "month", "jurisdiction"):
        assert distributed.meta[key] == local.meta[key], key


def test_partitions(data: Path, tmp_path: Path) -> None:
    files = partitions(data)
    assert files == sorted(files) and len(files) == 4
    assert partitions(files[1]) == [files[1]]
    with pytest.raises(PopulationError, match="no such file"):
        partitions(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(PopulationError, match="no Parquet file"):
        partitions(tmp_path / "empty")


@pytest.mark.parametrize("reform", ["yaml", "r202_social_pension"])
def test_compare_equals_local(client: Client, data: Path, yaml_reform: str, reform: str) -> None:
    reform = yaml_reform if reform == "yaml" else reform
    steps = []
    distributed = compare_distributed(client, data, MONTH, reform, "lao", progress=lambda *step: steps.append(step))
    local = compare(data, MONTH, reform, "lao")
    assert_same_comparison(local, distributed)
    # the reform changes something: who is paid (Lao maternity, in days, has no cost, so no winners are told)
    branches = local.branches.set_index("branch").drop(index="all")
    counts = branches[["reform_beneficiaries", "baseline_beneficiaries"]].fillna(0)  # the counts alone: numbers
    assert (counts["reform_beneficiaries"] != counts["baseline_beneficiaries"]).any()
    assert steps == [(done, 4) for done in range(1, 5)]


def test_assumption_for_a_missing_column(client: Client, data: Path, tmp_path: Path) -> None:
    tables = [pq.read_table(file).drop_columns(["number_of_children_born"]) for file in partitions(data)]
    lacking = write_parts(tmp_path / "lacking", tables)
    assume = {"number_of_children_born": 1}
    distributed = compare_distributed(client, lacking, MONTH, "r202_social_pension", "lao", assume=assume)
    local = compare(lacking, MONTH, "r202_social_pension", "lao", assume=assume)
    assert_same_comparison(local, distributed)
    assert any("number_of_children_born = 1" in note for note in distributed.meta["notes"])


def test_cut_points_equal_local(client: Client, data: Path, tmp_path: Path) -> None:
    np.testing.assert_array_equal(income_cut_points(client, data, MONTH, "lao"), local_cut_points(data))
    tables = [pq.read_table(file) for file in partitions(data)]
    rng = np.random.default_rng(0)
    weights = tables[1].column("weight").to_numpy() * rng.choice([0.5, 1.0, 2.0], tables[1].num_rows)
    tables[1] = tables[1].set_column(tables[1].schema.get_field_index("weight"), "weight", pa.array(weights))
    varied = write_parts(tmp_path / "varied", tables)  # weights differ within households of one partition
    np.testing.assert_array_equal(income_cut_points(client, varied, MONTH, "lao"), local_cut_points(varied))


def test_simulate_equals_local(client: Client, data: Path, tmp_path: Path) -> None:
    steps = []
    totals, persons = simulate_distributed(
        client, data, MONTH, "lao", columns=COLUMNS_ASKED, progress=lambda *step: steps.append(step)
    )
    local = simulate(data, MONTH, "lao")
    pd.testing.assert_frame_equal(totals, local.totals(), check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(persons, local.to_frame(COLUMNS_ASKED))
    assert steps[-1] == (4, 4)
    totals, written = simulate_distributed(
        client, data, MONTH, "lao", reform="r202_social_pension", output_dir=tmp_path
    )
    reformed = simulate(data, MONTH, load_reform("r202_social_pension", tax_benefit_system("lao")))
    assert written.empty
    pd.testing.assert_frame_equal(totals, reformed.totals(), check_exact=False, rtol=1e-12)
    files = sorted(tmp_path.glob("part-*.parquet"))
    assert [file.name for file in files] == [f"part-{index:05d}.parquet" for index in range(4)]
    pd.testing.assert_frame_equal(pa.concat_tables(map(pq.read_table, files)).to_pandas(), reformed.to_frame())
    year, _ = simulate_distributed(client, data, MONTH, "lao", months=12)
    pd.testing.assert_frame_equal(year, local.cost_over_year(), check_exact=False, rtol=1e-12)


@pytest.mark.parametrize(
    ("asked", "told"),
    [
        ({"months": 10**6}, r"months: at most 1,522 end with 2026-10 .*, not 1000000"),
        ({"chunk_persons": 0}, r"chunk_persons must be a whole number of persons, 1 or more, not 0"),
        ({"progress": 5}, r"progress is a function called with \(done, in all\), or None; not int 5"),
        ({"claims_on_events": "no"}, r"claims_on_events is True or False, not str 'no'"),
    ],
)
def test_arguments_a_run_refuses_are_refused_before_any_task(
    client: Client, data: Path, asked: dict, told: str
) -> None:
    """A hunt (stop 79): ``months=10**6`` sent every partition a million months to simulate (the system killed the
    run for want of memory); ``compare_distributed(..., chunk_persons=0)`` ran, where ``compare`` refuses it."""
    transitions = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)
    with pytest.raises((ValueError, TypeError, PopulationError), match=told):
        simulate_distributed(client, data, MONTH, "lao", **asked)
    if "months" not in asked:
        with pytest.raises((TypeError, PopulationError), match=told):
            compare_distributed(client, data, MONTH, "r202_social_pension", "lao", **asked)
    assert client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter) == transitions


def test_a_result_column_named_alone_is_one_column(client: Client, data: Path) -> None:
    """A hunt (stop 79): ``columns="old_age_pension"`` was read letter by letter ("unknown result columns 'o', 'l',
    'd' …"), where ``PopulationResults.to_frame`` takes a name alone as one column."""
    _, persons = simulate_distributed(client, data, MONTH, "lao", columns="old_age_pension")
    assert list(persons.columns) == ["person_id", "household_id", "weight", "old_age_pension"]
    with pytest.raises(
        ValueError, match=r"unknown result column 'old_age_pensoin' \(did you mean 'old_age_pension'\?\)"
    ):
        simulate_distributed(client, data, MONTH, "lao", columns=["old_age_pensoin"])


def test_claims_on_the_first_day_on_the_cluster_as_locally(client: Client, data: Path) -> None:
    totals, persons = simulate_distributed(client, data, MONTH, "lao", columns=COLUMNS_ASKED, claims_on_events=False)
    local = simulate(data, MONTH, "lao", claims_on_events=False)
    pd.testing.assert_frame_equal(totals, local.totals(), check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(persons, local.to_frame(COLUMNS_ASKED))
    on_events = simulate(data, MONTH, "lao").to_frame(COLUMNS_ASKED)
    assert not persons.equals(on_events)  # the table dates claims on other days: the runs differ


def test_a_comparison_on_the_first_day_on_the_cluster_as_locally(client: Client, data: Path) -> None:
    local = compare(data, MONTH, "r202_social_pension", "lao", claims_on_events=False)
    distributed = compare_distributed(client, data, MONTH, "r202_social_pension", "lao", claims_on_events=False)
    assert_same_comparison(local, distributed)
    assert first_day_note(MONTH) in distributed.meta["notes"]


def test_missing_column_names_column_and_file(client: Client, data: Path, tmp_path: Path) -> None:
    tables = [pq.read_table(file) for file in partitions(data)]
    tables[2] = tables[2].drop_columns(["birth_date"])
    broken = write_parts(tmp_path / "broken", tables)
    for run in (
        lambda: compare_distributed(client, broken, MONTH, "r202_social_pension", "lao"),
        lambda: simulate_distributed(client, broken, MONTH, "lao"),
    ):
        with pytest.raises(PopulationError, match=r"part-2\.parquet.*missing column 'birth_date'"):
            run()


def test_split_household_is_refused(client: Client, data: Path, tmp_path: Path) -> None:
    table = whole(data)
    households = table.column("household_id").to_numpy()
    middle = int(np.flatnonzero(households[1:] == households[:-1])[len(households) // 4])  # inside a household
    split = write_parts(tmp_path / "split", [table.slice(0, middle + 1), table.slice(middle + 1)])
    message = rf"household {households[middle]} is in two partitions, .*part-0\.parquet and .*part-1\.parquet"
    with pytest.raises(PopulationError, match=message):
        compare_distributed(client, split, MONTH, "r202_social_pension", "lao")
    with pytest.raises(PopulationError, match=message):
        simulate_distributed(client, split, MONTH, "lao")
    summaries = [household_summary(file) for file in partitions(split)]
    with pytest.raises(PopulationError, match=message):
        check_whole_households(client, summaries, hash_bits=4)  # many collisions, one true match


def test_interleaved_households_are_accepted(client: Client, data: Path, tmp_path: Path) -> None:
    table = whole(data)
    households = table.column("household_id").to_numpy()
    odd = np.cumsum(np.r_[True, households[1:] != households[:-1]]) % 2 == 1
    parts = write_parts(tmp_path / "interleaved", [table.filter(pa.array(~odd)), table.filter(pa.array(odd))])
    totals, _ = simulate_distributed(client, parts, MONTH, "lao")  # ranges overlap: hashes prove no household split
    pd.testing.assert_frame_equal(totals, simulate(parts, MONTH, "lao").totals(), check_exact=False, rtol=1e-12)
    summaries = [household_summary(file) for file in partitions(parts)]
    check_whole_households(client, summaries, hash_bits=4)  # every hash collides: the ids clear them


def test_file_uri(client: Client, data: Path) -> None:
    uri = data.as_uri()
    assert partitions(uri) == [Path(file).as_uri() for file in partitions(data)]
    np.testing.assert_array_equal(income_cut_points(client, uri, MONTH, "lao"), local_cut_points(data))


def test_bad_arguments_fail_on_the_client(client: Client, data: Path) -> None:
    with pytest.raises(ValueError, match="unknown reform"):
        compare_distributed(client, data, MONTH, "no_such_reform", "lao")
    with pytest.raises(TypeError, match="each worker builds its own"):
        compare_distributed(client, data, MONTH, load_reform("r202_social_pension", tax_benefit_system("lao")))
    with pytest.raises(ValueError, match="unknown result column 'nope'"):
        simulate_distributed(client, data, MONTH, "lao", columns=["nope"])
    with pytest.raises(PopulationError, match="no such file"):
        simulate_distributed(client, data / "absent", MONTH, "lao")


def test_the_shipped_sample_runs_on_the_cluster_as_locally(client):
    local = compare("sample:lao", "2026-10", "r202_social_pension", "lao")
    remote = compare_distributed(client, "sample:lao", "2026-10", "r202_social_pension", "lao")
    for name, frame in local.tables.items():
        pd.testing.assert_frame_equal(frame, remote.tables[name], rtol=1e-12, obj=name)
