"""A block of synthetic persons: its random stream and the assembly of all its columns.

A block is a run of whole households with its own random stream, so blocks can
be made in any order, alone or in batches, and always come out the same. Every
function of the generator works on whole arrays: there is no Python loop over
persons or households (only over the months of the wage history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.synthetic.careers import (
    career_average_wage,
    make_careers,
    monthly_wages,
    pension_capital,
    pension_points,
)
from openfisca_sp.synthetic.events import births, disabilities, pension_claims, separations_and_labour
from openfisca_sp.synthetic.household_members import make_households, member_ages_and_sexes
from openfisca_sp.synthetic.months import DAYS_PER_YEAR, Calendar, month_label

__all__ = ["Block", "block_rng", "make_block"]


@dataclass(frozen=True)
class Block:
    """A block of the population: its number (which seeds it), first person id and size."""

    index: int
    first_person: int
    persons: int


def block_rng(seed: int, block: Block) -> np.random.Generator:
    """The random stream of a block: child ``block.index`` of ``SeedSequence(seed)``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block.index,)))


def make_block(
    shape: dict[str, Any], calendar: Calendar, seed: int, block: Block, weight: float
) -> dict[str, np.ndarray]:
    """All columns of a block of persons, as numpy arrays (dates as days since 1970, ``NULL_DAY`` for none)."""
    rng = block_rng(seed, block)
    households = make_households(rng, block.persons, shape)
    age, female = member_ages_and_sexes(rng, households, shape)
    birth_day = calendar.first_day - np.floor(age * DAYS_PER_YEAR).astype(np.int64)
    age = (calendar.first_day - birth_day) / DAYS_PER_YEAR  # the age the birth date gives
    region = households.region[households.of_person]
    careers = make_careers(rng, age, female, birth_day, region, calendar, shape)
    wage_columns = monthly_wages(careers, region, calendar, shape)
    in_window = np.zeros(block.persons, dtype=np.int64)
    for column in wage_columns:
        in_window += column > 0
    contribution_months = np.where(careers.ever, in_window + careers.months_before_window, 0)
    career_average = career_average_wage(careers, calendar, shape)
    person_id = block.first_person + np.arange(block.persons, dtype=np.int64)
    columns = {
        "person_id": person_id,
        "household_id": block.first_person + households.starts[households.of_person].astype(np.int64),
        "is_household_head": households.position == 0,
        "weight": np.full(block.persons, weight),
        "birth_date": birth_day.astype(np.int32),
        "sex": female,
        "contribution_months": contribution_months.astype(np.int32),
        "pension_points": pension_points(contribution_months, career_average, female, calendar, shape),
        "pension_capital": pension_capital(careers, wage_columns, calendar, shape),
        "career_average_insured_wage": career_average,
    }
    for month, column in zip(range(calendar.window_start, calendar.month), wage_columns, strict=True):
        columns[f"insured_wage.{month_label(month)}"] = column
    columns.update(separations_and_labour(rng, age, female, careers, wage_columns[-1], calendar, shape))
    columns.update(births(rng, age, female, calendar, shape))
    columns.update(pension_claims(careers, calendar, shape))
    columns.update(disabilities(rng, age, shape))
    columns["minimum_wage_region"] = region.astype(np.int32)
    return columns
