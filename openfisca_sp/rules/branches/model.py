"""What a branch of social protection is, as the rules declare it: its conditions, results and parameters."""

from __future__ import annotations

from dataclasses import dataclass

from openfisca_sp.rules.enums import IneligibilityReason as Reason


@dataclass(frozen=True)
class Condition:
    """A condition of entitlement, in the law's order: what refuses it, what it reads, where it is set."""

    reasons: tuple[Reason, ...]
    reads: tuple[str, ...]  # variables whose input facts the condition needs
    parameters: tuple[str, ...] = ()  # parameter paths under the branch that set it


@dataclass(frozen=True)
class Branch:
    """A branch of social protection and the variables that decide it."""

    code: str
    label: str
    benefit: str
    conditions: tuple[Condition, ...]
    lump_sums: tuple[str, ...] = ()
    amount_modelled: str | None = None
    waiting_days: str | None = None
    coverage_group: str | None = None  # the SDG 1.3.1 group this benefit covers (see ``analysis.coverage.GROUPS``)

    @property
    def eligible(self) -> str:
        return f"{self.benefit}_eligible"

    @property
    def reason(self) -> str:
        return f"{self.benefit}_ineligibility_reason"

    @property
    def provisional(self) -> str:
        return f"{self.benefit}_provisional"

    @property
    def amount_variables(self) -> tuple[str, ...]:
        names = (self.benefit, f"{self.benefit}_duration", *self.lump_sums)
        return names + ((self.waiting_days,) if self.waiting_days else ())


CONTRIBUTIONS = (Reason.insufficient_contributions, Reason.insufficient_recent_contributions)
