"""How a population is broken down for analysis: sex, age group and income decile.

Every person falls in one *cell* (sex × age group × income decile); results are
summed per cell, then per dimension. Income deciles rank persons by their
household's income per person, weighted by survey weights, so that each decile
holds a tenth of the weighted population. Cut points are computed once over the
whole population (also when it is split across Dask workers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SEXES = ("male", "female")  # the Sex enumeration's order
AGE_GROUPS = ((0, "0–14"), (15, "15–24"), (25, "25–54"), (55, "55–64"), (65, "65+"))  # lower bound, label
DECILES = tuple(f"D{number}" for number in range(1, 11))
FEW_CUT_POINTS = 100  # up to this many, :func:`decile_of` counts the cut points below each value in bytes


@dataclass(frozen=True)
class Dimension:
    """A breakdown: its name, the label of each group, and its place in the cell code."""

    name: str
    label: str
    groups: tuple[str, ...]
    stride: int


DIMENSIONS = (
    Dimension("sex", "Sex", SEXES, len(AGE_GROUPS) * len(DECILES)),
    Dimension("age_group", "Age group", tuple(label for _, label in AGE_GROUPS), len(DECILES)),
    Dimension("income_decile", "Income decile (household income per person)", DECILES, 1),
)
CELLS = len(SEXES) * len(AGE_GROUPS) * len(DECILES)


_OLDEST_BOUND = AGE_GROUPS[-1][0]
_GROUP_OF_AGE = np.searchsorted(  # each age from 0 to the last group's lower bound: its group
    [lower for lower, _ in AGE_GROUPS[1:]], np.arange(_OLDEST_BOUND + 1), side="right"
).astype(np.int64)


def age_group_of(age: np.ndarray) -> np.ndarray:
    """Each person's age group index, from age in completed years (below 0: the first group), looked up by age
    (a sorted search per person costs six times more; a fraction of a year not counted)."""
    return _GROUP_OF_AGE[np.clip(age, 0, _OLDEST_BOUND).astype(np.intp, copy=False)]


def household_income_per_person(
    income: np.ndarray, household_of: np.ndarray, sizes: np.ndarray | None = None
) -> np.ndarray:
    """Each person's household income divided by the household's size (float64); ``sizes``: each household's
    (:func:`household_sizes`), if already counted."""
    return income_per_member(income, household_of, sizes)[household_of]


def household_income_per_person_added(
    each: np.ndarray, income: np.ndarray, added: np.ndarray, household_of: np.ndarray, sizes: np.ndarray
) -> np.ndarray:
    """:func:`household_income_per_person` of ``income + added``, from ``each``, that of ``income``: the households
    of the few persons ``added`` something are summed again, over their members' rows in the same order; the others'
    sums add the very same terms (a 0 added changes no term), so their values are ``each``'s to the last bit."""
    return household_income_added(each, income, added, household_of, sizes)[0]


def household_income_added(
    each: np.ndarray, income: np.ndarray, added: np.ndarray, household_of: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`household_income_per_person_added`, with the households summed again (a mask over households) and
    each household's income per person (the others' not meaningful): what is found of a household's income per
    person is found once for all its members."""
    touched = np.zeros(len(sizes), dtype=bool)
    touched[household_of[added != 0]] = True  # NaN counts
    rows = np.flatnonzero(touched[household_of])
    households = household_of[rows]
    totals = np.bincount(households, weights=income[rows] + added[rows], minlength=len(sizes))
    per_member = totals / np.maximum(sizes, 1)
    found = each.copy()
    found[rows] = per_member[households]
    return found, touched, per_member


def household_sizes(household_of: np.ndarray) -> np.ndarray:
    """Each household's members (households numbered 0, 1, ... in ``household_of``)."""
    return np.bincount(household_of, minlength=int(household_of.max()) + 1 if len(household_of) else 0)


def income_per_member(income: np.ndarray, household_of: np.ndarray, sizes: np.ndarray | None = None) -> np.ndarray:
    """Each household's income divided by its size (float64), household by household; ``sizes``: each
    household's (:func:`household_sizes`), if already counted."""
    sizes = household_sizes(household_of) if sizes is None else sizes
    totals = np.bincount(household_of, weights=np.asarray(income, dtype=np.float64), minlength=len(sizes))
    return totals / np.maximum(sizes, 1)


def decile_cut_points(values: np.ndarray, weights: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
    """The 9 values that split ``values`` into ten groups of equal total weight.

    ``order``, a permutation that sorted values found earlier (the same values since scaled alike, say), makes
    the sort cheap: ``values`` taken in that order are sorted again, and a stable sort of a nearly sorted array
    takes a few passes (a fifteenth of a sort from scratch, for a million values)."""
    if len(values) == 0 or float(weights.sum()) == 0:
        return np.zeros(len(DECILES) - 1)
    start = np.arange(len(values)) if order is None else order
    order = start[np.argsort(values[start], kind="stable")]
    ordered = values[order]
    cumulative = np.cumsum(weights[order], dtype=np.float64)
    targets = cumulative[-1] * np.arange(1, len(DECILES)) / len(DECILES)
    return ordered[np.minimum(np.searchsorted(cumulative, targets, side="left"), len(values) - 1)]


def household_decile_cut_points(
    income: np.ndarray, weights: np.ndarray, household_of: np.ndarray, order: np.ndarray | None = None
) -> np.ndarray:
    """The persons' decile cut points of household income per person (:func:`decile_cut_points`), found over
    the households, each weighing what its members weigh: every member has the household's value, so the
    person whose cumulative weight first reaches a tenth is in the household whose does (at 10 million
    persons, a third of the time). ``order``: the households sorted by an earlier income (see
    :func:`decile_cut_points`). The sums of weights are added household by household, so a tenth that falls
    within rounding of a household's cumulative weight may pick its neighbour (never seen in 30 projected
    years of 10 million persons)."""
    values = income_per_member(income, household_of)
    household_weights = np.bincount(household_of, weights=weights, minlength=len(values))
    return decile_cut_points(values, household_weights, order)


def decile_of(values: np.ndarray, cut_points: np.ndarray) -> np.ndarray:
    """Each value's decile index (0 = poorest tenth), given the cut points (sorted, as NumPy sorts: NaN last).

    It is ``np.searchsorted(cut_points, values, "left")``: how many cut points are below the value (a NaN value
    above every number), counted by one comparison per cut point, a tenth of the binary search's time over
    half a million incomes."""
    values = np.asarray(values)
    if values.ndim != 1 or len(cut_points) > FEW_CUT_POINTS or values.dtype.kind not in "fiu":
        return np.searchsorted(cut_points, values, side="left").astype(np.int64)
    below = np.zeros(len(values), dtype=np.int8)
    for point in cut_points:
        np.add(below, np.less(point, values).view(np.int8), out=below)
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if missing.any():
            below[missing] = np.count_nonzero(~np.isnan(cut_points))
    return below.astype(np.int64)


def cell_of(sex: np.ndarray, age: np.ndarray, decile: np.ndarray) -> np.ndarray:
    """Each person's cell code (sex × age group × decile)."""
    return sex.astype(np.int64) * DIMENSIONS[0].stride + age_group_of(age) * DIMENSIONS[1].stride + decile


def sex_age_of(cells: np.ndarray) -> np.ndarray:
    """Each cell code's sex × age group (sex first, as poverty's groups): the code without its decile, its last
    place (the age groups of a chunk looked up once, not again for poverty)."""
    return cells // DIMENSIONS[1].stride


def group_of_cells(dimension: Dimension) -> np.ndarray:
    """For each cell code, its group index in ``dimension``."""
    return (np.arange(CELLS) // dimension.stride) % len(dimension.groups)
