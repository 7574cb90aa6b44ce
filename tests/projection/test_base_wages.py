"""A projection's person table is held to ``simulate``'s checks of its months of wages, every month it gives: a wage
above 0 before the month of the birth, fewer ``contribution_months`` than months with a wage above 0 (a review: a
projection checked the facts against each other in its first year alone, among the months that year's rules read).
And a later year, the table moved whole years, contradicts only where the base month does: checking the base month
is checking every year."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from openfisca_sp import tax_benefit_system
from openfisca_sp.population import unread_wages as unread_wages_module
from openfisca_sp.population.engine import read_population
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.outputs import outputs_of
from openfisca_sp.population.reading import read_table
from openfisca_sp.projection import read_scenario
from openfisca_sp.projection.ageing import MONEY_COLUMNS, move_table
from openfisca_sp.projection.base_wages import wage_findings
from openfisca_sp.projection.year import money_facts, year_inputs
from openfisca_sp.synthetic import write_parquet
from tests.population.fixtures import inputs_table
from tests.projection.scenarios import write_scenario
from tests.synthetic import persons

MONTH = "2026-10"
OLD = "insured_wage.2022-06"  # a month the table gives that no rule of 2026-10 reads
REFUSED = re.compile(r"column '([^']+)': (.*) in (\d+) rows? \(first: row (\d+),")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    """A synthesized Viet Nam table of 300 persons, its wages from 2022-05."""
    return pq.read_table(write_parquet(tmp_path_factory.mktemp("base") / "t.parquet", "vnm", 300, MONTH, seed=1))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return read_scenario(write_scenario(tmp_path_factory.mktemp("scenario"), years={"first": 2026, "last": 2027}))


def _with(table: pa.Table, row: int, **values: Any) -> pa.Table:
    for name, value in values.items():
        column = table.column(name).to_numpy(zero_copy_only=False).copy()
        column[row] = value
        table = table.set_column(
            table.column_names.index(name), name, pa.array(column, type=table.schema.field(name).type)
        )
    return table


def _young(table: pa.Table) -> int:
    """A person born after 2022-06 who has no wage (a child)."""
    birth = table.column("birth_date").to_numpy()
    return int(np.flatnonzero(birth > np.datetime64("2023-01-01"))[0])


@pytest.mark.parametrize("form", ["arrow", "parquet", "csv"])
def test_a_wage_no_rule_reads_before_the_birth_is_refused(table, scenario, form, tmp_path) -> None:
    row = _young(table)
    bad: Any = _with(table, row, **{OLD: 4_000_000.0})
    if form != "arrow":
        path = tmp_path / f"bad.{form}"
        pq.write_table(bad, path) if form == "parquet" else bad.to_pandas().to_csv(path, index=False)
        bad = str(path)
    with pytest.raises(PopulationError) as raised:
        year_inputs(scenario, bad)
    found = REFUSED.search(str(raised.value))
    assert found and found.group(1) == OLD, str(raised.value)
    assert (found.group(3), found.group(4)) == ("1", str(row)), str(raised.value)
    assert year_inputs(scenario, table).base.num_rows == table.num_rows  # the table as synthesized holds


def test_a_career_shorter_than_its_months_of_wages_no_rule_reads_is_refused(table, scenario) -> None:
    """Months paid from 2022-05 to 2024-09 (no rule of 2026-10 reads them) and the 24 after, of a career of 30."""
    birth = table.column("birth_date").to_numpy()
    row = int(np.flatnonzero(birth < np.datetime64("1990-01-01"))[0])
    months = {name: 4_000_000.0 for name in table.column_names if name.startswith("insured_wage.")}
    bad = _with(table, row, contribution_months=30, **months)
    with pytest.raises(PopulationError, match=rf"^column 'contribution_months': fewer months .* \(first: row {row},"):
        year_inputs(scenario, bad)


def _refusal(table: pa.Table, month: str) -> tuple[str, str, int, int] | None:
    """The first contradiction ``simulate`` finds in ``table`` at ``month``: its column (a month of a history given
    as its offset from ``month``), what it says, how many rows and the first; None if none."""
    system = tax_benefit_system("vnm")
    try:
        inputs, _ = read_population(table, [system], month, [outputs_of(system)])
        inputs.take(slice(0, inputs.count))
    except PopulationError as error:
        found = REFUSED.search(str(error))
        assert found, str(error)
        column = found.group(1)
        if re.fullmatch(r".*\.[0-9]{4}-[0-9]{2}", column):
            period = np.datetime64(column[-7:], "M")
            column = f"{column[:-8]} {(np.datetime64(month, 'M') - period).astype(int)} months before"
        return column, found.group(2), int(found.group(3)), int(found.group(4))
    return None


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 1_000),
    years=st.integers(1, 30),
    births=st.lists(st.one_of(st.integers(6_000, 25_000), st.integers(-10, 6_000)), min_size=6, max_size=6),
    careers=st.lists(st.one_of(st.integers(40, 400), st.integers(0, 40)), min_size=6, max_size=6),
    claims=st.lists(st.one_of(st.none(), st.integers(-400, 400)), min_size=6, max_size=6),
    leap=st.booleans(),
)
def test_a_later_year_contradicts_only_where_the_base_month_does(seed, years, births, careers, claims, leap) -> None:
    """Persons born within their months of wages (some on 29 February), with careers drawn short, and a claim's or a
    contract's date near their birth: the table moved ``years`` whole years is refused, at the moved month, only
    where the base table is refused at the base month, in the same column (its month as far before the month
    evaluated), rows and words; a 29 February moved to the 28th may only take a contradiction away."""
    inputs = persons(6, MONTH, seed)
    first = np.datetime64(MONTH, "D") - np.array(births).astype("timedelta64[D]")
    if leap:
        first[0] = np.datetime64("2024-02-29")
    inputs[("birth_date", "ETERNITY")] = first
    inputs[("contribution_months", MONTH)] = np.array(careers)
    shifts = np.array([0 if days is None else days for days in claims]).astype("timedelta64[D]")
    stated = np.array([days is not None for days in claims])
    inputs[("old_age_claim_date", MONTH)] = np.where(stated, first + shifts, np.datetime64("NaT", "D"))
    frame = inputs_table(inputs, MONTH)
    for name in ("old_age_claim_date", "birth_date"):
        frame[name] = pd.to_datetime(frame[name])
    base = pa.Table.from_pandas(frame, preserve_index=False)
    moved = move_table(base, years, 1.0, money_facts(tax_benefit_system("vnm")) | set(MONEY_COLUMNS))
    later = _refusal(moved, f"{int(MONTH[:4]) + years}{MONTH[4:]}")
    now = _refusal(base, MONTH)
    if later is not None:
        assert later == now, (later, now)
    elif now is not None:
        assert leap, now  # only a 29 February, moved to the 28th, takes a contradiction away
    event(f"refused: {now[0]}" if now else "passed")


def _findings_equal(one: Any, other: Any) -> bool:
    if (one.months, one.wanted) != (other.months, other.wanted) or (one.found is None) != (other.found is None):
        return False
    if one.found is None:
        return True
    fields = ("rows", "counted", "insured")
    same = all(np.array_equal(getattr(one.found, name), getattr(other.found, name)) for name in fields)
    wages = one.found.wages.keys() == other.found.wages.keys()
    return same and wages and all(np.array_equal(one.found.wages[m], other.found.wages[m]) for m in one.found.wages)


@pytest.mark.parametrize("form", ["arrow", "parquet", "csv"])
@pytest.mark.parametrize("held", ["some", "all", "none"])
def test_the_wages_found_on_columns_read_are_those_read_again(table, form, held, tmp_path, monkeypatch) -> None:
    """The check's findings with columns already read (the base table as read) taken from them are those read from
    the source, in blocks that do not match the file's row groups; the rows contradicting are found either way."""
    monkeypatch.setattr(unread_wages_module, "BATCH_ROWS", 70)
    young, old = _young(table), int(np.flatnonzero(table.column("birth_date").to_numpy() < np.datetime64("1990"))[0])
    bad = _with(table, young, **{OLD: 4_000_000.0, "insured_wage.2024-06": 1.0})
    bad = _with(bad, old, contribution_months=3, **{OLD: 5.0, "insured_wage.2025-01": 7.0})
    source: Any = bad
    if form != "arrow":
        source = tmp_path / f"bad.{form}"
        pq.write_table(bad, source, row_group_size=120) if form == "parquet" else bad.to_pandas().to_csv(source)
    months = [name for name in bad.column_names if name.startswith("insured_wage.")]
    columns = {"some": ["person_id", "birth_date", *months[::3]], "all": bad.column_names, "none": ["person_id"]}
    system = tax_benefit_system("vnm")
    alone = wage_findings(source, MONTH, system)
    assert alone.found is not None and young in alone.found.rows and old in alone.found.counted
    assert _findings_equal(wage_findings(source, MONTH, system, read_table(source, columns[held])), alone)
