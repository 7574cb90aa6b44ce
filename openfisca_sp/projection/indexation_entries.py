"""A scenario's indexation entries: each a parameter uprated by an index from a year, and one entry per parameter.

Two entries for one parameter (prices from 2028, then wages from 2029) were taken in their order, the later one's
values replacing the earlier one's from its year or from the law's value (an analyst's review), while the report
listed both as assumptions: the second is refused, naming the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Indexation:
    """A parameter uprated each year by an index, from a year on, as the law (or the analyst) sets."""

    parameter: str
    index: str
    start: int
    source: str
    status: str
    line: int | None = None


def indexed_twice(entries: Sequence[Indexation]) -> tuple[Indexation, str] | None:
    """The first entry indexing a parameter an earlier entry indexes, and what its refusal says (None: none)."""
    found: dict[str, Indexation] = {}
    for entry in entries:
        first = found.setdefault(entry.parameter, entry)
        if first is not entry:
            return entry, (
                f"'{entry.parameter}' is indexed twice: line {first.line} already indexes it (by {first.index} from "
                f"{first.start}); a parameter takes one indexation, by one index from one year: keep one entry"
            )
    return None
