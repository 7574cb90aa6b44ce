"""The compliance report: every jurisdiction's lines on a date, under a reform or not, with its assumptions."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openfisca_sp import arguments
from openfisca_sp.compliance.assessment import CANNOT, MET, NOT_MET, VERDICTS, Assessor, Line
from openfisca_sp.compliance.beneficiary import DEFAULT_WAGE_BASES, STANDARD_BENEFICIARY, WageBasis
from openfisca_sp.compliance.sides import Side
from openfisca_sp.compliance.standards import BRANCH_PARTS, ILO

PARTLY = "met where assessable"  # a summary: some lines met, none not met, the others not assessable
ASSUMPTIONS = (
    "The replacement rate is computed by running the jurisdiction's rules (the decision path of /eligibility) for "
    "the standard beneficiary of the Schedule to Part XI, claiming on the report's date, insured every month at "
    "the reference wage, with the contribution record the line names (the qualifying period met).",
    "Earnings-related benefits are compared by the Art 65 method (benefit over previous earnings, the reference "
    "wage); flat-rate benefits by the Art 66 method, the reference wage standing for the ordinary adult male "
    "labourer's wage, which is not known.",
    "Family allowances are not modelled: the comparison is of the benefit alone, whereas Art 65(1) and 66(1) add "
    "them on both sides. The standard beneficiary's family does not change any benefit modelled.",
    "Art 65(3) tests a ceiling at the wage of a skilled manual male employee (Art 65(6)); that wage is not known, "
    "so the rate is tested at the stated reference wage only.",
    "The ILO side of a rate is the Schedule percentage read from parameters/ilo_c102/, or, for a reduced "
    "qualifying period, the rate the ILO reference scheme pays for the same record (run the same way).",
    "Durations are converted to weeks with the engine's convention: 7 days a week, 52/12 weeks a month. A duration "
    "graded by the contribution record is decided for the shortest qualifying record and for 30 years.",
    "A pensionable age or qualifying period longer than the Convention's is not met where the rules refuse the "
    "claim the Convention says must be paid: the standard beneficiary's (a man; a woman who raised no children, "
    "on the lines for women) at the Convention's age, or with its record. The verdict rests on every parameter that "
    "refusal rests on (such as a reading that nothing is paid below the national period); where the rules do not "
    "decide that claim, the line cannot be assessed.",
    "A verdict that rests on a value that is not verified (unverified, a reform's proposal, or without a status) is "
    "provisional; the status of each side is shown.",
)


@dataclass(frozen=True)
class JurisdictionCompliance:
    """One jurisdiction's lines, with the reference wage they were computed at."""

    code: str
    label: str
    currency: str
    wage: Side
    basis: WageBasis
    lines: tuple[Line, ...]

    def counts(self) -> dict[str, int]:
        counted = Counter(line.verdict for line in self.lines)
        return {verdict: counted[verdict] for verdict in VERDICTS} | {
            "provisional": sum(line.provisional for line in self.lines)
        }

    def summary(self) -> list[dict[str, Any]]:
        """Per branch and instrument: ``not met`` if a line is, ``met`` if every line is, else ``met where
        assessable`` (some met, the rest not assessable) or ``cannot be assessed``."""
        found = []
        for branch in BRANCH_PARTS:
            lines = [line for line in self.lines if line.standard.branch == branch]
            for instrument in dict.fromkeys(line.standard.instrument for line in lines):
                verdicts = Counter(line.verdict for line in lines if line.standard.instrument == instrument)
                if verdicts[NOT_MET]:
                    overall = NOT_MET
                elif not verdicts[CANNOT]:
                    overall = MET
                else:
                    overall = PARTLY if verdicts[MET] else CANNOT
                found.append(
                    {
                        "branch": branch,
                        "instrument": instrument,
                        "verdict": overall,
                        "counts": {verdict: verdicts[verdict] for verdict in VERDICTS},
                    }
                )
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.code,
            "label": self.label,
            "currency": self.currency,
            "reference_wage": {
                **self.wage.to_dict(),
                "basis": self.basis.path,
                "multiple": self.basis.multiple,
                "why": self.basis.why,
            },
            "counts": self.counts(),
            "summary": self.summary(),
            "lines": [line.to_dict() for line in self.lines],
        }


@dataclass(frozen=True)
class Compliance:
    """The report on ``date``: per jurisdiction and branch, each ILO requirement met, not met or not assessable."""

    date: datetime.date
    reform: dict[str, Any] | None
    jurisdictions: tuple[JurisdictionCompliance, ...]
    assumptions: tuple[str, ...] = field(default=ASSUMPTIONS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "reform": self.reform,
            "verdicts": list(VERDICTS),
            "branches": dict(BRANCH_PARTS),
            "standard_beneficiary": dict(STANDARD_BENEFICIARY),
            "assumptions": list(self.assumptions),
            "jurisdictions": [item.to_dict() for item in self.jurisdictions],
        }


def _reform_info(reform: str) -> dict[str, Any]:
    from openfisca_sp.reforms import shipped_reforms

    entry = shipped_reforms().get(reform)
    if entry is None:
        return {"name": reform, "label": reform, "description": ""}
    return {"name": entry.name, "label": entry.label, "description": entry.description}


def reform_jurisdictions(reform: str) -> tuple[str, ...]:
    """The jurisdictions a shipped reform applies to (none: any)."""
    from openfisca_sp.reforms import shipped_reforms

    entry = shipped_reforms().get(reform)
    if entry is None and str(reform).endswith((".yaml", ".yml")):
        from openfisca_sp.rules.parametric_reforms import read_parametric_reform

        return (read_parametric_reform(reform).jurisdiction,)
    return entry.jurisdictions if entry is not None else ()


def jurisdiction_compliance(
    code: str, date: datetime.date, reform: str | None = None, basis: WageBasis | None = None
) -> JurisdictionCompliance:
    """The lines of one jurisdiction on ``date``, its rules changed by ``reform`` where given."""
    from openfisca_sp.rules.system import tax_benefit_system

    system = tax_benefit_system(code)
    if reform:
        from openfisca_sp.reforms import load_reform

        system = load_reform(reform, system)
    assessor = Assessor(system, tax_benefit_system(ILO), date, basis)
    lines = assessor.lines()
    jurisdiction = system.jurisdiction
    return JurisdictionCompliance(code, jurisdiction.label, jurisdiction.currency, assessor.wage, assessor.basis, lines)


def compliance(
    codes: Sequence[str] | None = None,
    date: datetime.date | None = None,
    reform: str | None = None,
    bases: dict[str, WageBasis] | None = None,
) -> Compliance:
    """The report for ``codes`` (default: every jurisdiction, or those ``reform`` applies to; a code alone is one)
    on ``date`` (a ``datetime.date``, or its ISO text: ``"2026-01-01"`` raised "'str' object has no attribute
    'isoformat'", and ``"lao"`` was read as the codes 'l', 'a', 'o')."""
    from openfisca_sp.rules import jurisdictions

    date = arguments.day("date", date).astype(object) if date is not None else datetime.date.today()
    codes = [codes] if isinstance(codes, str) else codes
    if not codes:
        codes = (reform and reform_jurisdictions(reform)) or tuple(jurisdictions.registry())
    codes = [jurisdictions.get(code).code for code in dict.fromkeys(codes)]
    bases = {**DEFAULT_WAGE_BASES, **(bases or {})}
    items = tuple(jurisdiction_compliance(code, date, reform, bases.get(code)) for code in codes)
    return Compliance(date, _reform_info(reform) if reform else None, items)
