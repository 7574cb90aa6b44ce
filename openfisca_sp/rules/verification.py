"""How sure the encoded law is: per jurisdiction and branch, the share of values verified, and what is not modelled.

Values are counted from the provenance index (:mod:`~openfisca_sp.rules.provenance`):
every dated value of every parameter file over its whole history, whatever
the date (each threshold, rate or amount of a scale's bracket counts per dated
value too), by its verification status. A value set to ``null`` (a parameter
stopped) is no value and is not counted. Parameters outside a branch's folder
(``insured_wage/``, ``reference_amounts/`` …) count under their folder's name.

The parts of a branch *not modelled* at a date are those (eligibility, amount,
duration … as the branch declares in ``requirements``, and a lump sum only
optional names serve) whose required parameters are not in force then, an
optional name of which stands at a null whose source was not found
(:mod:`~openfisca_sp.rules.null_values`), or a multiple of which cites a
reference amount a null stopped; or every part where the branch has no
``provided`` value. A branch the law does not provide then (``provided: false``)
has no part not modelled, unless the law in force may provide it (``in_law_in_force`` true, or NOT FOUND: a
reform's note), when every part is.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openfisca_sp.rules.branch_nodes import IN_LAW_IN_FORCE, amounts_stopped, has, in_law_in_force, part_met, untraced
from openfisca_sp.rules.branches import GROUPS, Branch
from openfisca_sp.rules.branches.model import SWITCH
from openfisca_sp.rules.null_values import not_found
from openfisca_sp.rules.parameter_checks import STATUSES
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.readiness import branches_of

OTHER = "other"  # any status but the house's three (a reform's ``proposal``)
COUNTED = (*STATUSES, OTHER)
ALL_BRANCHES = "all branches"  # the row that sums a jurisdiction's rows
EVERY_PART = "every part"  # the part not modelled where the branch has no ``provided`` value
FOOTNOTE = (
    "Values: every dated value of every parameter file over its whole history, whatever the date (each "
    "threshold, rate or amount of a scale's bracket per dated value too); a value set to null (a parameter "
    "stopped) is not a value and is not counted. Shares are of the row's total. Not modelled: the parts of a "
    "branch (as its catalogue declares in `requirements`) whose required parameters are not in force on the "
    "date, or every part where the branch has no `provided` value; a branch the law does not provide on the "
    "date (`provided: false`) is not listed."
)


@dataclass(frozen=True)
class VerificationRow:
    """The values of one branch (or folder) of a jurisdiction, counted by verification status."""

    jurisdiction: str
    branch: str  # a branch's code, a folder outside the branches (``reference_amounts``), or ``ALL_BRANCHES``
    verified: int = 0
    verified_2nd: int = 0
    unverified: int = 0
    other: int = 0  # values of any other status (a reform's ``proposal``)

    @property
    def total(self) -> int:
        return self.verified + self.verified_2nd + self.unverified + self.other

    @property
    def shares(self) -> dict[str, float | None]:
        """Each status's share of the total (0 to 1), None where the row has no value."""
        return {status: getattr(self, status) / self.total if self.total else None for status in COUNTED}

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "total": self.total, "shares": self.shares}


@dataclass(frozen=True)
class NotModelled:
    """A part of a branch not modelled at the date, and, per way of computing it, the parameters not in force."""

    jurisdiction: str
    branch: str
    part: str  # a part the branch declares (eligibility, amount …), or ``EVERY_PART``
    missing: tuple[tuple[str, ...], ...]  # one tuple per alternative of the requirement

    def closest(self) -> tuple[tuple[str, ...], ...]:
        """The ways of computing the part that lack the fewest parameters."""
        fewest = min(len(names) for names in self.missing)
        return tuple(names for names in self.missing if len(names) == fewest)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Verification:
    """The verification table of one or more jurisdictions, with the parts not modelled on ``date``."""

    date: datetime.date
    rows: tuple[VerificationRow, ...]
    not_modelled: tuple[NotModelled, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "statuses": list(STATUSES),
            "rows": [row.to_dict() for row in self.rows],
            "not_modelled": [part.to_dict() for part in self.not_modelled],
            "footnote": FOOTNOTE,
        }


def _counts(system: Any) -> dict[str, Counter[str]]:
    """Per top folder of the parameter tree, the values (not null) counted by status."""
    counts: dict[str, Counter[str]] = {}
    for name, records in provenance_of(system).history.items():
        counter = counts.setdefault(name.split(".", 1)[0], Counter())
        counter.update(
            record.status if record.status in STATUSES else OTHER for record in records if record.value is not None
        )
    return counts


def _row(jurisdiction: str, branch: str, counter: Counter[str]) -> VerificationRow:
    return VerificationRow(jurisdiction, branch, **{status: counter[status] for status in COUNTED})


def _not_modelled(jurisdiction: str, branch: Branch, parameters_at_date: Any) -> list[NotModelled]:
    """The parts of ``branch`` whose required parameters are not in force in ``parameters_at_date``."""
    node = untraced(parameters_at_date[branch.code]) if branch.code in parameters_at_date else None
    if node is None or SWITCH not in node:
        return [NotModelled(jurisdiction, branch.code, EVERY_PART, ((SWITCH,),))]
    if not bool(node.provided):  # not provided by law: nothing is modelled where the law in force may provide it
        provided = in_law_in_force(node)
        return [] if provided is False else [NotModelled(jurisdiction, branch.code, EVERY_PART, ((IN_LAW_IN_FORCE,),))]
    found = []
    for part in branch.parts:
        stopped = amounts_stopped(parameters_at_date, node, branch.reference_multiples(part))
        if not part_met(node, branch, part) or stopped:
            unknown = tuple(path for path in branch.optional_names(part) if not_found(node, *path.split(".")))
            unknown += stopped
            missing = (
                tuple(path for path in option if not has(node, *path.split("."))) + unknown
                for option in branch.requirement(part)
            )
            found.append(NotModelled(jurisdiction, branch.code, part, tuple(dict.fromkeys(missing))))
    return found


def verification(system: Any, date: datetime.date | None = None) -> Verification:
    """The verification table of one tax-benefit system: a row per branch, per other folder, and in all;
    the parts not modelled on ``date`` (default: today)."""
    date = date or datetime.date.today()
    code = getattr(getattr(system, "jurisdiction", None), "code", None) or type(system).__name__
    counts = _counts(system)
    branches = branches_of(system)
    order = [branch.code for branch in branches]
    order += [group.code for group in GROUPS if group.code in counts]
    order += sorted(folder for folder in counts if folder not in order)
    rows = [_row(code, folder, counts.get(folder, Counter())) for folder in order]
    rows.append(_row(code, ALL_BRANCHES, sum(counts.values(), Counter())))
    at_date = system.parameters(date.isoformat())
    not_modelled = [part for branch in branches for part in _not_modelled(code, branch, at_date)]
    return Verification(date, tuple(rows), tuple(not_modelled))


def combine(tables: Iterable[Verification]) -> Verification:
    """Several jurisdictions' tables, on the same date, as one."""
    tables = list(tables)
    dates = {table.date for table in tables}
    if len(dates) != 1:
        raise ValueError(f"tables of one date only, not {sorted(str(date) for date in dates)}")
    rows = tuple(row for table in tables for row in table.rows)
    return Verification(dates.pop(), rows, tuple(part for table in tables for part in table.not_modelled))
