"""Law cases read the rules in force on their event's day, as ``/eligibility`` decides a claim.

openfisca-core's YAML test runner builds a plain simulation, whose formulas get the rules in force on their period's
first day. ``/eligibility`` and the population engine decide a claim with the rules in force on its event's day
(:class:`~.simulations.SimulationOnDate`): a value in force from 5 October applies to an assessment on the 20th. A
law case that sets ``event_date`` (``keywords: [overrides event_date]``) to one day of its period's month is computed
with the rules of that day in that month, as ``/eligibility`` computes it, wherever law cases run (``openfisca
test``, pytest, ``openfisca-sp check``); a case that sets no day, or several, as before (the month's first day).
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import Simulation, SimulationBuilder

from openfisca_sp.rules.simulations import SimulationOnDate

EVENT = "event_date"


def law_case_simulation(system: Any, period: Any, situation: Any) -> Any:
    """A law case's simulation of ``situation`` (its ``input``) in ``period``, built by openfisca-core's builder as
    ``openfisca test`` builds it, reading the rules of its event's day (:func:`on_the_event_day`)."""
    builder = SimulationBuilder()
    builder.set_default_period(period)
    return on_the_event_day(builder.build_from_dict(system, dict(situation)), period)


def on_the_event_day(simulation: Any, period: Any) -> Any:
    """``simulation`` (a law case's, of ``period``) reading, in its month, the rules in force on the one day its
    ``event_date`` input gives in that month (the same simulation, now a :class:`SimulationOnDate`); unchanged
    where the input gives no such day."""
    day = _event_day(simulation, period)
    if day is None or type(simulation) is not Simulation:
        return simulation
    simulation.__class__ = SimulationOnDate  # a Simulation made by openfisca-core's builder, as decisions read it
    simulation.read_on(day)
    return simulation


def _event_day(simulation: Any, period: Any) -> datetime.date | None:
    """The one day of ``period``'s month the case's ``event_date`` input gives (None: none, several, or another
    month's; a period other than a month)."""
    month = periods.period(period) if period is not None else None
    if month is None or month.unit != DateUnit.MONTH or month.size != 1:
        return None
    holder = simulation.get_holder(EVENT) if EVENT in simulation.tax_benefit_system.variables else None
    array = None if holder is None else holder.get_array(month)
    if array is None or not len(array):
        return None
    days = np.unique(np.asarray(array, dtype="datetime64[D]"))
    if len(days) != 1 or str(days[0].astype("datetime64[M]")) != str(month.start)[:7]:
        return None
    return days[0].astype(datetime.date)


def read_rules_on_the_event_day() -> None:
    """Make openfisca-core's YAML test runner compute a case with the rules of its event's day (idempotent)."""
    from openfisca_core.tools import test_runner  # it imports pytest: only where law cases run

    core = test_runner.YamlItem.check_output
    if getattr(core, "reads_the_event_day", False):
        return

    def check_output(item: Any) -> None:
        on_the_event_day(item.simulation, item.test.period)
        core(item)

    check_output.reads_the_event_day = True  # type: ignore[attr-defined]
    test_runner.YamlItem.check_output = check_output
