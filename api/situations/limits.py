"""Size limits: situations that would be too costly are refused before any work.

Every check here costs at most what it allows: a walk stops as soon as its budget is spent, so a body of
millions of tiny items is refused in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from openfisca_core import periods

from openfisca_sp.api.situations.errors import SituationError
from openfisca_sp.api.situations.values import entries
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.suggestions import closest_name
from openfisca_sp.rules.wording import counted

if TYPE_CHECKING:
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

MAX_PERSONS = 10_000
MAX_PERIOD_DAYS = 100 * 366  # no input or result spans more than a century
MAX_REFERENCE_VALUES = 10_000  # JSON values of a situation left to openfisca-core's builder (about 0.5 s of work)
CHARACTERS_PER_VALUE = 32  # and at most this many characters of keys and texts per value allowed
# results a situation left to the builder may ask, axes included (a result per null value and simulated instance),
# per value allowed: 200,000 by default, about 2 MB of /trace; 88 million took 8.7 GB and 25 s
RESULTS_PER_VALUE = 20
# distinct periods a situation asks results for: each is computed anew whatever the persons (a benefit's month reads
# its own 24 or 36 months before it, its conditions, its amount), about 6 ms for Viet Nam's unemployment benefit;
# within the 5,000 inputs and results, 4,900 months of it asked for one person (a 70 KB body) took 30 s
MAX_RESULT_PERIODS = 120  # ten years of months
MAX_TRACED_PERIODS = 12  # on /trace, whose answer holds each result's tree: 5,000 months took 71 s and answered 55 MB
MAX_SITUATION_DEPTH = 32  # levels of objects and lists (a situation needs 5: entities, id, variable, period, value)
NAMED_LEVELS = 3  # the keys of a too deep value's path that are told (entity, id, variable)


def check_size(situation: Any, max_persons: int = MAX_PERSONS, periods_used: Iterable[str] | None = None) -> None:
    """Refuse situations that would be too costly: too many persons (axes included), periods too long.

    ``periods_used`` (the distinct period texts, when already known) spares a walk through the situation.
    """
    if not isinstance(situation, dict):
        return
    count = _person_count(situation)
    if count > max_persons:
        raise SituationError(
            ["persons"],
            f"At most {counted(max_persons, 'person')} per request (axes included); this one has {count}.",
            413,
        )
    for plural, instances in situation.items():
        if isinstance(instances, dict) and len(instances) > max_persons:  # groups: each needs a member
            raise SituationError([plural], f"At most {max_persons} {plural} per request; this one has more.", 413)
    if periods_used is None:
        periods_used = {period_text for _, _, _, period_text, _ in entries(situation)}
    if any(period_problem(period_text) for period_text in periods_used):
        _refuse_periods(situation)
    _check_axes_periods(situation)


def _person_count(situation: dict[str, Any]) -> int:
    """How many persons a situation simulates: its persons times the largest count of each set of axes."""
    persons = situation.get("persons")
    count = len(persons) if isinstance(persons, dict) else 1
    axes = situation.get("axes")
    for parallel in axes if isinstance(axes, list) else ():
        if not isinstance(parallel, list):
            continue  # the builder reports a malformed axis
        counts = [axis.get("count") for axis in parallel if isinstance(axis, dict)]
        if not all(isinstance(value, int) and not isinstance(value, bool) and value > 0 for value in counts):
            raise SituationError(["axes"], "Each axis needs a positive integer 'count'.")
        count *= max(counts, default=1)
    return count


def _refuse_periods(situation: dict[str, Any]) -> None:
    """Refuse the first period too long or out of OpenFisca's calendar, with its path."""
    for plural, entity_id, name, period_text, _ in entries(situation):
        problem = period_problem(period_text)
        if problem:
            raise SituationError([plural, entity_id, name, period_text], problem)


def _check_axes_periods(situation: dict[str, Any]) -> None:
    """The same refusals for the periods of axes (``{"name": …, "period": …}``)."""
    axes = situation.get("axes")
    for index, parallel in enumerate(axes if isinstance(axes, list) else ()):
        for position, axis in enumerate(parallel if isinstance(parallel, list) else ()):
            period_text = axis.get("period") if isinstance(axis, dict) else None
            problem = period_problem(period_text) if isinstance(period_text, str) else None
            if problem:
                raise SituationError(["axes", str(index), str(position), "period"], problem)


@lru_cache(maxsize=8192)
def period_problem(period_text: Any) -> str | None:
    """Why a period is refused (of no length or less, longer than a century, or out of the years 1000 to 9999
    that openfisca-core handles), or None; unparsable ones are reported later, with their path."""
    try:
        period = parse_period(period_text)
    except (ValueError, TypeError):
        return None
    if period.unit == periods.DateUnit.ETERNITY:
        return None
    if period.size < 1:  # openfisca-core reads month:2024-06:0 and :-1, then fails on them (500)
        one = periods.Period((period.unit, period.start, 1))
        return f"The period {period_text} lasts {period.size} {period.unit}s: a period lasts at least one ({one})."
    if period.start.year < 1000:
        return (
            f"The period {period_text} starts before year 1000: openfisca-core writes such periods as texts it "
            f"cannot read back ({period}); periods must start in year 1000 or later."
        )
    try:
        period.start.offset(period.size, period.unit)  # the day after the period, which openfisca-core computes
    except (ValueError, OverflowError):
        return (
            f"The period {period_text} ends at or after the end of year 9999, where OpenFisca's calendar stops: "
            "periods must end by 9999-12-30."
        )
    if period.size_in_days > MAX_PERIOD_DAYS:
        return "Periods longer than a century are refused."
    return None


def check_entities(tax_benefit_system: TaxBenefitSystem, situation: Any) -> None:
    """Refuse top-level keys that are not entity plurals (or ``axes``), with the reference's message and the
    closest name: before anything reads, walks or copies the rest of the body."""
    if not isinstance(situation, dict):
        return
    groups = tax_benefit_system.group_entities
    plurals = [tax_benefit_system.person_entity.plural, *(entity.plural for entity in groups)]
    unknown = [key for key in situation if key not in plurals and key != "axes"]
    if not unknown:
        return
    first = unknown[0]
    named = ", ".join(key[:80] for key in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    close = closest_name(first, [*plurals, "axes"])
    message = (
        "Some entities in the situation are not defined in the loaded tax and benefit system. "
        f"These entities are not found: {named}. The defined entities are: {', '.join(plurals)}."
        + (f" Did you mean '{close}' for '{first[:80]}'?" if close else "")
    )
    raise SituationError([first] if len(first) <= 200 else [], message)


def check_reference_budget(situation: Any, max_values: int = MAX_REFERENCE_VALUES, reason: str = "") -> None:
    """Refuse (413) a situation left to openfisca-core's builder when it holds more than ``max_values`` JSON
    values, or more than :data:`CHARACTERS_PER_VALUE` characters per value allowed in keys and texts: the
    builder copies the whole body and works per id, about 50 µs per value. The walk stops at the budget.
    Refuse (400) one nested deeper than :data:`MAX_SITUATION_DEPTH` (the builder's copy recurses: Python's
    stack would not hold it)."""
    max_characters = max_values * CHARACTERS_PER_VALUE
    values = characters = 0
    pending: list[tuple[Any, int, tuple[str, ...]]] = [(situation, 0, ())]
    while pending:
        node, depth, path = pending.pop()
        if isinstance(node, str):
            characters += len(node)
        elif isinstance(node, dict | list):
            values += len(node)
            if values > max_values:
                break
            if depth >= MAX_SITUATION_DEPTH:
                _refuse_depth(path)
            if isinstance(node, dict):
                characters += sum(map(len, node))
                named = depth < NAMED_LEVELS  # the path told: entity, id, variable
                pending.extend((value, depth + 1, (*path, key) if named else path) for key, value in node.items())
            else:
                pending.extend((value, depth + 1, path) for value in node)
        if characters > max_characters:
            break
    else:
        return
    why = f" ({reason})" if reason else ""
    raise SituationError(
        [],
        f"This situation is handled by openfisca-core's own builder{why}, which is limited to "
        f"{counted(max_values, 'value')} and {counted(max_characters, 'character')} of names and texts per request; "
        "this one has more. Simplify it (each "
        "person and group an object of {period: value} inputs, null where a result is wanted, numbers as "
        "numbers, no axes) or split it into several requests.",
        413,
    )


def check_results(situation: dict[str, Any], max_values: int = MAX_REFERENCE_VALUES) -> None:
    """Refuse (413) a situation left to the builder that asks more than ``RESULTS_PER_VALUE * max_values``
    results: each null value is computed for every instance its entity has, which axes multiply (within
    :func:`check_reference_budget`'s values and :func:`check_size`'s persons, 1,100 months of 8 variables for
    9,999 persons answered 1.6 GB)."""
    persons = situation.get("persons")
    axes = _person_count(situation) // max(len(persons) if isinstance(persons, dict) else 1, 1)
    asked = sum(value is None for *_, value in entries(situation))
    limit = RESULTS_PER_VALUE * max_values
    if asked * axes > limit:
        raise SituationError(
            ["axes"] if axes > 1 else [],
            f"This situation asks {asked * axes} results ({asked} null values, each for {axes} instances of the "
            f"axes); at most {limit} are computed per request. Ask fewer variables, periods or axis points, or split "
            "it into several requests.",
            413,
        )


def check_result_periods(situation: Any, limit: int, wanted_periods: Iterable[str] | None = None) -> None:
    """Refuse (413) a situation that asks results for more than ``limit`` distinct periods, at the first ``null``
    of a period beyond them. ``wanted_periods`` (those of the results, when already read) spares the walk through
    the situation where it is within the limit; the walk stops at the first period beyond it."""
    if wanted_periods is not None and len(set(wanted_periods)) <= limit:
        return
    seen: set[str] = set()
    for plural, entity_id, name, period_text, value in entries(situation):
        if value is None and period_text not in seen:
            seen.add(period_text)
            if len(seen) > limit:
                raise SituationError(
                    [plural, entity_id, name, period_text],
                    f"Results are asked for more than {counted(limit, 'period')}: at most {limit} distinct periods "
                    "per request (each period's results are computed anew, whatever the persons). Ask fewer periods, "
                    "or split the request.",
                    413,
                )


def _refuse_depth(path: tuple[str, ...]) -> None:
    raise SituationError(
        [key[:80] for key in path],
        f"Nested deeper than {MAX_SITUATION_DEPTH} levels of objects and lists. Expected a situation of the form "
        '{"persons": {"<id>": {"<variable>": {"<period>": <value>}}}, "<groups>": {...}}.',
    )
