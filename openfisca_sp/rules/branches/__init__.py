"""The branch catalogue: the four branches every jurisdiction decides, one file per branch.

A branch declares, in its file, the conditions of entitlement in the law's
order, the variables that give its results, every parameter name its formulas
read and what each part of its result needs. ``shared.py`` declares the
parameters outside the branches. Reforms may add branches of their own
(``extra_branches``).
"""

from openfisca_sp.rules.branches.disability import DISABILITY
from openfisca_sp.rules.branches.maternity import MATERNITY
from openfisca_sp.rules.branches.model import (
    AMOUNT,
    DURATION,
    ELIGIBILITY,
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
from openfisca_sp.rules.branches.unemployment import UNEMPLOYMENT

BRANCHES: dict[str, Branch] = {branch.code: branch for branch in (OLD_AGE, MATERNITY, UNEMPLOYMENT, DISABILITY)}

__all__ = [
    "AMOUNT",
    "BRANCHES",
    "DURATION",
    "ELIGIBILITY",
    "GROUPS",
    "WAITING_PERIOD",
    "Branch",
    "Condition",
    "Event",
    "ParameterGroup",
    "ParameterName",
    "Requirement",
]
