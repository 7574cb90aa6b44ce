"""Vectorised building blocks shared by the formulas of every branch.

Formulas stay short and read like the law; the mechanics (looking back over
months of contributions, capping and averaging wages, turning years of
contributions into a replacement rate, rounding, provenance) live here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from openfisca_core.periods import Period

from openfisca_sp.rules.branch_nodes import branch, has, part_modelled, untraced
from openfisca_sp.rules.branches import BRANCHES, DURATION, Branch
from openfisca_sp.rules.conditions import (  # noqa: F401 - formulas call them as ``formulas.…``
    BIT_CONDITIONS,
    FEW_SELECTED,
    computes_every_condition,
    first_that_holds,
)
from openfisca_sp.rules.enums import DurationUnit
from openfisca_sp.rules.legal_basis import basis_keys, legal_basis
from openfisca_sp.rules.null_values import not_found, not_found_names
from openfisca_sp.rules.provenance import provenance_of
from openfisca_sp.rules.recording import reached_in
from openfisca_sp.rules.reference_amounts import (  # noqa: F401
    distinct_readings,
    person_reference_amount,
    person_reference_amount_on,
)
from openfisca_sp.rules.scales import (  # noqa: F401
    marginal_rates,
    scale_by_sex,
    scale_of,
    scale_of_counts,
    whole_number_scale_by_sex,
)
from openfisca_sp.rules.small_arrays import anyone
from openfisca_sp.rules.window_nulls import modelled_where_read, null_spans, on_a_null  # noqa: F401
from openfisca_sp.rules.windows import average_capped_wage, count_months

MONTHS_PER_YEAR = 12
FEW_OBJECTS = 64  # up to this many values, :func:`among` looks them up in a set (numpy compares each to each)
SET_KINDS = "biuOU"  # dtypes whose values ``tolist`` gives as Python values equal to numpy's (not dates, not floats)


MOTHERS_CONDITIONS = ("minimum_children", "pensionable_age", "minimum_months")


def reduced_conditions_for_mothers(parameters: Any, period: Period) -> Any | None:
    """The old-age branch's reduced age and period for mothers of many children in force, or None where the law
    sets none (``old_age.reduced_conditions.mothers``: every one of :data:`MOTHERS_CONDITIONS`)."""
    node = branch(parameters, period, "old_age")
    if node is None or not all(has(node, "reduced_conditions", "mothers", part) for part in MOTHERS_CONDITIONS):
        return None
    return node.reduced_conditions.mothers


def lump_sum_provided(parameters: Any, period: Period) -> bool | None:
    """Whether the law in force provides an old-age lump sum below the qualifying period
    (``old_age.lump_sum.provided``); None where that is not known (no value in force: not modelled)."""
    node = branch(parameters, period, "old_age")
    if node is None or not has(node, "lump_sum", "provided"):
        return None
    return bool(node.lump_sum.provided)


def pension_from_month_after_retirement(parameters: Any, period: Period) -> bool:
    """Whether the law in force pays the old-age pension from the first day of the month after the month of
    retirement, the claim's (``old_age.payment_start.month_after_retirement``; absent: from the day of the claim)."""
    node = branch(parameters, period, "old_age")
    return (
        node is not None
        and has(node, "payment_start", "month_after_retirement")
        and bool(node.payment_start.month_after_retirement)
    )


# a month's ceiling: a number, each person's (an array), None (no ceiling), or NaN (not known: a null NOT FOUND)
Ceiling = Callable[[Period], Any]


def reference_wage(
    person: Any,
    period: Period,
    wage_rules: Any,
    ceiling: Ceiling,
    ends: np.ndarray | None = None,
) -> np.ndarray:
    """The reference wage of a branch: an average over the N calendar months before ``period`` (ending with
    ``ends``' months where given, see :func:`~openfisca_sp.rules.windows.window_months`), each month capped at its
    own ``ceiling``, or the career average (capped at the ceiling of ``period``) if N is 0. (Where the law averages
    the latest months with contributions instead, ``contributed_months_only``, the branch's own formula does:
    :mod:`~openfisca_sp.rules.latest_months`.)"""
    months = int(wage_rules.averaging_months)
    if months == 0:
        wage = person("career_average_insured_wage", period).astype(np.float64)
        highest = ceiling(period)
        return np.minimum(wage, highest) if highest is not None else wage
    if averages_latest_contributed(wage_rules):
        raise NotImplementedError("the latest months with contributions are averaged by the branch's own formula")
    return average_capped_wage(person, period, months, ceiling, ends)


def averages_latest_contributed(wage_rules: Any) -> bool:
    """Whether a branch's reference wage averages the latest months with contributions, a gap skipped
    (``reference_wage.contributed_months_only``), not the calendar months before the claim."""
    return has(wage_rules, "contributed_months_only") and bool(wage_rules.contributed_months_only)


def branch_ceiling(person: Any, period: Period, parameters: Any, code: str, wage_rules: Any) -> Ceiling:
    """Each month's ceiling on the insured wage of branch ``code``, as in force that month (the law caps a month's
    wage "at the time of contribution": Viet Nam, SI Law 2024 Art 31(1)(đ), Employment Law 2013 Art 58(2)): the
    branch's own where its reference wage sets one (Viet Nam's unemployment insurance, 20 × the regional minimum
    wage, each person's), else the one every branch shares (:func:`ceiling_of`): also in the months after a law
    ended the branch's own (its documented absence). Each person's ceiling is
    computed once per distinct value, not once a month. NaN in a month whose ceiling stands at a null NOT FOUND, or
    for a region whose minimum wage does (:mod:`~openfisca_sp.rules.window_nulls`)."""
    declared = BRANCHES.get(code)
    if not has(wage_rules, "ceiling") and (declared is None or declared.parameter("reference_wage.ceiling") is None):
        return lambda month: ceiling_of(parameters, month)
    found: dict[str, np.ndarray] = {}

    def on(month: Period) -> np.ndarray | float | None:
        if not_found(parameters(month.start), code, "reference_wage", "ceiling"):
            return np.nan  # NOT FOUND that month: not known (never the claim's, nor the one every branch shares)
        rules = branch(parameters, month, code)
        if rules is not None and has(rules, "reference_wage", "ceiling"):
            multiple = rules.reference_wage.ceiling
        elif has(wage_rules, "ceiling"):  # a month before the branch's own ceiling was set: the claim's
            multiple = wage_rules.ceiling
        else:  # a law ended the branch's own ceiling (or it has none): the one every branch shares
            return ceiling_of(parameters, month)
        amounts = parameters(month.start).reference_amounts
        key = repr(
            [(name, float(multiple[name]), untraced(amounts[name]) if name in amounts else None) for name in multiple]
        )
        if key not in found:
            found[key] = person_reference_amount(person, period, parameters, multiple, month)  # the region of the claim
        return found[key]

    return on


def ceiling_of(parameters: Any, period: Period) -> float | None:
    """The monthly ceiling on insurable earnings in force, if the jurisdiction has one; NaN where it stands at a
    null NOT FOUND, or a multiple of a reference amount not in force (not known, never "no ceiling")."""
    node = parameters(period.start)
    if "insured_wage" in node and not_found_names(node.insured_wage):
        return np.nan
    if has(node, "insured_wage", "ceiling"):
        return float(node.insured_wage.ceiling)
    if has(node, "insured_wage", "ceiling_reference_amount"):  # Viet Nam: 20 × the base salary
        return reference_amount(parameters, period, node.insured_wage.ceiling_reference_amount)
    return None


def reference_amount(parameters: Any, period: Period, multiple_of: Any) -> float:
    """An amount the law sets as a multiple of a reference amount (e.g. 2 × the base salary).

    ``multiple_of`` has one child named after a parameter of ``reference_amounts``
    (e.g. ``base_salary: 2``). A reference amount a null stopped gives NaN, never 0: the part that reads it is not
    modelled then (:func:`~openfisca_sp.rules.branch_nodes.part_modelled`).
    """
    amounts = parameters(period.start).reference_amounts
    total = 0.0
    for name in multiple_of:
        total += float(multiple_of[name]) * (float(amounts[name]) if has(amounts, name) else np.nan)
    return total


def higher_of_social_allowance(parameters: Any, period: Period) -> bool:
    """Whether the social pension in force is paid, with a monthly social allowance, only as the higher of the two
    (Viet Nam, SI Law 2024 Art 22(2)): the disability allowance and the social pension each give way to the other."""
    node = branch(parameters, period, "social_pension")
    return (
        node is not None
        and bool(node.provided)
        and has(node, "higher_of_social_allowance")
        and bool(node.higher_of_social_allowance)
    )


def round_money(amounts: Any, decimals: int) -> np.ndarray:
    """Round money to ``decimals`` (half away from zero, as in payment practice)."""
    scale = 10.0**decimals
    rounded = np.array(amounts, dtype=np.float64)  # a copy, worked on in place: sign × ⌊|a| × scale + ½⌋ / scale
    sign = np.sign(rounded)
    np.abs(rounded, out=rounded)
    if decimals:
        rounded *= scale
    rounded += 0.5
    np.floor(rounded, out=rounded)
    rounded *= sign
    if decimals:
        rounded /= scale
    return rounded if rounded.ndim else rounded[()]


def round_amount(amounts: np.ndarray, tax_benefit_system: Any) -> np.ndarray:
    """Round money to the jurisdiction's currency unit (half away from zero, as in payment practice)."""
    return round_money(amounts, tax_benefit_system.jurisdiction.amount_decimals)


def amount_paid(person: Any, amounts: Any, eligible: np.ndarray) -> np.ndarray:
    """``amounts`` rounded to the jurisdiction's currency unit (:func:`round_amount`) where ``eligible``, 0
    elsewhere. Only the eligible are rounded: most persons of a population are not."""
    paid = np.zeros(person.count)
    rows = np.flatnonzero(eligible)
    if len(rows):
        chosen = np.broadcast_to(np.asarray(amounts), (person.count,))[rows]
        paid[rows] = round_amount(chosen, person.simulation.tax_benefit_system)
    return paid


def rules_instant(person: Any, period: Period) -> Any:
    """The instant whose rules apply to ``period``: its first day, or the event's day in a claim's month."""
    shift = getattr(person.simulation, "rules_instant", None)
    return shift(period.start) if shift is not None else period.start


def unverified(person: Any, period: Period, *prefixes: str) -> tuple[str, ...]:
    """Unverified parameter values in force at ``period`` (the event's day in a claim) under the given paths."""
    return _unverified_on(person.simulation, str(rules_instant(person, period)), prefixes)


def unverified_on(person: Any, day: str, *prefixes: str) -> tuple[str, ...]:
    """Unverified parameter values in force on ``day`` (YYYY-MM-DD) under the given paths: a value a formula read on
    a day of its own (the regional minimum wage on the day a labour contract ended)."""
    return _unverified_on(person.simulation, day, prefixes)


def _unverified_on(simulation: Any, day: str, prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """Unverified parameter values in force on ``day`` under ``prefixes``, recorded as read by ``simulation``."""
    reached_in(simulation, prefixes)  # read from the parameters' metadata, not through ``parameters``
    return provenance_of(simulation.tax_benefit_system).unverified(prefixes, day)


def completed_years(months: np.ndarray) -> np.ndarray:
    """Contribution months as years (fractional; callers floor where the law counts whole years)."""
    return np.asarray(months, dtype=np.float64) / MONTHS_PER_YEAR


def by_sex(node: Any, female: np.ndarray) -> Any:
    """A value that the law may set separately for men and women (``men``/``women`` children). For many persons
    and one number for each sex, ``np.where``'s answer looked up by each person's flag in a table of the two
    (``np.where`` over two numbers is four times slower)."""
    if has(node, "men") and has(node, "women"):
        women, men = node.women, node.men  # read in the order np.where reads them
        if _many_flags(female) and np.ndim(women) == 0 and np.ndim(men) == 0:
            table = np.where(np.array([False, True]), women, men)  # np.where's own type for the two
            return np.take(table, female.view(np.uint8))
        return np.where(female, women, men)
    return node


def _many_flags(values: Any) -> bool:
    """Whether ``values`` are more than a few flags (a bool array)."""
    return type(values) is np.ndarray and values.dtype == bool and values.size > FEW_OBJECTS


def is_female(person: Any, period: Period) -> np.ndarray:
    """True for women (DCI ``sex``)."""
    sex = person("sex", period)
    return np.asarray(sex) == sex.possible_values.female.index  # what ``EnumArray.__eq__`` compares, less its checks


def enum_indices(enum: Any, names: Any) -> list[int]:
    """The indices of the members of ``enum`` named in ``names`` (names it lacks match nobody)."""
    members = enum.__members__
    return [members[name].index for name in names if name in members]


def among(values: Any, candidates: Any) -> np.ndarray:
    """Whether each value is one of a few ``candidates`` (``np.isin`` for short lists, without its fixed cost,
    which dominates when deciding a few persons; a few names, numbers or flags are looked up in a set)."""
    values = np.asarray(values)
    if values.dtype.kind in SET_KINDS and values.size <= FEW_OBJECTS:
        wanted = set(candidates)
        return np.array([value in wanted for value in values.ravel().tolist()], dtype=bool).reshape(values.shape)
    found = np.zeros(values.shape, dtype=bool)
    for candidate in candidates:
        found |= values == candidate
    return found


def enum_in(values: Any, names: Any) -> np.ndarray:
    """Whether each enum value's name is in the list ``names`` (a list-valued parameter)."""
    return among(values, enum_indices(values.possible_values, names))


def provisional(person: Any, period: Period, branch_name: str) -> np.ndarray:
    """Whether each person's decision rests on an unverified value in force at ``period`` (its legal basis).

    A decision of eligibility rests on every value the branch reads (its own, the insurable-earnings ceiling and
    the reference amounts); a refusal on the values of the condition that refuses it
    (:func:`~openfisca_sp.rules.legal_basis.legal_basis`): a man refused maternity for not being a woman is not
    provisional because the qualifying period is unverified. A refusal with a lump sum owed (the old-age lump sum
    after too short a career) rests on the lump sum's values too, and a decision of a person for whom the branch
    reads values only for some persons (``Branch.basis_only_where``: Viet Nam's reduced-capacity window) on those
    too, where no other does. A value the law sets by sex counts for that sex only: a woman refused for her age does
    not rest on the men's pensionable age.
    """
    simulation, day = person.simulation, str(rules_instant(person, period))
    if not _unverified_on(simulation, day, (branch_name, "insured_wage", "reference_amounts")):
        return np.zeros(person.count, dtype=bool)
    basis = legal_basis(simulation.tax_benefit_system, branch_name, day)
    declared = BRANCHES[branch_name]
    # who is owed a lump sum, and whose the values cited only for some persons are, read where it changes the flag
    keys = decision_basis_keys(person, period, declared, basis.owed_differs, basis.where_differs)
    men, women = basis.provisional_by_sex
    if not basis.by_sex_differs:  # no value set by sex is unverified alone: the sex is not read
        return men.take(keys)
    sex = person("sex", period)
    return np.where(sex == sex.possible_values.female, women.take(keys), men.take(keys))


def decision_basis_keys(
    person: Any, period: Period, declared: Branch, owed: bool, where: tuple[bool, ...]
) -> np.ndarray:
    """Each person's decision's key in its legal basis (:func:`~openfisca_sp.rules.legal_basis.basis_keys`): its
    reason, whether a lump sum is owed on it (read if ``owed``), and for each of the branch's ``basis_flags`` read
    (``where``), whether its values are the person's (not read where nobody has a reason they are cited with)."""
    reason = np.asarray(person(declared.reason, period))
    flags = [
        np.asarray(person(variable, period), dtype=bool)
        if read and (not reasons or anyone(among(reason, [each.index for each in reasons])))
        else None
        for (variable, reasons), read in zip(declared.basis_flags, where, strict=True)
    ]
    return basis_keys(reason, lump_sums_owed(person, period, declared) if owed else None, flags)


def lump_sums_owed(person: Any, period: Period, declared: Branch) -> np.ndarray | None:
    """Who is owed a lump sum whose values the branch's legal basis cites (``Branch.lump_sum_basis``): one above 0
    (owed, its formula in force, something to pay); None where the branch cites none."""
    if not declared.cited_lump_sums:
        return None
    owed = np.zeros(person.count, dtype=bool)
    for name in declared.cited_lump_sums:
        entitled = np.asarray(person(f"{name}_entitled", period), dtype=bool)
        if entitled.any():  # else nobody is owed it, and its amount is not computed
            owed |= entitled & (np.asarray(person(name, period)) > 0)
    return owed


def reason_array(person: Any, reason: Any) -> np.ndarray:
    """An array of one ineligibility reason for everybody (e.g. ``not_modelled``), as enum indices."""
    return np.full(person.count, reason.index, dtype=np.int16)


def outcome_modelled(person: Any, period: Period, by_outcome_node: Any) -> np.ndarray:
    """Whether the rules set for the person's pregnancy outcome are modelled (a child of ``by_outcome_node``)."""
    outcome = person("pregnancy_outcome", period)
    return among(outcome, enum_indices(outcome.possible_values, list(by_outcome_node)))


def by_outcome(person: Any, period: Period, by_outcome_node: Any) -> np.ndarray:
    """The value set for the person's pregnancy outcome; a very large number where none is set."""
    outcome = person("pregnancy_outcome", period)
    kind = np.result_type(np.int64, *(np.asarray(by_outcome_node[name]) for name in by_outcome_node))
    by_index = np.full(len(outcome.possible_values), np.iinfo(np.int32).max, dtype=kind)  # by enumeration index
    for name in by_outcome_node:
        by_index[enum_indices(outcome.possible_values, [name])] = by_outcome_node[name]
    return np.take(by_index, np.asarray(outcome))


def duration_unit(person: Any, period: Period, parameters: Any, branch_name: str, eligible: str) -> np.ndarray:
    """The duration unit of a branch for eligible persons: the law's, or ``not_modelled``."""
    node = branch(parameters, period, branch_name)
    unit = DurationUnit.not_modelled
    if node is not None and part_modelled(parameters, period, branch_name, DURATION):
        unit = DurationUnit[str(node.duration.unit)]
    return np.where(person(eligible, period), unit.index, DurationUnit.not_applicable.index)


def contributions_in_window(
    person: Any,
    period: Period,
    node: Any,
    career: str = "contribution_months",
    after: np.ndarray | None = None,
    ends: np.ndarray | None = None,
) -> np.ndarray:
    """Months of contributions counted by a branch: in its qualifying window, or the whole career.

    ``node.qualifying_period.window_months`` names the months before ``period``
    (or up to the month of ``ends``, a date per person, where given) in which
    contributions count (those beginning after ``after`` only, where given); 0
    (or no window) counts the whole career (``career``).
    """
    window = int(node.qualifying_period.window_months) if has(node, "qualifying_period", "window_months") else 0
    if window == 0:
        return person(career, period)
    return count_months(person, "contributed_in_month", period, window, after, ends)
