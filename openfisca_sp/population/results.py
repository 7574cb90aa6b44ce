"""What a population run gives back: per-person results of every branch, with the weights to total them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from openfisca_core.indexed_enums import Enum

from openfisca_sp.decisions.missing_facts import not_modelled
from openfisca_sp.population.claims import schedule_columns
from openfisca_sp.population.columns import HOUSEHOLD_ID, PERSON_ID
from openfisca_sp.population.month_totals import months_ending, totals_by_month, totals_over
from openfisca_sp.population.outputs import branches_of, lump_sum_unknown, modelled_flags, outputs_of
from openfisca_sp.population.totals import BranchSums
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.enums import COUNTED_DURATION_UNITS
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.version import rules_version
from openfisca_sp.rules.wording import noun_for


def unknown_values(branch: Branch, columns: Mapping[str, np.ndarray], system: Any) -> dict[str, np.ndarray]:
    """Where each result has no value, written as null: for an eligible person, an amount or waiting period the
    rules do not model, a duration that is no count (lifetime, until pensionable age, not modelled); the amount
    and lump sums of a decision not modelled; a lump sum not modelled where it may be owed
    (:func:`~.outputs.lump_sum_unknown`), as a decision tells it."""
    eligible = columns[branch.eligible]
    unknown = {
        name: eligible & ~columns[flag].astype(bool)
        for name, flag in modelled_flags(branch).items()
        if flag in columns and name not in branch.lump_sums
    }
    if branch.reason in columns:  # a decision not modelled tells no amount, as decide_claims tells none
        unmodelled = not_modelled(columns[branch.reason])
        unknown[branch.benefit] = unknown[branch.benefit] | unmodelled if branch.benefit in unknown else unmodelled
        unknown |= {name: lump_sum_unknown(columns, branch, name) for name in branch.lump_sums if name in columns}
    unit_name = f"{branch.benefit}_duration_unit"
    if unit_name in columns:
        units = system.variables[unit_name].possible_values
        counted = [units[name].index for name in COUNTED_DURATION_UNITS]
        unknown[f"{branch.benefit}_duration"] = eligible & ~np.isin(columns[unit_name], counted)
    return unknown


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

    @property
    def decimals(self) -> int:
        """The decimals of the jurisdiction's currency (TJS 2, to the diram): how notes write amounts."""
        return self.system.jurisdiction.amount_decimals

    def rules(self) -> dict[str, Any]:
        """The rules version that produced these results."""
        return rules_version(self.system, self.month)

    def totals(self) -> pd.DataFrame:
        """Per branch, for the month evaluated: who is paid (weighted), periodical payments, lump sums due, cost
        and average benefit (float64, NaN where not modelled), and the currency they are in (``currency``: TJS); see
        :mod:`~openfisca_sp.population.payments`."""
        return self._sums(self.month).totals()

    def costs_by_month(self, months: int = 12) -> pd.DataFrame:
        """What the claims of the table pay in each of the ``months`` months ending with the month evaluated,
        by branch (see :meth:`totals`); claims not dated in the table are counted as in payment throughout."""
        return totals_by_month([(month, self._sums(month)) for month in months_ending(self.month, months)])

    def _sums(self, month: str) -> BranchSums:
        """The sums of what the claims pay in ``month``, money in the jurisdiction's currency."""
        currency = self.system.jurisdiction.currency
        return BranchSums.of(self.weights, self.columns, self.branches, month, self.decimals, currency)

    def cost_over_year(self) -> pd.DataFrame:
        """Per branch, the cost of the 12 months ending with the month evaluated: periodical payments, lump
        sums and their total (float64; None where not modelled), and the beneficiaries of the average month."""
        return totals_over(self.costs_by_month(12), self.decimals)

    def to_arrow(self, columns: Sequence[str] | None = None) -> pa.Table:
        """Per-person results as an Arrow table: ids, weight, then each result (enumerations by name).

        A result with no value (an amount not modelled, a duration that is no count) is null, never a number.
        """
        names = asked_columns(columns, list(self.columns))
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


def _meant(name: str, known: Iterable[str]) -> str:
    close = closest_name(name, known)
    return f" (did you mean {close!r}?)" if close else ""


def _arrow_column(system: Any, name: str, values: np.ndarray, unknown: np.ndarray | None = None) -> pa.Array:
    variable = system.variables.get(name)
    if variable is None:  # a claim's date, benefit period or days a month: NaT and NaN written as null
        return pa.array(values, from_pandas=True)
    if variable.value_type is Enum:
        names = pa.array([item.name for item in variable.possible_values])
        return pa.DictionaryArray.from_arrays(pa.array(values.astype(np.int32)), names)
    return pa.array(values, mask=unknown if unknown is not None and unknown.any() else None)


def check_result_columns(system: Any, columns: Sequence[str] | None) -> None:
    """Raise :class:`ValueError` for a result column ``system`` does not compute (with the ones it does): its
    outputs, and each claim's date and benefit period."""
    branches = branches_of(system)
    asked_columns(
        columns, [*outputs_of(system, branches), *(name for branch in branches for name in schedule_columns(branch))]
    )


def asked_columns(asked: Sequence[str] | str | None, known: list[str]) -> list[str]:
    """The result columns asked, each of ``known`` (a name alone is one column; None: every one); else a
    :class:`ValueError` naming each unknown one, the closest to it, and those known (a KeyError of the first alone
    said no word of them; a name alone was read letter by letter by ``simulate_distributed``)."""
    names = list(known) if asked is None else [asked] if isinstance(asked, str) else list(asked)
    unknown = [name for name in names if name not in known]
    if unknown:
        said = ", ".join(f"{name!r}{_meant(name, known)}" for name in unknown)
        raise ValueError(
            f"unknown result {noun_for(len(unknown), 'column')} {said}; expected some of {', '.join(known)}"
        )
    return names
