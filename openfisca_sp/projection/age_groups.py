"""The base table's groups of sex and age against the projected population's: which groups it has no one in, and
which of those no younger group of the same sex can stand in for.

A group the table has no one in (the sample has no one aged 100 or over) is counted in the nearest younger group
of the same sex that has someone. A group with no such younger group (a survey of persons aged 15 and over has
no one aged 0-14; a table of women has no man) is refused: the nearest older group would have to stand in for
it, and adults weighted up to count as the children (15-19-year-olds four times their number) would carry the
children's weight into every adult benefit's cost, the poverty headcount and the Gini, the population matching
the projection in number only. Reweighted without them, the population, poverty and Gini would be those of the
ages the table has, not the projection's (an analyst's review: 22.8 million persons aged 0-14 dropped without a
word).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from openfisca_sp.population.errors import PopulationError
from openfisca_sp.projection.demography import GROUP_WIDTH, GROUPS, SEXES, Demography
from openfisca_sp.rules.wording import count_text, counted, span


def group_label(group: int) -> str:
    """A five-year age group's ages: ``0–4`` ... ``95–99``, ``100+`` (an en dash, as the comparison's age groups)."""
    return ages_of_run(group, group)


def ages_of_run(first: int, last: int) -> str:
    """The ages of the age groups ``first`` to ``last``: ``0–14``, ``90+``."""
    low = first * GROUP_WIDTH
    return f"{low}+" if last == GROUPS - 1 else span(low, (last + 1) * GROUP_WIDTH - 1)


def ages_label(groups: Iterable[int]) -> str:
    """Age groups as runs of ages: ``0–14``, ``0–14, 90+``."""
    runs: list[list[int]] = []
    for group in sorted(groups):
        if runs and group == runs[-1][1] + 1:
            runs[-1][1] = group
        else:
            runs.append([group, group])
    return ", ".join(ages_of_run(first, last) for first, last in runs)


def _ages_of(groups: list[int]) -> str:
    """`` aged 0-14`` after "no one", or nothing where the groups are every age."""
    return "" if len(groups) == GROUPS else f" aged {ages_label(groups)}"


def nearest_younger(have: np.ndarray) -> np.ndarray:
    """Per cell (sex times 21 plus age group), the nearest younger cell of the same sex with someone in it
    (``have`` above 0), or -1 where there is none."""
    present = np.asarray(have).reshape(len(SEXES), GROUPS) > 0
    index = np.where(present, np.arange(GROUPS), -1)
    last_present = np.maximum.accumulate(index, axis=1)  # the oldest group with someone, up to each group
    younger = np.concatenate([np.full((len(SEXES), 1), -1), last_present[:, :-1]], axis=1)
    offsets = np.arange(len(SEXES))[:, None] * GROUPS
    return np.where(younger >= 0, younger + offsets, -1).reshape(-1)


def uncovered(have: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The cells the projection counts persons in that the table has no one in, and no younger cell of the same
    sex has anyone either."""
    wanted = np.asarray(wanted, dtype=np.float64).reshape(-1)
    return (np.asarray(have) <= 0) & (wanted > 0) & (nearest_younger(have) < 0)


def uncovered_message(cells: np.ndarray, wanted: np.ndarray, year: int | None = None) -> str:
    """What the refusal says: the groups, the persons projected there (in ``year``), and what to do."""
    by_sex = {
        sex: [int(cell) % GROUPS for cell in cells if int(cell) // GROUPS == index] for index, sex in enumerate(SEXES)
    }
    named = {sex: _ages_of(groups) for sex, groups in by_sex.items() if groups}
    if len(named) == len(SEXES) and len(set(named.values())) == 1:
        where = f"no one{next(iter(named.values()))}"
    else:
        where = " and ".join(f"no {sex}{ages}" for sex, ages in named.items())
    persons = float(np.asarray(wanted, dtype=np.float64).reshape(-1)[cells].sum())
    when = f" in {year}" if year is not None else ""
    return (
        f"the person table has {where}: the projected population counts {counted(persons, 'person', form=count_text)} "
        f"there{when}, "
        "and no younger group of the same sex has anyone to stand in for them (an older group is not weighted up "
        "to count as them: its persons would carry their weight into every benefit, the poverty headcount and the "
        "Gini). Without them, the population, poverty and Gini would be those of the ages the table has, not the "
        "projection's: give a person table with persons of those ages (the survey's whole households, a "
        "shipped sample:<code>, or one written by openfisca-sp synthesize)"
    )


def check_groups(
    cells: np.ndarray, weights: np.ndarray, people: Demography, years: Iterable[int], source: str | None
) -> None:
    """Refuse a base table (its persons' ``cells`` and ``weights``) with a group the projection counts persons in
    in one of ``years`` that neither it nor a younger group of the same sex has anyone in, before any year is
    computed."""
    have = np.bincount(cells, weights=weights, minlength=len(SEXES) * GROUPS)
    for year in years:
        wanted = people.population(year)
        missing = np.flatnonzero(uncovered(have, wanted))
        if len(missing):
            raise PopulationError(uncovered_message(missing, wanted, year), source=source)
