"""Synthetic households and their members: household sizes, roles, regions, and each member's age and sex."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.synthetic.draws import uniform

__all__ = [
    "CHILD",
    "ELDER",
    "HEAD",
    "MAX_AGE",
    "MIN_SPOUSE_AGE",
    "SPOUSE",
    "Households",
    "draw_grouped_ages",
    "household_sizes",
    "make_households",
    "member_ages_and_sexes",
]

MAX_AGE = 99.9
MIN_SPOUSE_AGE = 16
HEAD, SPOUSE, CHILD, ELDER = 0, 1, 2, 3


def draw_grouped_ages(rng: np.random.Generator, count: int, weights: dict[str, float]) -> np.ndarray:
    """Ages drawn from relative weights of age groups ``"a-b"`` (uniform within a group)."""
    keys = list(weights)
    lows = np.array([float(key.split("-")[0]) for key in keys])
    highs = np.array([float(key.split("-")[1]) + 1 for key in keys])
    probabilities = np.array([weights[key] for key in keys], dtype=np.float64)
    group = rng.choice(len(keys), size=count, p=probabilities / probabilities.sum())
    return uniform(rng, lows[group], highs[group], count)


def household_sizes(rng: np.random.Generator, persons: int, mean_size: float, max_size: int) -> np.ndarray:
    """Household sizes (1 + Poisson, capped) adding up to exactly ``persons``: the last household is trimmed."""
    sizes = np.empty(0, dtype=np.int64)
    while sizes.sum() < persons:
        count = int((persons - sizes.sum()) / mean_size * 1.1) + 8
        drawn = 1 + np.minimum(rng.poisson(mean_size - 1, count), max_size - 1)
        sizes = np.concatenate([sizes, drawn])
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, persons)) + 1
    sizes = sizes[:count].copy()
    sizes[-1] -= ends[count - 1] - persons
    return sizes


@dataclass
class Households:
    """Household structure of a block: per household, and each person's household and place in it."""

    sizes: np.ndarray
    starts: np.ndarray
    of_person: np.ndarray
    position: np.ndarray
    role: np.ndarray
    head_age: np.ndarray
    head_male: np.ndarray
    region: np.ndarray


def make_households(rng: np.random.Generator, persons: int, shape: dict[str, Any]) -> Households:
    """Households of a block: sizes, roles (head, spouse, child or grandchild, elderly parent), region."""
    spec = shape["households"]
    sizes = household_sizes(rng, persons, spec["mean_size"], spec["max_size"])
    count = len(sizes)
    starts = np.cumsum(sizes) - sizes
    of_person = np.repeat(np.arange(count), sizes)
    position = np.arange(persons) - starts[of_person]
    head_age = draw_grouped_ages(rng, count, spec["head_age_weights"])
    has_spouse = (sizes >= 2) & (rng.random(count) < spec["spouse_share"])
    has_elder = (sizes >= 2 + has_spouse) & (head_age < spec["elder_max_head_age"])
    has_elder &= rng.random(count) < spec["elder_share"]
    role = np.full(persons, CHILD, dtype=np.int8)
    role[(position == 1) & has_spouse[of_person]] = SPOUSE
    role[(position == sizes[of_person] - 1) & has_elder[of_person] & (position > 0)] = ELDER
    role[position == 0] = HEAD
    regions = shape["regions"]["minimum_wage_region"]
    codes = np.array([int(code) for code in regions])
    shares = np.array(list(regions.values()), dtype=np.float64)
    region = codes[rng.choice(len(codes), size=count, p=shares / shares.sum())]
    head_male = rng.random(count) < np.where(has_spouse, spec["male_head_share"], 1 - spec["lone_head_female_share"])
    return Households(sizes, starts, of_person, position, role, head_age, head_male, region)


def member_ages_and_sexes(
    rng: np.random.Generator, households: Households, shape: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's age (years) and sex (True for women), from their role in the household."""
    spec = shape["households"]
    persons = len(households.role)
    of = households.of_person
    head_age, head_male = households.head_age, households.head_male
    gap = spec["spouse_age_gap"]
    spouse_gap = rng.normal(gap["mean"], gap["sd"], len(head_age))
    spouse_age = np.clip(np.where(head_male, head_age - spouse_gap, head_age + spouse_gap), MIN_SPOUSE_AGE, MAX_AGE)
    reference_woman = np.where(head_male, head_age - gap["mean"], head_age)
    has_spouse = np.zeros(len(head_age), dtype=bool)
    has_spouse[of[households.role == SPOUSE]] = True
    reference_woman = np.where(head_male & has_spouse, spouse_age, reference_woman)

    mother = reference_woman[of]
    grandchild = (mother >= spec["grandchild_min_reference_age"]) & (rng.random(persons) < spec["grandchild_share"])
    low = np.where(grandchild, spec["grandchild_gap"][0], spec["birth_gap"][0])
    high = np.maximum(np.minimum(np.where(grandchild, spec["grandchild_gap"][1], spec["birth_gap"][1]), mother), low)
    child_age = mother - uniform(rng, low, high, persons)
    child_age = np.where(child_age > 0, child_age, rng.random(persons))
    elder_age = np.minimum(head_age[of] + uniform(rng, *spec["elder_gap"], persons), MAX_AGE)
    role = households.role
    age = np.select(
        [role == HEAD, role == SPOUSE, role == ELDER],
        [head_age[of], spouse_age[of], elder_age],
        default=child_age,
    )
    female = np.select(
        [role == HEAD, role == SPOUSE, role == ELDER],
        [~head_male[of], head_male[of], rng.random(persons) < spec["elder_female_share"]],
        default=rng.random(persons) < spec["female_share_at_birth"],
    )
    return np.clip(age, 0, MAX_AGE), female
