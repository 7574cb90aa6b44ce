"""Checks of the Python API's arguments, before any work is sized by them (the command line has its own, in
argparse's words: :mod:`openfisca_sp.cli.arguments`)."""

from __future__ import annotations

import datetime
from numbers import Integral
from typing import Any

import numpy as np

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


def day(name: str, value: Any) -> np.datetime64:
    """``value`` as a day (``datetime64[D]``): a ``datetime.date`` (a ``datetime``'s day), a NumPy date or its ISO
    text; else a :class:`ValueError` saying what ``name`` takes (None was read as no day, text as NumPy parses it)."""
    if isinstance(value, datetime.date):
        return np.datetime64(value.date() if isinstance(value, datetime.datetime) else value, "D")
    if isinstance(value, np.datetime64) and not np.isnat(value):
        return value.astype("datetime64[D]")
    if isinstance(value, str):
        try:
            return np.datetime64(datetime.date.fromisoformat(value), "D")
        except ValueError:
            pass
    raise ValueError(f"{name} must be a day, a datetime.date or YYYY-MM-DD, not {abridged(value)}")


def check_progress(progress: Any) -> None:
    """Refuse a run's ``progress`` that cannot be called, before anything is read (``simulate(..., progress=5)``
    read the table and ran its first chunk before "'int' object is not callable")."""
    if progress is not None and not callable(progress):
        raise TypeError(
            "progress is a function called with (done, in all), or None; "
            f"not {type(progress).__name__} {abridged(progress)}"
        )
