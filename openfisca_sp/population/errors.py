"""The error of a person table that cannot be used: which column, which file, and what was expected."""

from __future__ import annotations


class PopulationError(ValueError):
    """A person table cannot be used: which column, and what was expected."""

    def __init__(self, message: str, column: str | None = None, source: str | None = None) -> None:
        self.column = column
        self.source = source
        where = f"{source}: " if source else ""
        what = f"column '{column}': " if column else ""
        super().__init__(f"{where}{what}{message}")
