"""The outcome of a decision for one person and branch."""

from __future__ import annotations

from enum import IntEnum


class Outcome(IntEnum):
    """What a decision concluded (stored as these integers in decision arrays)."""

    eligible = 0
    not_eligible = 1
    undetermined = 2  # a fact the decision needs was not stated
    not_modelled = 3  # no source for the rule at that date
    not_provided_by_law = 4  # the law in force has no such benefit

    @property
    def decided(self) -> bool:
        """Whether the decision says yes or no (the rules reached a conclusion on the law in force)."""
        return self in (Outcome.eligible, Outcome.not_eligible, Outcome.not_provided_by_law)


OUTCOME_NAMES = tuple(outcome.name for outcome in Outcome)
