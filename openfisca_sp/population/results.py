"""What a population run gives back: per-person results of every branch, with the weights to total them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openfisca_core.indexed_enums import Enum

from openfisca_sp.population.columns import HOUSEHOLD_ID, PERSON_ID
from openfisca_sp.population.totals import BranchSums
from openfisca_sp.rules.branches import BRANCHES, Branch
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS
from openfisca_sp.rules.version import rules_version


def branches_of(system: Any) -> tuple[Branch, ...]:
    """The branches a system decides: the four of every jurisdiction, and those a reform adds."""
    return (*BRANCHES.values(), *getattr(system, "extra_branches", ()))


def branch_outputs(branch: Branch) -> tuple[str, ...]:
    """The per-person result columns of a branch: eligibility, reason, amounts, duration, provisional, and
    whether each amount is modelled."""
    names = [branch.eligible, branch.reason, *branch.amount_variables, branch.provisional]
    names += [f"{branch.benefit}_duration_unit", *_modelled_flags(branch).values()]
    return tuple(dict.fromkeys(names))


def _modelled_flags(branch: Branch) -> dict[str, str]:
    """Each result that may be not modelled, with the column saying whether it is."""
    flags = {name: f"{name}_modelled" for name in branch.lump_sums if name.endswith("lump_sum")}
    if branch.amount_modelled:
        flags[branch.benefit] = branch.amount_modelled
    if branch.waiting_days_modelled:
        flags[branch.waiting_days] = branch.waiting_days_modelled
    return flags


def unknown_values(branch: Branch, columns: Mapping[str, np.ndarray], system: Any) -> dict[str, np.ndarray]:
    """Where each result of an eligible person has no value: an amount or waiting period the rules do not
    model, a duration that is no count (lifetime, until pensionable age, not modelled). Written as null."""
    eligible = columns[branch.eligible]
    flags = _modelled_flags(branch)
    unknown = {name: eligible & ~columns[flag].astype(bool) for name, flag in flags.items() if flag in columns}
    unit_name = f"{branch.benefit}_duration_unit"
    if unit_name in columns:
        units = system.variables[unit_name].possible_values
        counted = [units[name].index for name in COUNTED_DURATION_UNITS]
        unknown[f"{branch.benefit}_duration"] = eligible & ~np.isin(columns[unit_name], counted)
    return unknown


def outputs_of(system: Any, branches: Sequence[Branch] | None = None) -> tuple[str, ...]:
    """Every result column of ``system``'s branches."""
    return tuple(name for branch in (branches or branches_of(system)) for name in branch_outputs(branch))


@dataclass
class PopulationResults:
    """Per-person results of one system over a population, with the weights to total them."""

    system: Any
    month: str
    person_ids: np.ndarray
    household_ids: np.ndarray  # each person's household id
    weights: np.ndarray
    columns: dict[str, np.ndarray]
    branches: tuple[Branch, ...]
    assumptions: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.person_ids)

    def rules(self) -> dict[str, Any]:
        """The rules version that produced these results."""
        return rules_version(self.system, self.month)

    def totals(self) -> pd.DataFrame:
        """Per branch: weighted beneficiaries, amounts payable for the month, average benefit (float64)."""
        return BranchSums.of(self.weights, self.columns, self.branches).totals()

    def to_arrow(self, columns: Sequence[str] | None = None) -> pa.Table:
        """Per-person results as an Arrow table: ids, weight, then each result (enumerations by name).

        A result with no value (an amount not modelled, a duration that is no count) is null, never a number.
        """
        names = list(columns) if columns is not None else list(self.columns)
        arrays = {PERSON_ID: self.person_ids, HOUSEHOLD_ID: self.household_ids, "weight": self.weights}
        table = {key: pa.array(values) for key, values in arrays.items()}
        unknown = {}
        for branch in self.branches:
            unknown.update(unknown_values(branch, self.columns, self.system))
        for name in names:
            table[name] = _arrow_column(self.system, name, self.columns[name], unknown.get(name))
        return pa.table(table)

    def to_frame(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-person results as a pandas DataFrame (enumerations as categoricals)."""
        return self.to_arrow(columns).to_pandas()

    def write_parquet(self, path: Any, columns: Sequence[str] | None = None) -> None:
        """Write per-person results to a Parquet file."""
        pq.write_table(self.to_arrow(columns), path, compression="zstd")


def _arrow_column(system: Any, name: str, values: np.ndarray, unknown: np.ndarray | None = None) -> pa.Array:
    variable = system.variables[name]
    if variable.value_type is Enum:
        names = pa.array([item.name for item in variable.possible_values])
        return pa.DictionaryArray.from_arrays(pa.array(values.astype(np.int32)), names)
    return pa.array(values, mask=unknown if unknown is not None and unknown.any() else None)
