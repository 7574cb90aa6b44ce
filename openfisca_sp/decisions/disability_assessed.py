"""A person stated not disabled (``is_disabled`` false) whom a disability category is assessed of
(``disability_category`` 1 or more: 1 is the most severe, 0 none): a contradiction of the record, never decided.

One definition, on whole columns, for ``/eligibility`` and the Python API (:mod:`.consistency`) and the population
engine (:mod:`openfisca_sp.population.contradictions`).
"""

from __future__ import annotations

import numpy as np

from openfisca_sp.rules.small_arrays import anyone

EXPECTED = "true, or disability_category 0 (none) or not stated"


def assessed_not_disabled(
    disabled: np.ndarray, said: np.ndarray, category: np.ndarray, assessed: np.ndarray
) -> np.ndarray:
    """The persons stated not disabled (``disabled`` false where ``said``) though assessed in a disability category
    (``category`` 1 or more where ``assessed``)."""
    found = category >= 1  # who stated the flag and category only where someone may be assessed
    if anyone(found):
        found &= assessed & said & ~disabled.astype(bool)
    return found
