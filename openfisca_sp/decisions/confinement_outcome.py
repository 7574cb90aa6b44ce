"""A confinement dated (``child_birth_date``) of a person whose pregnancy outcome is none (``pregnancy_outcome``
none): a contradiction of the record, never decided.

One definition, on whole columns, for ``/eligibility`` and the Python API (:mod:`.consistency`) and the population
engine (:mod:`openfisca_sp.population.contradictions`).
"""

from __future__ import annotations

import numpy as np

from openfisca_sp.rules.small_arrays import anyone

CONFINEMENT = "child_birth_date"
EXPECTED = "live_birth or pregnancy_loss"


def confined_with_no_outcome(dated: np.ndarray, none: np.ndarray, said: np.ndarray) -> np.ndarray:
    """The persons who state a confinement's date (where ``dated``) and a pregnancy outcome of none (``none``, where
    ``said``)."""
    found = none & dated  # who stated the outcome only where someone may be confined with none
    if anyone(found):
        found &= said
    return found
