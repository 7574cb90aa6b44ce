"""The rows of a comparison's tables, typed, and the one place their flat column names are made.

A comparison's tables (``Comparison.branches``, ``.breakdown(...)``,
``.coverage``) and its JSON (``Comparison.to_dict()``) are flat records such as
``{"branch": ..., "baseline_cost": ..., "reform_cost": ...}``. The rows here
write themselves to such a record (:meth:`to_record`) and read themselves back
from one (:meth:`from_record`, lenient: a missing column reads ``None``), so
that the analysis, which builds them, and the report, which reads a saved
comparison, share one naming. ``None`` means "not modelled" (or no denominator
for a ratio). This module imports nothing of the rules or the population engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

SIDES = ("baseline", "reform")
ALL = "all"  # the pseudo-branch of every benefit together
ALL_LABEL = "All benefits"
BOTH_SEXES = "all"  # a coverage row for everyone, whatever their sex
OUTCOMES = ("winners", "losers", "gains", "losses")  # weighted sums, per branch, of the change for each person
UNDEFINED = "undefined"  # a Gini coefficient of incomes whose mean is 0 or less, or of no one

Record = Mapping[str, Any]
# the figures that are weighted counts of persons (a column named so, or ending with _ and the name)
COUNTS = (
    "population",
    "beneficiaries",
    "beneficiaries_change",
    "winners",
    "losers",
    "covered",
    "contributors",
    "working_age",
)


def is_count(name: str) -> bool:
    """Whether a column holds weighted counts of persons (``reform_beneficiaries``, ``average_beneficiaries``,
    ``baseline_covered``), written to a hundredth (:func:`~openfisca_sp.rules.wording.count_value`)."""
    return name in COUNTS or name.endswith(tuple(f"_{count}" for count in COUNTS))


def side_column(side: str, figure: str) -> str:
    """The column of one side's figure: ``baseline_cost``."""
    return f"{side}_{figure}"


def flag_column(flag: str, side: str) -> str:
    """The column of one side's flag: ``amount_modelled_reform``."""
    return f"{flag}_{side}"


@dataclass(frozen=True)
class SideFigures:
    """A branch under one side (baseline or reform): weighted beneficiaries, cost for the month, average benefit."""

    beneficiaries: float | None = None
    cost: float | None = None  # None: the amount is not modelled
    average_benefit: float | None = None

    def to_record(self, side: str) -> dict[str, Any]:
        return {side_column(side, item.name): getattr(self, item.name) for item in fields(self)}

    @classmethod
    def from_record(cls, record: Record, side: str) -> SideFigures:
        return cls(**{item.name: record.get(side_column(side, item.name)) for item in fields(cls)})


@dataclass(frozen=True)
class BranchRow:
    """A branch (or all benefits, ``branch == ALL``): each side's figures, the change, winners and losers."""

    branch: str
    label: str | None
    sides: Mapping[str, SideFigures]
    beneficiaries_change: float | None
    cost_change: float | None  # None unless both costs are modelled
    winners: float | None
    losers: float | None
    gains: float | None
    losses: float | None
    average_gain: float | None
    average_loss: float | None
    amount_modelled: Mapping[str, bool | None]
    provided: Mapping[str, bool | None]  # whether the side's system has the branch
    provisional: bool | None
    note: str | None = None

    @property
    def baseline(self) -> SideFigures:
        return self.sides["baseline"]

    @property
    def reform(self) -> SideFigures:
        return self.sides["reform"]

    @property
    def title(self) -> str:
        """What the branch is called in a table or chart."""
        return str(self.label or self.branch)

    @property
    def is_total(self) -> bool:
        return self.branch == ALL

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"branch": self.branch, "label": self.label}
        for side in SIDES:
            record.update(self.sides[side].to_record(side))
        record["beneficiaries_change"] = self.beneficiaries_change
        record["cost_change"] = self.cost_change
        record.update({name: getattr(self, name) for name in (*OUTCOMES, "average_gain", "average_loss")})
        record.update({flag_column("amount_modelled", side): self.amount_modelled[side] for side in SIDES})
        record.update({flag_column("provided", side): self.provided[side] for side in SIDES})
        record["provisional"] = self.provisional
        if self.note is not None:
            record["note"] = self.note
        return record

    @classmethod
    def from_record(cls, record: Record) -> BranchRow:
        return cls(
            branch=record.get("branch"),
            label=record.get("label"),
            sides={side: SideFigures.from_record(record, side) for side in SIDES},
            beneficiaries_change=record.get("beneficiaries_change"),
            cost_change=record.get("cost_change"),
            winners=record.get("winners"),
            losers=record.get("losers"),
            gains=record.get("gains"),
            losses=record.get("losses"),
            average_gain=record.get("average_gain"),
            average_loss=record.get("average_loss"),
            amount_modelled={side: record.get(flag_column("amount_modelled", side)) for side in SIDES},
            provided={side: record.get(flag_column("provided", side)) for side in SIDES},
            provisional=record.get("provisional"),
            note=record.get("note"),
        )


@dataclass(frozen=True)
class BreakdownRow:
    """A branch (or all benefits) within one group of a breakdown (a sex, an age group, an income decile)."""

    group: str
    population: float | None  # weighted
    persons: int | None
    figures: BranchRow

    def to_record(self) -> dict[str, Any]:
        return {"group": self.group, "population": self.population, "persons": self.persons, **self.figures.to_record()}

    @classmethod
    def from_record(cls, record: Record) -> BreakdownRow:
        return cls(record.get("group"), record.get("population"), record.get("persons"), BranchRow.from_record(record))


@dataclass(frozen=True)
class CoverageSide:
    """A coverage group under one side: persons covered (weighted) and their share of the group."""

    covered: float | None = None  # None: no rule of the group's branch has a source
    rate: float | None = None

    def to_record(self, side: str) -> dict[str, Any]:
        return {side_column(side, item.name): getattr(self, item.name) for item in fields(self)}

    @classmethod
    def from_record(cls, record: Record, side: str) -> CoverageSide:
        return cls(**{item.name: record.get(side_column(side, item.name)) for item in fields(cls)})


@dataclass(frozen=True)
class CoverageRow:
    """SDG 1.3.1 coverage of one group, for one sex (or both, ``sex == BOTH_SEXES``), under each side."""

    indicator: str
    label: str | None
    sex: str
    population: float | None  # the group's members, weighted
    sides: Mapping[str, CoverageSide]
    definition: str | None
    note: str | None = None
    # whether a side's figure rests on unverified law: a branch covering the group is provisional (None: not said,
    # a comparison saved before it was)
    provisional: bool | None = None

    @property
    def baseline(self) -> CoverageSide:
        return self.sides["baseline"]

    @property
    def reform(self) -> CoverageSide:
        return self.sides["reform"]

    @property
    def title(self) -> str:
        """What the indicator is called in a table or chart."""
        return str(self.label or self.indicator)

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "indicator": self.indicator,
            "label": self.label,
            "sex": self.sex,
            "population": self.population,
        }
        for side in SIDES:
            record.update(self.sides[side].to_record(side))
        record["definition"] = self.definition
        record["provisional"] = self.provisional
        if self.note is not None:
            record["note"] = self.note
        return record

    @classmethod
    def from_record(cls, record: Record) -> CoverageRow:
        return cls(
            indicator=record.get("indicator"),
            label=record.get("label"),
            sex=record.get("sex"),
            population=record.get("population"),
            sides={side: CoverageSide.from_record(record, side) for side in SIDES},
            definition=record.get("definition"),
            note=record.get("note"),
            provisional=record.get("provisional"),
        )


Row = TypeVar("Row", BranchRow, BreakdownRow, CoverageRow)


@dataclass(frozen=True)
class ComparisonRows:
    """The rows of a comparison as read from ``Comparison.to_dict()`` (or its saved JSON)."""

    meta: Mapping[str, Any]
    branches: Sequence[BranchRow]
    breakdowns: Mapping[str, Sequence[BreakdownRow]]  # per dimension name, in the comparison's order
    coverage: Sequence[CoverageRow]

    @classmethod
    def from_dict(cls, comparison: Mapping[str, Any]) -> ComparisonRows:
        """Read a comparison's dict; a missing part reads empty."""
        breakdowns = comparison.get("breakdowns") or {}
        return cls(
            meta=comparison.get("meta") or {},
            branches=_read(BranchRow, comparison.get("branches")),
            breakdowns={name: _read(BreakdownRow, records) for name, records in breakdowns.items()},
            coverage=_read(CoverageRow, comparison.get("coverage")),
        )


def _read(row: type[Row], records: Sequence[Record] | None) -> list[Row]:
    return [row.from_record(record) for record in records or []]
