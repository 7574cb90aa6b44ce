"""Decisions per person and branch, from stated facts: eligible or not, why, how much, on what law.

Used by the HTTP API (``/eligibility``) and by anyone deciding a batch of person
records in Python::

    from openfisca_sp import tax_benefit_system
    from openfisca_sp.decisions import decide, facts_of, to_columns

    system = tax_benefit_system("vnm")
    columns = to_columns([{"sex": "female", "birth_date": "1990-01-01"}], facts_of(system), "2024-06")
    decisions = decide(system, columns, "2024-06", ["maternity"])
"""

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions, MissingFact, decide, decide_branch
from openfisca_sp.decisions.facts import Fact, facts_of
from openfisca_sp.decisions.households import Households, group_households
from openfisca_sp.decisions.legal_basis import LegalBasis, legal_basis
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import Columns, to_columns

__all__ = [
    "BranchDecisions",
    "Columns",
    "Decisions",
    "Fact",
    "Households",
    "LegalBasis",
    "MissingFact",
    "Outcome",
    "decide",
    "decide_branch",
    "facts_of",
    "group_households",
    "legal_basis",
    "to_columns",
]
