"""The bounds the law gives a number fact (a person's stated input): never below 0, and at most a maximum for a
few (:data:`MAXIMA`) or for a unit (:data:`UNIT_MAXIMA`, a percentage). ``/eligibility`` refuses a fact out of
them (:mod:`~openfisca_sp.decisions.facts`); a law case or claim case stating one is refused at its line."""

from __future__ import annotations

from typing import Any

# The largest value a fact can take: no confinement has given more than 9 children (the largest multiple births
# recorded), so 20 refuses a typo (1,000,000 children paid a grant each) and nothing real.
# Viet Nam has four minimum-wage regions (I to IV; 0 is unknown): a 5 or a 99 was read as unknown, so the highest
# regional amount applied.
# A disability category is 1 (most severe) to 6 (Lao PDR's six categories; Tajikistan's groups and Viet Nam's
# levels are three): a 7 was decided as a category not covered rather than refused.
MAXIMA = {"number_of_children_born": 20, "minimum_wage_region": 4, "disability_category": 6}
# Upper bounds a fact's unit gives it, as its variable declares it: a percentage (``/100``, such as
# ``disability_degree``) is at most 100.
UNIT_MAXIMA = {"/100": 100.0}


def _shown(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def fact_range_problem(name: str, variable: Any, given: Any) -> str | None:
    """Why a number stated for the fact ``variable`` (alone, or per period) is out of the law's bounds: below 0
    (``contribution_months: -300``), or above its maximum (``disability_degree: 700``, a percentage); else None."""
    if variable.formulas or variable.value_type not in (int, float):
        return None
    highest = MAXIMA.get(name, UNIT_MAXIMA.get(getattr(variable, "unit", None) or ""))
    for value in given.values() if isinstance(given, dict) else [given]:
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if value < 0:
            return f"'{_shown(value)}' of '{name}' is below 0: a fact the law counts or measures is never negative"
        if highest is not None and value > highest:
            percent = " (a percentage: 70 for 70%)" if name not in MAXIMA else ""
            return f"'{_shown(value)}' of '{name}' is above {_shown(highest)}, the most it can be{percent}"
    return None
