"""Households of a batch of person records: who lives with whom, and who heads each household."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np


class Households(NamedTuple):
    """Each person's household (an index into ``ids``), the households' ids, and who heads each one."""

    household_of: np.ndarray
    ids: np.ndarray
    is_head: np.ndarray


def group_households(identifiers: Sequence[str | None], declared_heads: Sequence[bool]) -> Households | None:
    """Households from each person's household identifier (None: a household of one) and declared heads.

    Without a declared head, the first member listed heads the household; of
    several declared heads, the first one listed does. None when no person
    names a household (every person then lives alone).
    """
    if list(identifiers).count(None) == len(identifiers):
        return None
    keys = [identifier if identifier is not None else f"\x00{row}" for row, identifier in enumerate(identifiers)]
    household_ids, household_of = np.unique(np.array(keys, dtype=object), return_inverse=True)
    declared = np.asarray(declared_heads, dtype=bool)
    has_declared = np.zeros(len(household_ids), dtype=bool)
    has_declared[household_of[declared]] = True
    first = np.zeros(len(keys), dtype=bool)
    first[np.unique(household_of, return_index=True)[1]] = True
    head = np.where(has_declared[household_of], declared, first)
    heads = np.flatnonzero(head)
    kept = heads[np.unique(household_of[heads], return_index=True)[1]]
    head[:] = False
    head[kept] = True
    return Households(household_of, household_ids.astype(str), head)
