"""Situations outside the fast path: openfisca-core's own handlers (``openfisca serve``), with their
client errors as :class:`SituationError` and, first, the inputs they mishandle refused."""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from dpath.exceptions import InvalidKeyName
from openfisca_core.errors import ParameterNotFoundError, PeriodMismatchError, SituationParsingError
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DateUnit

from openfisca_sp.api.situations.axes import check_axes
from openfisca_sp.api.situations.errors import SituationError
from openfisca_sp.api.situations.limits import (
    MAX_PERSONS,
    MAX_REFERENCE_VALUES,
    MAX_RESULT_PERIODS,
    MAX_TRACED_PERIODS,
    check_entities,
    check_reference_budget,
    check_result_periods,
    check_results,
    check_size,
)
from openfisca_sp.api.situations.values import (
    date_out_of_bounds,
    entries,
    eternity_mismatch,
    out_of_bounds,
    out_of_bounds_message,
    period_fits,
    period_mismatch,
)
from openfisca_sp.rules.periods import parse_period
from openfisca_sp.rules.periods import period_text as canonical_text
from openfisca_sp.rules.wording import counted

if TYPE_CHECKING:
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

LARGEST_NUMERIC_KEY = 99_999
_WHY = {
    "calculate": "it is not entirely in the usual form the fast path reads",
    "trace": "/trace always uses it",
}


def reference_calculate(
    tax_benefit_system: TaxBenefitSystem,
    situation: Any,
    max_persons: int = MAX_PERSONS,
    max_values: int = MAX_REFERENCE_VALUES,
    max_periods: int = MAX_RESULT_PERIODS,
) -> dict[str, Any]:
    """Calculate with openfisca-core's own builder and handler (same answers as ``openfisca serve``), results asked
    for at most ``max_periods`` distinct periods."""
    if isinstance(situation, dict) and "axes" in situation:
        # the reference handler looks results up by the ids of the situation, which axes multiply: it fails (500)
        raise SituationError(["axes"], "Axes are not supported by /calculate (use /trace, or the Python API).")
    return _reference("calculate", tax_benefit_system, situation, max_persons, max_values, max_periods)


def trace(
    tax_benefit_system: TaxBenefitSystem,
    situation: Any,
    max_persons: int = MAX_PERSONS,
    max_values: int = MAX_REFERENCE_VALUES,
    max_periods: int = MAX_TRACED_PERIODS,
) -> dict[str, Any]:
    """The reference ``/trace`` answer, with the same limits and client-error mapping as ``calculate`` (results
    asked for at most ``max_periods`` distinct periods: each holds its tree)."""
    return _reference("trace", tax_benefit_system, situation, max_persons, max_values, max_periods)


def _reference(
    handler: str,
    tax_benefit_system: TaxBenefitSystem,
    situation: Any,
    max_persons: int,
    max_values: int,
    max_periods: int,
) -> dict[str, Any]:
    """The answer of the reference handler ``handler``, its errors mapped to :class:`SituationError`.

    Refused first, in this order and each within its own cost: what is not an object, top-level keys that
    are not entities, more than ``max_values`` values (the builder deep-copies the body and works per id),
    too many persons or periods out of the calendar, and the inputs the reference mishandles."""
    from openfisca_web_api import handlers  # the reference implementation, for situations outside the fast path

    if not isinstance(situation, dict):
        raise SituationError(["error"], "Invalid type: must be of type 'Object'.")  # the reference's message
    check_entities(tax_benefit_system, situation)
    check_axes(tax_benefit_system, situation)
    try:
        check_reference_budget(situation, max_values, _WHY[handler])
    except SituationError as refused:
        if refused.code == 413:  # too large for the builder, maybe only for want of one value the fast path took:
            _refuse_what_the_reference_mishandles(tax_benefit_system, situation)  # that value named (400), if so
            _refuse_what_the_fast_path_declines(tax_benefit_system, situation, handler, max_values)
        raise
    check_size(situation, max_persons)
    check_results(situation, max_values)
    check_result_periods(situation, max_periods)
    _refuse_unusable_keys(situation)
    _refuse_what_the_reference_mishandles(tax_benefit_system, situation)
    try:
        return getattr(handlers, handler)(tax_benefit_system, situation)
    except SituationParsingError as error:
        raise SituationError.from_reference(error, situation) from None
    except PeriodMismatchError as error:
        raise SituationError([error.variable_name, str(error.period)], error.message.replace("\n", " ")) from None
    except InvalidKeyName as error:  # dpath refuses empty keys (the reference answers 500)
        raise SituationError([], f"Invalid situation: {error}") from None
    except ParameterNotFoundError as error:  # a period the legislation does not cover (the reference answers 500)
        raise SituationError([], str(error)) from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise SituationError([], f"Invalid situation: {error}") from None


def _an_index(variable: Any, value: float) -> bool:
    """Whether ``value`` is an index of the enumeration (the reference reads any number as one: 7, -1 or 1.5)."""
    return float(value).is_integer() and 0 <= value < len(variable.possible_values.__members__)


def _refuse_a_period_stated_twice(
    stated: dict[tuple[str, str, str, str], str], plural: str, entity_id: str, name: str, period_text: Any
) -> None:
    """One period written two ways for one input (``2024-06`` and ``month:2024-06``): the reference kept the one
    written last, so the answer turned on the order of the keys."""
    try:
        canonical = canonical_text(str(period_text))
    except (ValueError, TypeError):
        return  # not a period: the builder reports it
    earlier = stated.setdefault((plural, entity_id, name, canonical), str(period_text))
    if earlier != str(period_text):
        raise SituationError(
            [plural, entity_id, name, str(period_text)],
            f"The period {period_text} is {canonical}, stated already as '{earlier}': state each period once.",
        )


def _refuse_what_the_reference_mishandles(tax_benefit_system: TaxBenefitSystem, situation: Any) -> None:
    """Refuse, with their path, text given for a number (the reference would evaluate it as an
    expression) or for a boolean (the reference reads any text but "" as true: "false" too), a number other than 0
    and 1 for a boolean (the reference reads 7, -1 and 0.5 as true and echoes them), a fraction for a
    whole number (the reference cuts 179.9 months to 179 and echoes 179.9), a number its
    variable's array cannot hold (the reference makes a float infinite), requested periods that do not fit
    their variable (the reference answers 500), and a value stated for ETERNITY of a variable that is not
    eternal (the reference's 400, or a 500 when the variable has an end)."""
    stated: dict[tuple[str, str, str, str], str] = {}  # each input's period as openfisca-core writes it
    for plural, entity_id, name, period_text, value in entries(situation):
        variable = tax_benefit_system.variables.get(name)
        if variable is None:
            continue
        _refuse_a_period_stated_twice(stated, plural, entity_id, name, period_text)
        if isinstance(value, str) and variable.value_type in (int, float):
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a number (JSON {variable.json_type}), got the text '{value[:40]}'; "
                "expressions are not evaluated.",
            )
        if variable.value_type is datetime.date and isinstance(value, (int, float)) and not isinstance(value, bool):
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a date as text (YYYY-MM-DD), got the number {value}; a number is not read as a date.",
            )
        if isinstance(value, list):
            raise SituationError(
                [plural, entity_id, name, period_text], "Expected one value for this period, got a list."
            )
        if variable.value_type is datetime.date and isinstance(value, str) and date_out_of_bounds(variable, value):
            raise SituationError([plural, entity_id, name, period_text], date_out_of_bounds(variable, value))
        if isinstance(value, bool) and variable.value_type in (int, float):
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a number (JSON {variable.json_type}), got the boolean {str(value).lower()}; a boolean is "
                "not read as 1 or 0.",
            )
        if variable.value_type is int and type(value) is float and not value.is_integer():
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a whole number (JSON integer), got {value}; a fraction is not cut to its whole part.",
            )
        if variable.value_type is Enum and type(value) in (int, float) and not _an_index(variable, value):
            names = list(variable.possible_values.__members__)
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected one of {', '.join(names)} (or its index, a whole number from 0 to {len(names) - 1}), got "
                f"the number {value}.",
            )
        if variable.value_type is bool and type(value) in (int, float) and value not in (0, 1):
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a boolean (JSON true or false; 0 and 1 are read as false and true), got the number {value}; "
                "another number is not read as yes or no.",
            )
        if isinstance(value, str) and variable.value_type is bool:
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a boolean (JSON true or false), got the text '{value[:40]}'; a text is not read as "
                "yes or no.",
            )
        if type(value) in (int, float) and out_of_bounds(variable, (value,)) is not None:
            raise SituationError([plural, entity_id, name, period_text], out_of_bounds_message(variable, value))
        try:
            period = parse_period(period_text)
        except (ValueError, TypeError):
            continue  # the reference builder reports it
        if value is None and not period_fits(variable, period):
            raise SituationError([plural, entity_id, name, period_text], period_mismatch(variable, period_text))
        if period.unit == DateUnit.ETERNITY and variable.definition_period != DateUnit.ETERNITY:
            raise SituationError([plural, entity_id, name, period_text], eternity_mismatch(variable))


def _refuse_what_the_fast_path_declines(
    tax_benefit_system: TaxBenefitSystem, situation: Any, handler: str, max_values: int
) -> None:
    """Refuse, with their path, the values of a situation over the builder's budget that the checks above let
    through: a date that does not exist (the builder's own refusal, which it never reaches here) and, on
    ``/calculate``, a whole number written as a float (``1e2``, ``100.0``: the builder reads it, the fast path
    reads JSON integers only; ``/trace`` always uses the builder, so the budget is what refuses it there). A
    situation within the budget keeps the builder's answer."""
    for plural, entity_id, name, period_text, value in entries(situation):
        variable = tax_benefit_system.variables.get(name)
        if variable is None:
            continue
        if variable.value_type is datetime.date and type(value) is str and not _a_date(value):
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Can't deal with date: '{value[:40]}'. Expected a date that exists, written YYYY-MM-DD.",
            )
        if variable.value_type is Enum:
            _refuse_an_enumeration_value(variable, value, handler, max_values, [plural, entity_id, name, period_text])
        if handler == "calculate" and variable.value_type is int and type(value) is float:
            raise SituationError(
                [plural, entity_id, name, period_text],
                f"Expected a whole number written as a JSON integer ({value:.0f}), got {value}: a situation over "
                f"{counted(max_values, 'value')} is read only in the usual form, where a whole number has no "
                "fraction nor exponent.",
            )


def _refuse_an_enumeration_value(variable: Any, value: Any, handler: str, max_values: int, path: list[str]) -> None:
    """An enumeration's value the builder would refuse (a name it does not have: the builder's own message) or, on
    ``/calculate``, one the builder reads but the fast path does not (an index, ``1`` or ``true``, for a name)."""
    names = list(variable.possible_values.__members__)
    if type(value) is str and value not in names:
        raise SituationError(
            path, f"'{value[:40]}' is not a known value for '{variable.name}'. Possible values are {names}."
        )
    if handler == "calculate" and type(value) is not str:
        raise SituationError(
            path,
            f"Expected one of {names}, written as text, got {str(value)[:40]}: a situation over "
            f"{counted(max_values, 'value')} is read only in the usual form, where an enumeration's value is its name.",
        )


@lru_cache(maxsize=4096)
def _a_date(text: str) -> bool:
    """Whether openfisca-core's builder reads ``text`` as a date (as numpy reads it: 2024-06-15, 2024-06 …)."""
    try:
        np.array([text], dtype="datetime64[D]")
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _refuse_unusable_keys(situation: Any, path: tuple[str, ...] = ()) -> None:
    """openfisca-core writes error paths with dpath, which turns a numeric key into a list index: an id or period
    like "999999999999" would allocate that many items; and dpath refuses an empty id (the reference answers 500,
    naming dpath's option; an empty variable or period it names itself). Refuse such keys first, at their place."""
    if not isinstance(situation, dict) or len(path) > 3:
        return
    for key, value in situation.items():
        if isinstance(key, str) and key.isascii() and key.isdigit() and int(key) > LARGEST_NUMERIC_KEY:
            raise SituationError(
                [*path, key],
                f"Numeric keys above {LARGEST_NUMERIC_KEY} are refused in a situation outside the fast path.",
            )
        if key == "" and len(path) == 1:
            raise SituationError(
                [*path, key], "An empty id names no one: expected an id, a text of one character or more."
            )
        _refuse_unusable_keys(value, (*path, str(key)))
