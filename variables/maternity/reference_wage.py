"""Reference wage of maternity benefit (previous earnings, ILO C102 Art 65; C183 Art 6(3))."""

from datetime import date
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_sp.rules import formulas
from openfisca_sp.rules.entities import Person
from openfisca_sp.rules.enums import PregnancyOutcome
from openfisca_sp.rules.latest_months import MONTHS_BACK, LatestMonths, contributed_back, latest_contributed


def _claims(person, period, parameters) -> tuple[Any, np.ndarray | None, np.ndarray] | None:
    """Where the law averages the latest months with contributions (``reference_wage.contributed_months_only``): its
    rules, the claimants (a confinement recorded; None: everyone) and whether the month of the birth is the latest
    of theirs (a bool each); else None."""
    node = formulas.branch(parameters, period, "maternity")
    if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
        return None
    rules = node.reference_wage
    if not formulas.averages_latest_contributed(rules):
        return None
    rows = np.flatnonzero(person("pregnancy_outcome", period) != PregnancyOutcome.none)
    rows = None if len(rows) == person.count else rows
    own = np.zeros(person.count if rows is None else len(rows), dtype=bool)
    if formulas.has(rules, "birth_month_counted") and bool(rules.birth_month_counted):
        own = np.asarray(person("maternity_birth_month_counted", period), dtype=bool)
        own = own if rows is None else own[rows]
    return rules, rows, own


def _latest(person, period, parameters) -> tuple[np.ndarray | None, LatestMonths, np.ndarray] | None:
    """The claimants (None: everyone), their latest months with contributions and whether the month of the birth is
    among them (:func:`_claims`); None where the law averages other months."""
    claims = _claims(person, period, parameters)
    if claims is None:
        return None
    rules, rows, own = claims
    ceiling = formulas.branch_ceiling(person, period, parameters, "maternity", rules)
    return rows, latest_contributed(person, period, int(rules.averaging_months), ceiling, rows, own), own


def _everyone(person, rows: np.ndarray | None, values: np.ndarray, others: Any) -> np.ndarray:
    """Everyone's values: ``values`` of the claimants at ``rows`` (None: everyone), ``others`` for the rest."""
    if rows is None:
        return values
    spread = np.full(person.count, others, dtype=values.dtype)
    spread[rows] = values
    return spread


class maternity_reference_wage(Variable):
    value_type = float
    entity = Person
    label = "Reference wage of maternity benefit (monthly)"
    unit = "currency"
    definition_period = DateUnit.MONTH
    reference = (
        "Parameters maternity.reference_wage.averaging_months, contributed_months_only and birth_month_counted (Viet "
        "Nam: Circular 59/2015 Art 12(1)(a), the latest months with contributions, a gap skipped, the month of a "
        "birth on or after the 15th among them where contributed)"
    )
    documentation = (
        "Where the law averages the latest months with contributions, those of a woman with a confinement recorded "
        "(0 for anyone else: no claim), looked for 24 months back at most (an engine bound: the law sets none)."
    )

    def formula(person, period, parameters):
        node = formulas.branch(parameters, period, "maternity")
        if node is None or not formulas.has(node, "reference_wage", "averaging_months"):
            return person.filled_array(0)
        found = _latest(person, period, parameters)
        if found is None:
            ceiling = formulas.branch_ceiling(person, period, parameters, "maternity", node.reference_wage)
            return formulas.reference_wage(person, period, node.reference_wage, ceiling)
        rows, latest, _ = found
        return _everyone(person, rows, latest.average(), 0.0)


class maternity_reference_wage_short_history(Variable):
    value_type = bool
    entity = Person
    label = "The latest months with contributions averaged are fewer than the law's, though more were contributed"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.reference_wage.contributed_months_only"
    documentation = (
        "Where the law averages the latest months with contributions, the engine looks for them 24 months back at "
        "most (the law sets no bound): a woman with a confinement who has fewer in them, and more months in her "
        "career (contribution_months, the months before the birth's), is averaged over those found and her "
        "decision is provisional: the law averages 6 (Circular 59/2015 Art 12(1)(a))."
    )

    def formula(person, period, parameters):
        claims = _claims(person, period, parameters)
        if claims is None:
            return person.filled_array(False)
        rules, rows, own = claims
        months = int(rules.averaging_months)
        before = contributed_back(person, period, months, rows, own)  # those the career counts: before the birth's
        career = np.asarray(person("contribution_months", period))
        short = (before + own < months) & ((career if rows is None else career[rows]) > before)
        return _everyone(person, rows, short, False)


class maternity_reference_wage_first_month(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    label = "First day of the oldest month of insured wage the maternity reference wage reads"
    definition_period = DateUnit.MONTH
    reference = "Parameter maternity.reference_wage.contributed_months_only"
    documentation = (
        "Where the law averages the latest months with contributions: the last of them found, where all are (no "
        "month before it is read), else the furthest month looked at; 24 months back elsewhere. A month of wages "
        "before it is never asked for the amount."
    )

    def formula(person, period, parameters):
        furthest = np.datetime64(period.start.date, "M") - MONTHS_BACK
        found = _latest(person, period, parameters)
        if found is None:
            return np.full(person.count, furthest).astype("datetime64[D]")
        rows, latest, _ = found
        return _everyone(person, rows, latest.first, furthest).astype("datetime64[D]")
