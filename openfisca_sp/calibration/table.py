"""The calibration table: each statistic of a sample beside its official figure, with the distance.

The distance is the sample value minus the official value (absolute, in the statistic's unit) and that
difference over the official value (relative). A statistic without an official figure, or whose official
figure measures something else than the sample can (``comparable: false``), has no distance. The table of
each shipped sample is written next to it (``<code>.calibration.json``) by :func:`write_calibrations`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openfisca_sp.calibration.figures import OfficialFigure, official_figures
from openfisca_sp.calibration.statistics import BY_CODE, PERSONS, STATISTICS, Statistic, sample_statistics
from openfisca_sp.population.engine import jurisdiction_for
from openfisca_sp.population.months import Month, month_text
from openfisca_sp.population.reading import SAMPLE_PREFIX, population_month, read_table
from openfisca_sp.rules import jurisdictions
from openfisca_sp.rules.wording import count_value
from openfisca_sp.synthetic import SAMPLE_JURISDICTIONS, SAMPLE_PERIOD, SAMPLE_PERSONS, SAMPLE_SEED, sample_path

FAR = 0.25  # a relative distance above this is "far": the generator should be looked at


@dataclass(frozen=True)
class CalibrationRow:
    """One statistic: the sample's value and the official figure, if one was found."""

    statistic: str
    sample: float | None
    official: OfficialFigure | None
    modelled: bool = True  # False: the rules of the group's branch have no source then (sample None)
    provisional: bool = False  # the sample's value comes from rules resting on unverified law

    @property
    def comparable(self) -> bool:
        return self.sample is not None and self.official is not None and self.official.comparable

    @property
    def absolute(self) -> float | None:
        return self.sample - self.official.value if self.comparable else None

    @property
    def relative(self) -> float | None:
        if not self.comparable or self.official.value == 0:
            return None
        return (self.sample - self.official.value) / self.official.value

    @property
    def far(self) -> bool:
        return self.relative is not None and abs(self.relative) > FAR

    def to_dict(self) -> dict[str, Any]:
        statistic = BY_CODE[self.statistic]
        return {
            "statistic": self.statistic,
            "label": statistic.label,
            "unit": statistic.unit,
            "definition": statistic.definition,
            "sample": self.sample,
            "modelled": self.modelled,  # a sample None and modelled: the table holds no one in the group
            "provisional": self.provisional,  # from rules resting on unverified law, as simulate flags a branch
            "official": self.official.to_dict() if self.official else None,
            "absolute": rounded(self.absolute, statistic.unit),
            "relative": rounded(self.relative, ""),
            "far": self.far,
        }


@dataclass
class CalibrationTable:
    """A sample's calibration: what was compared, the rows, and notes on how the sample was read."""

    jurisdiction: str
    month: str
    population: str
    rows: list[CalibrationRow]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "month": self.month,
            "population": self.population,
            "far_threshold": FAR,
            "rows": [row.to_dict() for row in self.rows],
            "notes": list(self.notes),
        }


def rounded(value: float | None, unit: str) -> float | None:
    """Persons as every output counts them (:func:`~openfisca_sp.rules.wording.count_value`: to a hundredth; their
    weights summed exactly, :mod:`~openfisca_sp.population.weight_sums`), shares to six decimals."""
    if value is None:
        return None
    return count_value(value) if unit == PERSONS else round(value, 6)


def calibrate(
    population: Any,
    jurisdiction: str | None = None,
    month: Month | None = None,
    assume: Mapping[str, Any] | None = None,
) -> CalibrationTable:
    """Compare ``population`` (``sample:<code>``, a path, a table) with ``jurisdiction``'s official figures.

    For a shipped sample or a table written by ``openfisca-sp synthesize``, the jurisdiction and month default to
    the ones it names. ``assume`` gives a value for a whole
    column the table lacks, as :func:`~openfisca_sp.population.simulate` takes it; the table's notes say so.
    """
    jurisdiction = jurisdiction_for(population, jurisdiction)
    if jurisdiction is None:
        read_table(population, [])  # a table that cannot be read says why first (a missing file was told this)
        raise ValueError("give the jurisdiction whose official figures the population is compared with")
    month = population_month(population, None if month is None else month_text(month), "the month evaluated")
    values, notes, provisional = sample_statistics(population, jurisdiction, month, assume)
    figures = official_figures(jurisdiction)
    rows = [
        _row(statistic, values[statistic.code], figures.get(statistic.code), statistic.code in provisional)
        for statistic in STATISTICS
    ]
    label = str(population) if isinstance(population, (str, Path)) else "(table in memory)"
    return CalibrationTable(jurisdiction, month, label, rows, notes)


def _row(
    statistic: Statistic, value: float | None, official: OfficialFigure | None, provisional: bool = False
) -> CalibrationRow:
    """A statistic's row: None is not modelled, NaN (:data:`~.statistics.NO_ONE`) a group with no one in it;
    ``provisional``: its value rests on unverified law (a value not modelled rests on none)."""
    sample = None if value is None or math.isnan(value) else rounded(value, statistic.unit)
    return CalibrationRow(statistic.code, sample, official, value is not None, provisional and value is not None)


def shipped_path(jurisdiction: str) -> Path:
    """Where the calibration table of ``jurisdiction``'s shipped sample is (next to the sample)."""
    return sample_path(jurisdiction).parent / f"{jurisdiction}.calibration.json"


def shipped_table(jurisdiction: str) -> dict[str, Any] | None:
    """The shipped calibration table of ``jurisdiction``'s sample, as written (None if there is none; an unknown
    jurisdiction is refused)."""
    if jurisdictions.get(jurisdiction).code not in SAMPLE_JURISDICTIONS:
        return None
    path = shipped_path(jurisdiction)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def shipped_content(jurisdiction: str) -> dict[str, Any]:
    """What the shipped table of ``jurisdiction`` should hold: the calibration of its sample (without the notes on
    the rules' defaults), and the sample."""
    table = calibrate(f"{SAMPLE_PREFIX}{jurisdiction}").to_dict()
    del table["notes"]  # how the rules read the sample: the comparison's notes say it, and they change with the rules
    return {**table, "sample": {"persons": SAMPLE_PERSONS, "seed": SAMPLE_SEED, "period": SAMPLE_PERIOD}}


def write_calibrations(directory: str | Path | None = None) -> list[Path]:
    """(Re)write the calibration table of every shipped sample (into the package's data folder by default)."""
    paths = []
    for code in SAMPLE_JURISDICTIONS:
        path = Path(directory) / shipped_path(code).name if directory is not None else shipped_path(code)
        path.write_text(json.dumps(shipped_content(code), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
