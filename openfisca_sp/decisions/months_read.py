"""Which months of a history each person's decision reads, where it is not every month the rules were traced to read
(:mod:`~.tracing` runs them on one person with nothing stated): a month a person's rules do not read is never a fact
she lacks.

- A stated date may end the windows earlier (the end of the labour contract, Viet Nam Employment Law 2013 Art 49(2):
  the 24 months before it): the months after it are added and taken off again by the rules' windows
  (:func:`~openfisca_sp.rules.windows.window_sum`), not read (:func:`window_ends`).
- The wage of the event's own month is read only where the law counts that month (``Event.own_month_read``: Viet
  Nam's month of a birth on or after the 15th, Circular 59/2015 Art 9(1)(b)).
- The results may read a history from a month on only (``Branch.history_read_from``: Viet Nam's maternity benefit
  averages the 6 latest months with contributions, no month before the sixth). Found with the months not stated as
  0, the month the results start from is the oldest it can be: a month not stated that holds contributions can only
  make the latest months later, never earlier. So a month before it is never asked, also of a claim decided whatever
  its months not stated hold (:mod:`~.unstated_amounts`), whose conditions lacked it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from openfisca_sp.decisions.insured_months import WAGE
from openfisca_sp.decisions.records import Columns
from openfisca_sp.rules.branches import Branch
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.small_arrays import anyone
from openfisca_sp.rules.windows import earliest_window_end

FactKey = tuple[str, str]  # (variable, period)
MONTH_PERIOD = re.compile(r"[0-9]{4}-[0-9]{2}")


class MonthsRead(NamedTuple):
    """Each person's months of a history that the rules do not read, by what limits them (None: no limit)."""

    ends: np.ndarray | None = None  # the last month of the windows a stated date ends early (NaT where none)
    own_unread: np.ndarray | None = None  # the wage of the claim's own month is not read
    first: Mapping[str, np.ndarray] | None = None  # fact -> the oldest month of it the results read

    def unread(self, key: FactKey, month: str) -> np.ndarray | None:
        """Who does not read ``key`` (a fact and its month) in a claim of ``month`` (None: everyone reads it)."""
        if not MONTH_PERIOD.fullmatch(key[1]):
            return None
        unread = None
        if key[1] < month and self.ends is not None:
            unread = np.datetime64(key[1], "M") > self.ends  # after the window's end
        if key[1] == month and key[0] == WAGE and self.own_unread is not None:
            unread = self.own_unread
        first = (self.first or {}).get(key[0])
        if first is not None and key[1] < month:
            before = np.datetime64(key[1], "M") < first
            unread = before if unread is None else unread | before
        return unread


def window_ends(columns: Columns, branch: Branch, month: str) -> np.ndarray | None:
    """Each person's last month of ``branch``'s windows where a stated date ends them before ``month`` (the end
    of the labour contract, Viet Nam Employment Law 2013 Art 49(2): the 24 months before it), NaT elsewhere;
    None where the branch's windows never end so, or nobody states the date. The months after it are added
    and taken off again by the rules' windows (:func:`~openfisca_sp.rules.windows.window_sum`): they are not
    facts the decision needs (a claim registered two months after the contract ended asked for their wages)."""
    fact = branch.event.windows_end_with if branch.event is not None else None
    key = next((key for key in ((fact, "ETERNITY"), (fact, month)) if key in columns.inputs), None)
    if key is None or not anyone(columns.stated[key]):
        return None
    days = np.asarray(columns.inputs[key]).astype("datetime64[D]")
    ends = np.maximum(days.astype("datetime64[M]"), earliest_window_end(month))
    return np.where(np.asarray(columns.stated[key], dtype=bool), ends, np.datetime64("NaT"))


def months_read(
    simulation: Any, columns: Columns, branch: Branch, month: str, results: bool = False
) -> MonthsRead | None:
    """The months of a history each person's decision of ``branch`` in ``month`` does not read (with ``results``,
    those of its results too: :attr:`~openfisca_sp.rules.branches.Branch.history_read_from`); None where every
    month traced is read."""
    ends = window_ends(columns, branch, month)
    own = branch.event.own_month_read if branch.event is not None else None
    own_unread = ~np.asarray(simulation.calculate(own, parse_period(month)), dtype=bool) if own else None
    first = None
    if results and branch.history_read_from:
        first = {
            fact: np.asarray(simulation.calculate(variable, parse_period(month)), dtype="datetime64[D]").astype(
                "datetime64[M]"
            )
            for fact, variable in branch.history_read_from
        }
    if ends is None and own_unread is None and first is None:
        return None
    return MonthsRead(ends, own_unread, first)
