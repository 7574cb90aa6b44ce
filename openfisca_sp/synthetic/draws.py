"""Vectorised helpers of the synthetic population: uniform draws, values by age group, scaled chances, rounding."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["by_age_group", "group_bounds", "normalised_probability", "round_to", "uniform"]


def group_bounds(groups: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Lower bounds (sorted) and values of age groups keyed ``"18-24"`` or ``"65+"``."""
    lows = [float(key.rstrip("+").split("-")[0]) for key in groups]
    order = np.argsort(lows)
    return np.asarray(lows)[order], np.asarray(list(groups.values()), dtype=np.float64)[order]


def by_age_group(ages: np.ndarray, groups: dict[str, Any], below: float = 0.0) -> np.ndarray:
    """The value of each person's age group (``below`` under the youngest group)."""
    lows, values = group_bounds(groups)
    index = np.searchsorted(lows, ages, side="right") - 1
    return np.where(index >= 0, values[np.maximum(index, 0)], below)


def uniform(rng: np.random.Generator, low: Any, high: Any, size: int) -> np.ndarray:
    """Uniform draws on [low, high) (arrays allowed)."""
    return low + rng.random(size) * (np.asarray(high) - np.asarray(low))


def normalised_probability(risk: np.ndarray, among: np.ndarray, target: float) -> np.ndarray:
    """``risk`` scaled so that its mean among ``among`` is ``target`` (capped at 0.95)."""
    total = risk[among].sum()
    scale = target * among.sum() / total if total > 0 else 0.0
    return np.clip(risk * scale, 0.0, 0.95)


def round_to(values: np.ndarray, unit: float) -> np.ndarray:
    """Values rounded to a multiple of ``unit``."""
    return np.round(values / unit) * unit
