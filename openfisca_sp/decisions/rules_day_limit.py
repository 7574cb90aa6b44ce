"""The most days whose rules decide one request's claims to a branch: each is a simulation of its own.

Claims are decided in one vectorised simulation per branch and day whose rules
apply (:func:`~.claims.rules_days`: the 1st of the event's month, or the day a
value changes within it), whatever the persons: 10,000 claims on as many days
over a century took 14 to 21 s where one month took 0.3 to 0.6 s. A request
whose claims to a branch fall on more such days than allowed is refused before
anything is decided (:class:`TooManyRulesDaysError`), at the first person
beyond them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np

from openfisca_sp.decisions.claims import decision_rules_days
from openfisca_sp.decisions.records import RecordColumns
from openfisca_sp.rules.branches import BRANCHES
from openfisca_sp.rules.small_arrays import as_day

MAX_RULES_DAYS = 120  # ten years of months per branch: a year or two of births is 12 to 24


class TooManyRulesDaysError(ValueError):
    """A request's claims to ``branch`` fall on more than ``limit`` days whose rules apply; ``row`` is the first
    person beyond them, ``field`` the fact that dates the claim, ``day`` its rules day."""

    def __init__(self, row: int, field: str, branch: str, day: str, limit: int) -> None:
        self.row, self.field, self.branch, self.day, self.limit = row, field, branch, day, limit
        super().__init__(f"person {row}, {field}: more than {limit} rules days for {branch}")


def check_rules_days(
    tax_benefit_system: Any, columns: RecordColumns, as_of: datetime.date, branch_codes: Sequence[str], limit: int
) -> None:
    """Raise :class:`TooManyRulesDaysError` if the claims to a branch of ``branch_codes`` fall on more than
    ``limit`` distinct rules days, at the earliest person beyond them (of any branch). A request of ``limit``
    persons or fewer cannot (a claim has one rules day): nothing is computed for it (37 us a one-person request)."""
    if columns.count <= limit:
        return
    asked = as_day(as_of)
    beyond: TooManyRulesDaysError | None = None
    for code in branch_codes:
        branch = BRANCHES[code]
        if branch.event is None or branch.event.date_fact not in columns.values:
            continue  # every claim on the date asked: one day
        rules = decision_rules_days(tax_benefit_system, columns, branch, asked)
        days, first = np.unique(rules, return_index=True)
        if len(days) <= limit:
            continue
        order = np.argsort(first, kind="stable")
        row = int(first[order[limit]])
        if beyond is None or row < beyond.row:
            beyond = TooManyRulesDaysError(row, branch.event.date_fact, code, str(days[order[limit]]), limit)
    if beyond is not None:
        raise beyond
