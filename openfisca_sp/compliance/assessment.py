"""Each ILO requirement of a branch assessed against one jurisdiction's rules on a date: met, not met, or not.

A line is ``met`` or ``not met`` only where both sides are known on the date;
it is ``cannot be assessed`` where the national rule is not modelled, where the
Convention sets no figure (a judgement the report does not make) or where the
answer depends on coverage data the report does not have, and it says which.
A line resting on a value that is not verified (``unverified``, a reform's
``proposal``, a value without a status) is *provisional*.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from openfisca_core import periods

from openfisca_sp.compliance import standards as std
from openfisca_sp.compliance.beneficiary import (
    DEFAULT_WAGE_BASES,
    FULL_RECORD_MONTHS,
    Measure,
    WageBasis,
    measure,
    rate_side,
    reference_wage,
)
from openfisca_sp.compliance.sides import Side, by_sex_side, least_sure, parameter_side, records_under, sources_of
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.rules.branch_nodes import part_modelled
from openfisca_sp.rules.branches import BRANCHES, ELIGIBILITY
from openfisca_sp.rules.wording import counted, noun_for

MET = "met"
NOT_MET = "not met"
CANNOT = "cannot be assessed"
VERDICTS = (MET, NOT_MET, CANNOT)
LONGEST_RECORD = 360  # months: a career of 30 years, for the longest graded duration
UNCOUNTED = {"not_modelled", "not_applicable"}
RUN = (std.RATE, std.DURATION_WEEKS, std.WAITING, std.DURATION_UNIT)  # what the rules compute at the reference wage


@dataclass(frozen=True)
class Line:
    """One requirement against one jurisdiction: both sides, the verdict and why."""

    jurisdiction: str
    standard: std.Standard
    verdict: str
    reason: str
    national: Side | None
    ilo: Side | None

    @property
    def provisional(self) -> bool:
        """Whether a met or not-met verdict rests on a value that is not verified (either side)."""
        return self.verdict != CANNOT and any(
            side is not None and side.provisional for side in (self.national, self.ilo)
        )

    def to_dict(self) -> dict[str, Any]:
        standard = self.standard
        return {
            "branch": standard.branch,
            "instrument": standard.instrument,
            "topic": standard.topic,
            "label": standard.label,
            "comparison": standard.compare,
            "verdict": self.verdict,
            "provisional": self.provisional,
            "reason": self.reason,
            "national": None if self.national is None else self.national.to_dict(),
            "ilo": None if self.ilo is None else self.ilo.to_dict(),
            "ilo_parameter": standard.ilo_path,
        }


class Assessor:
    """Assesses the standards of one jurisdiction's rules (``system``, a reform's too) on ``date``."""

    def __init__(self, system: Any, ilo_system: Any, date: datetime.date, basis: WageBasis | None = None) -> None:
        self.system, self.ilo, self.date, self.day = system, ilo_system, date, date.isoformat()
        self.code = system.jurisdiction.code
        self.basis = basis or DEFAULT_WAGE_BASES.get(self.code) or DEFAULT_WAGE_BASES[std.ILO]
        self.wage = reference_wage(system, self.basis, self.day)
        self.ilo_wage = reference_wage(ilo_system, DEFAULT_WAGE_BASES[std.ILO], self.day)
        self._measures: dict[tuple[bool, str, int, str, int | None], Measure] = {}

    def measure(
        self, branch: str, months: int, ilo: bool = False, sex: str = "men", age_months: int | None = None
    ) -> Measure:
        key = (ilo, branch, months, sex, age_months)
        if key not in self._measures:
            system, wage = (self.ilo, self.ilo_wage) if ilo else (self.system, self.wage)
            self._measures[key] = measure(system, branch, self.date, float(wage.value), months, sex, age_months)
        return self._measures[key]

    def decided(self, branch: str) -> bool:
        """Whether the rules decide the branch's claims on the date (every parameter its conditions need in force):
        where they do not, an absent parameter says nothing of what the law requires."""
        return part_modelled(self.system.parameters, periods.period(self.day[:7]), branch, ELIGIBILITY)

    def national(self, path: str, sex: str = "men") -> Side | None:
        return by_sex_side(self.system, path, sex, self.day)

    def lines(self) -> tuple[Line, ...]:
        """Every standard of every branch against the rules on the day."""
        return tuple(self.line(standard) for standard in std.STANDARDS)

    def line(self, standard: std.Standard) -> Line:
        ilo = std.ilo_side(self.ilo, standard, self.day)
        provided = self.national(f"{standard.branch}.provided")
        if standard.subject == "provided":
            if provided is None:
                return self._line(
                    standard, CANNOT, "not modelled: the branch has no `provided` value in force", None, ilo
                )
            verdict = MET if provided.value else NOT_MET
            return self._line(
                standard, verdict, "" if provided.value else "the law in force provides no such benefit", provided, ilo
            )
        if provided is None or not provided.value:
            why = "the branch is not modelled" if provided is None else "the law in force provides no such benefit"
            return self._line(standard, CANNOT, why, None, ilo)
        if not self.decided(standard.branch):  # a parameter it lacks was not found, not "none required"
            why = "not modelled: the branch's conditions are not all in force (a rule they need was not found)"
            return self._line(standard, CANNOT, why, None, ilo)
        if standard.compare == std.NOT_MODELLED:
            return self._line(standard, CANNOT, standard.note, self._parameter(standard), ilo)
        if standard.subject in RUN and self.wage.value is None:
            return self._line(standard, CANNOT, f"no reference wage: {self.wage.computed}", None, ilo)
        if standard.subject == std.RATE:
            return self._rate(standard, ilo)
        if standard.subject == std.DURATION_WEEKS:
            return self._duration(standard, ilo)
        if standard.subject == std.WAITING:
            return self._waiting(standard, ilo)
        if standard.subject == std.DURATION_UNIT:
            return self._duration_unit(standard, ilo)
        return self._compare_parameter(standard, ilo)

    def _line(self, standard: std.Standard, verdict: str, reason: str, national: Side | None, ilo: Side | None) -> Line:
        return Line(self.code, standard, verdict, reason, national, ilo)

    def _parameter(self, standard: std.Standard) -> Side | None:
        path = f"{standard.branch}.{standard.subject}"
        side = self.national(path, standard.sex)
        declared = BRANCHES[standard.branch].parameter(standard.subject)
        if side is None and declared is not None and declared.absent == "none required":
            return Side(
                0, "month", "none", (), {}, computed=f"`{path}` not set: the law's silence reads 'none required'"
            )
        return side

    def _compare_parameter(self, standard: std.Standard, ilo: Side | None) -> Line:
        national = self._parameter(standard)
        path = f"{standard.branch}.{standard.subject}"
        if national is None:
            return self._line(standard, CANNOT, f"not modelled: `{path}` is not in force on {self.day}", None, ilo)
        if ilo is None:
            return self._line(standard, CANNOT, f"no ILO value in force for `{standard.ilo_path}`", national, ilo)
        if national.unit != ilo.unit and national.unit and ilo.unit:
            return self._line(standard, CANNOT, f"units differ ({national.unit}, {ilo.unit})", national, ilo)
        if standard.compare == std.COVERS:
            missing = [item for item in ilo.value if item not in national.value]
            reason = "not covered: " + ", ".join(missing) if missing else ""
            return self._line(standard, NOT_MET if missing else MET, reason, national, ilo)
        if standard.compare == std.PRECLUDES_ABUSE:
            if float(national.value) <= float(ilo.value):
                return self._line(standard, MET, "", national, ilo)
            why = (
                f"the Convention sets no number, only what precludes abuse: whether {national.value:g} "
                f"{national.unit}s go beyond that is a judgement this report does not make"
            )
            return self._line(standard, CANNOT, why, national, ilo)
        return self._numbers(standard, national, ilo)

    def _numbers(self, standard: std.Standard, national: Side, ilo: Side, reason: str = "") -> Line:
        found, required = float(national.value), float(ilo.value)
        if standard.compare == std.AT_MOST:
            ok = found <= required + std.COMPARISON_TOLERANCE
        else:
            ok = found >= required - std.COMPARISON_TOLERANCE
        if not ok and standard.claim is not None:
            return self._claim_at_ilo_figure(standard, national, ilo)
        return self._line(standard, MET if ok else NOT_MET, reason, national, ilo)

    def _claim_at_ilo_figure(self, standard: std.Standard, national: Side, ilo: Side) -> Line:
        """A national age or qualifying period above the ILO's is a breach where the rules refuse the claim the
        Convention says must be paid: the standard beneficiary's with the ILO's figure. The line rests on every
        parameter that refusal rests on (that nothing is paid below the national figure may be a reading of its
        own); where the rules do not decide that claim, it cannot be assessed."""
        figure = round(float(ilo.value))
        months, age = (LONGEST_RECORD, figure) if standard.claim == std.CLAIM_AGE else (figure, None)
        claim = f"a claim with {counted(months, 'month')} of contributions" + (
            f" at {counted(age, 'month')} of age" if age else ""
        )
        if self.wage.value is None:  # the standard beneficiary's claim cannot be run
            return self._line(standard, CANNOT, f"{claim} is not decided: {self.wage.computed}", national, ilo)
        result = self.measure(standard.branch, months, sex=standard.sex, age_months=age)
        reason = result.reason.replace("_", " ")
        if result.outcome == Outcome.eligible.name:  # the law pays it by another rule than the figure compared
            return self._line(standard, MET, f"the rules grant {claim}", national, ilo)
        if result.outcome != Outcome.not_eligible.name:
            why = f"the rules do not decide {claim} ({reason}): whether the law pays it is not known"
            return self._line(standard, CANNOT, why, national, ilo)
        rests_on = {**national.rests_on, **result.refusal}
        records = [record for name in result.refusal for record in records_under(self.system, name, self.day)]
        decided = f"the rules refuse {claim} ({reason})"
        refused = Side(
            national.value,
            national.unit,
            least_sure(rests_on.values()),
            tuple(dict.fromkeys((*national.sources, *sources_of(records)))),
            rests_on,
            computed=f"{national.computed}; {decided}" if national.computed else decided,
        )
        return self._line(standard, NOT_MET, "", refused, ilo)

    def _record_months(self, standard: std.Standard) -> int:
        if standard.years:
            months = std.months_of(self.ilo, standard.years, self.day)
            if months is not None:
                return months
        return FULL_RECORD_MONTHS.get(standard.branch, LONGEST_RECORD)

    def _rate(self, standard: std.Standard, ilo: Side | None) -> Line:
        months = self._record_months(standard)
        how = f"benefit for a record of {counted(months, 'month')} over the reference wage"
        result = self.measure(standard.branch, months)
        national = rate_side(result, self.wage, how)
        if ilo is None:  # the rate the reference scheme pays for the same record
            ilo = rate_side(self.measure(standard.branch, months, ilo=True), self.ilo_wage, how + " (reference scheme)")
            if ilo is not None:
                ilo = Side(ilo.value, ilo.unit, ilo.status, (standard.note, *ilo.sources), ilo.rests_on, ilo.computed)
        if national is None:
            why = "the amount is not modelled" + (
                "" if result.outcome == "eligible" else f" (the rules decide: {result.outcome.replace('_', ' ')})"
            )
            return self._line(standard, CANNOT, why, None, ilo)
        if ilo is None:
            return self._line(standard, CANNOT, "no ILO value in force", national, ilo)
        reason = ""
        if result.method == "Art 66":
            reason = "a flat-rate benefit (Art 66): the reference wage stands for the ordinary adult male labourer's"
        return self._numbers(standard, national, ilo, reason)

    def _duration(self, standard: std.Standard, ilo: Side | None) -> Line:
        branch = standard.branch
        records = [FULL_RECORD_MONTHS.get(branch, LONGEST_RECORD)]
        minimum = None
        if branch == "unemployment":  # graded by the record: the shortest and the longest duration
            minimum = self.national("unemployment.qualifying_period.minimum_months")
            records = [max(int(minimum.value), 1) if minimum is not None else 1, LONGEST_RECORD]
        results = [self.measure(branch, months) for months in records]
        weeks = [result.duration_weeks for result in results]
        duration = self._duration_side(branch, minimum)
        if any(value is None for value in weeks) or ilo is None:
            unit = results[0].duration_unit.replace("_", " ")
            return self._line(standard, CANNOT, f"the duration is not modelled (its unit: {unit})", duration, ilo)
        shortest, longest = min(weeks), max(weeks)
        shown = shortest if shortest == longest else (shortest, longest)
        national = Side(
            shown,
            "week",
            duration.status if duration else "none",
            duration.sources if duration else (),
            duration.rests_on if duration else {},
            computed=f"the rules' duration for records of {' and '.join(map(str, records))} "
            f"{noun_for(records[-1] if len(records) == 1 else 2, 'month')}",
        )
        required = float(ilo.value)
        if shortest >= required - std.COMPARISON_TOLERANCE:
            return self._line(standard, MET, "", national, ilo)
        if longest < required - std.COMPARISON_TOLERANCE:
            return self._line(standard, NOT_MET, "", national, ilo)
        why = f"graded by the record: {standard.note}; the average depends on coverage data the report does not have"
        return self._line(standard, CANNOT, why, national, ilo)

    def _duration_side(self, branch: str, record: Side | None = None) -> Side | None:
        """The duration's parameters and its unit's; a graded duration's shortest is read at the shortest record
        that qualifies (``record``, the qualifying period), which it rests on too."""
        path = "duration.by_contribution_months" if branch == "unemployment" else "duration.single_birth"
        side = parameter_side(self.system, f"{branch}.{path}", self.day)
        unit = parameter_side(self.system, f"{branch}.duration.unit", self.day)
        if side is None or unit is None:
            return side
        more = [each for each in (unit, record) if each is not None]
        rests_on = {**side.rests_on, **{name: status for each in more for name, status in each.rests_on.items()}}
        sources = tuple(dict.fromkeys((*side.sources, *(source for each in more for source in each.sources))))
        return Side(side.value, side.unit, least_sure(rests_on.values()), sources, rests_on)

    def _waiting(self, standard: std.Standard, ilo: Side | None) -> Line:
        side = parameter_side(self.system, "unemployment.waiting_days", self.day)
        result = self.measure("unemployment", FULL_RECORD_MONTHS["unemployment"])
        if side is None or result.waiting_days is None:
            why = f"not modelled: `unemployment.waiting_days` is not in force on {self.day}"
            registered = parameter_side(self.system, "unemployment.minimum_days_unemployed", self.day)
            if registered is not None:
                why += (
                    f"; the law requires {counted(registered.value, 'day', form='g')} registered as unemployed "
                    "before the claim "
                    "(`unemployment.minimum_days_unemployed`), whether they are paid is not modelled"
                )
            return self._line(standard, CANNOT, why, registered, ilo)
        national = Side(result.waiting_days, "day", side.status, side.sources, side.rests_on, "the rules' waiting days")
        if ilo is None:
            return self._line(standard, CANNOT, "no ILO value in force", national, ilo)
        return self._numbers(standard, national, ilo)

    def _duration_unit(self, standard: std.Standard, ilo: Side | None) -> Line:
        side = parameter_side(self.system, f"{standard.branch}.duration.unit", self.day)
        result = self.measure(standard.branch, self._record_months(standard))
        if side is None or result.duration_unit in UNCOUNTED:
            return self._line(standard, CANNOT, "the duration is not modelled", side, ilo)
        ok = result.duration_unit in ("lifetime", "until_pensionable_age")
        national = Side(result.duration_unit, None, side.status, side.sources, side.rests_on, "the rules' duration")
        return self._line(standard, MET if ok else NOT_MET, "", national, ilo)
