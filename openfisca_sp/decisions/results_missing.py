"""The facts a branch's results (its amount, duration and lump sums) read that a person did not state, and for
whom: the decision stands, and what turns on them is not told (:mod:`.branch_decisions`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.simulations import Simulation

from openfisca_sp.decisions.missing_facts import FactKey, MissingFact, missing_by_key
from openfisca_sp.decisions.months_read import MonthsRead
from openfisca_sp.decisions.records import Columns
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone


def results_missing(
    simulation: Simulation,
    columns: Columns,
    branch: Branch,
    month: str,
    keys: Any,
    optional: Any,
    read: MonthsRead | None = None,
) -> list[tuple[FactKey, MissingFact]]:
    """:func:`~.missing_facts.missing_by_key` for facts the branch's results read, each lacking only where the
    results turn on it (``Branch.result_facts_only_where``: no number of children born after a pregnancy loss)."""
    where_read = dict(branch.result_facts_only_where)
    found = []
    for key, fact in missing_by_key(columns, keys, month, optional, read):
        variable = where_read.get(key[0])
        if variable is not None and anyone(fact.lacking):
            turns_on = np.asarray(simulation.calculate(variable, parse_period(month)), dtype=bool)
            fact = MissingFact(fact.label, fact.lacking & turns_on)
        found.append((key, fact))
    return found


def lump_sum_missing(
    simulation: Simulation,
    columns: Columns,
    branch: Branch,
    name: str,
    month: str,
    keys: Any,
    optional: Any,
    told: tuple,
) -> tuple[list[MissingFact], np.ndarray]:
    """The facts among ``keys`` (those the lump sum ``name`` reads beyond the conditions) that are not stated, for
    whom, and who cannot be told the lump sum for it: the decided persons it is for (``<name>_entitled``), or may be
    on an optional fact it turns on (``Branch.lump_sum_facts``, where ``result_facts_only_where`` says). Someone
    refused the benefit may be owed a lump sum (the old-age lump sum after too short a career): it is not told
    rather than told as 0. ``told``: the facts already told missing with the benefit's amount, and to whom."""
    decided, told_keys, told_to = told
    period = parse_period(month)
    entitled = np.asarray(simulation.calculate(f"{name}_entitled", period), dtype=bool)
    for fact, variable in branch.result_facts_only_where:  # one it may be owed to, on an optional fact not stated
        if fact in branch.lump_sum_facts:
            entitled = entitled | np.asarray(simulation.calculate(variable, period), dtype=bool)
    entitled &= decided
    unknown = np.zeros(len(entitled), dtype=bool)
    found = []
    if anyone(entitled):
        for key, fact in results_missing(simulation, columns, branch, month, keys, optional):
            lacking = fact.lacking & entitled
            unknown |= lacking
            new = lacking & ~told_to if key in told_keys else lacking
            if anyone(new):
                found.append(MissingFact(fact.label, new))
    return found, unknown
