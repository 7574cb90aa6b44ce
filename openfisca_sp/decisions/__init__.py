"""Decisions per person and branch, from stated facts: eligible or not, why, how much, on what law.

Used by the HTTP API (``/eligibility``) and by anyone deciding a batch of person
records in Python::

    import datetime
    from openfisca_sp import tax_benefit_system
    from openfisca_sp.decisions import decide_claims

    record = {"sex": "female", "birth_date": datetime.date(1990, 1, 1), "pregnancy_outcome": "live_birth",
              "child_birth_date": datetime.date(2024, 5, 28)}
    decisions = decide_claims(tax_benefit_system("vnm"), [record], datetime.date(2024, 6, 15), ["maternity"])

Each claim is decided on the date of its event (:mod:`~.claims`).
"""

from openfisca_sp.decisions.branch_decisions import BranchDecisions, Decisions, MissingFact, decide_branch
from openfisca_sp.decisions.claims import decide_claims
from openfisca_sp.decisions.facts import Fact, facts_of
from openfisca_sp.decisions.households import Households, group_households
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.decisions.records import Columns, RecordColumns, read_records, to_columns
from openfisca_sp.rules.legal_basis import LegalBasis, legal_basis

__all__ = [
    "BranchDecisions",
    "Columns",
    "Decisions",
    "Fact",
    "Households",
    "LegalBasis",
    "MissingFact",
    "Outcome",
    "RecordColumns",
    "decide_branch",
    "decide_claims",
    "facts_of",
    "group_households",
    "legal_basis",
    "read_records",
    "to_columns",
]
