"""The standard beneficiary of C102 (Schedule to Part XI), decided by running the jurisdiction's rules.

A claim is made on the report's date by a person whose insured wage, every
month of the career, is the *reference wage*: a stated multiple of a stated
amount of the jurisdiction's rules (:class:`WageBasis`), a parameter of the
report. Its decision (``decide_claims``, the path ``/eligibility`` takes) gives
the benefit, its duration and its waiting days; the replacement rate is the
monthly benefit over the reference wage.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from openfisca_sp.compliance.sides import Side, by_sex_side, least_sure, parameter_side, records_under, sources_of
from openfisca_sp.decisions import decide_claims, facts_of, read_records
from openfisca_sp.decisions.month_amounts import WEEKS_A_YEAR
from openfisca_sp.decisions.outcomes import Outcome
from openfisca_sp.rules.branches import AMOUNT, BRANCHES
from openfisca_sp.rules.branches.common import REFERENCE_WAGE
from openfisca_sp.rules.enums import IneligibilityReason as Reason
from openfisca_sp.rules.formulas import has, untraced
from openfisca_sp.rules.legal_basis import legal_basis
from openfisca_sp.rules.system import tax_benefit_system

STANDARD_BENEFICIARY = {
    "old_age": "a man with a wife of pensionable age, claiming at pensionable age",
    "maternity": "a woman, after a live birth of one child",
    "unemployment": "a man with a wife and two children, dismissed",
    "disability": "a man with a wife and two children, totally incapacitated (degree 100%, most severe category)",
}
FULL_RECORD_MONTHS = {"maternity": 120, "unemployment": 120}  # a record long enough for any qualifying period
HISTORY_MONTHS = 60  # months of insured wage stated before the claim (the career total is stated besides)
NONE: tuple[None, dict[str, str], tuple[str, ...]] = (None, {}, ())
SEX_FACTS = {"men": "male", "women": "female"}  # a parameter's sex -> the ``sex`` fact
DAYS = {"days": 1 / 7, "weeks": 1.0, "months": WEEKS_A_YEAR / 12}  # weeks per unit (the engine's 12/52)


@dataclass(frozen=True)
class WageBasis:
    """The reference wage of the report: ``multiple`` × the amount at ``path`` (None: one wage unit)."""

    path: str | None
    multiple: float
    why: str

    def describe(self) -> str:
        what = f"{self.multiple:g} × `{self.path}`" if self.path else f"{self.multiple:g} wage units"
        return f"{what}: {self.why}"


DEFAULT_WAGE_BASES = {
    "ilo_c102": WageBasis(
        None,
        1000.0,
        "the reference scheme's amounts are in wage units of any currency and it has no ceiling, so its rates do "
        "not depend on the wage's level",
    ),
    "lao": WageBasis(
        "insured_wage.ceiling",
        1.0,
        "the Lao rules hold no minimum or average wage; at the insured-wage ceiling the benefit is the law's full "
        "rate of the wage (Art 65(3) allows a ceiling, provided a skilled manual employee's wage is under it: "
        "that wage is not known)",
    ),
    "vnm": WageBasis(
        "reference_amounts.regional_minimum_wage.region_1",
        1.0,
        "the highest regional minimum wage (Region I): a low wage, at which no maximum benefit binds",
    ),
    "tjk": WageBasis("reference_amounts.minimum_wage", 1.0, "the national minimum wage"),
}


@dataclass(frozen=True)
class Measure:
    """What the rules decided for the standard beneficiary of one branch and contribution record."""

    outcome: str
    amount: float | None
    duration_weeks: float | None
    duration_unit: str
    waiting_days: float | None
    provisional: bool
    method: str | None  # "Art 65" (earnings-related) or "Art 66" (flat-rate); None when no amount is modelled
    rests_on: dict[str, str]  # the parameters the amount reads -> their statuses
    sources: tuple[str, ...] = ()  # their legal references
    reason: str = "eligible"  # why the rules refuse, or do not decide (an ``IneligibilityReason`` name)
    refusal: dict[str, str] = field(default_factory=dict)  # a refusal's parameters -> their statuses


def reference_wage(system: Any, basis: WageBasis, date: str) -> Side:
    """The reference wage on ``date``, from the basis (its value None if its parameter is not in force then)."""
    if basis.path is None:
        return Side(basis.multiple, "wage unit", "stated", (), {}, computed=basis.describe())
    side = parameter_side(system, basis.path, date)
    if side is None or not isinstance(side.value, (int, float)):  # the lines that run the rules cannot be assessed
        return Side(
            None, None, "none", (), {}, computed=f"{basis.describe()}; `{basis.path}` is not in force on {date}"
        )
    value = float(side.value) * basis.multiple
    return Side(value, side.unit, side.status, side.sources, side.rests_on, computed=basis.describe())


def _months_before(event: datetime.date, count: int, wage: float) -> dict[str, float]:
    """The insured wage of the ``HISTORY_MONTHS`` months before the event: ``wage`` in the last ``count``, else 0;
    and 0 in the event's own month (its contributions are those before it: Viet Nam counts the month of a birth on
    or after the 15th where contributed, Circular 59/2015 Art 9(1)(b))."""
    month = np.datetime64(event, "M")
    return {str(month): 0.0} | {str(month - k): wage if k <= count else 0.0 for k in range(1, HISTORY_MONTHS + 1)}


def _birth(event: datetime.date, age_months: int) -> str:
    month = np.datetime64(event, "M") - age_months - 1
    return f"{month}-01"


def standard_pensionable_age(system: Any, date: str, sex: str = "men") -> int:
    """The jurisdiction's pensionable age of ``sex`` (``men`` or ``women``) in months; where its law sets none on
    ``date``, the highest C102 allows (Art 26(2), the ``ilo_c102`` rules)."""
    side = by_sex_side(system, "old_age.pensionable_age", sex, date)
    if side is None:
        side = by_sex_side(tax_benefit_system("ilo_c102"), "old_age.pensionable_age", sex, date)
    return int(side.value)


def record(
    system: Any,
    branch: str,
    event: datetime.date,
    wage: float,
    months: int,
    sex: str = "men",
    age_months: int | None = None,
) -> dict[str, Any]:
    """The standard beneficiary's facts for ``branch``: a claim on ``event`` after ``months`` of contributions.

    An old-age claimant is of ``sex`` and ``age_months`` old (by default, the pensionable age of that sex); a woman
    raised no children, so that the reduced conditions some laws give mothers are not hers.
    """
    day = event.isoformat()
    history = {"insured_wage": _months_before(event, months, wage)}
    common = {"contribution_months": months, "career_average_insured_wage": wage, **history}
    if branch == "old_age":
        age = standard_pensionable_age(system, day, sex) if age_months is None else age_months
        person = {"sex": SEX_FACTS[sex], "birth_date": _birth(event, age), "old_age_claim_date": day, **common}
        if sex == "women":
            person.update(children_raised=0, raised_disabled_child=False)
        return person
    if branch == "maternity":
        return {
            "sex": "female",
            "birth_date": _birth(event, 30 * 12),
            "pregnancy_outcome": "live_birth",
            "child_birth_date": day,
            "number_of_children_born": 1,
            "is_available_for_work": True,
            **common,
        }
    if branch == "unemployment":
        return {
            "sex": "male",
            "birth_date": _birth(event, 40 * 12),
            "separation_reason": "dismissal",
            "unemployment_registration_date": day,
            "is_available_for_work": True,
            **common,
        }
    return {
        "sex": "male",
        "birth_date": _birth(event, 45 * 12),
        "is_disabled": True,
        "disability_degree": 100,
        "disability_category": 1,
        "disability_assessment_date": day,
        **common,
    }


def amount_rests_on(system: Any, branch: str, date: str) -> tuple[str | None, dict[str, str], tuple[str, ...]]:
    """The method of the amount (Art 65 or 66), the parameters it reads with their statuses, and their sources."""
    parameters = untraced(system.parameters(date))
    if branch not in parameters:
        return None, {}, ()
    node = untraced(parameters[branch])
    for option in BRANCHES[branch].requirement(AMOUNT):
        if option and all(has(node, *path.split(".")) for path in option):
            names = [f"{branch}.{path}" for path in option] + [
                "insured_wage.ceiling",
                "insured_wage.ceiling_reference_amount",
            ]
            records = [record for name in names for record in records_under(system, name, date)]
            statuses = {record.parameter: record.status or "" for record in records}
            return ("Art 65" if REFERENCE_WAGE.path in option else "Art 66"), statuses, sources_of(records)
    return None, {}, ()


def refusal_rests_on(system: Any, decision: Any, sex: str) -> tuple[str, dict[str, str]]:
    """The reason of the one decision of ``decision`` (a branch's, by the rules of ``system``) and, where the rules
    refuse, the parameters the refusal rests on for a person of ``sex``, with their statuses: the legal basis the
    decision's own provisional flag reads."""
    reason = int(decision.reason[0])
    name = list(Reason)[reason].name
    if Outcome(int(decision.outcome[0])) is not Outcome.not_eligible:
        return name, {}
    day = str(decision.rules_day[0])
    basis = decision.bases.get(day) or legal_basis(system, decision.branch.code, day)
    return name, {parameter: basis.values[parameter]["status"] or "" for parameter in basis.rests_on(reason, sex)}


def measure(
    system: Any,
    branch: str,
    date: datetime.date,
    wage: float,
    months: int,
    sex: str = "men",
    age_months: int | None = None,
) -> Measure:
    """Decide the standard beneficiary's claim to ``branch`` on ``date`` with the rules of ``system`` (an old-age
    claimant of ``sex`` and ``age_months`` old, :func:`record`)."""
    facts = record(system, branch, date, wage, months, sex, age_months)
    # read here, not checked as a caller's records: the report is asked up to 2999, past the calendar of facts
    decision = decide_claims(system, read_records([facts], facts_of(system)), date, [branch]).branches[branch]
    outcome = Outcome(int(decision.outcome[0])).name
    amount = float(decision.amount[0])
    unit = str(decision.duration_unit[0])
    duration = float(decision.duration[0])
    waiting = None if decision.waiting_days is None else float(decision.waiting_days[0])
    modelled = bool(decision.amount_modelled[0]) and outcome == Outcome.eligible.name and not np.isnan(amount)
    refused = outcome == Outcome.not_eligible.name  # no benefit with this record, where the amount is modelled
    method, statuses, sources = amount_rests_on(system, branch, date.isoformat()) if modelled or refused else NONE
    if refused and method is not None:
        modelled, amount = True, 0.0
    reason, refusal = refusal_rests_on(system, decision, sex)
    return Measure(
        outcome=outcome,
        amount=amount if modelled else None,
        duration_weeks=duration * DAYS[unit] if unit in DAYS and not np.isnan(duration) else None,
        duration_unit=unit,
        waiting_days=None if waiting is None or np.isnan(waiting) else waiting,
        provisional=bool(decision.provisional[0]),
        method=method,
        rests_on=statuses,
        sources=sources,
        reason=reason,
        refusal=refusal,
    )


def rate_side(measure_: Measure, wage: Side, how: str) -> Side | None:
    """The replacement rate of a measure: its monthly benefit over the reference wage (None: not modelled)."""
    if measure_.amount is None:
        return None
    rests_on = {**measure_.rests_on, **measure_.refusal, **wage.rests_on}
    # the amount's parameters, and a refusal's (no benefit) (the decision's flag also counts eligibility's)
    status = least_sure(rests_on.values())
    computed = f"{measure_.method}; {how}" + ("" if measure_.outcome == "eligible" else " (not eligible: no benefit)")
    return Side(measure_.amount / float(wage.value), "/1", status, measure_.sources, rests_on, computed=computed)
