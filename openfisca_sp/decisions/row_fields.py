"""The fields of a branch's decisions that hold a value for each person, read as arrays of one value a row.

Two readers need every such field, and must not fall behind when a field is added: the HTTP answers' cache, which
gives one encoded answer to the persons whose fields are all alike (:mod:`openfisca_sp.api.decision_json`), and the
claims decided under each value of an unstated fact, given as one decision where the decisions agree
(:mod:`~.unstated_choices`). A field added to :class:`~.branch_decisions.BranchDecisions` is read by both without a
word here, or refused by :func:`row_arrays`.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import numpy as np

from openfisca_sp.decisions.branch_decisions import BranchDecisions

# Fields that are not one value a person: the branch, the legal bases (by rules day: ``rules_day`` is a row field),
# the law's index of benefits in payment and its days a month (the jurisdiction's, read at each row's ``decided_on``),
# and the missing facts (each a label and a row mask, read apart).
SHARED_FIELDS = frozenset({"branch", "bases", "index", "day_rate", "missing_for_decision", "missing_for_amount"})
# Fields of one value a person that are not told: what bounds the facts a claim is asked, or what its decision
# becomes where its amount is not told, not part of its answer (the oldest month of a history its results read;
# whether it is provisional for its amount alone, which its ``provisional`` tells).
UNTOLD_FIELDS = frozenset({"history_read_from", "amount_provisional"})
ROW_FIELDS = tuple(
    field.name for field in dataclasses.fields(BranchDecisions) if field.name not in SHARED_FIELDS | UNTOLD_FIELDS
)


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's fields' names (None for another type), read once a type."""
    return tuple(field.name for field in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None


def row_arrays(value: Any) -> list[np.ndarray]:
    """A row field of a branch's decisions as arrays of one value a row: an array (a table's columns: an age change
    each), a mapping's arrays (the lump sums by name), a dataclass's fields' (the age changes' months and amounts);
    none for None (a field the branch has not)."""
    if type(value) is np.ndarray:
        return [value] if value.ndim == 1 else list(value.T)
    if value is None:
        return []
    if type(value) is dict:
        return [array for item in value.values() for array in row_arrays(item)]
    names = _field_names(type(value))
    if names is not None:
        return [array for name in names for array in row_arrays(getattr(value, name))]
    raise TypeError(f"{type(value).__name__} is not read row by row (decisions.row_fields.SHARED_FIELDS)")
