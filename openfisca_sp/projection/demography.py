"""Population by age group and sex in a future year, from the UN World Population Prospects 2024 (medium variant).

The package ships one CSV per jurisdiction (``openfisca_sp/data/demography/<code>.csv``, source and licence in
``SOURCE.yaml`` beside it): annual totals by sex, and five-year age groups by sex every five years. The
population of a year is the annual total of each sex, shared out over the age groups as the five-year
snapshots share it (linear between two snapshots; the first snapshot's shares before it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from openfisca_sp.rules.wording import span

SEXES = ("male", "female")
GROUP_WIDTH = 5
GROUPS = 21  # 0-4, 5-9, ..., 95-99, 100+
WORKING_GROUPS = slice(3, 13)  # ages 15-64


class DemographyError(ValueError):
    """No projection for the jurisdiction or the year asked for."""


@dataclass(frozen=True)
class Demography:
    """A jurisdiction's projected population: totals by sex per year, age-group shares every five years."""

    code: str
    totals: dict[int, np.ndarray]  # year -> persons by sex (male, female)
    groups: dict[int, np.ndarray]  # snapshot year -> persons by (sex, age group)
    source: dict

    @property
    def years(self) -> range:
        return range(min(self.totals), max(self.totals) + 1)

    def shares(self, year: int) -> np.ndarray:
        """Each age group's share of its sex in ``year``, shape (2, 21)."""
        snapshots = sorted(self.groups)
        before = max((snapshot for snapshot in snapshots if snapshot <= year), default=snapshots[0])
        after = min((snapshot for snapshot in snapshots if snapshot >= year), default=snapshots[-1])
        low, high = self.groups[before], self.groups[after]
        weight = 0.0 if after == before else (year - before) / (after - before)
        persons = low * (1 - weight) + high * weight
        return persons / persons.sum(axis=1, keepdims=True)

    def population(self, year: int) -> np.ndarray:
        """Persons by sex (rows: male, female) and five-year age group (columns) in ``year`` (1 July)."""
        if year not in self.totals:
            raise DemographyError(
                f"no population projection for {self.code} in {year}: the shipped projection covers "
                f"{span(self.years.start, self.years.stop - 1)}"
            )
        return self.shares(year) * self.totals[year][:, None]

    def working_age(self, year: int) -> float:
        """Persons aged 15-64 in ``year``."""
        return float(self.population(year)[:, WORKING_GROUPS].sum())


def group_of(age: np.ndarray) -> np.ndarray:
    """The five-year age group index (0 for 0-4 ... 20 for 100 and over) of each age in years."""
    return np.clip(np.asarray(age, dtype=np.int64) // GROUP_WIDTH, 0, GROUPS - 1)


@cache
def demography(code: str) -> Demography:
    """The shipped projection of jurisdiction ``code`` (lao, vnm, tjk)."""
    folder = resources.files("openfisca_sp") / "data" / "demography"
    data = folder / f"{code}.csv"
    if not data.is_file():
        raise DemographyError(f"no population projection is shipped for jurisdiction {code!r}")
    totals: dict[int, np.ndarray] = {}
    groups: dict[int, np.ndarray] = {}
    with data.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            year, sex, persons = int(row["year"]), SEXES.index(row["sex"]), float(row["thousands"]) * 1000
            if row["kind"] == "total":
                totals.setdefault(year, np.zeros(2))[sex] = persons
            else:
                groups.setdefault(year, np.zeros((2, GROUPS)))[sex, int(row["age"]) // GROUP_WIDTH] = persons
    source = yaml.safe_load((folder / "SOURCE.yaml").read_text(encoding="utf-8"))
    return Demography(code, totals, groups, source)
