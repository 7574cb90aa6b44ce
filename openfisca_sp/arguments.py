"""Checks of the Python API's arguments, before any work is sized by them (the command line has its own, in
argparse's words: :mod:`openfisca_sp.cli.arguments`)."""

from __future__ import annotations

from numbers import Integral
from typing import Any

from openfisca_sp.rules.wording import abridged

# Synthetic populations (read here by the command line too, which does not load the generator to build its help)
MAX_SYNTHETIC_PERSONS = 1_000_000_000  # ten times Viet Nam's people, the most of any jurisdiction modelled
MAX_PARTITIONS = 10_000  # files of one synthetic population


def whole_number(name: str, value: Any, low: int, high: int | None = None, unit: str = "", why: str = "") -> int:
    """``value`` if it is a whole number from ``low`` (to ``high``: ``why`` says why no more), a NumPy integer too;
    else a :class:`ValueError` saying what ``name`` takes (``generate("lao", 2.5, …)`` failed in NumPy's
    broadcasting, ``seed=-1`` in NumPy's words)."""
    if isinstance(value, Integral) and not isinstance(value, bool) and low <= value and (high is None or value <= high):
        return int(value)
    bounds = f"{low:,} or more" if high is None else f"from {low:,} to {high:,}"
    said = f"{name} must be a whole number{' of ' + unit if unit else ''}, {bounds}{f' ({why})' if why else ''}"
    raise ValueError(f"{said}, not {abridged(value)}")
