"""Official figures a sample is compared with: ``openfisca_sp/data/calibration/<code>.yaml``.

Each figure names the statistic it measures (:data:`~openfisca_sp.calibration.statistics.STATISTICS`), its
value (a share as a fraction, or persons), the year it refers to, its source (publication, table or page,
link) and its verification status: ``verified`` (read in the official source), ``verified_2nd`` (read in a
secondary source quoting it) or ``unverified``. A figure not found is absent from the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from openfisca_sp.calibration.statistics import BY_CODE
from openfisca_sp.rules import jurisdictions

STATUSES = ("verified", "verified_2nd", "unverified")
SOURCE_KEYS = ("publication", "where", "url", "quote")


@dataclass(frozen=True)
class OfficialFigure:
    """One official figure, with where it was read and how sure it is."""

    statistic: str
    value: float
    year: str
    status: str
    source: dict[str, str]
    note: str = ""
    comparable: bool = True  # False when the official figure measures something the sample cannot

    def to_dict(self) -> dict[str, Any]:
        data = {"value": self.value, "year": self.year, "status": self.status, "source": dict(self.source)}
        return {**data, **({"note": self.note} if self.note else {}), "comparable": self.comparable}


def figures_path(jurisdiction: str) -> Path:
    """The official figures file of ``jurisdiction``."""
    return Path(str(resources.files("openfisca_sp") / "data" / "calibration" / f"{jurisdiction}.yaml"))


def _figure(entry: dict[str, Any], path: Path) -> OfficialFigure:
    where = f"{path.name}: {entry.get('statistic')!r}"
    if entry.get("statistic") not in BY_CODE:
        raise ValueError(f"{where}: unknown statistic (known: {', '.join(BY_CODE)})")
    if entry.get("status") not in STATUSES:
        raise ValueError(f"{where}: status must be one of {', '.join(STATUSES)}")
    source = entry.get("source") or {}
    if not source.get("publication") or not source.get("url"):
        raise ValueError(f"{where}: a figure needs its source's publication and url")
    unknown = set(source) - set(SOURCE_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown source keys {sorted(unknown)}")
    value = entry.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError(f"{where}: value must be a number")
    return OfficialFigure(
        entry["statistic"],
        float(value),
        str(entry.get("year", "")),
        entry["status"],
        {key: str(source[key]) for key in SOURCE_KEYS if key in source},
        str(entry.get("note", "")),
        bool(entry.get("comparable", True)),
    )


def official_figures(jurisdiction: str) -> dict[str, OfficialFigure]:
    """The official figures of ``jurisdiction`` by statistic (none if it has no file; an unknown jurisdiction is
    refused: ``"xx"`` had none, in silence)."""
    path = figures_path(jurisdictions.get(jurisdiction).code)
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    figures = [_figure(entry, path) for entry in data.get("figures") or []]
    codes = [figure.statistic for figure in figures]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"{path.name}: one figure per statistic, found several for {duplicates}")
    return {figure.statistic: figure for figure in figures}
