"""A labour contract ended, or the separation that opened the last unemployment benefit, after the registration for
unemployment (``unemployment_registration_date``) a claim rests on: a contradiction of the record, never decided.

One definition, on whole columns, for ``/eligibility`` and the Python API (:mod:`.consistency`) and the population
engine (:mod:`openfisca_sp.population.contradictions`).
"""

from __future__ import annotations

import numpy as np

from openfisca_sp.rules.small_arrays import anyone

CLAIM = "unemployment_registration_date"
EXPECTED = f"on or before {CLAIM}"
# The separations a registration rests on, each with the words that say it.
SEPARATIONS: tuple[tuple[str, str], ...] = (
    ("employment_end_date", "the labour contract ended"),
    ("previous_unemployment_separation_date", "the separation that opened the last unemployment benefit"),
)


def ended_after_claim(day: np.ndarray, dated: np.ndarray, filed: np.ndarray, claimed: np.ndarray) -> np.ndarray:
    """The persons whose separation (``day``, where ``dated``) is after their registration (``filed``, where
    ``claimed``)."""
    found = day > filed  # who stated either date only where someone may be after the claim
    if anyone(found):
        found &= dated & claimed
    return found
