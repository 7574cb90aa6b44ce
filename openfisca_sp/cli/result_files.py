"""The files ``simulate`` writes, in the format their names end with: per-person results (Parquet or CSV) and the
totals by branch (CSV or JSON). A name ending otherwise is refused before any work, never written in another
format than it says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULT_FORMATS = {".parquet": "Parquet", ".pq": "Parquet", ".csv": "CSV"}
TOTALS_FORMATS = {".csv": "CSV", ".json": "JSON"}
REPORT_FORMATS = {".html": "HTML", ".htm": "HTML"}  # compare's and project's --report
JSON_FORMATS = {".json": "JSON"}  # compare's and project's --json


def file_format(option: str, path: str, formats: dict[str, str]) -> str:
    """The format ``path`` names by its ending, among ``formats``; any other ending is refused in one line."""
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        endings: dict[str, list[str]] = {}
        for ending, kind in formats.items():
            endings.setdefault(kind, []).append(ending)
        named = ", ".join(f"{kind} ({' or '.join(found)})" for kind, found in endings.items())
        given = f"'{suffix}'" if suffix else "no ending"
        raise ValueError(f"--{option} {path}: written as {named}, chosen by its name's ending, not {given}")
    return formats[suffix]


def check_report_files(report: str | None, data: str | None) -> None:
    """``--report`` names an HTML file and ``--json`` a JSON file by their endings (an HTML page written to
    ``out.pdf`` and JSON to ``out.csv`` were not what their names said); refused before any work."""
    if report:
        file_format("report", report, REPORT_FORMATS)
    if data:
        file_format("json", data, JSON_FORMATS)


def write_results(results: Any, path: str, columns: list[str] | None) -> None:
    """Per-person results in the format ``path`` names (:data:`RESULT_FORMATS`)."""
    if file_format("output", path, RESULT_FORMATS) == "CSV":
        results.to_frame(columns).to_csv(path, index=False)
    else:
        results.write_parquet(path, columns)


def written_totals(totals: Any, decimals: int) -> Any:
    """The totals by branch as written: sums of money to ``decimals`` (the currency's) as the law rounds money
    (:func:`~openfisca_sp.rules.formulas.round_money`), counts of persons (:func:`~openfisca_sp.analysis.rows.
    is_count`) to :func:`~openfisca_sp.rules.wording.count_value`: summed in float64, they are written without its
    noise (10420.2, not 10420.199999999997); not modelled stays empty."""
    import pandas as pd

    from openfisca_sp.analysis.rows import is_count
    from openfisca_sp.cli.printed_tables import is_money
    from openfisca_sp.rules.formulas import round_money
    from openfisca_sp.rules.wording import count_value

    written = totals.copy()
    for name in written.columns:
        values = written[name]
        if is_money(name):
            rounded = round_money(values.astype(float).to_numpy(), decimals).tolist()
        elif is_count(name):
            rounded = [count_value(value) for value in values]
        else:
            continue
        written[name] = [None if pd.isna(value) else number for value, number in zip(values, rounded, strict=True)]
    return written


def write_totals(totals: Any, path: str, decimals: int) -> None:
    """The totals by branch (:func:`written_totals`: money to ``decimals``) in the format ``path`` names
    (:data:`TOTALS_FORMATS`); JSON as a list of rows, None where not modelled."""
    from openfisca_sp.analysis.comparison import json_records

    written = written_totals(totals, decimals)
    if file_format("totals", path, TOTALS_FORMATS) == "JSON":
        Path(path).write_text(json.dumps(json_records(written), indent=1, ensure_ascii=False) + "\n", "utf-8")
    else:
        written.to_csv(path, index=False)
