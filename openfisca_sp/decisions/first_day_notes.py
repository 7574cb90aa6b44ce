"""What each claim's first day paid rests on, told first in its payments' ``method``: the branch's ``first_day``
texts under the rules of the claim's day (:mod:`~openfisca_sp.rules.branches.first_day_rules`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from openfisca_sp.decisions.benefit_periods import FROM_EVENT
from openfisca_sp.rules.branches.first_day_rules import first_day_texts
from openfisca_sp.rules.branches.model import FirstDay
from openfisca_sp.rules.legal_basis import LegalBasis


def first_day_notes(
    first_day: FirstDay, code: str, rule: np.ndarray, rules_day: np.ndarray, bases: Mapping[str, LegalBasis]
) -> np.ndarray:
    """Each claim's note (object; None where it is paid from its event's day): the ``first_day`` texts of the branch
    ``code`` where the law gives the first day (``rule``: ``FROM_LAW``) or where it is a reading (``FROM_READING``),
    under the law in force on the claim's ``rules_day`` (whose legal basis ``bases`` holds)."""
    notes = np.full(len(rule), None, dtype=object)
    told = rule != FROM_EVENT
    for day in np.unique(rules_day[told]):
        rows = told & (rules_day == day)
        texts = np.array([None, *first_day_texts(first_day, code, bases[str(day)].values)], dtype=object)
        notes[rows] = texts[rule[rows]]
    return notes
