"""What an amount rests on besides the legal basis of its rules day: a maximum read on another day (Viet Nam's
unemployment cap, 5 × the regional minimum wage in force on the day the labour contract ended: Employment Law 2013
Art 50(1)), named with that day's values, their first day and status, first in the payments' ``method``.

The legal basis a decision cites (``rules_in_force.<rules_in_force_since>``) lists the values in force on the
claim's day; a cap taken on the end of the contract rests on those of that day, which may be older."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from openfisca_core.simulations import Simulation

from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.provenance import ValueProvenance, provenance_of
from openfisca_sp.rules.small_arrays import anyone
from openfisca_sp.rules.windows import NO_DATE

READ_ON = "_maximum_read_on"  # the variable ``<benefit>_maximum_read_on``: the day a branch's maximum was read on


def amount_notes(
    simulation: Simulation, branch: Any, month: str, rules_day: str, paid: np.ndarray
) -> np.ndarray | None:
    """Each ``paid`` claim's note on a maximum read on another day than ``rules_day`` whose values are not those in
    force on ``rules_day`` (None where none); None for a branch that reads none (no ``<benefit>_maximum_read_on``
    variable)."""
    variable = f"{branch.benefit}{READ_ON}"
    if variable not in simulation.tax_benefit_system.variables:
        return None
    notes = np.full(len(paid), None, dtype=object)
    if not anyone(paid):
        return notes
    period = parse_period(month)
    read_on = np.where(paid, np.asarray(simulation.calculate(variable, period), dtype="datetime64[D]"), NO_DATE)
    other_day = read_on > NO_DATE
    if not anyone(other_day):
        return notes
    maximum = simulation.tax_benefit_system.get_parameters_at_instant(rules_day)[branch.code].maximum  # cached
    prefixes = {name: f"reference_amounts.{name}" for name in maximum}
    system = simulation.tax_benefit_system
    regions = np.asarray(simulation.calculate("minimum_wage_region", period))
    for day in np.unique(read_on[other_day]).astype(str).tolist():  # a few days
        if all(_in_force(system, prefix, day) == _in_force(system, prefix, rules_day) for prefix in prefixes.values()):
            continue  # the values its legal basis lists
        on_day = read_on == np.datetime64(day)
        for region in np.unique(regions[on_day]).tolist():
            values = " + ".join(
                f"{float(maximum[name]):g} × {_values(_in_force(system, prefix, day), region)}"
                for name, prefix in prefixes.items()
            )
            notes[on_day & (regions == region)] = (
                f"capped at the maximum in force on {day}, the day the labour contract ended (not on the claim's "
                f"day, whose values its legal basis lists): {values}"
            )
    return notes


@lru_cache(maxsize=1024)
def _in_force(tax_benefit_system: Any, prefix: str, day: str) -> tuple[ValueProvenance, ...]:
    """The values in force on ``day`` under ``prefix`` (read once: the index scans every parameter's name)."""
    return tuple(provenance_of(tax_benefit_system).in_force(prefix, day))


def _values(records: tuple[ValueProvenance, ...], region: int) -> str:
    """The values in force a person's maximum reads: their region's where it is named, else every region's (the
    highest applies to a region not known)."""
    own = [record for record in records if record.parameter.endswith(f".region_{region}")]
    listed = ", ".join(
        f"{record.parameter} {record.value} (in force from {record.start}, {record.status})"
        for record in own or records
    )
    return listed if own or len(records) == 1 else f"the highest of {listed}"
