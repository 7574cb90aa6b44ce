"""A law case's input that the rules compute: the case overrides the law, and passes whatever the law says.

openfisca-core sets an input over a variable's formula: ``maternity_benefit: 2400000`` under ``input`` replaces
what the law computes, and an output of the same variable checks the input against itself (an outside review:
such a case passed ``check`` and ``openfisca test`` with 2 months of contributions where the law asks 9). An input
with a formula in force in the case's period is refused, unless the case says it overrides it on purpose, in its
``keywords`` (openfisca-core's key for a case's labels): ``keywords: [overrides maternity_benefit]``. None of the
shipped cases gives a computed variable as an input.
"""

from __future__ import annotations

from typing import Any

from openfisca_core.periods import DateUnit

OVERRIDES = "overrides"  # keywords: [overrides <variable>]


def declared_overrides(case: dict[str, Any]) -> dict[str, str]:
    """The variables a case says it overrides on purpose, each with the keyword that says so."""
    keywords = case.get("keywords")
    found = {}
    for keyword in keywords if isinstance(keywords, list) else [keywords]:
        words = str(keyword).split() if keyword is not None else []
        if len(words) == 2 and words[0] == OVERRIDES:
            found[words[1]] = str(keyword)
    return found


def is_computed(variable: Any, period: Any) -> bool:
    """Whether the rules compute ``variable`` in ``period`` (in some period, when the case's is not known, or is
    ``ETERNITY``: no day to find a formula at, where openfisca-core's lookup raised pendulum's "year -1")."""
    if period is None or period.unit == DateUnit.ETERNITY:
        return bool(variable.formulas)
    return variable.get_formula(period) is not None


def computed_input_problem(name: str, variable: Any, period: Any, overrides: dict[str, str]) -> str | None:
    """Why an input of ``name`` is refused (the rules compute it, and the case does not say it overrides it)."""
    if name in overrides or not is_computed(variable, period):
        return None
    return (
        f"'{name}' is computed by the rules (it has a formula): as an input it replaces what the law computes, and "
        f"the case tests nothing of it; move it to output to check it, or, if the case overrides it on purpose, "
        f"say so: keywords: [{OVERRIDES} {name}]"
    )


def stated_output_problem(name: str, variable: Any, period: Any) -> str | None:
    """Why an output of ``name`` is refused: no rule computes it (a fact a case states), so the case compares the
    input it gives, or the fact's default, with itself, and cannot fail whatever the law says."""
    if is_computed(variable, period):
        return None
    return (
        f"'{name}' is a fact the case states, not computed by the rules (it has no formula): as an output it checks "
        "only the input given or its default, and cannot fail whatever the law says; move it to input, and expect "
        "what the rules compute from it"
    )
