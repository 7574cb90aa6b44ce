"""What a population run gives back: per-person results of every branch, with the weights to total them."""

from __future__ import annotations

from collections.abc import Sequence
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
from openfisca_sp.rules.version import rules_version


def branches_of(system: Any) -> tuple[Branch, ...]:
    """The branches a system decides: the four of every jurisdiction, and those a reform adds."""
    return (*BRANCHES.values(), *getattr(system, "extra_branches", ()))


def branch_outputs(branch: Branch) -> tuple[str, ...]:
    """The per-person result columns of a branch: eligibility, reason, amounts, duration, provisional."""
    names = [branch.eligible, branch.reason, *branch.amount_variables, branch.provisional]
    if branch.amount_modelled:
        names.append(branch.amount_modelled)
    return tuple(names)


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
        """Per-person results as an Arrow table: ids, weight, then each result (enumerations by name)."""
        names = list(columns) if columns is not None else list(self.columns)
        arrays = {PERSON_ID: self.person_ids, HOUSEHOLD_ID: self.household_ids, "weight": self.weights}
        table = {key: pa.array(values) for key, values in arrays.items()}
        for name in names:
            table[name] = _arrow_column(self.system, name, self.columns[name])
        return pa.table(table)

    def to_frame(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Per-person results as a pandas DataFrame (enumerations as categoricals)."""
        return self.to_arrow(columns).to_pandas()

    def write_parquet(self, path: Any, columns: Sequence[str] | None = None) -> None:
        """Write per-person results to a Parquet file."""
        pq.write_table(self.to_arrow(columns), path, compression="zstd")


def _arrow_column(system: Any, name: str, values: np.ndarray) -> pa.Array:
    variable = system.variables[name]
    if variable.value_type is Enum:
        names = pa.array([item.name for item in variable.possible_values])
        return pa.DictionaryArray.from_arrays(pa.array(values.astype(np.int32)), names)
    return pa.array(values)
