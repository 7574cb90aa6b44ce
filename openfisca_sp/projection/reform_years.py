"""What a projection says of a year in which the reform is in force but changes nothing, as ``compare`` says it.

From ``reform_from`` a year compares the reform with the baseline, and its rows are marked ``reform_in_force``.
Where none of the reform's values is in force yet in the year's month, or those in force are the law's, or no
person's result differs, the year gets ``compare``'s notes (:mod:`openfisca_sp.analysis.unchanged`): from the
parameters and from whether the comparison found a result that differs (``Aggregates.changed``), with no pass
of its own over the persons. The same note in several years is given once, with its months.
"""

from __future__ import annotations

import re
from typing import Any

from openfisca_sp.analysis.comparison import not_yet_in_force
from openfisca_sp.analysis.unchanged import unchanged_notes

_YEARLY = re.compile(  # the notes above, each naming the month it is about; and a year's history month not given
    r"^(none of the reform's values is in force in |the reform sets no value that differs from the law in force in "
    r"|the reform changes no one's result in |[a-z_]+\.)(\d{4}-\d{2})(?=:| not given: )"
)


def unchanged_year_notes(reform: Any, month: str, changed: bool) -> list[str]:
    """``compare``'s notes on ``reform`` (the scenario's, without its indexation) in ``month``, where none of its
    values is in force yet or where no person's result differs (``changed`` False)."""
    return [*not_yet_in_force(reform, month), *unchanged_notes(reform, month, changed)]


def _months(months: list[str]) -> str:
    """Months as a note gives them: '2030-10', or '2030-10 and the same month of every year to 2034'."""
    years = [int(month[:4]) for month in months]
    if len(months) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{months[0]} and the same month of every year to {years[-1]}"
    return ", ".join(months)


def merged(notes: list[str]) -> list[str]:
    """``notes`` with each of :func:`unchanged_year_notes`', and each note that a month of a history column is not
    given (``insured_wage.2027-10 not given: …``, each year's month where the base table's history ends before its
    base month), given once for all the months it is about, where the first of them was (every other note as it
    is)."""
    groups: dict[str, list[str]] = {}
    kept: list[str] = []
    for note in notes:
        found = _YEARLY.match(note)
        if found is None:
            kept.append(note)
            continue
        key = found.group(1) + "{months}" + note[found.end() :]
        if key not in groups:
            groups[key] = []
            kept.append(key)
        groups[key].append(found.group(2))
    return [note.replace("{months}", _months(sorted(set(groups[note])))) if note in groups else note for note in kept]
