"""The error of a person table that cannot be used: which column, which file, and what was expected."""

from __future__ import annotations

import re

CSV_ENDINGS = (".csv", ".txt", ".csv.gz", ".txt.gz")  # read as CSV (gzip by its ending); anything else as Parquet
_CSV_LINE = re.compile(r"; line \d+ of a CSV file")


class PopulationError(ValueError):
    """A person table cannot be used: which column, and what was expected. A row's line in a CSV file is told
    only where the table is one (a Parquet file's rows were said to be lines of a CSV file)."""

    def __init__(self, message: str, column: str | None = None, source: str | None = None) -> None:
        if not (source and source.lower().endswith(CSV_ENDINGS)):
            message = _CSV_LINE.sub("", message)
        self.column = column
        self.source = source
        self.detail = message  # what is wrong, without the table and column
        where = f"{source}: " if source else ""
        what = f"column '{column}': " if column else ""
        super().__init__(f"{where}{what}{message}")


class MissingColumnsError(PopulationError):
    """A person table lacks columns the rules read (``columns``), with no default in law and no assumption."""

    def __init__(self, message: str, columns: list[str], source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.columns = columns
