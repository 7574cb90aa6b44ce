"""The statistics a sample is calibrated on, computed from the sample alone (weighted): no web, no constants.

Population structure (total, age groups, share of women) and insured persons are read from the person
table's columns. Pensioners and SDG 1.3.1 coverage come from the real rules, run over the table by the
population engine as a comparison runs its baseline, with the coverage groups of
:mod:`openfisca_sp.analysis.coverage`: a person is covered when a benefit of the group's branch pays them its
periodical amount in the month (mothers of newborns: when their claim is granted). A pensioner is paid a
pension in the month, as the official counts of pensioners and SDG 1.3.1 count them: a lump sum falling due in
it (Viet Nam's old-age lump sum after too short a career) makes nobody a pensioner
(:attr:`~openfisca_sp.population.payments.MonthPayments.paid_periodically`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from openfisca_sp.analysis import coverage
from openfisca_sp.analysis.comparison import ANALYSIS_OUTPUTS
from openfisca_sp.analysis.survey import COLUMNS as SURVEY_COLUMNS
from openfisca_sp.analysis.survey import income_column, survey_arrays
from openfisca_sp.population.chunks import DEFAULT_CHUNK, iterate_chunks
from openfisca_sp.population.engine import read_population, resolve_system
from openfisca_sp.population.errors import PopulationError
from openfisca_sp.population.missing_columns import assumed_values
from openfisca_sp.population.outputs import branches_of, outputs_of
from openfisca_sp.population.payments import month_payments
from openfisca_sp.population.reading import read_table, source_label
from openfisca_sp.population.text_columns import equals_text
from openfisca_sp.population.totals import is_provisional, rule_decided
from openfisca_sp.population.weight_sums import weighted_count
from openfisca_sp.rules.enums import Sex
from openfisca_sp.rules.wording import noun_for

SHARE, PERSONS = "share", "persons"
PENSION_BRANCHES = ("old_age", "disability")  # their periodical benefits are the pensions counted


@dataclass(frozen=True)
class Statistic:
    """A statistic of a population: its code, label, unit (``share`` of a group, or ``persons``) and what it is."""

    code: str
    label: str
    unit: str
    definition: str


STATISTICS = (
    Statistic("population.total", "Population", PERSONS, "Persons, weighted (the sum of the weights)."),
    Statistic("population.aged_0_14", "Share aged 0–14", SHARE, "Age in completed years on the month's first day."),
    Statistic("population.aged_15_64", "Share aged 15–64", SHARE, "Age in completed years on the month's first day."),
    Statistic("population.aged_65_plus", "Share aged 65+", SHARE, "Age in completed years on the month's first day."),
    Statistic("population.women", "Share of women", SHARE, "Persons of sex female."),
    Statistic(
        "insured.contributors",
        "Insured persons contributing",
        PERSONS,
        "Persons with an insured wage in the month before the month evaluated (the latest month of the history).",
    ),
    Statistic(
        "pensioners.old_age",
        "Old-age pensioners",
        PERSONS,
        "Persons paid an old-age pension in the month; an old-age lump sum alone (due in the month) is no pension.",
    ),
    Statistic(
        "pensioners.all",
        "Pensioners (old-age or disability)",
        PERSONS,
        "Persons paid an old-age or a disability pension in the month (a lump sum alone is none); survivors' "
        "pensions are not modelled.",
    ),
    Statistic(
        "sdg131.at_least_one",
        "SDG 1.3.1: covered by at least one benefit",
        SHARE,
        "Share of the population contributing (as above) or paid by any branch in the month. Only the branches "
        "modelled count: no social assistance, child or survivors' benefit.",
    ),
    *(
        Statistic(f"sdg131.{group.code}", f"SDG 1.3.1: {group.label}", SHARE, group.definition)
        for group in coverage.GROUPS
    ),
)
BY_CODE = {statistic.code: statistic for statistic in STATISTICS}


def _ages(birth_dates: pa.ChunkedArray, month: str) -> np.ndarray:
    """Age in completed years on the first day of ``month``."""
    born = birth_dates.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    born_month = born.astype("datetime64[M]")
    first = np.datetime64(month, "M")
    years = first.astype("datetime64[Y]").astype(int) - born.astype("datetime64[Y]").astype(int)
    month_of_year = born_month.astype(int) % 12
    later_this_year = (month_of_year > first.astype(int) % 12) | (
        (month_of_year == first.astype(int) % 12) & (born > born_month.astype("datetime64[D]"))
    )
    return years - later_this_year.astype(int)


def contributing_column(month: str) -> str:
    """The insured-wage column of the month before ``month`` (the latest month of the wage history)."""
    return income_column(month)


def contributing_wages(table: pa.Table, month: str, assume: Mapping[str, Any] | None = None) -> np.ndarray | None:
    """Each person's insured wage in the month before ``month``: the table's column, else the value assumed for the
    whole column (by its name or its variable's, as the rules read it); None where there is neither."""
    name = contributing_column(month)
    if name in table.column_names:
        return table.column(name).fill_null(0).to_numpy().astype(np.float64)
    assume = assumed_values(assume)  # a text read as simulate reads it
    assumed = assume.get(name, assume.get(name.partition(".")[0]))
    return None if assumed is None else np.full(table.num_rows, float(assumed))


def _missing(absent: list[str], population: Any, wage: str) -> PopulationError:
    """The error for columns the calibration reads and the table lacks, each with why it reads it (``wage``: the
    column of the month before the month evaluated)."""
    why = {wage: "the calibration counts contributors by the wage of the month before the month evaluated"}
    said = [f"{name!r} ({why.get(name, 'the calibration reads the population by age and sex')})" for name in absent]
    return PopulationError(
        f"missing {noun_for(len(said), 'column')} {', '.join(said)}", source=source_label(population)
    )


def structure(table: pa.Table, month: str, wages: np.ndarray) -> dict[str, float]:
    """Population structure from the person table's columns, and insured persons from ``wages``
    (:func:`contributing_wages`), weighted."""
    weights = (  # without a weight column each row is one person, as the rules' run reads it
        table.column("weight").to_numpy().astype(np.float64) if "weight" in table.column_names else np.ones(len(table))
    )
    total = float(weights.sum())
    ages = _ages(table.column("birth_date"), month)
    female = equals_text(table.column("sex"), Sex.female.name, "sex", names=Sex.__members__)
    return {
        "population.total": total,
        "population.aged_0_14": float(weights[ages <= 14].sum()) / total,
        "population.aged_15_64": float(weights[(ages >= 15) & (ages <= 64)].sum()) / total,
        "population.aged_65_plus": float(weights[ages >= 65].sum()) / total,
        "population.women": float(weights[female].sum()) / total,
        "insured.contributors": float(weights[wages > 0].sum()),
    }


NO_ONE = math.nan  # a coverage group's share, modelled, of a group the table holds no one in


def _share(weights: np.ndarray, members: np.ndarray, covered: np.ndarray) -> float | None:
    population = float(weights[members].sum())
    return float(weights[members & covered].sum()) / population if population > 0 else None


def _any(arrays: list[np.ndarray], count: int) -> np.ndarray:
    """Who is in any of ``arrays`` (nobody when there is none)."""
    return np.logical_or.reduce(arrays) if arrays else np.zeros(count, dtype=bool)


def _chunk(
    columns: Mapping[str, np.ndarray],
    survey: Mapping[str, np.ndarray],
    wages: np.ndarray,
    branches: tuple,
    month: str,
    notes: list[str],
    decimals: int,
) -> dict[str, np.ndarray]:
    """Per person of one chunk: coverage groups, who is covered, pensioners, and who is covered by anything
    (adds to ``notes`` how the groups were derived); ``decimals``: the currency's, as payments are rounded."""
    count = len(wages)
    groups, group_notes = coverage.memberships(survey, columns)
    notes += [note for note in group_notes if note not in notes]
    payments = {branch.code: month_payments(columns, branch, month, decimals) for branch in branches}
    paid = {code: payment.paid for code, payment in payments.items()}
    pensioned = {code: payment.paid_periodically for code, payment in payments.items()}
    granted = {branch.code: columns[branch.eligible].astype(bool) for branch in branches}
    part = {"old_age": pensioned.get("old_age", np.zeros(count, dtype=bool))}
    part["pensioners"] = _any([pensioned[code] for code in PENSION_BRANCHES if code in pensioned], count)
    part["any"] = _any(list(paid.values()), count) | (wages > 0)
    part.update({f"decided.branch.{branch.code}": np.array([rule_decided(columns, branch)]) for branch in branches})
    part.update(
        {f"provisional.branch.{branch.code}": np.array([is_provisional(columns, branch)]) for branch in branches}
    )
    for group in coverage.GROUPS:
        mine = [branch for branch in branches if branch.coverage_group == group.code]
        by = granted if group.granted else pensioned
        part[f"member.{group.code}"] = groups[group.code]
        part[f"covered.{group.code}"] = _any([by[branch.code] for branch in mine], count)
    return part


def rules_statistics(
    population: Any,
    jurisdiction: str,
    month: str,
    chunk_persons: int = DEFAULT_CHUNK,
    assume: Mapping[str, Any] | None = None,
) -> tuple[dict[str, float | None], list[str], frozenset[str]]:
    """Pensioners and SDG 1.3.1 coverage from the baseline rules run over ``population``, with notes (``assume``: a
    value for each whole column the table lacks, as :func:`~openfisca_sp.population.simulate` takes), and the
    statistics that rest on unverified law (:func:`provisional_statistics`)."""
    system = resolve_system(jurisdiction)
    branches = branches_of(system)
    outputs = (*outputs_of(system, branches), *ANALYSIS_OUTPUTS)
    extra = (*SURVEY_COLUMNS, contributing_column(month))
    inputs, analysis = read_population(population, [system], month, [outputs], assume, extra)
    survey, notes = survey_arrays(analysis, month)
    wages = contributing_wages(analysis, month, assume)
    if wages is None:
        raise _missing([contributing_column(month)], population, contributing_column(month))
    decimals = system.jurisdiction.amount_decimals
    parts = [
        _chunk(
            columns,
            {name: values[rows] for name, values in survey.items()},
            wages[rows],
            branches,
            month,
            notes,
            decimals,
        )
        for rows, (columns,) in iterate_chunks([system], inputs, month, [outputs], chunk_persons)
    ]
    merged = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    weights = inputs.weights
    # a count over branches says nothing where one of them has no rule at the date (it would count as nobody)
    undecided = [branch for branch in branches if not merged[f"decided.branch.{branch.code}"].any()]
    pensioners = not any(branch.code in PENSION_BRANCHES for branch in undecided)
    anything = not undecided
    values: dict[str, float | None] = {
        "pensioners.old_age": weighted_count(weights, merged["old_age"]),  # as simulate counts persons
        "pensioners.all": weighted_count(weights, merged["pensioners"]) if pensioners else None,
        "sdg131.at_least_one": float(weights[merged["any"]].sum()) / float(weights.sum()) if anything else None,
    }
    if undecided:
        notes.append(
            f"Not modelled at this date: {', '.join(branch.label for branch in undecided)}. The pensioners of the "
            "old-age and disability branches and the share covered by at least one benefit are not modelled where "
            "one of their branches is (it would count as nobody)."
        )
    for code in coverage.GROUP_CODES:
        share = _share(weights, merged[f"member.{code}"], merged[f"covered.{code}"])
        decided = any(branch.coverage_group == code and branch not in undecided for branch in branches)
        values[f"sdg131.{code}"] = (NO_ONE if share is None else share) if decided else None
    unverified = {branch.code for branch in branches if merged[f"provisional.branch.{branch.code}"].any()}
    return values, [*inputs.assumptions, *notes], provisional_statistics(branches, unverified)


def provisional_statistics(branches: tuple, unverified: set[str]) -> frozenset[str]:
    """The statistics computed from the rules that rest on unverified law, as ``simulate`` flags a branch
    ``provisional``: old-age pensioners on the old-age branch, pensioners on it or disability's, the share covered by
    at least one benefit on any branch, a coverage group's share on its branches."""
    codes = {
        "pensioners.old_age": {"old_age"},
        "pensioners.all": set(PENSION_BRANCHES),
        "sdg131.at_least_one": {branch.code for branch in branches},
    }
    for code in coverage.GROUP_CODES:
        codes[f"sdg131.{code}"] = {branch.code for branch in branches if branch.coverage_group == code}
    return frozenset(statistic for statistic, resting in codes.items() if resting & unverified)


def sample_statistics(
    population: Any, jurisdiction: str, month: str, assume: Mapping[str, Any] | None = None
) -> tuple[dict[str, float | None], list[str], frozenset[str]]:
    """Every statistic of :data:`STATISTICS` for ``population`` (a path, ``sample:<code>``, a table), notes, and the
    statistics that rest on unverified law.

    ``None`` where the rules do not model the branch of a coverage group at this date, :data:`NO_ONE` (NaN) where
    they do and the table holds no one in the group. ``assume``: a value for each
    whole column the table lacks (said in the notes).
    """
    rules, notes, provisional = rules_statistics(population, jurisdiction, month, assume=assume)  # errors name it
    columns = ["weight", "birth_date", "sex", contributing_column(month)]
    table = read_table(population, columns)
    wages = contributing_wages(table, month, assume)
    absent = [name for name in columns[1:3] if name not in table.column_names] + [columns[3]] * (wages is None)
    if absent or wages is None:
        raise _missing(absent, population, columns[3])
    values: dict[str, float | None] = dict(structure(table, month, wages))
    values.update(rules)
    return {statistic.code: values[statistic.code] for statistic in STATISTICS}, notes, provisional
