"""The base table of a projection with the columns its assumptions state (:mod:`~.assumed`), and the refusal of a
table lacking a column the rules read that nothing states, saying how to state one.

Each assumed column is built once, a constant column of the base table typed as a table's own would be (a name of
an enumeration dictionary-encoded, a date as a date, money in float64): every year then moves it and reads it as
the table's own columns (a date by whole years, money with the wage index), through the same conversion, so a
projection with an assumption is the projection of a table that states that value for everyone, and costs no more
per year.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.decisions.facts import facts_of
from openfisca_sp.population.columns import ColumnNeed
from openfisca_sp.population.engine import claim_months, needs_of
from openfisca_sp.population.errors import MissingColumnsError, PopulationError
from openfisca_sp.population.fact_arrays import constant_array, fact_array
from openfisca_sp.population.missing_columns import (
    check_assumptions,
    missing_columns_message,
    stating,
    unfilled_columns,
)
from openfisca_sp.population.weights import checked_weights
from openfisca_sp.projection.assumed import AGEING_COLUMNS, Assumed, column_need, read_from_the_table
from openfisca_sp.projection.scenario import Scenario
from openfisca_sp.projection.scenario_reader import ScenarioError

PROJECTION_HOW = (
    "project --assume COLUMN=VALUE for this run, or in the scenario, assumptions: assume: COLUMN: {value: ..., "
    "source: ..., status: ...} (docs/projections.md)"
)


def constant_column(need: ColumnNeed, value: Any, count: int, source: str | None) -> pa.Array:
    """``count`` rows of ``value``, checked as a table's cell would be (:func:`constant_array`), typed as a table's
    own column is read: an enumeration's name dictionary-encoded, a date as a date, a number as the rules hold it
    (money in float64)."""
    single = constant_array(need, value, 1, source)
    if need.fact.enum_names:
        return pa.DictionaryArray.from_arrays(pa.array(np.zeros(count, dtype=np.int32)), pa.array([str(value)]))
    return pa.array(np.full(count, single[0], dtype=single.dtype))


def assumed_base(
    table: pa.Table,
    assume: Sequence[Assumed],
    needs: Sequence[ColumnNeed],
    month: str,
    source: str | None,
    scenario_file: Path | None = None,
) -> tuple[pa.Table, frozenset[str]]:
    """``table`` with a constant column for each column the rules read at ``month`` (``needs``) that it lacks and
    an assumption states (by its name, or by its fact's for every month of it), and the facts so stated. An
    assumption the rules do not read, or of a column the table has, is refused (at its line of
    ``scenario_file`` where the scenario states it), as is a column the rules read that the table lacks with no
    default in law and no assumption (saying how to state one)."""
    present = set(table.column_names)
    values = {item.column: item.value for item in assume}
    for item in assume:
        try:
            check_assumptions(values, list(needs), present, month, source, (item.column,))
        except PopulationError as error:
            if item.line is None or scenario_file is None:
                raise
            raise ScenarioError(scenario_file, item.line, error.detail) from None
    given = {item.column: item for item in assume}
    refuse_unfilled(needs, present, given, source)
    stated: set[str] = set()
    for need in needs:
        name = stating(need, given)
        if need.column in present or name is None:
            continue
        column = name if name in need.names else need.column  # as a table stating it would name it
        table = table.append_column(column, constant_column(need, given[name].value, table.num_rows, source))
        present.add(need.column)
        stated.add(need.variable)
    return table, frozenset(stated)


def refuse_unfilled(
    needs: Sequence[ColumnNeed], present: Collection[str], given: Collection[str], source: str | None
) -> None:
    """Refuse a table lacking columns the rules read (``needs``) that nothing fills, before any year runs: the
    error names them and how a projection states an assumption."""
    unfilled = unfilled_columns(needs, present, given)
    if unfilled:
        by_column = {need.column: need for need in needs}
        raise MissingColumnsError(missing_columns_message(unfilled, by_column, None, PROJECTION_HOW), unfilled, source)


def check_ageing_columns(table: pa.Table, source: str | None) -> None:
    """Refuse a table lacking a column the reweighting reads (:data:`AGEING_COLUMNS`), before any other: a
    projection reads them from the table, and no assumption states them (:func:`~.assumed.check_value`)."""
    for name in AGEING_COLUMNS:
        if name not in table.column_names:
            raise MissingColumnsError(
                f"missing column '{name}': {read_from_the_table(name)} (give a person table with the column)",
                [name],
                source,
            )


def check_ageing_values(table: pa.Table, source: str | None, system: Any, month: str) -> None:
    """:func:`check_ageing_columns`, then their values and the weights as the rules' run checks them (``system``'s
    facts at ``month``), in its words, before the reweighting reads them (``sex`` coded 1 and 2 raised Arrow's
    error, a negative weight was told "the person table has no one"). Called on the table as read, so that a
    refusal's rows are the source's."""
    check_ageing_columns(table, source)
    facts = facts_of(system)
    for name in AGEING_COLUMNS:
        fact_array(table.column(name), column_need(name, facts, month), source)
    checked_weights(table, source)


def base_with_assumptions(
    base: pa.Table, scenario: Scenario, systems: Sequence[Any], outputs: Sequence[Sequence[str]], source: str | None
) -> tuple[pa.Table, frozenset[str]]:
    """The base table read (``base``) with the columns the ``scenario``'s assumptions state (:func:`assumed_base`),
    for what the ``systems`` read of it for ``outputs`` in the base month (the claims its event dates put in other
    months included), once it has the columns the reweighting reads (:func:`check_ageing_columns`); the facts so
    stated."""
    month = scenario.base_month
    check_ageing_columns(base, source)
    needs = needs_of(systems, month, outputs, claim_months(base, systems, month), base.column_names)
    return assumed_base(base, scenario.assume, needs, month, source, scenario.path)
