"""The ILO requirements the compliance report tests, per branch, read from the reference scheme ``ilo_c102``.

Each :class:`Standard` names what it tests (a national parameter, or a figure
the rules compute for the standard beneficiary), the ILO parameter under
``parameters/ilo_c102/`` that sets the requirement (C102 at the top, C128, C168
and C183 under ``higher_standards/``) and how the two compare. The numbers are
never written here: :func:`ilo_side` reads them, with their articles and
verification status, from the parameter files. A requirement no parameter
encodes (C183 Art 6(5), Art 4(4)) carries its article and why it cannot be
assessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openfisca_sp.compliance.sides import Side, parameter_side

ILO = "ilo_c102"

# How the national figure compares with the ILO one.
AT_MOST = "at most"  # national ≤ ILO (an age, a qualifying period, waiting days)
AT_LEAST = "at least"  # national ≥ ILO (a rate, a duration)
COVERS = "covers"  # the national list includes every item of the ILO list
PRECLUDES_ABUSE = "precludes abuse"  # met at the ILO figure (none), otherwise a judgement the report does not make
UNTIL_PENSION = "throughout the contingency or until pensionable age"  # a duration unit
NOT_MODELLED = "not modelled"  # no parameter encodes the requirement

# What the national side is.
PARAMETER = "parameter"  # a national parameter under the branch (``subject``)
RATE = "replacement rate"  # the standard beneficiary's benefit / reference wage, by running the rules
DURATION_WEEKS = "duration in weeks"  # the standard beneficiary's benefit duration, by running the rules
WAITING = "waiting days"  # the waiting period the rules apply
DURATION_UNIT = "duration unit"

# A national threshold above the ILO's (an age, a qualifying period) is a breach only where the rules refuse the
# claim the Convention says must be paid: the standard beneficiary's, with the ILO's figure as the one below.
CLAIM_MONTHS = "contribution months"  # a claim at the pensionable age with the ILO's record
CLAIM_AGE = "age"  # a claim at the ILO's age with a record of 30 years
COMPARISON_TOLERANCE = 1e-6  # c183.benefit_rate's note: 0.666667 is two-thirds rounded up at the sixth decimal


@dataclass(frozen=True)
class Standard:
    """One ILO requirement of a branch, and the national figure it is tested against."""

    branch: str
    instrument: str  # "C102", "C128", "C168", "C183"
    topic: str  # qualifying period, replacement rate, duration, waiting days, conditions …
    label: str
    subject: str  # PARAMETER: the national path under the branch; otherwise what the rules compute
    compare: str
    ilo_path: str | None = None  # under parameters/ilo_c102/
    years: str | None = None  # RATE: the ILO parameter (in months or years) giving the contribution record
    note: str = ""  # for NOT_MODELLED: the article and why; otherwise anything the reader needs
    sex: str = "men"  # whose value of a parameter that varies by sex
    claim: str | None = None  # CLAIM_MONTHS or CLAIM_AGE: the claim a "not met" is the rules' refusal of

    @property
    def key(self) -> str:
        return f"{self.branch}:{self.instrument}:{self.label}"


def _s(branch: str, instrument: str, topic: str, label: str, subject: str, compare: str, **more: Any) -> Standard:
    return Standard(branch, instrument, topic, label, subject, compare, **more)


C128 = "higher_standards.c128"
C168 = "higher_standards.c168"
C183 = "higher_standards.c183"

STANDARDS: tuple[Standard, ...] = (
    # Part V, old age (C128 Part III)
    _s("old_age", "C102", "conditions", "Benefit provided", "provided", "provided", ilo_path="old_age.provided"),
    _s("old_age", "C102", "pensionable age", "Pensionable age, men", "pensionable_age", AT_MOST,
       ilo_path="old_age.pensionable_age.men", claim=CLAIM_AGE),
    _s("old_age", "C128", "pensionable age", "Pensionable age, men", "pensionable_age", AT_MOST,
       ilo_path=f"{C128}.old_age.pensionable_age", claim=CLAIM_AGE),
    _s("old_age", "C102", "pensionable age", "Pensionable age, women", "pensionable_age", AT_MOST,
       ilo_path="old_age.pensionable_age.women", sex="women", claim=CLAIM_AGE),
    _s("old_age", "C128", "pensionable age", "Pensionable age, women", "pensionable_age", AT_MOST,
       ilo_path=f"{C128}.old_age.pensionable_age", sex="women", claim=CLAIM_AGE),
    _s("old_age", "C102", "qualifying period", "Qualifying period for a reduced benefit, men",
       "qualifying_period.minimum_months", AT_MOST, ilo_path="old_age.qualifying_period.minimum_months",
       claim=CLAIM_MONTHS),
    _s("old_age", "C128", "qualifying period", "Qualifying period for a reduced benefit, men",
       "qualifying_period.minimum_months", AT_MOST, ilo_path=f"{C128}.old_age.qualifying_period.reduced_months",
       claim=CLAIM_MONTHS),
    _s("old_age", "C102", "qualifying period", "Qualifying period for a reduced benefit, women",
       "qualifying_period.minimum_months", AT_MOST, ilo_path="old_age.qualifying_period.minimum_months",
       sex="women", claim=CLAIM_MONTHS),
    _s("old_age", "C128", "qualifying period", "Qualifying period for a reduced benefit, women",
       "qualifying_period.minimum_months", AT_MOST, ilo_path=f"{C128}.old_age.qualifying_period.reduced_months",
       sex="women", claim=CLAIM_MONTHS),
    _s("old_age", "C102", "replacement rate", "Replacement rate after the full qualifying period", RATE, AT_LEAST,
       ilo_path="old_age.replacement_rate.base_rate", years="old_age.replacement_rate.base_years"),
    _s("old_age", "C128", "replacement rate", "Replacement rate after the full qualifying period", RATE, AT_LEAST,
       ilo_path=f"{C128}.old_age.replacement_rate", years=f"{C128}.old_age.qualifying_period.full_months"),
    _s("old_age", "C102", "replacement rate", "Replacement rate after the reduced qualifying period", RATE,
       AT_LEAST, ilo_path=None, years="old_age.qualifying_period.minimum_months",
       note="the rate the reference scheme pays for the same record (Art 29(2), (4): proportional reduction)"),
    # Part VIII, maternity (C183)
    _s("maternity", "C102", "conditions", "Benefit provided", "provided", "provided", ilo_path="maternity.provided"),
    _s("maternity", "C102", "qualifying period", "Qualifying period after a live birth",
       "qualifying_period.minimum_months.live_birth", PRECLUDES_ABUSE,
       ilo_path="maternity.qualifying_period.minimum_months.live_birth"),
    _s("maternity", "C183", "qualifying period", "Conditions a large majority of women can satisfy",
       "qualifying_period.minimum_months.live_birth", NOT_MODELLED,
       note="C183 Art 6(5) (legal-sources.md 1.7, VERIFIED (DE) [S12]): whether a large majority of the women "
       "covered meet the condition depends on coverage data the report does not have"),
    _s("maternity", "C102", "replacement rate", "Replacement rate (woman)", RATE, AT_LEAST,
       ilo_path="maternity.benefit_rate"),
    _s("maternity", "C183", "replacement rate", "Replacement rate (woman)", RATE, AT_LEAST,
       ilo_path=f"{C183}.benefit_rate"),
    _s("maternity", "C102", "duration", "Duration of the benefit, one child", DURATION_WEEKS, AT_LEAST,
       ilo_path="maternity.duration.single_birth"),
    _s("maternity", "C183", "duration", "Duration of the benefit against the leave, one child", DURATION_WEEKS,
       AT_LEAST, ilo_path=f"{C183}.leave_weeks",
       note="C183 Art 4(1) sets the leave; the benefit is paid during it (Art 6(1)): the benefit's duration is "
       "compared, the leave is not modelled"),
    _s("maternity", "C183", "conditions", "Compulsory leave after childbirth", "leave", NOT_MODELLED,
       ilo_path=f"{C183}.compulsory_postnatal_weeks", note="leave rules are not modelled, only the cash benefit"),
    # Part IV, unemployment (C168)
    _s("unemployment", "C102", "conditions", "Benefit provided", "provided", "provided",
       ilo_path="unemployment.provided"),
    _s("unemployment", "C102", "conditions", "Reasons for separation covered", "covered_separation_reasons", COVERS,
       ilo_path="unemployment.covered_separation_reasons"),
    _s("unemployment", "C102", "qualifying period", "Qualifying period", "qualifying_period.minimum_months",
       PRECLUDES_ABUSE, ilo_path="unemployment.qualifying_period.minimum_months"),
    _s("unemployment", "C102", "replacement rate", "Replacement rate (man with wife and two children)", RATE,
       AT_LEAST, ilo_path="unemployment.benefit_rate"),
    _s("unemployment", "C168", "replacement rate", "Replacement rate", RATE, AT_LEAST, ilo_path=f"{C168}.benefit_rate"),
    _s("unemployment", "C102", "duration", "Duration of the benefit", DURATION_WEEKS, AT_LEAST,
       ilo_path="unemployment.duration.by_contribution_months",
       note="Art 24(2): where the duration is graded by the qualifying period, its average must reach the minimum"),
    _s("unemployment", "C168", "duration", "Initial duration per spell", DURATION_WEEKS, AT_LEAST,
       ilo_path=f"{C168}.duration.weeks_per_spell",
       note="C168 Art 19(3): where the duration is graded by the qualifying period, its average must reach it"),
    _s("unemployment", "C102", "waiting days", "Waiting period", WAITING, AT_MOST,
       ilo_path="unemployment.waiting_days"),
    _s("unemployment", "C168", "waiting days", "Waiting period", WAITING, AT_MOST, ilo_path=f"{C168}.waiting_days"),
    # Part IX, invalidity (C128 Part II)
    _s("disability", "C102", "conditions", "Benefit provided", "provided", "provided",
       ilo_path="disability.provided"),
    _s("disability", "C102", "conditions", "Degree of incapacity covered", "minimum_degree", AT_MOST,
       ilo_path="disability.minimum_degree"),
    _s("disability", "C102", "qualifying period", "Qualifying period for a reduced benefit",
       "qualifying_period.minimum_months", AT_MOST, ilo_path="disability.qualifying_period.minimum_months",
       claim=CLAIM_MONTHS),
    _s("disability", "C128", "qualifying period", "Qualifying period for a reduced benefit",
       "qualifying_period.minimum_months", AT_MOST,
       ilo_path=f"{C128}.invalidity.qualifying_period.reduced_months", claim=CLAIM_MONTHS),
    _s("disability", "C102", "replacement rate", "Replacement rate after the full qualifying period", RATE,
       AT_LEAST, ilo_path="disability.replacement_rate.base_rate", years="disability.replacement_rate.base_years"),
    _s("disability", "C128", "replacement rate", "Replacement rate after the full qualifying period", RATE,
       AT_LEAST, ilo_path=f"{C128}.invalidity.replacement_rate",
       years=f"{C128}.invalidity.qualifying_period.full_months"),
    _s("disability", "C102", "duration", "Duration of the benefit", DURATION_UNIT, UNTIL_PENSION,
       ilo_path="disability.duration.unit"),
)  # fmt: skip

BRANCH_PARTS = {
    "old_age": "C102 Part V (old age); C128",
    "maternity": "C102 Part VIII (maternity); C183",
    "unemployment": "C102 Part IV (unemployment); C168",
    "disability": "C102 Part IX (invalidity); C128",
}


def ilo_side(ilo_system: Any, standard: Standard, date: str) -> Side | None:
    """The ILO figure of ``standard`` in force on ``date``, with its article and status (None: none encoded).

    A duration the Convention grades by the record (a scale of durations over months of contribution) is its
    shortest duration, in the scale's unit: "13 weeks", on every line, assessed or not.
    """
    if standard.ilo_path is None:
        return None
    side = parameter_side(ilo_system, standard.ilo_path, date)
    if side is not None and standard.subject == DURATION_WEEKS and isinstance(side.value, tuple):
        shortest = min(amount for _, amount in side.value)
        return Side(shortest, side.unit, side.status, side.sources, side.rests_on, side.computed)
    return side


def months_of(ilo_system: Any, path: str, date: str) -> int | None:
    """A contribution record in months from an ILO parameter in months or in years (its ``unit``)."""
    side = parameter_side(ilo_system, path, date)
    if side is None or side.value is None:
        return None
    return round(float(side.value) * (12 if side.unit == "year" else 1))
