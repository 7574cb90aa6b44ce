"""Poverty and inequality before and after benefits: headcount, poverty gap and Gini, by sex and age group.

Each person's welfare is their household's income per person (the survey's
``income`` column summed over the household, divided by its size; negative
incomes count as zero), *before benefits*, then *after* the benefits each side
pays in the month (every benefit whose amount is modelled on both sides, as the
"all benefits" row, summed over the household's members, per person).

Against each national poverty line of the jurisdiction's parameters
(``poverty_line.national``, or ``poverty_line.rural`` and ``.urban``): the
headcount ratio (weighted share of persons below the line) and the poverty gap
index (weighted mean of ``max(line - income, 0) / line``). Both are sums per
group of sex × age group, added across chunks and Dask partitions. Without a
line in force, poverty is not modelled (no line is ever guessed).

The Gini coefficient needs the whole distribution, which sums cannot carry: it
is computed from a weighted histogram of incomes on fixed log-spaced bins (each
1% wide, the same on every partition, so that histograms add up), with the
lowest and highest income of each bin (merged by min and max). Pairs of persons
in different bins are ordered exactly, so their part of the mean absolute
difference is exact; only pairs within one bin are not, and their part lies
between 0 and ``sum(W_b² · (high_b - low_b)) / (2 W S)`` (W: weights, S: weighted
incomes). The Gini given is the middle of that interval and ``gini_error`` half
its width: the exact weighted Gini lies within ``gini ± gini_error``, which is at
most 0.0025 (for incomes of 0 or of 0.01 or more) and typically about 1e-5 (0
when incomes are equal).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from openfisca_sp.analysis.aggregates import SIDES
from openfisca_sp.analysis.breakdowns import (
    AGE_GROUPS,
    SEXES,
    age_group_of,
    household_income_added,
    household_income_per_person,
    household_income_per_person_added,
    household_sizes,
    income_per_member,
)
from openfisca_sp.analysis.group_sums import group_extremes
from openfisca_sp.analysis.rows import UNDEFINED
from openfisca_sp.population.figure_tables import figure_table
from openfisca_sp.rules.provenance import provenance_of

SERIES = ("before", *SIDES)  # income before benefits, after the baseline's, after the reform's
SERIES_LABELS = {"before": "before benefits", "baseline": "after the baseline's", "reform": "after the reform's"}
LINE_NAMES = ("national", "rural", "urban")  # under poverty_line in a jurisdiction's parameters
GROUPS = len(SEXES) * len(AGE_GROUPS)  # sex × age group, sex first
RATIO = 1.01  # each bin of the Gini histogram spans incomes [a, 1.01 a)
LOWEST, HIGHEST = 0.01, 1e18  # incomes per person per month, in the currency; 0 has a bin of its own
UPPER = LOWEST * RATIO ** np.arange(math.ceil(math.log(HIGHEST / LOWEST) / math.log(RATIO)) + 1)
LOG_RATIO = math.log(RATIO)
BINS = len(UPPER) + 1  # bin 0 holds zeros; bin 1 (0, LOWEST); bin k + 1 [UPPER[k-1], UPPER[k])
NOT_MODELLED = "not modelled: no national poverty line in force in the parameters"
NOT_MEASURED = "not measured: the table has no income column"  # a wage is no welfare measure
AS_BEFORE = "as before benefits"  # a series after benefits that adds none (:func:`added_benefits_note`)


def poverty_lines(system: Any, month: str) -> dict[str, float]:
    """The poverty lines of a tax-benefit system in force on the first day of ``month`` (none: empty)."""
    node = getattr(system.parameters, "poverty_line", None)
    lines = {}
    for name in LINE_NAMES:
        parameter = getattr(node, name, None) if node is not None else None
        value = parameter(f"{month}-01") if parameter is not None else None
        if value is not None:
            lines[name] = float(value)
    return lines


def lines_unverified(system: Any, month: str) -> bool:
    """Whether a poverty line in force on the first day of ``month`` has an ``unverified`` value: every headcount and
    gap measured against it is then provisional."""
    return bool(provenance_of(system).unverified(("poverty_line",), f"{month}-01"))


def reform_lines_note(lines: Mapping[str, float], reform_lines: Mapping[str, float]) -> str:
    """What a comparison says when the reform changes the poverty lines: both sides are measured against the
    baseline's (a change of the line is one of measure, not of benefits: it would move the headcount with no one's
    income changed)."""
    shown = ", ".join(f"{name} {value:,.0f}" for name, value in reform_lines.items()) or "none"
    kept = ", ".join(f"{name} {value:,.0f}" for name, value in lines.items()) or "none"
    return (
        f"The reform changes the poverty lines ({shown}); poverty is measured against the baseline's ({kept}) on "
        "both sides, so that the difference is the benefits'."
    )


def line_variants(
    lines: Mapping[str, float], urban: np.ndarray | None
) -> tuple[list[tuple[str, float | np.ndarray]], list[str]]:
    """Each line measured against, as (name, line: one for everyone, or one per person), and notes: the national
    line; else each person's area line where the table says who lives in towns (``is_urban``), else the rural
    and the urban line each applied to everyone."""
    if "national" in lines:
        return [("national", float(lines["national"]))], []
    if {"rural", "urban"} <= set(lines):
        if urban is not None:
            return [("by area", np.where(urban, lines["urban"], lines["rural"]))], []
        note = "No is_urban column: poverty is measured against the rural and against the urban line, each for all."
        return [(area, float(lines[area])) for area in ("rural", "urban")], [note]
    return [], ["No national poverty line in force in the parameters: poverty headcount and gap are not modelled."]


@dataclass
class PovertySums:
    """Per line measured against, series and group: persons below the line and their gaps; per series and
    group, the histogram of incomes (weights and incomes per bin). Added across chunks and partitions."""

    lines: dict[str, float]  # the lines in force, by name
    variants: tuple[str, ...]  # the lines measured against (``national``, ``by area``, ``rural``, ``urban``)
    population: np.ndarray  # (GROUPS,) weighted persons
    poor: np.ndarray  # (variants, series, GROUPS) weighted persons below the line
    gap: np.ndarray  # (variants, series, GROUPS) weighted sum of shortfall / line
    weights: np.ndarray  # (series, GROUPS, BINS) weighted persons per income bin
    incomes: np.ndarray  # (series, GROUPS, BINS) weighted incomes per bin
    low: np.ndarray  # (series, GROUPS, BINS) lowest income of each bin (+inf when empty)
    high: np.ndarray  # (series, GROUPS, BINS) highest income of each bin (-inf when empty)
    lines_unverified: bool = False  # a line measured against rests on an unverified value (:func:`lines_unverified`)

    def merge(self, other: PovertySums) -> PovertySums:
        if other.variants != self.variants or other.lines != self.lines:
            raise ValueError("cannot merge poverty sums measured against different lines")
        return PovertySums(
            self.lines,
            self.variants,
            self.population + other.population,
            self.poor + other.poor,
            self.gap + other.gap,
            self.weights + other.weights,
            self.incomes + other.incomes,
            np.minimum(self.low, other.low),
            np.maximum(self.high, other.high),
            self.lines_unverified or other.lines_unverified,
        )


def bin_of(values: np.ndarray) -> np.ndarray:
    """Each income's histogram bin (incomes are 0 or more, below ``HIGHEST``)."""
    if len(values) and float(values.max()) >= UPPER[-1]:
        raise ValueError(f"an income per person of {float(values.max()):.3g} a month is beyond the Gini histogram")
    # searchsorted(UPPER, values, "right") found from the logarithm, then set right where rounding put it one off
    index = (np.log(np.fmax(values, LOWEST) * (1 / LOWEST)) * (1 / LOG_RATIO)).astype(np.intp) + 1
    np.minimum(index, len(UPPER), out=index)
    index -= UPPER[index - 1] > values
    index += UPPER[np.minimum(index, len(UPPER) - 1)] <= values
    index += 1
    index[values <= 0] = 0
    index[np.isnan(values)] = len(UPPER) + 1  # where a sorted search puts them
    return index


def group_of(female: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Each person's group: sex × age group."""
    return female.astype(np.int64) * len(AGE_GROUPS) + age_group_of(age)


def welfare(income: np.ndarray, benefits: Mapping[str, np.ndarray], household_of: np.ndarray) -> dict[str, np.ndarray]:
    """Per series, each person's household income per person (float64, 0 or more), before and after benefits."""
    before = np.maximum(np.asarray(income, dtype=np.float64), 0.0)
    sizes = household_sizes(household_of)
    each = household_income_per_person(before, household_of, sizes)
    added = {side: np.asarray(benefits[side], dtype=np.float64) for side in SIDES}
    return {
        "before": each,
        **{side: household_income_per_person_added(each, before, added[side], household_of, sizes) for side in SIDES},
    }


def welfare_bins(
    income: np.ndarray, benefits: Mapping[str, np.ndarray], household_of: np.ndarray
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """:func:`welfare`'s incomes, and each one's Gini histogram bin (:func:`bin_of`), found household by household:
    a household's members share its income per person, so its bin is found once for them all (a household holds
    3.6 persons), after benefits only for the households they change."""
    before = np.maximum(np.asarray(income, dtype=np.float64), 0.0)
    sizes = household_sizes(household_of)
    per_member = income_per_member(before, household_of, sizes)
    each = per_member[household_of]
    member_bins = bin_of(per_member)
    incomes, bins = {"before": each}, {"before": member_bins[household_of]}
    for side in SIDES:
        added = np.asarray(benefits[side], dtype=np.float64)
        incomes[side], touched, side_per_member = household_income_added(each, before, added, household_of, sizes)
        side_bins = member_bins.copy()
        side_bins[touched] = bin_of(side_per_member[touched])
        bins[side] = side_bins[household_of]
    return incomes, bins


def _below_line(
    values: np.ndarray, line: float | np.ndarray, weights: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the weighted persons below ``line`` (one for everyone, or one per person) and the weighted sum of
    their shortfalls ``(line - income) / line``, from their rows alone (incomes are never NaN: the survey reads a
    missing income as 0, and benefits whose amount cannot be told as 0)."""
    rows = np.flatnonzero(values < line)
    lines = line[rows] if np.ndim(line) else line
    weights, groups = weights[rows], groups[rows]
    poor = np.bincount(groups, weights=weights, minlength=GROUPS)
    gap = np.bincount(groups, weights=weights * ((lines - values[rows]) / lines), minlength=GROUPS)
    return poor, gap


def poverty_sums(
    incomes: Mapping[str, np.ndarray],
    weights: np.ndarray,
    groups: np.ndarray,
    lines: Mapping[str, float],
    urban: np.ndarray | None = None,
    bins: Mapping[str, np.ndarray] | None = None,
) -> tuple[PovertySums, list[str]]:
    """The poverty sums of one part of a population, from each series' income per person, and notes; ``bins``:
    each series' :func:`bin_of` its incomes, where the caller found them (:func:`welfare_bins`), else found here."""
    variants, notes = line_variants(lines, urban)
    weights = np.asarray(weights, dtype=np.float64)
    poor = np.zeros((len(variants), len(SERIES), GROUPS))
    gap = np.zeros_like(poor)
    histogram = np.zeros((2, len(SERIES), GROUPS, BINS))
    low = np.empty((len(SERIES), GROUPS * BINS))
    high = np.empty_like(low)
    if bins is None:  # found household by household where the caller knows them (:func:`welfare_bins`)
        bins = {series: bin_of(incomes[series]) for series in SERIES}
    for s, series in enumerate(SERIES):
        values = incomes[series]
        for v, (_, line) in enumerate(variants):
            poor[v, s], gap[v, s] = _below_line(values, line, weights, groups)
        flat = groups * BINS + bins[series]  # each one's group and bin
        histogram[0, s] = np.bincount(flat, weights=weights, minlength=GROUPS * BINS).reshape(GROUPS, BINS)
        histogram[1, s] = np.bincount(flat, weights=weights * values, minlength=GROUPS * BINS).reshape(GROUPS, BINS)
        low[s], high[s] = group_extremes(flat, values, GROUPS * BINS)
    population = np.bincount(groups, weights=weights, minlength=GROUPS)
    names = tuple(name for name, _ in variants)
    shape = (len(SERIES), GROUPS, BINS)
    sums = PovertySums(
        dict(lines), names, population, poor, gap, histogram[0], histogram[1], low.reshape(shape), high.reshape(shape)
    )
    return sums, notes


def gini_from_histogram(
    weights: np.ndarray, incomes: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[float | None, float | None]:
    """The Gini coefficient of a histogram (weights, incomes, lowest and highest income per bin), and the bound
    on its error."""
    total_weight, total_income = float(weights.sum()), float(incomes.sum())
    if total_weight <= 0 or total_income <= 0:
        return None, None
    below_weight = np.cumsum(weights) - weights
    below_income = np.cumsum(incomes) - incomes
    between = float(np.sum(incomes * below_weight - weights * below_income)) / (total_weight * total_income)
    spread = np.where(weights > 0, high - low, 0.0)
    within = float(np.sum(weights**2 * spread)) / (2 * total_weight * total_income)
    return between + within / 2, within / 2


def gini_exact(values: np.ndarray, weights: np.ndarray) -> float | None:
    """The weighted Gini coefficient of ``values`` from the Lorenz curve (sorted cumulative sums; exact)."""
    values = np.asarray(values, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    total_weight, total_income = float(weights.sum()), float(np.dot(weights, values))
    if total_weight <= 0 or total_income <= 0:
        return None
    lorenz = np.r_[0.0, np.cumsum(weights * values)] / total_income
    return 1.0 - float(np.sum(weights / total_weight * (lorenz[1:] + lorenz[:-1])))


def _selections() -> list[tuple[str, str, np.ndarray]]:
    """(dimension, group, mask over the sex × age groups): everyone, each sex, each age group."""
    sex = np.arange(GROUPS) // len(AGE_GROUPS)
    age = np.arange(GROUPS) % len(AGE_GROUPS)
    return [
        ("all", "all", np.ones(GROUPS, dtype=bool)),
        *(("sex", name, sex == index) for index, name in enumerate(SEXES)),
        *(("age_group", label, age == index) for index, (_, label) in enumerate(AGE_GROUPS)),
    ]


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def poverty_records(
    sums: PovertySums | None, benefits_provisional: bool = False, benefits_note: str | None = None
) -> list[dict[str, Any]]:
    """One record per line measured against (``None`` without a line) and group: headcount ratio, poverty gap
    index and Gini, before benefits and after each side's, and whether they rest on unverified law
    (``provisional``): a line measured against has an unverified value (:attr:`PovertySums.lines_unverified`), or,
    after benefits, ``benefits_provisional``, some benefit they add does (a branch "all benefits" covers whose
    results are provisional on either side); ``benefits_note``: which benefits the series after benefits add, and
    why one adds none (:func:`added_benefits_note`)."""
    if sums is None:
        return []
    variants = list(enumerate(sums.variants)) or [(None, None)]
    records = []
    for v, variant in variants:
        for dimension, group, mask in _selections():
            population = float(sums.population[mask].sum())
            record: dict[str, Any] = {"line": variant, "dimension": dimension, "group": group}
            record["line_value"] = _line_value(sums.lines, variant)
            record["population"] = population
            for s, series in enumerate(SERIES):
                modelled = v is not None
                record[f"headcount_{series}"] = _ratio(sums.poor[v, s][mask].sum(), population) if modelled else None
                record[f"gap_{series}"] = _ratio(sums.gap[v, s][mask].sum(), population) if modelled else None
            errors = []
            for s, series in enumerate(SERIES):
                gini, error = gini_from_histogram(
                    sums.weights[s][mask].sum(axis=0),
                    sums.incomes[s][mask].sum(axis=0),
                    sums.low[s][mask].min(axis=0),
                    sums.high[s][mask].max(axis=0),
                )
                record[f"gini_{series}"] = gini
                errors.append(error)
            record["gini_error"] = max((error for error in errors if error is not None), default=None)
            record["gini_note"] = gini_note(record, population)
            record["provisional"] = benefits_provisional or (v is not None and sums.lines_unverified)
            record["note"] = None if v is not None else NOT_MODELLED
            record["benefits_note"] = benefits_note
            records.append(record)
    return records


def gini_note(record: Mapping[str, Any], population: float) -> str | None:
    """Why a record's Gini coefficients are missing, where one is: no one in the group, or no income above 0 (the
    mean is 0 or less, negative incomes counting as zero: the coefficient divides by it); None where all are
    given."""
    missing = [SERIES_LABELS[series] for series in SERIES if record[f"gini_{series}"] is None]
    if not missing:
        return None
    if population <= 0:
        return f"{UNDEFINED}: no one in the group"
    return (
        f"{UNDEFINED} {', '.join(missing)}: the mean income is 0 (no household's income is above 0; negative "
        "incomes count as zero), and the coefficient divides by it"
    )


def _line_value(lines: Mapping[str, float], variant: str | None) -> float | None:
    """The line's amount (``None`` for the area lines together, or without a line)."""
    return lines.get(variant) if variant is not None else None


def added_benefits_note(covered: Sequence[str], left_out: Sequence[str], unpaid: Sequence[str] = ()) -> str | None:
    """What the series after benefits add, where it is not every branch: the benefits whose cost is modelled on
    both sides (``covered``, as the "all benefits" row), not those ``left_out``; and why a series adds nothing,
    and so equals the one before benefits: no branch is covered, or a side (of ``unpaid``) pays none of those
    covered in the month (the baseline of a social pension its law lacks). None where every branch is added."""
    if not covered:
        return (
            f"after the baseline's and after the reform's {AS_BEFORE}: no benefit's cost is modelled on both sides "
            f"({', '.join(left_out)}), so none is added"
        )
    if not left_out and not unpaid:
        return None
    note = f"after benefits: {', '.join(covered)} added (cost modelled on both sides)"
    note += f"; left out, not modelled: {', '.join(left_out)}" if left_out else ""
    said = {side: f"after the {side}'s" for side in unpaid}
    return note + (f"; {' and '.join(said.values())} {AS_BEFORE}: none of them paid in the month" if unpaid else "")


def poverty_table(
    sums: PovertySums | None, benefits_provisional: bool = False, benefits_note: str | None = None
) -> pd.DataFrame:
    """The poverty and inequality table: one row per line and group (everyone, each sex, each age group), each
    with its ``provisional`` flag and ``benefits_note`` (:func:`poverty_records`)."""
    return figure_table(poverty_records(sums, benefits_provisional, benefits_note))
