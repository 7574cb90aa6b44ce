"""The report's calibration table: the population compared with official figures, with the distance.

Shown for a shipped sample (``sample:<code>``): its calibration table (``<code>.calibration.json``), or the
one the comparison carries under ``calibration`` (:meth:`~openfisca_sp.calibration.CalibrationTable.to_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openfisca_sp.calibration import shipped_table
from openfisca_sp.calibration.render import HEADERS, publication_and_year
from openfisca_sp.calibration.render import cells as calibration_cells
from openfisca_sp.calibration.statistics import PERSONS
from openfisca_sp.population.reading import SAMPLE_PREFIX
from openfisca_sp.report.formatting import NONE, count, month_label, percent, points, rate
from openfisca_sp.report.tables import Cell, Table, label_cell


def _calibration(comparison: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if comparison.get("calibration"):
        return comparison["calibration"]
    source = str((comparison.get("meta") or {}).get("source") or "")
    return shipped_table(source[len(SAMPLE_PREFIX) :]) if source.startswith(SAMPLE_PREFIX) else None


def _value(number: float | None, unit: str) -> str:
    return (count(number) if unit == PERSONS else rate(number)) or NONE


def _distance(number: float | None, unit: str) -> str:
    """Persons, or percentage points for a share (as the coverage table writes its changes)."""
    if number is None:
        return NONE
    return (count(number, signed=True) if unit == PERSONS else points(number)) or NONE


def cells(row: Mapping[str, Any]) -> list[str]:
    """One row's cells in the order of :data:`HEADERS`, numbers in the report's locale, a figure or source not found
    as the report's other tables write a figure there is none of (it read "-" beside their "–")."""
    return calibration_cells(row, _value, _distance, lambda share: percent(share, 1, signed=True) or NONE, NONE)


def calibration_table(comparison: Mapping[str, Any]) -> Table | None:
    """The population's statistics against official figures (None when no calibration is known)."""
    table = _calibration(comparison)
    if not table:
        return None
    body = []
    for row in table["rows"]:
        texts = cells(row)
        kind = "num" if row.get("official") else "nm"
        body.append(
            [label_cell(texts[0]), *(Cell(text, kind=kind) for text in texts[1:-1]), Cell(texts[-1], kind="src")]
        )
    notes = [
        f"{row['label']}: {publication_and_year(row['official'], ' (', ')')}, {row['official']['source'].get('url')}"
        + (f". {row['official']['note']}" if row["official"].get("note") else "")
        for row in table["rows"]
        if row.get("official")
    ]
    caption = (
        f"{table['population']} against official figures: distance = sample − official; far = more than "
        f"{percent(table['far_threshold'], 0)} away"
    )
    if not comparison.get("calibration"):  # the sample's own table: its month, rules and default options
        caption += (
            f"; the table shipped with the sample ({month_label(table['month'])}, every claim on its event, no "
            "assumption), not computed in this comparison: its coverage may differ from this report's"
        )
    return Table("table-calibration", caption, list(HEADERS), body, notes=notes)
