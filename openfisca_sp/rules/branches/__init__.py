"""The branch catalogue: the four branches every jurisdiction decides, one file per branch.

A branch declares, in its file, the conditions of entitlement in the law's
order, the variables that give its results, and the parameters it reads.
Reforms may add branches of their own (``extra_branches``).
"""

from openfisca_sp.rules.branches.disability import DISABILITY
from openfisca_sp.rules.branches.maternity import MATERNITY
from openfisca_sp.rules.branches.model import Branch, Condition
from openfisca_sp.rules.branches.old_age import OLD_AGE
from openfisca_sp.rules.branches.unemployment import UNEMPLOYMENT

BRANCHES: dict[str, Branch] = {branch.code: branch for branch in (OLD_AGE, MATERNITY, UNEMPLOYMENT, DISABILITY)}

__all__ = ["BRANCHES", "Branch", "Condition"]
