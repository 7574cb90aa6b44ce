"""Calibration: each synthetic sample against official figures, statistic by statistic, with the distance.

The official figures (``openfisca_sp/data/calibration/<code>.yaml``) each carry their source and a
verification status; a figure not found is absent, never guessed (:mod:`~.figures`). The same statistics
are computed from a sample, weighted, running the real rules where the statistic is a benefit's coverage
(:mod:`~.statistics`). :mod:`~.table` puts them side by side with the distance, absolute and relative, and
writes the table shipped with each sample (``openfisca_sp/data/synthetic/<code>.calibration.json``)::

    from openfisca_sp.calibration import calibrate

    table = calibrate("sample:lao")
    table.rows
"""

from openfisca_sp.calibration.figures import STATUSES, OfficialFigure, official_figures
from openfisca_sp.calibration.statistics import STATISTICS, Statistic, sample_statistics
from openfisca_sp.calibration.table import (
    FAR,
    CalibrationRow,
    CalibrationTable,
    calibrate,
    shipped_path,
    shipped_table,
    write_calibrations,
)

__all__ = [
    "FAR",
    "STATISTICS",
    "STATUSES",
    "CalibrationRow",
    "CalibrationTable",
    "OfficialFigure",
    "Statistic",
    "calibrate",
    "official_figures",
    "sample_statistics",
    "shipped_path",
    "shipped_table",
    "write_calibrations",
]
