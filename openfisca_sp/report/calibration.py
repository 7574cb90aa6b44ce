"""The report's calibration table: the population compared with official figures, with the distance.

Shown for a shipped sample (``sample:<code>``): its calibration table (``<code>.calibration.json``), or the
one the comparison carries under ``calibration`` (:meth:`~openfisca_sp.calibration.CalibrationTable.to_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openfisca_sp.calibration import shipped_table
from openfisca_sp.calibration.render import HEADERS, cells
from openfisca_sp.population.reading import SAMPLE_PREFIX
from openfisca_sp.report.tables import Cell, Table, label_cell


def _calibration(comparison: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if comparison.get("calibration"):
        return comparison["calibration"]
    source = str((comparison.get("meta") or {}).get("source") or "")
    return shipped_table(source[len(SAMPLE_PREFIX) :]) if source.startswith(SAMPLE_PREFIX) else None


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
        f"{row['label']}: {row['official']['source'].get('publication')} ({row['official']['year']}), "
        f"{row['official']['source'].get('url')}"
        + (f". {row['official']['note']}" if row["official"].get("note") else "")
        for row in table["rows"]
        if row.get("official")
    ]
    caption = (
        f"{table['population']} against official figures: distance = sample − official; far = more than "
        f"{100 * table['far_threshold']:.0f}% away"
    )
    return Table("table-calibration", caption, list(HEADERS), body, notes=notes)
