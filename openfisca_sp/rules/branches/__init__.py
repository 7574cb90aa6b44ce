"""The branch catalogue: the four branches every jurisdiction decides, and the social pension, which a jurisdiction
decides where its parameters provide it; one file per branch.

A branch declares, in its file, the conditions of entitlement in the law's
order, the variables that give its results, every parameter name its formulas
read and what each part of its result needs. ``shared.py`` declares the
parameters outside the branches. Reforms may add branches of their own
(``extra_branches``).
"""

from typing import Any

from openfisca_sp.rules.branches.disability import DISABILITY
from openfisca_sp.rules.branches.maternity import MATERNITY
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    DURATION,
    ELIGIBILITY,
    FIRST_DAY,
    WAITING_PERIOD,
    Branch,
    Condition,
    Event,
    ParameterGroup,
    ParameterName,
    Requirement,
)
from openfisca_sp.rules.branches.old_age import OLD_AGE
from openfisca_sp.rules.branches.shared import GROUPS
from openfisca_sp.rules.branches.social_pension import SOCIAL_PENSION
from openfisca_sp.rules.branches.unemployment import UNEMPLOYMENT

EVERYWHERE = (OLD_AGE, MATERNITY, UNEMPLOYMENT, DISABILITY)  # the branches every jurisdiction decides
WHERE_PROVIDED = (SOCIAL_PENSION,)  # decided where the jurisdiction's parameters (or a reform) have its folder
BRANCHES: dict[str, Branch] = {branch.code: branch for branch in (*EVERYWHERE, *WHERE_PROVIDED)}


def decided_branches(system: Any) -> tuple[Branch, ...]:
    """The branches ``system`` decides: the four of every jurisdiction, those of the catalogue its parameters
    provide (Viet Nam's social pension), and those a reform adds."""
    children = getattr(getattr(system, "parameters", None), "children", {})
    provided = tuple(branch for branch in WHERE_PROVIDED if branch.code in children)
    extra = tuple(getattr(system, "extra_branches", ()))
    return tuple(dict.fromkeys((*EVERYWHERE, *provided, *extra)))


__all__ = [
    "AMOUNT",
    "BRANCHES",
    "DURATION",
    "ELIGIBILITY",
    "EVERYWHERE",
    "FIRST_DAY",
    "GROUPS",
    "WAITING_PERIOD",
    "WHERE_PROVIDED",
    "Branch",
    "Condition",
    "Event",
    "ParameterGroup",
    "ParameterName",
    "Requirement",
    "decided_branches",
]
