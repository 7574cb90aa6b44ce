"""The law's conditions checked in order: each person's choice of the first condition that holds.

A reason formula lists a branch's conditions as the law checks them and stops at the first unmet
(:func:`first_that_holds`, ``np.select``'s answer), without computing the conditions after the point where
everyone is settled, unless the simulation records or traces what the rules read.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from openfisca_sp.rules.small_arrays import everyone, filled

FEW_SELECTED = 4096  # up to this many persons, :func:`first_that_holds` writes conditions one over another
BIT_CONDITIONS = 16  # up to this many conditions, many persons' first that holds is looked up by their bits


def first_that_holds(conditions: list[Any], choices: list[Any], default: Any = 0, person: Any = None) -> np.ndarray:
    """``np.select``: for each person, the choice of the first condition that holds (``default`` if none does).

    The law checks its conditions in order and stops at the first unmet: a condition may be given as a function
    of no argument that computes it (``lambda: person("x", period)``), computed only if someone of ``person``'s
    simulation is not already settled by the conditions before it (everyone refused at the first condition: the
    later ones are not computed). Every condition is computed where no ``person`` is given, and where the
    simulation records or traces what the rules read (:func:`computes_every_condition`): the facts and
    parameters a condition reads are found by computing it.

    For one person the first condition that holds is found in Python; for a few persons each condition is
    written over the later ones (``np.select``'s fixed cost, about 40 us, is most of a one-person reason's); for
    many, with one choice for everyone per condition, the choice is looked up by the conditions that hold
    (:func:`_first_by_bits`); else ``np.select`` itself.
    """
    if len(choices) != len(conditions):  # np.select's own refusal
        raise ValueError("list of cases must be same length as list of conditions")
    conditions = _conditions_needed(conditions, person is not None and not computes_every_condition(person))
    choices = choices[: len(conditions)]  # the rest choose nobody
    shapes = {condition.shape if type(condition) is np.ndarray else np.shape(condition) for condition in conditions}
    shape = shapes.pop() if len(shapes) == 1 else np.broadcast_shapes(*shapes)
    if math.prod(shape) > FEW_SELECTED:
        if len(conditions) <= BIT_CONDITIONS and all(np.ndim(choice) == 0 for choice in [*choices, default]):
            return _first_by_bits(conditions, choices, default, shape)
        return np.select(conditions, choices, default=default)
    dtype = _choices_dtype(choices, default)
    if math.prod(shape) == 1:  # one person
        held = (choice for condition, choice in zip(conditions, choices, strict=True) if np.asarray(condition).item())
        chosen = next(held, default)
        if shape == (1,) and isinstance(chosen, (int, float, np.generic)):  # a number: filled without np.full
            return filled(1, chosen, dtype)
        return np.full(shape, chosen, dtype=dtype)  # a choice per person, broadcast
    chosen = np.full(shape, default, dtype=dtype)
    for condition, choice in zip(reversed(conditions), reversed(choices), strict=True):
        chosen = np.where(condition, choice, chosen)
    return chosen


def _choices_dtype(choices: list[Any], default: Any) -> np.dtype:
    """``np.result_type`` of the choices and the default, found once for choices given as plain numbers (a reason
    formula gives the same enumeration indices every time)."""
    if all(type(choice) is int for choice in choices) and type(default) is int:
        return _int_choices_dtype(tuple(choices), default)
    return np.result_type(*choices, default)


@lru_cache(maxsize=1024)
def _int_choices_dtype(choices: tuple[int, ...], default: int) -> np.dtype:
    return np.result_type(*choices, default)


def computes_every_condition(person: Any) -> bool:
    """Whether ``person``'s simulation computes every condition of :func:`first_that_holds`, settled or not: it
    records what the rules read (``computes_every_condition`` on its class) or traces them."""
    simulation = person.simulation
    return bool(getattr(simulation, "computes_every_condition", False) or simulation.trace)


def _conditions_needed(conditions: list[Any], lazy: bool) -> list[Any]:
    """The conditions computed (each function called), in order; when ``lazy``, up to the last one needed: the
    conditions after the point where everyone is settled choose nobody."""
    computed: list[Any] = []
    settled = None
    last_lazy = max((position for position, condition in enumerate(conditions) if callable(condition)), default=-1)
    for position, condition in enumerate(conditions):
        if callable(condition):
            if lazy and settled is not None and everyone(settled):
                break
            condition = condition()
        computed.append(condition)
        if lazy and position < last_lazy:  # a later condition may be left uncomputed
            settled = np.asarray(condition) if settled is None else settled | condition
    return computed


def _first_by_bits(conditions: list[Any], choices: list[Any], default: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Each person's conditions that hold as the bits of one number (condition i: bit i), and the choice of each
    number's lowest bit looked up in a table of every number (``np.select`` writes each choice through its
    condition, four times slower over half a million persons and seven conditions)."""
    if len(choices) != len(conditions):  # np.select's own refusal
        raise ValueError("list of cases must be same length as list of conditions")
    kind = np.uint8 if len(conditions) <= 8 else np.uint16
    conditions = [np.asarray(condition) for condition in conditions]
    for position, condition in enumerate(conditions):
        if condition.dtype != bool:  # np.select's own refusal
            raise TypeError(f"invalid entry {position} in condlist: should be boolean ndarray")
    held = np.zeros(shape, dtype=kind)
    for condition in reversed(conditions):  # the last condition's bit shifted up as each earlier one is added
        np.add(held, held, out=held)  # one bit up (numpy's shifts of small integers are not vectorised)
        if condition.ndim == 0:
            held |= kind(bool(condition))
        else:
            np.bitwise_or(held, np.broadcast_to(condition.view(np.uint8), shape), out=held)
    dtype = np.result_type(np.result_type(*(np.asarray(choice) for choice in choices)), np.asarray(default))
    table = np.full(1, default, dtype=dtype)  # the choice of each number of bits, built from the last condition
    for choice in reversed(choices):
        wider = np.empty(2 * len(table), dtype=dtype)
        wider[0::2], wider[1::2] = table, choice  # bit 0 clear: the later conditions decide; set: this one
        table = wider
    return np.take(table, held)  # faster than ``table[held]``
